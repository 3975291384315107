"""The custom checkov checks (policies/checkov, CKV_MSA_1-5) give the verdict AWS would on real code.

tests/fixtures/checkov/<case>/main.tf are Aurora and RDS Proxy snippets written here in the style of the
leading public modules (static and dynamic blocks, variables with defaults, values left unset, values only a
caller knows, count = 0). Each case's expected.yaml gives, per resource, each check's verdict: PASSED,
FAILED or UNKNOWN (the check could not resolve a value; checkov also reports UNKNOWN for a resource with
count = 0, which it never judges).

checkov's JSON lists passed, failed and skipped checks only: an UNKNOWN result is left out, exactly like a
resource with no result at all. So each check runs once over every case with LOG_LEVEL=DEBUG, whose per-resource
`Result:` lines tell UNKNOWN from no result; the JSON must agree (UNKNOWN: not listed).

Then each check must really evaluate (pass or fail, never UNKNOWN) on this repository's module and on the
environment roots with their tfvars, run as `make checkov` runs them (repository's .checkov.yaml).

checkov comes from .venv-checkov (`make checkov-setup`): without it the tests fail under CI=true and are
skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"
CHECKS = ("CKV_MSA_1", "CKV_MSA_2", "CKV_MSA_3", "CKV_MSA_4", "CKV_MSA_5")
FIXTURES = REPO / "tests" / "fixtures" / "checkov"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.yaml").is_file())
# checkov's debug line for every resource a check judged.
RESULT_LINE = re.compile(r'File (/\S+), resource "([^"]+)" check "([^"]+)" Result: \{\'result\': <CheckResult\.(\w+)')


def require_checkov() -> None:
    if not CHECKOV.exists():
        reason = f"{CHECKOV} is missing: run `make checkov-setup` (make test does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)


def run_checkov(directory: Path, checks: tuple[str, ...], cwd: Path, *extra: str) -> tuple[dict, list[tuple]]:
    """checkov's JSON report and its debug result lines (file, resource, check name, verdict)."""
    out = subprocess.run(
        [str(CHECKOV), "-d", str(directory), "-c", ",".join(checks), "-o", "json", "--skip-download", *extra],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "LOG_LEVEL": "DEBUG"},
    )
    assert out.returncode in (0, 1), out.stderr[-3000:]
    report = json.loads(out.stdout)
    assert not isinstance(report, list), "one framework, one report"
    assert "Traceback" not in out.stderr, out.stderr[out.stderr.index("Traceback") :][:3000]
    return report, RESULT_LINE.findall(out.stderr)


def listed(report: dict) -> dict[tuple[str, str, str], str]:
    """(check id, file, resource) -> PASSED | FAILED | SKIPPED, as checkov's JSON lists them."""
    found = {}
    for status in ("passed", "failed", "skipped"):
        for r in report["results"].get(f"{status}_checks", []):
            found[(r["check_id"], r["file_path"], r["resource"])] = status.upper()
    return found


@pytest.fixture(scope="module")
def verdicts() -> dict[tuple[str, str, str], str]:
    """(check id, case, resource) -> the verdict of one checkov run per check over every case."""
    require_checkov()
    found = {}
    for check in CHECKS:
        # cwd=FIXTURES: not the repository's .checkov.yaml; --external-checks-dir as .checkov.yaml gives it.
        report, lines = run_checkov(
            FIXTURES,
            (check,),
            FIXTURES,
            "--framework",
            "terraform",
            "--external-checks-dir",
            str(REPO / "policies" / "checkov"),
        )
        json_listed = listed(report)
        for file_path, resource, _name, verdict in lines:
            case = file_path.split("/")[1]
            in_json = json_listed.get((check, file_path, resource))
            # The JSON lists exactly the passed and failed results; UNKNOWN ones are left out.
            assert in_json == (verdict if verdict != "UNKNOWN" else None), (
                f"{check} {file_path} {resource}: {verdict} vs JSON {in_json}"
            )
            found[(check, case, resource)] = verdict
    return found


def expectations():
    for case in CASES:
        for resource, checks in yaml.safe_load((FIXTURES / case / "expected.yaml").read_text()).items():
            for check, verdict in checks.items():
                yield pytest.param(case, resource, check, verdict, id=f"{case}:{resource}:{check}")


@pytest.mark.parametrize("case, resource, check, expected", list(expectations()))
def test_verdict_on_public_module_style_code(verdicts, case, resource, check, expected):
    assert verdicts.get((check, case, resource), "ABSENT") == expected


def test_every_check_is_exercised_with_each_verdict_it_can_give():
    """The cases prove every check passes good code, fails bad code and does not pass what it cannot see."""
    seen = {check: set() for check in CHECKS}
    for param in expectations():
        _case, _resource, check, verdict = param.values
        seen[check].add(verdict)
    for check, verdicts_of_check in seen.items():
        assert {"PASSED", "FAILED", "UNKNOWN"} <= verdicts_of_check, f"{check}: only {sorted(verdicts_of_check)}"


# What `make checkov` scans (Makefile CHECKOV_DIRS), and the resources each check must judge there.
PROJECT_DIRS = ("modules/aurora-serverless-v2", "envs")
JUDGED = {
    "CKV_MSA_1": "module.aurora.aws_rds_cluster.this",
    "CKV_MSA_2": "module.aurora.aws_db_proxy.this[0]",
    "CKV_MSA_3": "module.aurora.aws_db_proxy.this[0]",
    "CKV_MSA_4": "module.aurora.aws_db_proxy_default_target_group.this[0]",
    "CKV_MSA_5": "module.aurora.aws_rds_cluster.this",
}


@pytest.mark.parametrize("directory", PROJECT_DIRS)
def test_each_check_evaluates_on_this_project(directory):
    """On the module and on the env roots, each check passes or fails its resource: never UNKNOWN."""
    require_checkov()
    report, lines = run_checkov(REPO / directory, CHECKS, REPO)  # cwd=REPO: the repository's .checkov.yaml
    json_listed = listed(report)
    names = {
        r["check_name"]: r["check_id"] for s in ("passed", "failed") for r in report["results"].get(f"{s}_checks", [])
    }
    for check, resource in JUDGED.items():
        verdicts_here = {v for (c, _f, r), v in json_listed.items() if c == check and r == resource}
        assert verdicts_here and verdicts_here <= {"PASSED", "FAILED"}, (
            f"{check} on {resource} in {directory}: {verdicts_here}"
        )
    # The debug lines name a module's resources without the module prefix.
    judged = {(check, resource.removeprefix("module.aurora.")) for check, resource in JUDGED.items()}
    unknown = [
        (names.get(name), r)
        for _f, r, name, verdict in lines
        if verdict == "UNKNOWN" and (names.get(name), r) in judged
    ]
    assert not unknown, f"UNKNOWN in {directory}: {unknown}"


PLAN_EXPECTED = {
    ("CKV_MSA_1", "module.aurora.aws_rds_cluster.this"): "PASSED",
    ("CKV_MSA_5", "module.aurora.aws_rds_cluster.this"): "PASSED",
    ("CKV_MSA_1", "module.aurora.aws_rds_cluster.short"): "FAILED",
    ("CKV_MSA_5", "module.aurora.aws_rds_cluster.short"): "FAILED",
    ("CKV_MSA_2", "module.aurora.aws_db_proxy.this[0]"): "PASSED",
    ("CKV_MSA_3", "module.aurora.aws_db_proxy.this[0]"): "FAILED",
    ("CKV_MSA_4", "module.aurora.aws_db_proxy_default_target_group.this[0]"): "PASSED",
}


def test_verdicts_on_a_plan():
    """`make policy PLAN=...` runs the checks on a plan's JSON (every value resolved, no HCL to read)."""
    require_checkov()
    plan = REPO / "tests" / "fixtures" / "checkov-plan" / "plan.json"
    out = subprocess.run(
        [str(CHECKOV), "-f", str(plan), "--framework", "terraform_plan", "--skip-download", "-o", "json",
         "--external-checks-dir", str(REPO / "policies" / "checkov"), "-c", ",".join(CHECKS)],
        cwd=plan.parent, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode in (0, 1), out.stderr[-3000:]
    found = {(c, r): v for (c, _f, r), v in listed(json.loads(out.stdout)).items()}
    assert found == PLAN_EXPECTED

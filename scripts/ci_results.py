"""What the pull-request comment reads: each environment's results (reports/ci/<env>/) and the cost diff.

Each file is checked for the shape the comment uses: an odd one is a ResultsError (one line, exit 2), never a
traceback, and never a comment that reads a broken file as "nothing to report". An absent file is a step that
did not run, which the comment says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plan_summary import PlanError, count_changes, read_plan

from generator.errors import InputError, one_line
from generator.inputs.files import read_text

MAX_BYTES = 50_000_000  # a policy SARIF or a cost diff of this repository is a few kB
DIFF_STATUSES = {"added", "removed", "changed", "unchanged"}
CHECKOV_COUNTS = ("passed", "failed", "skipped", "parsing_errors")
# A dollar figure past this is no cost a diff can show (and would overflow a float in formatting).
MAX_USD = 1e15


class ResultsError(Exception):
    """A results file that is there but not of the shape the comment reads."""


@dataclass(frozen=True)
class Finding:
    env: str
    rule: str
    text: str


@dataclass
class EnvRun:
    env: str
    plan: tuple[int, int, int] | None  # adds, changes, destroys; None: no plan.json (the plan did not run)
    policy_ran: bool  # policy.sarif is there
    findings: list[Finding] = field(default_factory=list)
    checkov: dict[str, Any] | None = None


def env_name(env_dir: Path) -> str:
    """reports/ci/<env> locally; the workflow downloads its artifacts as reports/ci/policy-<env>."""
    return env_dir.name.removeprefix("policy-")


def _json(path: Path, what: str) -> Any:
    try:
        return json.loads(read_text(path, what, MAX_BYTES))
    except InputError as exc:
        raise ResultsError(exc.line()) from None
    except (ValueError, RecursionError) as exc:
        raise ResultsError(
            f"{one_line(str(path), limit=None)}: not a readable {what} ({exc.__class__.__name__})"
        ) from None


def _need(ok: bool, where: str, what: str) -> None:
    if not ok:
        raise ResultsError(f"{one_line(where, limit=None)}: must be {what}")


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def read_env(env_dir: Path) -> EnvRun:
    plan_path, sarif_path = env_dir / "plan.json", env_dir / "policy.sarif"
    plan = None
    if plan_path.exists() or plan_path.is_symlink():
        try:
            plan = count_changes(read_plan(plan_path))
        except PlanError as exc:
            raise ResultsError(one_line(str(exc), limit=None)) from None
    run = EnvRun(env_name(env_dir), plan, sarif_path.exists() or sarif_path.is_symlink())
    if run.policy_ran:
        run.findings, run.checkov = read_sarif(sarif_path)
    return run


def read_sarif(path: Path) -> tuple[list[Finding], dict[str, Any] | None]:
    """The violations of `python -m policies --sarif`, and checkov's counts from its run's properties."""
    doc = _json(path, "policy SARIF")
    runs = doc.get("runs") if isinstance(doc, dict) else None
    _need(isinstance(runs, list) and len(runs) == 1 and isinstance(runs[0], dict), f"{path}: runs", "one run")
    results = runs[0].get("results")
    _need(isinstance(results, list), f"{path}: runs[0].results", "a list")
    findings = []
    for i, res in enumerate(results):
        where = f"{path}: runs[0].results[{i}]"
        _need(isinstance(res, dict) and isinstance(res.get("ruleId"), str), f"{where}.ruleId", "text")
        message, props = res.get("message"), res.get("properties")
        _need(isinstance(message, dict) and isinstance(message.get("text"), str), f"{where}.message.text", "text")
        _need(
            isinstance(props, dict) and isinstance(props.get("environment"), str),
            f"{where}.properties",
            "{environment}",
        )
        # SARIF escapes brackets and backslashes in plain text (generator.outputs.escape.sarif_text): shown unescaped.
        text = message["text"].replace("\\[", "[").replace("\\]", "]").replace("\\\\", "\\")
        findings.append(Finding(props["environment"], res["ruleId"], text))
    checkov = (runs[0].get("properties") or {}).get("checkov") if isinstance(runs[0].get("properties"), dict) else None
    if checkov is not None:
        where = f"{path}: runs[0].properties.checkov"
        _need(isinstance(checkov, dict) and all(_count(checkov.get(k)) for k in CHECKOV_COUNTS), where, "counts")
        failures = checkov.get("failures")
        _need(isinstance(failures, list) and all(isinstance(f, dict) for f in failures), f"{where}.failures", "a list")
        for j, f in enumerate(failures):
            for key in ("check_id", "check_name", "resource", "file"):
                _need(isinstance(f.get(key), str), f"{where}.failures[{j}].{key}", "text")
            _need(_count(f.get("line")), f"{where}.failures[{j}].line", "a line number")
    return findings, checkov


def _usd(value: Any) -> bool:
    # abs() < MAX_USD: also false for inf and nan, and compares a 400-digit integer without a float overflow.
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < MAX_USD)


# The sides of a cost figure an environment of each diff status has (added: no base; removed: no head).
_COST_SIDES = {
    "added": ("head",),
    "removed": ("base",),
    "changed": ("base", "head", "delta"),
    "unchanged": ("base", "head", "delta"),
}


def read_diff(path: Path) -> dict[str, Any] | str:
    """`aurora-gen diff`'s output: its JSON document (checked), or its markdown as it stands."""
    text = read_text_or_fail(path)
    if not text.lstrip().startswith("{"):
        return text
    doc = _json(path, "cost diff")
    envs = doc.get("environments") if isinstance(doc, dict) else None
    _need(isinstance(envs, list), f"{path}: environments", "a list")
    for i, e in enumerate(envs):
        where = f"{path}: environments[{i}]"
        _need(isinstance(e, dict) and isinstance(e.get("env"), str), f"{where}.env", "text")
        _need(e.get("status") in DIFF_STATUSES, f"{where}.status", f"one of {', '.join(sorted(DIFF_STATUSES))}")
        figures, warnings = e.get("figures"), e.get("warnings")
        _need(isinstance(figures, dict) and isinstance(figures.get("cost_total"), dict), f"{where}.figures", "figures")
        for key, f in figures.items():
            _need(isinstance(f, dict) and isinstance(f.get("label"), str), f"{where}.figures.{key}.label", "text")
            _need(isinstance(f.get("changed"), bool), f"{where}.figures.{key}.changed", "true or false")
            _need(isinstance(f.get("unit"), str), f"{where}.figures.{key}.unit", "text")
            for part in ("delta", "percent", *(("base", "head") if f["unit"] not in ("text", "flag") else ())):
                _need(_usd(f.get(part)), f"{where}.figures.{key}.{part}", "a number below 1e15 or null")
            if f["unit"] == "flag":  # yes or no (the topology's choice uncertain)
                for part in ("base", "head"):
                    _need(f.get(part) in (True, False, None), f"{where}.figures.{key}.{part}", "true, false or null")
            if key.startswith("cost_"):  # the costs the comment computes with: a number on each side there is
                for part in _COST_SIDES[e["status"]]:
                    _need(f.get(part) is not None, f"{where}.figures.{key}.{part}", f"a number ({e['status']})")
        inputs = e.get("inputs", [])
        _need(isinstance(inputs, list), f"{where}.inputs", "a list")
        for j, i in enumerate(inputs):
            _need(isinstance(i, dict) and isinstance(i.get("key"), str), f"{where}.inputs[{j}].key", "text")
        added = warnings.get("added") if isinstance(warnings, dict) else None
        _need(isinstance(added, list), f"{where}.warnings.added", "a list")
        for j, w in enumerate(added):
            _need(isinstance(w, dict) and isinstance(w.get("code"), str), f"{where}.warnings.added[{j}].code", "text")
    notes = doc.get("notes", [])
    _need(isinstance(notes, list) and all(isinstance(n, str) for n in notes), f"{path}: notes", "a list of text")
    return doc


def read_changes(path: Path) -> dict[str, Any]:
    """scripts/ci_changes.py's answer (reports/ci/changes.json): what changed, and which rules files."""
    doc = _json(path, "change classification")
    _need(isinstance(doc, dict), str(path), "an object")
    for key in ("toolkit", "data"):
        _need(isinstance(doc.get(key), bool), f"{path}: {key}", "true or false")
    for key in ("envs", "rules"):
        value = doc.get(key)
        _need(isinstance(value, list) and all(isinstance(v, str) for v in value), f"{path}: {key}", "a list of text")
    return doc


def read_text_or_fail(path: Path) -> str:
    try:
        return read_text(path, "cost diff", MAX_BYTES)
    except InputError as exc:
        raise ResultsError(exc.line()) from None

"""What a platform team reads after raising prod from 1,000 to 3,000 agents (issue 16): the report opens with the
warning and the peak against max ACU, `render` names the file and the warning it gained, the policy summary shows
the sizing's warnings and the cost against budget and ceiling, and `make policy` says when the page is stale.

The budget is set from the report's own figures (between the expected cost and the worst case), so the scenario
holds whatever the model prices: only the worst case is over the budget."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import REPO

WIDTH = 100


def run(root: Path, *args: str):
    return CliRunner(mix_stderr=False).invoke(main, ["--root", str(root), *args])


def policies(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "policies", "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


def edit(root: Path, env: str, old: str, new: str) -> None:
    path = root / "envs" / env / "sizing.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def report_json(root: Path, env: str) -> dict:
    res = run(root, "report", "--env", env, "--format", "json")
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


def set_budget(root: Path, env: str, usd: float) -> None:
    path = root / "envs" / env / "sizing.yaml"
    path.write_text(re.sub(r"(?m)^budget_usd: .*$", f"budget_usd: {usd:g}", path.read_text()))


def prod_ceiling(root: Path) -> float:
    return yaml.safe_load((root / "policies/limits.yaml").read_text())["environments"]["prod"]["cost"][
        "worst_case_ceiling_usd"
    ]


COMMITTED_BUDGET = yaml.safe_load((REPO / "envs/prod/sizing.yaml").read_text())["budget_usd"]


@pytest.fixture
def raised(tree: Path) -> Path:
    """The repository's tree with prod raised from 1,000 to 3,000 agents and a budget between its expected cost and
    its worst case (its tfvars not yet rendered)."""
    edit(tree, "prod", "agents: 1000", "agents: 3000")
    cost = report_json(tree, "prod")["cost_usd_month"]
    set_budget(tree, "prod", round((cost["total"] + cost["worst_case"]) / 2))
    return tree


# ---------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------
def test_the_report_opens_with_the_warning_then_peak_against_max(raised):
    rep = report_json(raised, "prod")
    assert [w["code"] for w in rep["warnings"]] == ["cost.worst_case_over_budget"]
    lines = run(raised, "report", "--env", "prod").stdout.splitlines()
    assert lines[0] == "Aurora Serverless v2 sizing: prod (3,000 agents)"
    assert lines[2] == "Warnings: 1"
    peak, top, binds = rep["acu"]["required"]["peak"], rep["acu"]["max"], rep["acu"]["required"]["binding"]
    assert lines[3].startswith(f"  cost.worst_case_over_budget: the worst case, every instance at max ACU {top:g}")
    headline = lines.index("Headline:")
    assert headline < 10 and any(line.strip().startswith("change: lower acu.max") for line in lines[3:headline])
    assert re.fullmatch(
        rf"  ACU peak +{peak:g} of max {top:g} ACU: {peak / top:.0%} \({binds} binds\)", lines[headline + 1]
    )
    below = " ".join(lines[headline + 2 : headline + 8])
    assert f"${rep['cost_usd_month']['worst_case']:,.2f} is" in below and "OVER" in below
    assert "policies/limits.yaml: make policy checks it" in below  # the ceiling: named, checked by the gate


def test_a_report_without_warnings_says_so_first():
    lines = run(REPO, "report", "--env", "staging").stdout.splitlines()
    assert lines[2] == "Warnings: none" and lines[4] == "Headline:"


@pytest.mark.parametrize("design", [False, True])
def test_no_table_line_passes_100_characters(raised, design):
    flags = ["--design"] if design else []
    for root, env in ((REPO, "dev"), (REPO, "staging"), (REPO, "prod"), (raised, "prod")):
        out = run(root, "report", "--env", env, *flags).stdout
        longest = max(out.splitlines(), key=len)
        assert len(longest) <= WIDTH, f"{env}: {longest}"
        assert ("Design vs model:\n" in out) is design


def _table_parts(out: str) -> dict[str, float]:
    block = out.split("Cost per month on ", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    found = {}
    for line in block:
        m = re.match(r"  (\w+) +\$([\d,]+\.\d\d)", line)
        if m:
            found[m.group(1)] = float(m.group(2).replace(",", ""))
    return found


def _markdown_parts(out: str) -> dict[str, float]:
    found = {}
    for m in re.finditer(r"^\| (\*\*total\*\*|[\w\\]+) \| \**\\\$([\d,]+\.\d\d)\** \|", out, re.MULTILINE):
        found[m.group(1).replace("\\", "").strip("*")] = float(m.group(2).replace(",", ""))
    return found


@pytest.mark.parametrize("fmt, parse", [("table", _table_parts), ("markdown", _markdown_parts)])
def test_every_cost_part_on_its_own_line_adding_up_to_the_total(raised, fmt, parse):
    for env in ("dev", "prod"):
        rep = report_json(raised, env)
        cost = rep["cost_usd_month"]
        parts = {k: v for k, v in cost.items() if k not in ("total", "worst_case", "storage_type")}
        shown = parse(run(raised, "report", "--env", env, "--format", fmt).stdout)
        total = shown.pop("total")
        assert shown == parts  # every part, none left out (kms, secrets, monitoring, ...)
        assert total == cost["total"]
        assert sum(shown.values()) == pytest.approx(total, abs=0.005 * len(shown))


def test_the_markdown_reads_in_the_same_order(raised):
    out = run(raised, "report", "--env", "prod", "--format", "markdown").stdout
    order = [out.index(h) for h in ("### Warnings: 1", "### Headline", "### Cost per month", "### Figures")]
    assert order == sorted(order)
    assert "- **cost.worst\\_case\\_over\\_budget**: the worst case" in out and "Change: lower acu.max" in out
    assert "| ceiling | the worst case's ceiling is in policies/limits.yaml" in out


# ---------------------------------------------------------------------------
# render (make generate)
# ---------------------------------------------------------------------------
def test_render_names_the_changed_file_and_the_warning_it_gained_then_lost(raised):
    check = run(raised, "render", "--check")
    assert check.exit_code == 1 and check.stderr.strip() == "stale: envs/prod/terraform.tfvars (run: aurora-gen render)"

    res = run(raised, "render")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "changed: envs/prod/terraform.tfvars"
    assert lines[1].startswith("  new warning cost.worst_case_over_budget: the worst case")
    assert any(line.strip().startswith("change: lower acu.max") for line in lines)
    assert lines[-1] == "rendered 3 environment(s), 1 file(s) changed"
    assert "dev" not in res.stdout and "staging" not in res.stdout
    assert all(len(line) <= WIDTH for line in lines)
    tfvars = (raised / "envs/prod/terraform.tfvars").read_text()
    assert "# Sizing warnings: cost.worst_case_over_budget (aurora-gen report --env prod)." in tfvars

    set_budget(raised, "prod", COMMITTED_BUDGET)
    back = run(raised, "render").stdout.splitlines()
    assert back == [
        "changed: envs/prod/terraform.tfvars",
        "  warning gone: cost.worst_case_over_budget",
        "rendered 3 environment(s), 1 file(s) changed",
    ]
    assert run(raised, "render").stdout == "rendered 3 environment(s), 0 file(s) changed\n"


def test_render_lists_the_warnings_of_a_new_file(raised):
    (raised / "envs/prod/terraform.tfvars").unlink()
    lines = run(raised, "render").stdout.splitlines()
    assert lines[0] == "new: envs/prod/terraform.tfvars"
    assert lines[1].startswith("  new warning cost.worst_case_over_budget:")


# ---------------------------------------------------------------------------
# the policy summary: sizing warnings and the two cost thresholds
# ---------------------------------------------------------------------------
def _section(summary: str, env: str) -> str:
    return re.split(r"\n### ", summary.split(f" {env}\n", 1)[1], maxsplit=1)[0]


def test_the_policy_summary_shows_the_sizing_warnings_beside_a_passing_gate(raised, tmp_path):
    assert run(raised, "render").exit_code == 0
    out = tmp_path / "policy-summary.md"
    proc = policies(raised, "--summary", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = out.read_text()
    assert summary.startswith("## Policy checks: passed, 1 sizing warning(s) (prod)\n")
    assert "### ⚠️ prod" in summary and "### ✅ staging" in summary
    prod = _section(summary, "prod")
    assert "- **cost.worst\\_case\\_over\\_budget**: the worst case" in prod and "Change: lower acu.max" in prod
    rep = report_json(raised, "prod")
    worst = f"{rep['cost_usd_month']['worst_case']:,.2f}"
    row = next(line for line in prod.splitlines() if line.startswith(f"| worst case \\${worst} |"))
    budget_cell, ceiling_cell = row.removesuffix(" |").split(" | ")[1:3]
    assert "**OVER**" in budget_cell and "the gate does not fail on it" in budget_cell
    assert ceiling_cell.endswith(": within")
    budget = yaml.safe_load((raised / "envs/prod/sizing.yaml").read_text())["budget_usd"]
    heads = f"| budget \\${budget:,.2f} (budget\\_usd in sizing.yaml) | ceiling \\${prod_ceiling(raised):,.2f} (policies/limits.yaml) |"
    assert heads in prod
    assert "Cost thresholds: the worst case is over the budget" in prod
    assert "cost.worst_case_over_budget" in proc.stderr  # make policy's output names it too


def test_the_policy_summary_says_when_the_ceiling_is_what_fails(raised, tmp_path):
    """The budget raised above the worst case, the platform team's ceiling lowered below it: only the gate fails."""
    worst = report_json(raised, "prod")["cost_usd_month"]["worst_case"]
    set_budget(raised, "prod", round(worst * 2))
    limits = raised / "policies/limits.yaml"
    ceiling = f"worst_case_ceiling_usd: {prod_ceiling(raised):g}"
    assert ceiling in limits.read_text()
    limits.write_text(limits.read_text().replace(ceiling, f"worst_case_ceiling_usd: {round(worst / 2)}"))
    assert run(raised, "render").exit_code == 0
    out = tmp_path / "policy-summary.md"
    proc = policies(raised, "-q", "--summary", str(out))
    assert proc.returncode == 1 and "[cost.ceiling]" in proc.stdout
    prod = _section(out.read_text(), "prod")
    row = next(line for line in prod.splitlines() if line.startswith("| worst case "))
    budget_cell, ceiling_cell = row.removesuffix(" |").split(" | ")[1:3]
    assert budget_cell.endswith(": within") and "**OVER**: the gate fails above it (cost.ceiling)" in ceiling_cell
    assert "Cost thresholds: the worst case is over the ceiling: the gate fails above it (cost.ceiling)." in prod


def test_a_sizing_that_cannot_be_computed_is_shown_not_passed_over(tree, tmp_path):
    edit(tree, "prod", "agents: 1000", "agents: -5")
    out = tmp_path / "policy-summary.md"
    policies(tree, "-q", "--summary", str(out))
    summary = out.read_text()
    assert (
        not summary.startswith("## Policy checks: passed\n") and "sizing warning(s) (prod)" in summary.splitlines()[0]
    )
    assert "Sizing (aurora-gen report): cannot be computed: envs/prod/sizing.yaml: agents:" in _section(summary, "prod")


def test_the_committed_tree_passes_without_sizing_warnings(tmp_path):
    out = tmp_path / "policy-summary.md"
    assert policies(REPO, "-q", "--summary", str(out)).returncode == 0
    summary = out.read_text()
    assert summary.startswith("## Policy checks: passed\n") and summary.count("): no warnings") == 3


def test_the_page_tells_the_same_cost_story(raised):
    from generator.model.sized import size_tree
    from generator.outputs.report_html import page

    html = page(size_tree(raised), [])
    prod = html.split("<b>prod</b>", 1)[1].split("<h2>", 1)[0]
    rep = report_json(raised, "prod")
    worst, budget = rep["cost_usd_month"]["worst_case"], rep["budget_usd"]
    assert f"worst case: ${worst:,.2f} is {worst / budget:.0%} of the budget ${budget:,.2f}" in prod
    assert "OVER: sizing warning cost.worst_case_over_budget; the gate does not fail on it" in prod
    assert "ceiling is in policies/limits.yaml: make policy checks it" in prod
    assert "change: lower acu.max" in prod


# ---------------------------------------------------------------------------
# freshness of the page make policy links
# ---------------------------------------------------------------------------
def test_make_policy_says_when_the_page_it_links_is_stale(tree, tmp_path):
    reports = tree / "reports"
    assert run(tree, "report-html", "--out", str(reports)).exit_code == 0
    summary = reports / "policy-summary.md"

    def link() -> tuple[str, str]:
        proc = policies(tree, "--summary", str(summary))
        assert proc.returncode == 0, proc.stderr
        line = next(x for x in summary.read_text().splitlines() if "[sizing.html](sizing.html)" in x)
        return line, proc.stderr

    line, err = link()
    assert "Stale" not in line and "stale" not in err

    edit(tree, "prod", "agents: 1000", "agents: 1100")
    line, err = link()
    assert "**Stale**: envs/prod/sizing.yaml changed since the page was written: run `make report-html` again" in line
    assert "sizing.html is stale: envs/prod/sizing.yaml changed since the page was written" in err

    edit(tree, "prod", "agents: 1100", "agents: 1000")  # the same text again: current again (digests, not times)
    assert "Stale" not in link()[0]

    page = reports / "sizing.html"
    page.write_text(re.sub(r'<meta name="aurora-gen-describes"[^>]*>\n', "", page.read_text()))
    assert "does not say which sizing it describes" in link()[0]

"""aurora-gen diff in a throw-away git repository: what a reviewer reads on a pull request."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.inputs import data
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]


def git(root: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=root, check=True, capture_output=True, text=True).stdout


def diff(root: Path, *args: str):
    return CliRunner(mix_stderr=False).invoke(main, ["--root", str(root), "diff", *args])


def edit_yaml(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a copy of the environments and the defaults, committed once."""
    for sizing in sorted((REPO / "envs").glob("*/sizing.yaml")):
        dest = tmp_path / "envs" / sizing.parent.name
        dest.mkdir(parents=True)
        shutil.copy2(sizing, dest / "sizing.yaml")
    (tmp_path / "generator/data").mkdir(parents=True)
    shutil.copy2(REPO / "generator/data/defaults.yaml", tmp_path / "generator/data/defaults.yaml")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def test_prod_max_acu_change_shows_in_markdown_and_json(repo):
    edit_yaml(repo / "envs/prod/sizing.yaml", lambda d: d["acu"].update(max=14))
    md = diff(repo, "--base", "HEAD")
    js = diff(repo, "--base", "HEAD", "--format", "json")
    assert md.exit_code == 0 and js.exit_code == 0, md.stderr + js.stderr

    doc = json.loads(js.stdout)
    envs = {e["env"]: e for e in doc["environments"]}
    assert {n: e["status"] for n, e in envs.items()} == {"dev": "unchanged", "staging": "unchanged", "prod": "changed"}
    prod = envs["prod"]["figures"]
    assert (prod["acu_max"]["base"], prod["acu_max"]["head"], prod["acu_max"]["delta"]) == (12, 14, 2)
    # The load's peak needs less than either max: the average ACU, hence the expected month, does not move.
    assert prod["acu_required_peak"]["head"] < 12 and not prod["acu_required_peak"]["changed"]
    assert prod["cost_total"]["delta"] == 0
    # Worst case: the writer and its tier-1 reader at max ACU, 2 more ACU each, plus the proxy on those ACUs.
    prices, storage_type = data.prices(), prod["storage_type"]["head"]
    per_acu_hour = prices["compute"][storage_type] + prices["proxy"]["per_acu_hour"]
    expected = 2 * 2 * prices["hours_per_month"] * per_acu_hour
    assert prod["cost_worst_case"]["delta"] == pytest.approx(expected, abs=0.02)
    assert prod["cost_worst_case"]["head"] - prod["cost_worst_case"]["base"] == pytest.approx(expected, abs=0.02)

    line = next(x for x in md.stdout.splitlines() if x.startswith("- **prod**"))
    assert line == f"- **prod**: +$0.00/month (+0.0%), worst case +${expected:,.0f}; ACU 2-12 -> 2-14"
    assert "Unchanged: dev, staging." in md.stdout
    assert "| max ACU | 12 | 14 | +2 (+16.7%) |" in md.stdout
    assert f"| worst case per month | \\${prod['cost_worst_case']['base']:,.2f} |" in md.stdout
    # The expected month did not move: one line, no table of eleven unchanged parts.
    assert f"Cost per month unchanged: \\${prod['cost_total']['head']:,.2f} (11 parts)." in md.stdout
    assert "| min ACU |" not in md.stdout and "unchanged figure(s) not shown: min ACU; average ACU;" in md.stdout
    assert "### dev" not in md.stdout


def test_cost_change_gives_the_monthly_delta_and_percentage(repo):
    edit_yaml(repo / "envs/staging/sizing.yaml", lambda d: d.update(agents=200))
    doc = json.loads(diff(repo, "--base", "HEAD", "--format", "json").stdout)
    staging = next(e for e in doc["environments"] if e["env"] == "staging")["figures"]
    total = staging["cost_total"]
    assert total["delta"] > 0 and staging["io_billed"]["delta"] > 0 and staging["storage_steady_state"]["delta"] > 0
    assert total["percent"] == round(total["delta"] / total["base"] * 100, 1)
    md = diff(repo, "--base", "HEAD").stdout
    assert f"- **staging**: +${total['delta']:,.2f}/month (+{total['percent']:.1f}%)" in md


def test_new_and_removed_environments(repo):
    shutil.copytree(repo / "envs/dev", repo / "envs/qa")
    shutil.rmtree(repo / "envs/staging")
    result = diff(repo, "--base", "HEAD")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(diff(repo, "--base", "HEAD", "--format", "json").stdout)
    status = {e["env"]: e["status"] for e in doc["environments"]}
    assert status == {"dev": "unchanged", "prod": "unchanged", "qa": "added", "staging": "removed"}
    assert "- **qa**: new environment, $" in result.stdout
    assert "- **staging**: removed (was $" in result.stdout


def test_base_defaults_come_from_the_ref(repo):
    """A pull request that changes generator/data/defaults.yaml changes every environment's sizing."""
    edit_yaml(repo / "generator/data/defaults.yaml", lambda d: d["tables"]["metrics"].update(writes_per_agent=20))
    git(repo, "commit", "-qam", "base wrote twice the metrics")
    doc = json.loads(diff(repo, "--base", "HEAD", "--format", "json").stdout)
    assert [e["status"] for e in doc["environments"]] == ["changed"] * 3
    assert all(e["figures"]["storage_steady_state"]["delta"] < 0 for e in doc["environments"])
    assert doc["notes"] == []


def test_new_warning_is_reported(repo):
    """The design's max of 32 ACU puts prod's worst case over its budget."""
    edit_yaml(repo / "envs/prod/sizing.yaml", lambda d: d["acu"].update(max=32))
    result = diff(repo, "--base", "HEAD")
    assert result.exit_code == 0, result.stderr
    assert "ACU 2-12 -> 2-32; new warning: cost.worst\\_case\\_over\\_budget" in result.stdout
    assert "- new warning cost.worst\\_case\\_over\\_budget: " in result.stdout
    doc = json.loads(diff(repo, "--base", "HEAD", "--format", "json").stdout)
    prod = next(e for e in doc["environments"] if e["env"] == "prod")
    # The warnings the 3,000 agents add are the head report's own, less the base's (none at 1,000 agents).
    head = json.loads(
        CliRunner().invoke(main, ["--root", str(repo), "report", "--env", "prod", "--format", "json"]).stdout
    )
    assert [w["code"] for w in prod["warnings"]["added"]] == [w["code"] for w in head["warnings"]]
    assert prod["warnings"]["removed"] == [] and prod["warnings"]["base"] == []


@pytest.mark.parametrize("ref", ["no-such-branch", "HEAD~5", "--output=/tmp/x"])
def test_bad_ref_is_one_line_exit_2(repo, ref):
    result = diff(repo, "--base", ref)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"aurora-gen: diff: --base {ref}: not a commit in this repository\n"


def test_not_a_git_repository(tmp_path):
    (tmp_path / "envs/dev").mkdir(parents=True)
    shutil.copy2(REPO / "envs/dev/sizing.yaml", tmp_path / "envs/dev/sizing.yaml")
    result = diff(tmp_path, "--base", "HEAD")
    assert result.exit_code == 2 and "not in a git repository" in result.stderr and result.stdout == ""


def test_invalid_base_sizing_names_the_ref_file_and_field(repo):
    edit_yaml(repo / "envs/prod/sizing.yaml", lambda d: d["acu"].update(max="lots"))
    git(repo, "commit", "-qam", "broken base")
    edit_yaml(repo / "envs/prod/sizing.yaml", lambda d: d["acu"].update(max=32))
    result = diff(repo, "--base", "HEAD")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("aurora-gen: HEAD:envs/prod/sizing.yaml: acu.max: ")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "message"), [(b"agents: [1\n", "malformed YAML"), (b"agents: 10\n\xff: 3\n", "not UTF-8 text")]
)
def test_invalid_working_tree_sizing_exits_2(repo, content, message):
    (repo / "envs/dev/sizing.yaml").write_bytes(content)
    result = diff(repo, "--base", "HEAD")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"aurora-gen: {repo}/envs/dev/sizing.yaml: {message}")


def test_cli_process_prints_no_traceback(repo):
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "aurora-gen"), "--root", str(repo), "diff", "--base", "nope"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1


def test_max_below_the_peak_is_reported_not_refused(repo):
    """render refuses it (exit 2); the diff still tells the reviewer what the change does, as a warning."""
    # Prod's peak needs 2 ACU (recalibrated in rounds) and its pools a max of 2.5: at 3,000 agents it needs ~6.
    edit_yaml(repo / "envs/prod/sizing.yaml", lambda d: (d.update(agents=3000), d["acu"].update(max=3)))
    result = diff(repo, "--base", "HEAD")
    assert result.exit_code == 0, result.stderr
    assert "ACU 2-12 -> 2-3; storage type aurora -> aurora-iopt1; new warning: acu.max\\_below\\_peak" in result.stdout


def test_a_changed_data_file_is_named_in_a_note(repo):
    """Both sides are priced with the working tree's files: a pull request that changes one is told so."""
    prices = next(s["path"] for s in data.sources() if s["kind"] == "prices")
    (repo / prices).parent.mkdir(parents=True)
    shutil.copy2(REPO / prices, repo / prices)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "prices")
    assert json.loads(diff(repo, "--base", "HEAD", "--format", "json").stdout)["notes"] == []
    (repo / prices).write_text((REPO / prices).read_text() + "# re-checked\n")
    result = diff(repo, "--base", "HEAD")
    assert result.exit_code == 0 and "No sizing change in 3 environment(s)." in result.stdout
    assert f"Note: prices file {prices} changed since HEAD: both sides use the working tree's" in result.stdout


def _commit_base_dev(repo: Path, make) -> None:
    """Commit a base whose envs/dev/sizing.yaml is made by `make(path)`, then restore the working tree's file."""
    path = repo / "envs/dev/sizing.yaml"
    good = path.read_bytes()
    path.unlink()
    make(path)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "odd base")
    if path.is_symlink() or path.exists():
        path.unlink()
    path.write_bytes(good)


def _gitlink(repo: Path, path: Path) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},envs/dev/sizing.yaml")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.write_bytes(b"agents: 10\n" + b"#" * 1_100_000 + b"\n"),
            "is 1,100,012 bytes, above the 1,000,000-byte limit for a sizing file",
        ),
        (lambda p: p.write_bytes(b"agents: 10\n\xff\xfe\x00\x01\n"), "not UTF-8 text: byte 0xff at line 2, column 1"),
        (lambda p: p.symlink_to("/etc/passwd"), "is a symbolic link at HEAD, not a regular file"),
        (lambda p: p.symlink_to("../prod/sizing.yaml"), "is a symbolic link at HEAD, not a regular file"),
        (None, "is a submodule at HEAD, not a regular file"),
    ],
    ids=["huge", "binary", "link-out", "link-in", "submodule"],
)
def test_an_odd_base_sizing_file_is_one_line_naming_it(repo, make, message):
    """The base's file is held to the working tree's rules: regular, bounded, UTF-8 (not decoded with
    replacement, not a link's target path parsed as YAML, not a submodule's commit id)."""
    if make is None:
        path = repo / "envs/dev/sizing.yaml"
        good = path.read_bytes()
        git(repo, "rm", "-q", "--cached", "envs/dev/sizing.yaml")
        _gitlink(repo, path)
        git(repo, "commit", "-qm", "submodule base")
        path.write_bytes(good)
    else:
        _commit_base_dev(repo, make)
    result = diff(repo, "--base", "HEAD")
    assert result.exit_code == 2 and result.stdout == "", result.output
    assert result.stderr == f"aurora-gen: HEAD:envs/dev/sizing.yaml: {message}\n"


def test_an_environment_with_a_non_ascii_name_at_the_base_is_not_dropped(repo):
    """git quotes non-ASCII paths unless told not to: the base's envs/é/ must be read, not silently skipped."""
    (repo / "envs/é").mkdir()
    shutil.copy2(repo / "envs/dev/sizing.yaml", repo / "envs/é/sizing.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "unicode env")
    shutil.rmtree(repo / "envs/é")
    result = diff(repo, "--base", "HEAD", "--format", "json")
    # The base's file is read, and refused by the model's name rule, naming it: never silently left out.
    assert result.exit_code == 2 and result.stderr.startswith("aurora-gen: HEAD:envs/é/sizing.yaml: environment: ")


@pytest.mark.parametrize("where", ["missing", "file"])
def test_a_root_that_is_no_folder_is_one_line(tmp_path, where):
    """--root missing said "git is not installed"; --root at a file was a NotADirectoryError traceback."""
    root = tmp_path / "nope" if where == "missing" else tmp_path / "f"
    if where == "file":
        root.write_text("x")
    result = diff(root, "--base", "HEAD")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"aurora-gen: diff: {root}: not a folder\n"


# ---------------------------------------------------------------------------
# Inputs first, changed figures only, every cost part adding up to the total
# ---------------------------------------------------------------------------
def _money(cell: str) -> float:
    return float(cell.strip().replace("\\$", "").replace("$", "").replace(",", "") or 0) if cell.strip() != "-" else 0.0


def _cost_table(markdown: str, env: str) -> dict[str, list[str]]:
    """The rows of env's cost table: label -> [base, head, change]."""
    section = markdown.split(f"### {env} (", 1)[1].split("\n### ", 1)[0]
    table = section.split("| cost per month | base | head | change |", 1)[1].split("\n\n", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split(" | ")] for line in table.strip().splitlines()[1:]]
    return {r[0]: r[1:] for r in rows}


def test_prod_at_3000_agents_shows_the_input_first_and_parts_that_sum_to_the_total(repo):
    """The issue's walk-through: prod raised from 1,000 to 3,000 agents."""
    from generator.model.pricing import PART_LABELS, PARTS

    edit_yaml(repo / "envs/prod/sizing.yaml", lambda d: d.update(agents=3000))
    md = diff(repo, "--base", "HEAD")
    js = diff(repo, "--base", "HEAD", "--format", "json")
    assert md.exit_code == 0 and js.exit_code == 0, md.stderr + js.stderr

    section = md.stdout.split("### prod (changed)", 1)[1]
    assert section.index("- agents 1,000 -> 3,000") < section.index("| cost per month |") < section.index("| figure |")
    rows = _cost_table(md.stdout, "prod")
    total = rows.pop("**total**")
    for column in (0, 1, 2):  # base, head and the change: the rows add up to the total to the cent
        assert round(sum(_money(r[column].split(" (")[0]) for r in rows.values()), 2) == _money(
            total[column].split(" (")[0]
        )
    # Every part is there: a row of its own where it changed, named in the one row of unchanged parts otherwise.
    named = " ".join(rows)
    assert all(PART_LABELS[name].replace("_", "\\_") in named for name, _ in PARTS)
    # The unchanged parts are those whose JSON figure did not change, named in PARTS' order on one row.
    figures = next(e for e in json.loads(js.stdout)["environments"] if e["env"] == "prod")["figures"]
    still = [PART_LABELS[n].replace("_", "\\_") for n, _ in PARTS if not figures[f"cost_{n}"]["changed"]]
    assert still and any(label.endswith("unchanged part(s): " + "; ".join(still)) for label in rows), rows
    assert all(f"{PART_LABELS[n]} |" not in named for n, _ in PARTS if not figures[f"cost_{n}"]["changed"])
    # Only the changed figures: the unchanged ones are counted, not listed as rows.
    # (436.4 GB: prod's steady state since the recalibration, agents-independent storage row unchanged by the diff)
    assert "| max ACU |" not in section and "| storage, steady state | 436.4 GB |" in section
    # CPU binds at 1,000 and at 3,000 agents since the recalibration: the binding resource is unchanged too
    assert "9 unchanged figure(s) not shown: min ACU; max ACU; required ACU at baseline; binding resource;" in section
    assert "; topology;" in section  # one writer on both sides: unchanged, named

    doc = json.loads(js.stdout)
    prod = next(e for e in doc["environments"] if e["env"] == "prod")
    assert prod["inputs"] == [{"key": "agents", "base": 1000, "head": 3000}]
    figures = prod["figures"]
    assert doc["cost_parts"] == [f"cost_{name}" for name, _ in PARTS]
    for side in ("base", "head", "delta"):
        parts = sum(round(figures[k][side] * 100) for k in doc["cost_parts"])
        assert parts == round(figures["cost_total"][side] * 100), side
    # The keys the pull-request comment and its checker read are still there.
    for f in figures.values():
        assert set(f) >= {"label", "unit", "changed", "base", "head", "delta", "percent"}
    # The warnings the 3,000 agents add are the head report's own, less the base's (none at 1,000 agents).
    head = json.loads(
        CliRunner().invoke(main, ["--root", str(repo), "report", "--env", "prod", "--format", "json"]).stdout
    )
    assert [w["code"] for w in prod["warnings"]["added"]] == [w["code"] for w in head["warnings"]]


def test_a_setting_that_moves_no_figure_still_shows_as_a_change(repo):
    """A new VPC name costs nothing, but it is a change a reviewer must see."""
    edit_yaml(repo / "envs/staging/sizing.yaml", lambda d: d["network"].update(vpc_name="mistersmith-stg"))
    edit_yaml(repo / "envs/staging/sizing.yaml", lambda d: d.update(backup={"retention_days": 10}))
    md = diff(repo, "--base", "HEAD").stdout
    section = md.split("### staging (changed)", 1)[1]
    assert "- backup.retention\\_days 7 -> 10" in section
    assert "- network.vpc\\_name mistersmith-staging -> mistersmith-stg" in section
    assert "Cost per month unchanged: \\$" in section


def test_a_new_environment_lists_every_part_adding_up_to_its_total(repo):
    from generator.model.pricing import PARTS

    shutil.copytree(repo / "envs/staging", repo / "envs/qa")
    md = diff(repo, "--base", "HEAD").stdout
    rows = _cost_table(md, "qa")
    total = rows.pop("**total**")
    assert len(rows) == len(PARTS)
    assert round(sum(_money(r[1]) for r in rows.values()), 2) == _money(total[1])
    # promotion order: dev, staging, prod, then the rest by name
    doc = json.loads(diff(repo, "--base", "HEAD", "--format", "json").stdout)
    assert [e["env"] for e in doc["environments"]] == ["dev", "staging", "prod", "qa"]


def test_rounded_parts_add_up_to_the_rounded_total():
    """Each part rounded on its own missed the total by a cent (prod at 3,000 agents: $3,125.35 vs $3,125.36)."""
    import random

    from generator.model.pricing import CostBreakdown

    rng = random.Random(16)
    for _ in range(2000):
        exact = {f"p{i}": rng.uniform(0, 2000) * rng.choice((1, 1e-3)) for i in range(rng.randint(1, 11))}
        shown = CostBreakdown(exact).as_dict()
        total = shown.pop("total")
        assert round(sum(shown.values()) * 100) == round(total * 100) == round(sum(exact.values()) * 100)
        assert all(abs(shown[k] - v) < 0.01 for k, v in exact.items())


def test_a_topology_turning_uncertain_shows_as_yes_no_not_a_number(repo):
    """100,000 agents stay on one writer, but the peak's range holds its 256 ACU: the reviewer reads it."""
    edit_yaml(repo / "envs/prod/sizing.yaml", lambda d: d.update(agents=100_000, budget_usd=100_000))
    doc = json.loads(diff(repo, "--base", "HEAD", "--format", "json").stdout)
    prod = next(e for e in doc["environments"] if e["env"] == "prod")
    flag = prod["figures"]["topology_uncertain"]
    assert (flag["base"], flag["head"], flag["changed"], flag["delta"]) == (False, True, True, None)
    assert "topology" not in prod["figures"] or not prod["figures"]["topology"]["changed"]  # still single
    table = diff(repo, "--base", "HEAD").stdout
    assert "| topology's choice uncertain | no | yes | no -\\> yes |" in table
    # a big count is written out, never in exponent notation
    assert "3.3e+06" not in table and "e+0" not in table

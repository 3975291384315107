"""The README says what the tool does: its design table's figures are the report's JSON (within the README's
rounding), the design document it names is in the repository, and `make help` lists each target it names."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.inputs import data
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
NUMBER = r"([\d,]+(?:\.\d+)?)"


def design_table() -> dict[str, tuple[str, str]]:
    """'Where the model departs from the design': design cell -> (model cell, why cell)."""
    section = README.split("### Where the model departs from the design", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    table = {}
    for line in rows[1:]:  # the first is the header
        design, model, why = (cell.strip() for cell in line.strip().strip("|").split(" | "))
        table[design] = (model, why)
    return table


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    out = {}
    for env in ("staging", "prod"):
        res = CliRunner().invoke(main, ["--root", str(REPO), "report", "--env", env, "--format", "json"])
        assert res.exit_code == 0
        out[env] = json.loads(res.stdout)
    return out


def _seed(rep: dict, item: str) -> object:
    return next(i["seed"] for i in rep["seed_comparison"] if i["item"] == item)


def _row(start: str) -> tuple[str, str, str]:
    """The design, model and why cells of the row whose design cell starts with `start`."""
    found = [(d, m, w) for d, (m, w) in design_table().items() if d.startswith(start)]
    assert len(found) == 1, f"README's design table has no row starting {start!r}: update it and this test together"
    return found[0]


def _rounded_as_written(value: float, written: str) -> Decimal:
    places = Decimal(1).scaleb(-len(written.split(".")[1])) if "." in written else Decimal(1)
    return Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)


# (row's design cell starts with, column "design", "model" or "why", pattern with one number, the JSON figure, scale)
R = dict[str, dict]
FIGURES: list[tuple[str, str, str, Callable[[R], float], float]] = [
    (
        "407.4 GB/month growth",
        "design",
        rf"^{NUMBER} GB/month growth",
        lambda r: r["prod"]["design"]["monthly_growth_gb"],
        1,
    ),
    (
        "407.4 GB/month growth",
        "design",
        rf"{NUMBER} TB after 12 months",
        lambda r: r["prod"]["storage_gb"]["seed_linear_12mo"],
        1000,
    ),
    (
        "407.4 GB/month growth",
        "design",
        rf"{NUMBER} TB to provision",
        lambda r: r["prod"]["design"]["provision_gb"],
        1000,
    ),
    (
        "407.4 GB/month growth",
        "model",
        rf"^{NUMBER} GB/month of payload",
        lambda r: r["prod"]["storage_gb"]["monthly_intake"],
        1,
    ),
    (
        "407.4 GB/month growth",
        "model",
        rf"levels off at {NUMBER} GB of payload",
        lambda r: r["prod"]["storage_gb"]["raw_payload_steady_state"],
        1,
    ),
    (
        "407.4 GB/month growth",
        "model",
        rf"~{NUMBER} GB of measured rows",
        lambda r: r["prod"]["storage_gb"]["steady_state"],
        1,
    ),
    ("407.4 GB/month growth", "model", rf"\(~{NUMBER} GB with", lambda r: r["prod"]["storage_gb"]["with_headroom"], 1),
    (
        "task_history",
        "design",
        rf"task_history {NUMBER} GB per agent",
        lambda r: _seed(r["prod"], "storage: task_history per agent (GB)"),
        1,
    ),
    ("task_history", "model", rf"^{NUMBER} GB$", lambda r: r["prod"]["design"]["task_history_gb_per_agent"], 1),
    (
        "agent_states keeps",
        "design",
        rf"keeps {NUMBER} GB",
        lambda r: r["prod"]["storage_gb"]["tables"]["agent_states"]["raw_payload"],
        1,
    ),
    (
        "agent_states keeps",
        "model",
        rf"^{NUMBER} GB by default",
        lambda r: r["prod"]["storage_gb"]["tables"]["agent_states"]["raw_payload"],
        1,
    ),
    (
        "30 connections per ACU",
        "design",
        rf"^{NUMBER} connections per ACU",
        lambda r: _seed(r["prod"], "connections per ACU"),
        1,
    ),
    (
        "30 connections per ACU",
        "design",
        rf"; {NUMBER} connections",
        lambda r: r["prod"]["connections"]["pool_max_total"],
        1,
    ),
    ("30 connections per ACU", "design", rf"→ {NUMBER} ACU", lambda r: r["prod"]["design"]["pools_as_acu"], 1),
    (
        "30 connections per ACU",
        "model",
        rf"{NUMBER} at prod's",
        lambda r: r["prod"]["connections"]["max_connections"],
        1,
    ),
    ("30 connections per ACU", "model", rf"at prod's {NUMBER}\)", lambda r: r["prod"]["acu"]["max"], 1),
    (
        "30 connections per ACU",
        "model",
        rf"the {NUMBER} pooled connections",
        lambda r: r["prod"]["connections"]["pool_max_total"],
        1,
    ),
    (
        "30 connections per ACU",
        "model",
        rf"at max {NUMBER} ACU",
        lambda r: r["prod"]["connections"]["max_acu_for_pools"],
        1,
    ),
    ("average 12 ACU in prod", "design", rf"average {NUMBER} ACU", lambda r: _seed(r["prod"], "average ACU"), 1),
    (
        "average 12 ACU in prod",
        "model",
        rf"required peak ~{NUMBER} ACU",
        lambda r: r["prod"]["acu"]["required"]["peak"],
        1,
    ),
    ("average 12 ACU in prod", "model", rf"average ~{NUMBER} ACU", lambda r: r["prod"]["acu"]["average"], 1),
    ("staging 30–240", "model", rf"^{NUMBER} and", lambda r: r["staging"]["connections"]["max_connections"], 1),
    ("staging 30–240", "model", rf"and {NUMBER}$", lambda r: r["prod"]["connections"]["max_connections"], 1),
    ("staging 30–240", "why", rf"staging's {NUMBER},", lambda r: r["staging"]["acu"]["max"], 1),
    ("staging 30–240", "why", rf"prod's {NUMBER}\)", lambda r: r["prod"]["acu"]["max"], 1),
    ("I/O-Optimized $0.16", "model", rf"^\${NUMBER}$", lambda r: data.prices()["compute"]["aurora-iopt1"], 1),
    ("compute of one instance", "design", rf"proxy \${NUMBER}", lambda r: _seed(r["prod"], "RDS Proxy (USD/month)"), 1),
    ("compute of one instance", "model", rf"proxy ≥ \${NUMBER}", lambda r: r["prod"]["cost_usd_month"]["proxy"], 1),
]


@pytest.mark.parametrize("start, column, pattern, figure, scale", FIGURES, ids=[f"{f[0][:24]}|{f[2]}" for f in FIGURES])
def test_the_design_table_figures_are_the_reports(reports, start, column, pattern, figure, scale):
    cell = dict(zip(("design", "model", "why"), _row(start), strict=True))[column]
    m = re.search(pattern, cell)
    assert m, f"README design table, row {start!r}: {column} cell {cell!r} has no match for {pattern}"
    written = m.group(1).replace(",", "")
    value = float(figure(reports)) / scale
    assert _rounded_as_written(value, written) == Decimal(written), (
        f"README says {m.group(0)!r} ({column} of row {start!r}); the report's JSON says {value:g}"
    )


def test_the_design_tables_text_figures_are_the_reports(reports):
    _, model, _ = _row("read/write")
    assert model.split()[0] == reports["prod"]["design"]["read_write_mix"]
    _, model, _ = _row("average 12 ACU in prod")
    assert f"({reports['prod']['acu']['required']['binding'].upper()} binds)" in model


def test_the_design_documents_named_are_in_the_repository():
    named = set(re.findall(r"\(((?:docs|\.\./)[^)\s]+)\)", README))
    assert {"docs/design/000_e4461cdcaf94cd58.txt", "docs/design/AUDIT.md"} <= named
    for path in named:
        assert (REPO / path).is_file(), f"README links {path}, which a fresh clone does not have"


def test_make_help_lists_every_target_the_readme_names():
    listed = set(
        re.findall(
            r"^  (\S+) ", subprocess.run(["make", "-s", "help"], cwd=REPO, capture_output=True, text=True).stdout, re.M
        )
    )
    named = set(re.findall(r"`make ([a-z0-9][a-z0-9-]*)", README)) - {"help"}  # a target, not a flag (`make -j`)
    assert "py-test" in listed
    assert named <= listed, f"make help leaves out {sorted(named - listed)}"

"""The cost rule prices averages that a cluster can bill: each average ACU inside the capacity range it runs in,
and only the averages of the topology the tfvars runs (a Limitless tfvars states no writer or reader average, a
standard one no shard group's). A hand-edited tfvars that breaks this is a cost.inputs violation, not a
negative or impossible month that passes the budget."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policies import engine
from tests.test_gate_shard_group import LIMITLESS, set_vars


def set_load(root: Path, env: str, **values: str) -> None:
    """Set keys inside envs/<env>/terraform.tfvars' expected_load block (added when missing)."""
    path = root / "envs" / env / "terraform.tfvars"
    text = path.read_text()
    block = re.search(r"(?ms)^expected_load = \{\n(.*?)^\}", text)
    body = block.group(1)
    for key, literal in values.items():
        body, n = re.subn(rf"(?m)^  {key}\s*=.*\n", f"  {key} = {literal}\n", body)
        if not n:
            body += f"  {key} = {literal}\n"
    path.write_text(text[: block.start(1)] + body + text[block.end(1) :])


def cost_inputs(root: Path, env: str) -> list[str]:
    return [
        v.message for r in engine.evaluate_root(root) for v in r.violations if v.env == env and v.rule == "cost.inputs"
    ]


def test_the_committed_environments_price_averages_inside_their_ranges(pristine):
    assert all(cost_inputs(pristine, env) == [] for env in ("dev", "staging", "prod"))


@pytest.mark.parametrize("average", ["-3", "50", "0.1"])
def test_a_writer_average_outside_min_max_is_refused(tree, average):
    set_load(tree, "dev", writer_average_acu=average)
    found = cost_inputs(tree, "dev")
    assert len(found) == 1 and "outside the capacity range" in found[0] and average in found[0]


def test_a_shard_group_average_in_a_standard_tfvars_is_refused(tree):
    set_load(tree, "dev", shard_group_average_acu="50")
    assert any("a standard cluster has no shard group" in m for m in cost_inputs(tree, "dev"))


@pytest.fixture
def limitless_prod(tree: Path) -> Path:
    set_vars(tree, "prod", LIMITLESS)
    set_load(
        tree, "prod", writer_average_acu="null", independent_reader_average_acu="null", shard_group_average_acu="40"
    )
    assert cost_inputs(tree, "prod") == []
    return tree


@pytest.mark.parametrize("average", ["-5", "0", "100000"])
def test_a_shard_group_average_outside_its_range_is_refused(limitless_prod, average):
    set_load(limitless_prod, "prod", shard_group_average_acu=average)
    found = cost_inputs(limitless_prod, "prod")
    assert len(found) == 1 and "outside the capacity range 16-400 ACU" in found[0]


def test_instance_averages_in_a_limitless_tfvars_are_refused(limitless_prod):
    set_load(limitless_prod, "prod", writer_average_acu="5")
    assert any(
        "a Limitless cluster has no writer or reader instances" in m for m in cost_inputs(limitless_prod, "prod")
    )

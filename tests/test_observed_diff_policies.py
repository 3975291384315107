"""An observation seen by `aurora-gen diff` (a note naming the figures it moves) and by the policy checks (the tfvars
rendered with it: the cost check reprices expected_load and agrees with the report to the cent)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.model.sized import size_environment
from policies import engine
from tests.observed_fixture import observe
from tests.test_policies_regions import expected_cost


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def commit(root: Path) -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "step")


def diff(root: Path, fmt: str = "json"):
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(root), "diff", "--base", "HEAD", "--format", fmt])
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout) if fmt == "json" else res.stdout


@pytest.fixture
def repo(repo_copy: Path) -> Path:
    git(repo_copy, "init", "-q")
    commit(repo_copy)
    return repo_copy


def observation_notes(doc: dict) -> list[str]:
    return [n for n in doc["notes"] if "observed.yaml" in n]


def test_a_new_observation_is_a_note_naming_the_figures_it_moves(repo):
    observe(repo, "prod", hit=0.9)
    doc = diff(repo)
    (note,) = observation_notes(doc)
    assert note.startswith("envs/prod/observed.yaml is new (")
    assert "mistersmith-prod" in note and "14 days, 4,032 points" in note
    assert "billed I/O (million/month)" in note and "storage type" in note
    assert "storage, steady state" not in note  # the hit ratio moves no stored byte
    (prod,) = [e for e in doc["environments"] if e["env"] == "prod"]
    assert prod["status"] == "changed" and prod["figures"]["storage_type"]["head"] == "aurora-iopt1"
    assert [e["status"] for e in doc["environments"] if e["env"] != "prod"] == ["unchanged", "unchanged"]
    text = diff(repo, "markdown")
    assert "Note: envs/prod/observed.yaml is new (" in text
    assert "this tree's model and data (" in text and "envs/prod/observed.yaml (" not in text.split("Note:")[0]


def test_a_changed_and_a_removed_observation_are_notes(repo):
    observe(repo, "prod", hit=0.9)
    commit(repo)
    observe(repo, "prod", hit=0.9, rows=1.2)
    (note,) = observation_notes(diff(repo))
    assert note.startswith("envs/prod/observed.yaml changed (") and "storage, steady state" in note
    assert "storage type" not in note  # the hit ratio is the same on both sides
    (repo / "envs/prod/observed.yaml").unlink()
    (note,) = observation_notes(diff(repo))
    assert note.startswith("envs/prod/observed.yaml is removed (was ") and "storage type" in note


def test_an_unchanged_observation_is_no_note(repo):
    observe(repo, "prod", hit=0.9)
    commit(repo)
    doc = diff(repo)
    assert observation_notes(doc) == [] and {e["status"] for e in doc["environments"]} == {"unchanged"}


def test_the_policies_read_the_tfvars_rendered_with_the_observation_to_the_cent(tree):
    before = expected_cost(tree, "prod")
    observe(tree, "prod", hit=0.9, cpu=1.4, rows=1.1, pages=0.8)
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(tree), "render"])
    assert res.exit_code == 0, res.stderr
    tfvars = (tree / "envs/prod/terraform.tfvars").read_text()
    assert 'storage_type             = "aurora-iopt1"' in tfvars and "# Observed: envs/prod/observed.yaml (" in tfvars
    assert engine.violations(engine.evaluate_root(tree)) == []
    rep = size_environment(tree / "envs/prod/sizing.yaml", "prod").report
    assert expected_cost(tree, "prod") == rep["cost_usd_month"]["total"] != before

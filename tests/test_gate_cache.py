"""generator.outputs.cache: render --check and the HCL checks answer the same with and without it, and a file
changed behind its back is never taken for the one remembered."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.outputs import cache
from tests.conftest import REPO


def check(root: Path):
    return CliRunner(mix_stderr=False).invoke(main, ["--root", str(root), "render", "--check"])


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AURORA_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_check_from_the_cache_sees_a_hand_edit(repo_copy, fresh_cache):
    assert check(repo_copy).exit_code == 0  # sizes everything, remembers each rendered file
    assert len(list((fresh_cache / "render").iterdir())) == 3
    tfvars = repo_copy / "envs/prod/terraform.tfvars"
    text = tfvars.read_text()
    edited = re.sub(r"^max_capacity( *)= .*$", r"max_capacity\1= 64", text, count=1, flags=re.M)
    assert edited != text
    tfvars.write_text(edited)
    result = check(repo_copy)
    assert (
        result.exit_code == 1 and result.stderr.strip() == "stale: envs/prod/terraform.tfvars (run: aurora-gen render)"
    )


def test_a_sizing_change_is_never_answered_from_the_cache(repo_copy, fresh_cache):
    assert check(repo_copy).exit_code == 0
    sizing = repo_copy / "envs/dev/sizing.yaml"
    sizing.write_text(sizing.read_text().replace("agents: 10", "agents: 11"))
    result = check(repo_copy)
    assert result.exit_code == 1 and "stale: envs/dev/terraform.tfvars" in result.stderr


def test_a_generator_change_invalidates_every_entry(repo_copy, fresh_cache, monkeypatch):
    assert check(repo_copy).exit_code == 0
    monkeypatch.setattr(cache, "_SOURCES", "another generator")
    calls = []
    from generator.inputs import loader

    real = loader.load_environment
    monkeypatch.setattr(loader, "load_environment", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert check(repo_copy).exit_code == 0
    assert len(calls) == 3, "every environment sized again"


def test_cache_off_and_unwritable_cost_only_time(repo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("AURORA_CACHE_DIR", "off")
    assert check(repo_copy).exit_code == 0
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AURORA_CACHE_DIR", str(blocker))
    assert check(repo_copy).exit_code == 0


def test_policies_answer_the_same_from_the_cache(tmp_path):
    from tests.conftest import make_copy
    from tests.test_policies_bite import set_var

    root = make_copy(tmp_path / "root")
    set_var(root, "prod", "max_capacity", "64")
    outs = []
    for _ in range(2):  # the first run parses and remembers, the second reads the cache
        proc = subprocess.run(
            [sys.executable, "-m", "policies", "-q", "--root", str(root)],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "AURORA_CACHE_DIR": str(tmp_path / "c")},
            timeout=120,
        )
        outs.append((proc.returncode, proc.stdout))
    assert outs[0] == outs[1] and outs[0][0] == 1 and "max_capacity = 64 exceeds the prod ceiling 32" in outs[0][1]
    assert list((tmp_path / "c" / "hcl").iterdir())


@pytest.mark.parametrize("garbage", ['{"garbage', "[1, 2, 3]", '"0000000000000000000000000000000000000000"'])
def test_a_corrupt_cache_entry_is_a_miss_never_an_answer(tmp_path, garbage):
    """Every entry overwritten (a full disk, another tool, a bit flip): the commands answer as without a cache.
    Once a JSON list in the YAML entries made `report` a TypeError traceback, the policies read limits.yaml
    as a list, and `render --check` called every tfvars stale."""
    env = {**os.environ, "AURORA_CACHE_DIR": str(tmp_path / "c")}

    def gen(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=120
        )

    def policies() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "policies", "-q"], capture_output=True, text=True, cwd=REPO, env=env, timeout=120
        )

    assert gen("render", "--check").returncode == 0 and policies().returncode == 0
    entries = [p for p in (tmp_path / "c").rglob("*") if p.is_file()]
    assert entries
    for p in entries:
        p.write_text(garbage)
    assert (r := gen("render", "--check")).returncode == 0, r.stderr
    assert (p := policies()).returncode == 0, p.stdout + p.stderr
    assert (r := gen("report", "--env", "prod", "--format", "json")).returncode == 0, r.stderr

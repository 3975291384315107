"""Shared fixtures: a throw-away copy of the repository's environments."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.inputs.model import Environment

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A temporary root holding a copy of envs/*/sizing.yaml and terraform.tfvars."""
    for env_dir in sorted((REPO / "envs").iterdir()):
        if not (env_dir / "sizing.yaml").is_file():
            continue
        dest = tmp_path / "envs" / env_dir.name
        dest.mkdir(parents=True)
        for name in ("sizing.yaml", "terraform.tfvars"):
            if (env_dir / name).is_file():
                shutil.copy2(env_dir / name, dest / name)
    return tmp_path


def environment(overrides: dict, acu: dict) -> Environment:
    """A test environment: the package defaults, 1,000 agents, no budget, the given ACU range, then `overrides`
    (merged as an env's sizing.yaml is), type-checked like a loaded one."""
    from generator.inputs import data
    from generator.inputs.loader import merge

    base = merge(
        data.defaults(),
        {"environment": "test", "agents": 1000, "budget_usd": None, "network": {"vpc_name": "v"}, "acu": acu},
    )
    return Environment.model_validate(merge(base, overrides))


def make_copy(dest: Path) -> Path:
    """The repository's envs/, modules/ and policies/ under dest: a tree the policy checks can run on."""
    for part in ("envs", "modules", "policies"):
        shutil.copytree(
            REPO / part,
            dest / part,
            ignore=shutil.ignore_patterns(".terraform", "__pycache__", "*.tfstate*", ".terraform.lock.hcl"),
        )
    return dest


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return make_copy(tmp_path_factory.mktemp("pristine"))


@pytest.fixture
def tree(tmp_path: Path, pristine: Path) -> Path:
    """A fresh copy of `pristine` per test, to break one thing in."""
    shutil.copytree(pristine, tmp_path / "root", symlinks=True)
    return tmp_path / "root"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes: to prove a command changed nothing."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def _private_gate_cache(tmp_path_factory):
    """The tests' own generator.outputs.cache folder (inherited by the processes they start): never the user's."""
    import os

    os.environ["AURORA_CACHE_DIR"] = str(tmp_path_factory.mktemp("aurora-cache"))


@pytest.fixture(scope="module")
def prod_at_3000(tmp_path_factory) -> Path:
    """The issue's walk-through: prod at 3,000 agents, its peak near max ACU and its worst case over budget."""
    root = tmp_path_factory.mktemp("prod-3000")
    shutil.copytree(REPO / "envs", root / "envs", ignore=shutil.ignore_patterns(".terraform"))
    sizing = root / "envs/prod/sizing.yaml"
    text = sizing.read_text().replace("agents: 1000\n", "agents: 3000\n")  # budget under the ~$4,350 worst case:
    sizing.write_text(text.replace("budget_usd: 4500\n", "budget_usd: 4000\n"))  # the over-budget mark is tested
    return root


@contextmanager
def embedded_postgres() -> Iterator:
    """An autocommit connection to a throw-away PostgreSQL 16 (the pgserver wheel calibrate uses), removed after.

    A short data folder: under pytest-xdist the tmp_path's is too deep for the server's socket path (107 bytes)."""
    import psycopg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        srv = pgserver.get_server(tempfile.mkdtemp(prefix="aurora-test-pg-"), cleanup_mode="delete")
    try:
        with psycopg.connect(srv.get_uri(), autocommit=True) as conn:
            yield conn
    finally:
        srv.cleanup()

"""Policy checks as pytest tests: options, the evaluation (made once a session) and parametrisation.

pytest policies                         # the repository's environments
pytest policies --root /tmp/copy        # another tree (or POLICY_ROOT=/tmp/copy)
pytest policies --plan plan.json        # also check a `terraform show -json` plan (or POLICY_PLAN=a,b)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policies import engine


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("policies", "pull-request policy checks")
    group.addoption(
        "--root",
        dest="policy_root",
        default=None,
        help="tree whose envs/, modules/ and policies/limits.yaml are checked (default: $POLICY_ROOT or the repo)",
    )
    group.addoption(
        "--plan",
        dest="policy_plans",
        action="append",
        default=None,
        help="a `terraform show -json` plan to check too (repeatable; default: $POLICY_PLAN, comma-separated)",
    )
    group.addoption(
        "--plan-env",
        dest="policy_plan_env",
        default=None,
        help="environment of the plan(s) when its `environment` variable does not say",
    )


def _root(config: pytest.Config) -> Path:
    opt = config.getoption("policy_root", default=None) if _has_options(config) else None
    return Path(opt or os.environ.get("POLICY_ROOT") or engine.REPO).resolve()


def _plans(config: pytest.Config) -> list[str]:
    opt = config.getoption("policy_plans", default=None) if _has_options(config) else None
    if opt:
        return list(opt)
    return [p for p in os.environ.get("POLICY_PLAN", "").split(",") if p.strip()]


def _has_options(config: pytest.Config) -> bool:
    try:
        config.getoption("policy_root")
        return True
    except ValueError:
        return False


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "env" in metafunc.fixturenames:
        envs = engine.discover_envs(_root(metafunc.config))
        metafunc.parametrize("env", envs or [pytest.param("<none>", marks=pytest.mark.skip(reason="no envs/"))])
    if "plan_path" in metafunc.fixturenames:
        plans = _plans(metafunc.config)
        metafunc.parametrize(
            "plan_path",
            plans
            or [
                pytest.param(
                    "<none>", marks=pytest.mark.skip(reason="no plan given (make policy PLAN=path, or --plan)")
                )
            ],
        )


@pytest.fixture(scope="session")
def policy_root(pytestconfig: pytest.Config) -> Path:
    return _root(pytestconfig)


@pytest.fixture(scope="session")
def limits(policy_root: Path) -> dict:
    """policies/limits.yaml, validated: a bad file fails every check with its one-line reason, no traceback."""
    try:
        return engine.load_limits(policy_root)
    except engine.LimitsError as exc:
        error = str(exc)
    pytest.fail(error, pytrace=False)  # outside the except: no "during handling of the above exception"


@pytest.fixture(scope="session")
def evaluation(policy_root: Path, limits: dict) -> dict[str, engine.EnvResult]:
    """Every environment evaluated once; the test files pick their concern out of it."""
    return {r.env: r for r in engine.evaluate_root(policy_root)}


@pytest.fixture(scope="session")
def plan_results(pytestconfig: pytest.Config, policy_root: Path, limits: dict) -> dict[str, engine.EnvResult]:
    env = pytestconfig.getoption("policy_plan_env", default=None) if _has_options(pytestconfig) else None
    return {p: engine.evaluate_plan(p, policy_root, env) for p in _plans(pytestconfig)}


def assert_clean(found: list[engine.Violation], what: str) -> None:
    __tracebackhide__ = True
    if found:
        pytest.fail(f"{len(found)} {what} violation(s):\n" + "\n".join(f"  {v}" for v in found), pytrace=False)


def concern(result: engine.EnvResult, name: str) -> list[engine.Violation]:
    """A result's violations of one concern; a file that cannot be read fails every concern."""
    return [
        v
        for v in result.violations
        if v.concern == name
        or (name != "declarations" and v.rule in ("declarations.malformed_hcl", "declarations.unreadable"))
    ]

"""The platform team's limits for one environment, read as data from policies/limits.yaml (the working tree's).

The generator imports nothing of policies/ (the data path runs sizing -> generator -> tfvars -> policies): the
file is read as YAML, each environment's block over `defaults`, so that `observe` recommends within the range
the gate checks and `grow` reports where the fleet meets it. A pull request is still judged by the base
branch's file (make ci-pr), so both name the file they read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from generator.errors import InputError, shown
from generator.inputs.files import load_yaml, read_text

LIMITS_FILE = Path("policies") / "limits.yaml"


class AcuLimits(NamedTuple):
    """observe's: the ACU range and the headroom (connections.headroom_percent: the share of the connection budget
    the pools must leave free, applied to capacity too)."""

    min_floor: float | None
    max_ceiling: float | None
    headroom_percent: float
    path: str


class GrowthLimits(NamedTuple):
    """grow's: the ACU ceiling and the worst case's ceiling (None: not set, or no limits file)."""

    acu_max_ceiling: float | None
    worst_case_ceiling_usd: float | None
    path: str


def _document(path: Path) -> dict[str, Any]:
    doc = load_yaml(read_text(path, "limits file"), path)
    if not isinstance(doc, dict):
        raise InputError(path, None, "expected a mapping of limits")
    return doc


def env_number(doc: Mapping, env: str, dotted: str, path: Path) -> float | None:
    """environments.<env>.<dotted>, else defaults.<dotted>: a number >= 0, or None where neither sets it."""
    value = None
    for scope in (doc.get("defaults"), (doc.get("environments") or {}).get(env)):
        node = scope
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is not None:
            value = node
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
        raise InputError(path, f"environments.{env}.{dotted}", f"must be a number >= 0, not {shown(value)}")
    return None if value is None else float(value)


def acu_limits(root: Path, env: str) -> AcuLimits:
    """The environment's ACU floor and ceiling and the headroom; the file must be there (observe recommends in it)."""
    path = root / LIMITS_FILE
    doc = _document(path)
    headroom = env_number(doc, env, "connections.headroom_percent", path)
    if headroom is None or headroom >= 100:
        raise InputError(path, "defaults.connections.headroom_percent", "must be a number from 0 to below 100")
    return AcuLimits(
        env_number(doc, env, "acu.min_floor", path),
        env_number(doc, env, "acu.max_ceiling", path),
        headroom,
        str(LIMITS_FILE),
    )


def growth_limits(root: Path, env: str) -> GrowthLimits:
    """The environment's ACU ceiling and worst-case ceiling; both None when the file is not there."""
    path = root / LIMITS_FILE
    if not path.exists():
        return GrowthLimits(None, None, str(LIMITS_FILE))
    doc = _document(path)
    return GrowthLimits(
        env_number(doc, env, "acu.max_ceiling", path),
        env_number(doc, env, "cost.worst_case_ceiling_usd", path),
        str(LIMITS_FILE),
    )

"""The platform team's ACU range and headroom for one environment, read as data from policies/limits.yaml.

The generator imports nothing of policies/ (the data path runs sizing -> generator -> tfvars -> policies):
`observe` reads the working tree's limits *file* so that its recommendation stays inside the range the gate
checks (`acu.min_floor`, `acu.max_ceiling`, each environment's block over `defaults`) with the gate's
headroom (`connections.headroom_percent`: the share of the connection budget the pools must leave free,
applied here to capacity too). A pull request is still judged by the base branch's file (make ci-pr).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from generator.errors import InputError, shown
from generator.inputs import load_yaml, read_text

LIMITS_FILE = Path("policies") / "limits.yaml"


class AcuLimits(NamedTuple):
    min_floor: float | None
    max_ceiling: float | None
    headroom_percent: float
    path: str


def _get(doc: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(doc, Mapping):
            return None
        doc = doc.get(key)
    return doc


def acu_limits(root: Path, env: str) -> AcuLimits:
    path = root / LIMITS_FILE
    doc = load_yaml(read_text(path, "limits file"), path)
    values: dict[str, Any] = {}
    for name, keys in (
        ("min_floor", ("acu", "min_floor")),
        ("max_ceiling", ("acu", "max_ceiling")),
        ("headroom_percent", ("connections", "headroom_percent")),
    ):
        value = _get(doc, ("environments", env, *keys))
        value = _get(doc, ("defaults", *keys)) if value is None else value
        field = f"environments.{env}.{'.'.join(keys)}"
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
            raise InputError(path, field, f"must be a number >= 0, not {shown(value)}")
        values[name] = value
    if values["headroom_percent"] is None or values["headroom_percent"] >= 100:
        raise InputError(path, "defaults.connections.headroom_percent", "must be a number from 0 to below 100")
    return AcuLimits(values["min_floor"], values["max_ceiling"], float(values["headroom_percent"]), str(LIMITS_FILE))

"""The platform team's limits that bound growth, read as data from policies/limits.yaml (the working tree's).

Nothing here imports the policies (the data path runs generator -> tfvars -> policies): the file is read as
YAML for `grow`, which only reports where the fleet meets the limits. A pull request is judged with the base
branch's file (README, "Trusted rules"), so grow names the file it read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from generator.errors import InputError, shown
from generator.inputs import load_yaml, read_text

LIMITS_FILE = Path("policies") / "limits.yaml"


class PolicyLimits(NamedTuple):
    acu_max_ceiling: float | None
    worst_case_ceiling_usd: float | None
    path: str


def _number(doc: Any, env: str, dotted: str, path: Path) -> float | None:
    """environments.<env>.<dotted>, else defaults.<dotted>; None where neither sets it."""
    value = None
    for scope in (doc.get("defaults"), (doc.get("environments") or {}).get(env)):
        node = scope
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            value = node
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise InputError(path, f"environments.{env}.{dotted}", f"{shown(value)} is not a number")
    return None if value is None else float(value)


def read(root: Path, env: str) -> PolicyLimits:
    """The environment's ACU ceiling and worst-case ceiling; both None when the file is not there."""
    path = root / LIMITS_FILE
    if not path.exists():
        return PolicyLimits(None, None, str(LIMITS_FILE))
    doc = load_yaml(read_text(path, "limits file"), path)
    if not isinstance(doc, dict):
        raise InputError(path, None, "expected a mapping of limits")
    return PolicyLimits(
        _number(doc, env, "acu.max_ceiling", path),
        _number(doc, env, "cost.worst_case_ceiling_usd", path),
        str(LIMITS_FILE),
    )

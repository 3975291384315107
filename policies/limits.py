"""Reading policies/limits.yaml: the platform team's limits, validated strictly when loaded.

Unknown keys, wrong types, duplicate keys, unresolved `aws:` references and limits that contradict
each other (a floor above its ceiling) are one LimitsError naming the field: never a silently weaker check.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.inputs import data as gdata
from generator.inputs.files import load_yaml, read_text
from generator.outputs import cache
from policies.results import AWS_REL, LIMITLESS_REL, LIMITS_REL, PRICES_REL, REPO, fmt, is_number, limitless_facts


class LimitsError(ValueError):
    """policies/limits.yaml cannot be used: one line naming the file and the field."""

    def __init__(self, field_: str, message: str) -> None:
        self.field, self.message = field_, message
        super().__init__(f"{LIMITS_REL}: {field_ + ': ' if field_ else ''}{message}")


def _num(value: Any) -> str | None:
    return None if is_number(value) and value >= 0 else "must be a number >= 0"


def _count(value: Any) -> str | None:
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return None if is_number(value) and value >= 0 and whole else "must be a whole number >= 0"


def _percent(value: Any) -> str | None:
    return None if is_number(value) and 0 <= value < 100 else "must be a number from 0 to below 100"


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _names(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    return None if ok else "must be a list of names"


# Every key policies/limits.yaml may use, and its type. `defaults` must hold every key (null where each
# environment sets its own); an environment's block only keys of `defaults`; after merging, every value is set.
LIMITS_SCHEMA: dict[str, Any] = {
    "acu": {"min_floor": _num, "max_ceiling": _num},
    "connections": {"headroom_percent": _percent, "direct_reserve": _count},
    "backup": {
        "retention_days_min": _count,
        "window_min_minutes": _count,
        "window_clear_of_maintenance": _bool,
        "snapshots": {"daily": _count, "weekly": _count, "monthly": _count},
        "cross_region_copy_required": _bool,
        "deletion_protection_required": _bool,
        "final_snapshot_required": _bool,
    },
    "shard_group": {"min_floor": _num, "max_ceiling": _num, "compute_redundancy_min": _count},
    "cost": {"budget_required": _bool, "worst_case_ceiling_usd": _num, "instance_classes": _names},
    "network": {"private_cidrs_only": _bool, "allowed_prefix_lists": _names},
}
_LIMITS_TOP = ("aws_limits", "prices", "defaults", "environments")


def _merge(base: Mapping, over: Mapping) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, Mapping) and isinstance(out.get(k), Mapping) else v
    return out


def aws_ref(value: Any, aws: Mapping, where: str) -> Any:
    """Resolve `aws:<dotted.path>` against the AWS limits file (LimitsError when it does not resolve)."""
    if isinstance(value, str) and value.startswith("aws:"):
        node: Any = aws
        for part in value[4:].split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise LimitsError(where, f"{value} does not resolve in {AWS_REL}")
            node = node[part]
        if isinstance(node, Mapping):
            raise LimitsError(where, f"{value} is a section of {AWS_REL}, not a value")
        return node
    return value


def _keys_known(block: Any, allowed: Mapping, where: str, what: str) -> None:
    """`block` is a mapping whose keys (recursively) are all in `allowed`."""
    if not isinstance(block, Mapping):
        raise LimitsError(where, f"must be a mapping, not {type(block).__name__}")
    for key, value in block.items():
        if key not in allowed:
            raise LimitsError(f"{where}.{key}", f"unknown key ({what}: {', '.join(map(str, allowed)) or 'none'})")
        if isinstance(allowed[key], Mapping):
            _keys_known(value, allowed[key], f"{where}.{key}", what)


def _typed(block: Mapping, schema: Mapping, where: str, aws: Mapping, nullable: bool) -> dict:
    """Every schema key present with a value of its type (aws: references resolved); null allowed if nullable."""
    out: dict = {}
    for key, spec in schema.items():
        here = f"{where}.{key}"
        if key not in block:
            raise LimitsError(here, "missing")
        value = block[key]
        if isinstance(spec, Mapping):
            out[key] = _typed(value, spec, here, aws, nullable)
            continue
        value = aws_ref(value, aws, here)
        if value is None:
            if not nullable:
                raise LimitsError(here, "not set (null in defaults and no value for this environment)")
        elif (problem := spec(value)) is not None:
            raise LimitsError(here, f"{problem}, not {fmt(value)}")
        out[key] = value
    return out


def validate_limits(doc: Any, aws: Mapping) -> dict:
    """The limits file checked and each environment's effective limits: {"defaults", "environments"}."""
    if not isinstance(doc, Mapping):
        raise LimitsError("", f"must be a mapping with {', '.join(_LIMITS_TOP)}, not {type(doc).__name__}")
    for key in doc:
        if key not in _LIMITS_TOP:
            raise LimitsError(str(key), f"unknown key (known: {', '.join(_LIMITS_TOP)})")
    for key, expected in (("aws_limits", AWS_REL), ("prices", PRICES_REL)):
        if doc.get(key) != expected:
            raise LimitsError(key, f"must name {expected}, the file the checks read, not {fmt(doc.get(key))}")
    for key in ("defaults", "environments"):
        if key not in doc:
            raise LimitsError(key, "missing")
    _keys_known(doc["defaults"], LIMITS_SCHEMA, "defaults", "known")
    defaults = _typed(doc["defaults"], LIMITS_SCHEMA, "defaults", aws, nullable=True)
    envs = doc["environments"]
    if not isinstance(envs, Mapping):
        raise LimitsError("environments", f"must be a mapping of environment: limits, not {type(envs).__name__}")
    merged: dict[str, dict] = {}
    for env, block in envs.items():
        where = f"environments.{env}"
        block = {} if block is None else block
        _keys_known(block, defaults, where, "keys of defaults")
        merged[str(env)] = _typed(_merge(defaults, block), LIMITS_SCHEMA, where, aws, nullable=False)
        check_consistent(str(env), merged[str(env)], aws)
        check_shard_group_limits(str(env), merged[str(env)])
    return {"defaults": defaults, "environments": merged}


_LIMITS_CACHE: dict[str, dict] = {}


def load_limits(root: Path) -> dict:
    """policies/limits.yaml of `root` (else the repository's), or the file $POLICY_LIMITS names (`python -m
    policies --limits`: the base branch's limits judging a pull request's tree), validated; raises LimitsError."""
    trusted = os.environ.get("POLICY_LIMITS")
    path = Path(trusted) if trusted else root / LIMITS_REL
    if not trusted and not os.path.lexists(path):
        path = REPO / LIMITS_REL
    try:
        text = read_text(path, "limits file")
    except InputError as exc:
        raise LimitsError("", exc.message) from None
    key = hashlib.sha1(text.encode()).hexdigest()
    if key not in _LIMITS_CACHE:
        try:
            # Duplicate keys, non-text keys, a bounded shape: errors. Only a text that loaded is remembered.
            doc = cache.remembered_yaml(text, lambda t: load_yaml(t, LIMITS_REL))
        except InputError as exc:
            m = re.match(r"malformed YAML at line (\d+), column \d+: (.*)", exc.message)
            if m:  # "policies/limits.yaml: line 31: not valid YAML: duplicate key 'acu'"
                raise LimitsError(f"line {m.group(1)}", f"not valid YAML: {m.group(2)}") from None
            raise LimitsError(exc.field or "", exc.message.replace("malformed YAML", "not valid YAML")) from None
        _LIMITS_CACHE[key] = validate_limits(doc, gdata.limits())
    return _LIMITS_CACHE[key]


def check_consistent(env: str, lim: Mapping, aws: Mapping) -> None:
    """Limits that contradict each other or AWS would make every environment fail, or none: errors."""
    where = f"environments.{env}"
    floor_, ceiling = lim["acu"]["min_floor"], lim["acu"]["max_ceiling"]
    if floor_ > ceiling:
        raise LimitsError(f"{where}.acu", f"min_floor ({fmt(floor_)}) is above max_ceiling ({fmt(ceiling)})")
    retention = aws["backup"]["retention_days"]
    if not retention["min"] <= lim["backup"]["retention_days_min"] <= retention["max"]:
        raise LimitsError(
            f"{where}.backup.retention_days_min",
            f"{fmt(lim['backup']['retention_days_min'])} is outside "
            f"AWS's {retention['min']}..{retention['max']} days ({AWS_REL})",
        )
    if ceiling > aws["acu"]["max"]:
        raise LimitsError(
            f"{where}.acu.max_ceiling",
            f"{fmt(ceiling)} is above AWS's maximum {fmt(aws['acu']['max'])} ACU ({AWS_REL})",
        )


def check_shard_group_limits(env: str, lim: Mapping) -> None:
    """A shard group range the environment could never meet, or AWS would refuse: errors."""
    where = f"environments.{env}.shard_group"
    sg, aws = lim["shard_group"], limitless_facts()
    lo, hi = aws["shard_group"]["min_acu_floor"], aws["shard_group"]["max_acu_ceiling"]
    if sg["min_floor"] > sg["max_ceiling"]:
        raise LimitsError(where, f"min_floor ({fmt(sg['min_floor'])}) is above max_ceiling ({fmt(sg['max_ceiling'])})")
    for key, value in (("min_floor", sg["min_floor"]), ("max_ceiling", sg["max_ceiling"])):
        if not lo <= value <= hi:
            raise LimitsError(
                f"{where}.{key}", f"{fmt(value)} is outside AWS's {fmt(lo)}-{fmt(hi)} ACU ({LIMITLESS_REL})"
            )
    if sg["compute_redundancy_min"] > max(aws["shard_group"]["compute_redundancy_values"]):
        raise LimitsError(
            f"{where}.compute_redundancy_min",
            f"{fmt(sg['compute_redundancy_min'])} is above AWS's most, "
            f"{fmt(max(aws['shard_group']['compute_redundancy_values']))} ({LIMITLESS_REL})",
        )


def env_limits(limits: Mapping, env: str) -> dict | None:
    """An environment's effective limits (defaults merged with its block), None if it has none."""
    return limits["environments"].get(env)

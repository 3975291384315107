"""Helpers shared by the custom checks: values as checkov hands them over, and the repository's data files."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml


class _Unresolved:
    """A value checkov could not evaluate (a reference, an interpolation): the check reports UNKNOWN."""

    def __repr__(self) -> str:
        return "UNRESOLVED"


UNRESOLVED = _Unresolved()

# A reference checkov left in place: var.x, local.y, module.z, data.t.n, each.value, count.index, x.value,
# x.key (a dynamic block's iterator), or any ${...} interpolation.
_REFERENCE = re.compile(r"\$\{|\b(var|local|module|data|each|count|self)\.|\b\w+\.(value|key)\b|^\w+\(.*\)$", re.S)


def unwrap(value: Any) -> Any:
    """checkov wraps every attribute in a list, a dynamic block's rendered values sometimes twice ([[0.5]])."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def scalar(value: Any) -> Any:
    """An attribute's value as AWS would read it: None when unset or null, UNRESOLVED when not evaluated.

    A dict where a scalar belongs is checkov's rendering of an object attribute it could not look up
    (`{}` for an `optional()` field the caller left out, or the whole object): not a value either.
    """
    value = unwrap(value)
    if value is UNRESOLVED or isinstance(value, (dict, list)):
        return UNRESOLVED if value != [] else None
    if value is None or value in ("None", "null"):
        return None
    if isinstance(value, str) and _REFERENCE.search(value):
        return UNRESOLVED
    return value


def number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


# The numbers come from the repository's data files, never copied here.
_REPO = Path(__file__).resolve().parents[2]
AWS_LIMITS_FILE = _REPO / "generator" / "data" / "aws-limits-2025-11.yaml"
POLICY_LIMITS_FILE = _REPO / "policies" / "limits.yaml"


@cache
def aws_limits() -> dict:
    return yaml.safe_load(AWS_LIMITS_FILE.read_text(encoding="utf-8"))


@cache
def policy_defaults() -> dict:
    return yaml.safe_load(POLICY_LIMITS_FILE.read_text(encoding="utf-8")).get("defaults") or {}

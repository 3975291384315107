"""Helpers shared by the custom checks: checkov hands every attribute over as a one-element list."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from checkov.common.util.var_utils import is_terraform_variable_dependent


def first(conf: dict, key: str, default: Any = None) -> Any:
    value = conf.get(key, [default])
    if isinstance(value, list):
        return value[0] if value else default
    return value


def unresolved(value: Any) -> bool:
    """A value checkov could not evaluate: neither pass nor fail.

    Still `var.x`, `local.y` or `${...}`, or `{}` where checkov renders an object attribute declared
    `optional(type, default)` that the caller left out.
    """
    if isinstance(value, dict) and not value:
        return True
    return isinstance(value, str) and (
        is_terraform_variable_dependent(value) or "${" in value or value.startswith(("var.", "local.", "module."))
    )


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

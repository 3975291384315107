"""What the policy checks produce and read: violations, facts, settings with provenance.

Also the repository paths every part of the checks names in its messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import one_line
from generator.inputs import data as gdata
from generator.inputs.files import MAX_NUMBER

REPO = Path(__file__).resolve().parents[1]
LIMITS_REL = "policies/limits.yaml"
LIMITS_NOTE = f"({LIMITS_REL})"  # ends a message whose limit comes from the limits file
MODULE_DIR_REL = "modules/aurora-serverless-v2"
MODULE_VARS_REL = f"{MODULE_DIR_REL}/variables.tf"
AWS_REL = gdata.source_path(gdata.LIMITS_FILE)
PRICES_REL = gdata.source_path(gdata.PRICES_FILE)
# Aurora PostgreSQL Limitless Database's facts (shard group bounds, AWS's capacity table). generator.inputs.data has no
# loader of its own for this file yet: one line to switch when it has.
LIMITLESS_REL = gdata.source_path(gdata.LIMITLESS_FILE)
TFVARS = "terraform.tfvars"
UNKNOWN = "unknown"  # a plan Setting's origin when the value is known only after apply (storage_type: priced both ways)

# The concerns a Violation's rule starts with; one pytest file (and one rules/ module) each.
CONCERNS = ("acu", "shard_group", "connections", "backups", "cost", "network", "roots", "declarations")


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Violation:
    env: str
    file: str  # relative to the root checked
    line: int | None
    rule: str  # "<concern>.<name>", e.g. acu.ceiling
    message: str

    @property
    def concern(self) -> str:
        return self.rule.split(".", 1)[0]

    def __str__(self) -> str:
        where = f"{self.file}:{self.line} " if self.line else f"{self.file}: "
        # One violation, one line: control characters from the input are escaped, never printed.
        return one_line(f"{self.env}: {where}{self.message} [{self.rule}]", limit=None)


@dataclass(frozen=True)
class Fact:
    """One line of the pull-request summary: what was measured, against what, pass or fail."""

    topic: str
    value: str
    limit: str
    ok: bool


@dataclass
class EnvResult:
    env: str
    source: str  # "hcl" or the plan's path
    violations: list[Violation] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


# ---------------------------------------------------------------------------
# Values with provenance
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Setting:
    name: str  # as the user wrote it: max_capacity, expected_load.pooled_connections, ...
    value: Any
    file: str
    line: int | None
    origin: str  # tfvars | env default | module default | plan | unknown | unset

    @property
    def is_set(self) -> bool:
        return self.origin != "unset" and self.value is not None

    def shown(self) -> str:
        text = f"{self.name} = {fmt(self.value)}"
        if self.origin in ("env default", "module default"):
            text += f" ({self.origin})"
        return text


@dataclass
class Config:
    env: str
    settings: dict[str, Setting]
    source: str = "hcl"
    # Names whose value was already reported as unusable (wrong type, an expression): the rules computed
    # from them wait instead of printing figures made of a bad input.
    invalid: set[str] = field(default_factory=set)

    def __getitem__(self, key: str) -> Setting:
        return self.settings[key]

    def v(self, key: str) -> Any:
        return self.settings[key].value

    def is_invalid(self, key: str) -> bool:
        return any(key == bad or key.startswith(bad + ".") or bad.startswith(key + ".") for bad in self.invalid)


class Raw(str):
    """Text shown as it stands (an expression as written in the file), not quoted as a string."""


def fmt(value: Any, limit: int | None = 80) -> str:
    """A value as HCL would spell it, cut to `limit` characters."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        text = str(int(value))
    elif isinstance(value, Raw):
        text = str(value)
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(fmt(v, None) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k} = {fmt(v, None)}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    return one_line(text, limit)


def money(value: float) -> str:
    return f"${value:,.2f}"


def is_number(value: Any) -> bool:
    """A number the checks can compute with: finite and within MAX_NUMBER (a 400-digit integer is not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) <= MAX_NUMBER


def oversized(value: Any, path: str = "") -> list[str]:
    """Paths (dotted, [i] for list items) of the numbers in `value` that are not finite or beyond MAX_NUMBER."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [] if is_number(value) else [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in oversized(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in oversized(v, f"{path}[{i}]")]
    return []


TOO_LARGE = f"is not a finite number within {MAX_NUMBER:g}: no setting the checks read is that large"


def limitless_facts() -> dict[str, Any]:
    """generator/data/limitless-2026-12.yaml (dated, sourced): what the shard group rules hold a Limitless
    environment to, besides policies/limits.yaml."""
    return gdata.limitless()


def shard_group_default_min(max_acu: float) -> float | None:
    """AWS's default minimum ACU of a shard group of `max_acu` (its capacity table), None past the table."""
    for row in limitless_facts()["capacity_table"]:
        if max_acu <= row["max_acu"]:
            return row["default_min_acu"]
    return None

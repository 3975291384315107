"""Pull-request policy checks: pure functions over what the HCL (or a plan) says.

Every environment under `<root>/envs/` is read through python-hcl2 -- its terraform.tfvars, the
defaults of its variables.tf and the module's defaults -- into a `Config` of `Setting`s that
remember the file and line each value came from. The rules below turn a Config into `Violation`s,
recomputing connection capacity and cost with the generator's own functions and data files
(generator.sizing / pricing / validate / windows, generator.data.prices() / limits()): one source
of truth, never the generator's report. A `terraform show -json` plan becomes a Config the same
way (`config_from_plan`), so values resolved inside the module are checked by the same rules.

The pytest files in this folder, `python -m policies` and the bite tests are thin callers of
`evaluate_root` / `evaluate_plan`.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import data as gdata
from generator import pricing, sizing, validate, windows

REPO = Path(__file__).resolve().parents[1]
LIMITS_REL = "policies/limits.yaml"
LIMITS_NOTE = f"({LIMITS_REL})"  # ends a message whose limit comes from the limits file
MODULE_DIR_REL = "modules/aurora-serverless-v2"
MODULE_VARS_REL = f"{MODULE_DIR_REL}/variables.tf"
AWS_REL = gdata.source_path(gdata.LIMITS_FILE)
PRICES_REL = gdata.source_path(gdata.PRICES_FILE)
TFVARS = "terraform.tfvars"

# The concerns a Violation's rule starts with; one pytest file each.
CONCERNS = ("acu", "connections", "backups", "cost", "network", "declarations")


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
        return f"{self.env}: {where}{self.message} [{self.rule}]"


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
    origin: str  # tfvars | env default | module default | plan | unset

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
    # A plan's ingress rules of the security groups, one Setting (a list of CIDR blocks) per rule.
    ingress: list[Setting] = field(default_factory=list)

    def __getitem__(self, key: str) -> Setting:
        return self.settings[key]

    def v(self, key: str) -> Any:
        return self.settings[key].value


def fmt(value: Any) -> str:
    """A value as HCL would spell it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    return str(value)


def money(value: float) -> str:
    return f"${value:,.2f}"


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# ---------------------------------------------------------------------------
# HCL reading: each distinct text parsed once per process
# ---------------------------------------------------------------------------
class HclError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


_PARSED: dict[str, Any] = {}


def parse_hcl(text: str) -> dict[str, Any]:
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()
    if key not in _PARSED:
        import hcl2  # lark grammar: loaded only when something is parsed

        try:
            _PARSED[key] = hcl2.loads(text)
        except Exception as exc:  # lark's UnexpectedInput family, and anything else the parser raises
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            m = re.search(r"line (\d+)", first)
            _PARSED[key] = HclError(first, int(m.group(1)) if m else getattr(exc, "line", None))
    result = _PARSED[key]
    if isinstance(result, HclError):
        raise result
    return result


def line_of(text: str, dotted: str) -> int | None:
    """1-based line of `a = ...` (then `b = ...` after it for `a.b`) in HCL text; None if not found.

    python-hcl2 7.x gives no line numbers, so the text is scanned for `^\\s*<name>\\s*=`.
    """
    lines = text.splitlines()
    start, found = 0, None
    for part in dotted.split("."):
        pat = re.compile(rf"^\s*\"?{re.escape(part)}\"?\s*=")
        for n in range(start, len(lines)):
            if pat.match(lines[n]):
                found, start = n + 1, n + 1
                break
        else:
            return found
    return found


def variable_line(text: str, name: str, attr: str | None = None) -> int | None:
    lines = text.splitlines()
    pat = re.compile(rf"^\s*variable\s+\"?{re.escape(name)}\"?\s*\{{")
    for n, line in enumerate(lines):
        if pat.match(line):
            if attr is None:
                return n + 1
            sub = re.compile(rf"^\s*\"?{re.escape(attr)}\"?\s*=")
            for m in range(n + 1, len(lines)):
                if re.match(r"^\s*variable\s", lines[m]):
                    break
                if sub.match(lines[m]):
                    return m + 1
            return n + 1
    return None


@dataclass(frozen=True)
class Declaration:
    name: str
    has_default: bool
    default: Any
    nullable: bool
    optional_defaults: Mapping[str, Any]  # object attributes declared optional(type, default)
    line: int | None


_OPTIONAL_RE = re.compile(r'"(\w+)":\s*"\$\{optional\(')


def _optional_defaults(type_expr: Any) -> dict[str, Any]:
    """Defaults of `optional(type, default)` attributes in an object type as python-hcl2 renders it."""
    if not isinstance(type_expr, str) or "optional(" not in type_expr:
        return {}
    out: dict[str, Any] = {}
    for m in _OPTIONAL_RE.finditer(type_expr):
        i, depth, comma = m.end(), 1, None
        while i < len(type_expr) and depth:
            ch = type_expr[i]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            elif ch == "," and depth == 1 and comma is None:
                comma = i
            elif ch == '"' and depth >= 1:
                j = type_expr.find('"', i + 1)
                i = j if j > 0 else i
            i += 1
        if comma is None:
            out[m.group(1)] = None
            continue
        literal = type_expr[comma + 1 : i - 1].strip()
        try:
            out[m.group(1)] = json.loads(literal)  # numbers, true/false, "strings", [], {}: no grammar needed
        except ValueError:
            try:
                out[m.group(1)] = parse_hcl(f"x = {literal}\n")["x"]
            except HclError:
                out[m.group(1)] = None
    return out


_DECLS: dict[str, dict[str, Declaration]] = {}


def declarations(text: str) -> dict[str, Declaration]:
    """The `variable` blocks of a .tf file (raises HclError when it does not parse)."""
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()
    if key not in _DECLS:
        parsed = parse_hcl(text)
        out: dict[str, Declaration] = {}
        for block in parsed.get("variable", []):
            for name, body in block.items():
                body = body or {}
                out[name] = Declaration(
                    name=name,
                    has_default="default" in body,
                    default=body.get("default"),
                    nullable=body.get("nullable", True) is not False,
                    optional_defaults=_optional_defaults(body.get("type")),
                    line=variable_line(text, name),
                )
        _DECLS[key] = out
    return _DECLS[key]


# ---------------------------------------------------------------------------
# The variable contract: tfvars names -> module inputs
# ---------------------------------------------------------------------------
# What the policies read, by tfvars name (generator/templates/terraform.tfvars.j2), and the module
# input each one feeds (modules/aurora-serverless-v2/variables.tf). When envs/<env>/*.tf call the
# module with `input = var.name` (or `input = { attr = var.name }`), that wiring overrides this.
MODULE_INPUTS: dict[str, str] = {
    "environment": "environment",
    "aws_region": "",
    "allowed_cidr_blocks": "allowed_cidr_blocks",
    "dr_region": "",
    "min_capacity": "min_capacity",
    "max_capacity": "max_capacity",
    "seconds_until_auto_pause": "seconds_until_auto_pause",
    "reader_promotion_tiers": "reader_promotion_tiers",
    "storage_type": "storage_type",
    "backup_retention_period": "backup_retention_period",
    "preferred_backup_window": "preferred_backup_window",
    "preferred_maintenance_window": "preferred_maintenance_window",
    "snapshot_schedule.daily_retention_days": "snapshot_schedule.daily_retention_days",
    "snapshot_schedule.weekly_retention_weeks": "snapshot_schedule.weekly_retention_weeks",
    "snapshot_schedule.monthly_retention_months": "snapshot_schedule.monthly_retention_months",
    "backup_cross_region_copy": "backup_cross_region_copy",
    "deletion_protection": "deletion_protection",
    "skip_final_snapshot": "skip_final_snapshot",
    "proxy_enabled": "proxy.enabled",
    "proxy_max_connections_percent": "proxy.max_connections_percent",
    "proxy_max_idle_connections_percent": "proxy.max_idle_connections_percent",
    "proxy_connection_borrow_timeout": "proxy.connection_borrow_timeout",
    "proxy_session_pinning_filters": "proxy.session_pinning_filters",
    "monthly_budget_usd": "monthly_budget_usd",
    **{f"expected_load.{k}": f"expected_load.{k}" for k in (
        "agents", "pooled_connections", "writer_average_acu", "independent_reader_average_acu",
        "storage_gb", "io_requests_million_per_month", "transfer_gb_per_month")},
}

_VAR_REF = re.compile(r"^\$\{var\.(\w+)\}$")


def module_wiring(tf_texts: Iterable[str]) -> dict[str, str]:
    """env variable -> module input path, from `module` blocks whose source is the module."""
    wiring: dict[str, str] = {}
    for text in tf_texts:
        try:
            parsed = parse_hcl(text)
        except HclError:
            continue
        for block in parsed.get("module", []):
            for body in block.values():
                if MODULE_DIR_REL.rsplit("/", 1)[-1] not in str(body.get("source", "")):
                    continue
                for attr, value in body.items():
                    if isinstance(value, str) and (m := _VAR_REF.match(value)):
                        wiring[m.group(1)] = attr
                    elif isinstance(value, dict):
                        for sub, inner in value.items():
                            if isinstance(inner, str) and (m := _VAR_REF.match(inner)):
                                wiring[m.group(1)] = f"{attr}.{sub}"
    return wiring


# ---------------------------------------------------------------------------
# Limits: policies/limits.yaml, validated strictly when loaded
# ---------------------------------------------------------------------------
class LimitsError(ValueError):
    """policies/limits.yaml cannot be used: one line naming the file and the field."""

    def __init__(self, field_: str, message: str) -> None:
        self.field, self.message = field_, message
        super().__init__(f"{LIMITS_REL}: {field_ + ': ' if field_ else ''}{message}")


def _num(value: Any) -> str | None:
    return None if is_number(value) and value >= 0 else "must be a number >= 0"


def _count(value: Any) -> str | None:
    return None if is_number(value) and value >= 0 and float(value).is_integer() else "must be a whole number >= 0"


def _percent(value: Any) -> str | None:
    return None if is_number(value) and 0 <= value < 100 else "must be a number from 0 to below 100"


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


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
    "cost": {"budget_required": _bool, "worst_case_ceiling_usd": _num},
    "network": {"private_cidrs_only": _bool},
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
    return {"defaults": defaults, "environments": merged}


_LIMITS_CACHE: dict[str, dict] = {}


def load_limits(root: Path) -> dict:
    """policies/limits.yaml of `root` (else the repository's), validated; raises LimitsError."""
    path = root / LIMITS_REL
    if not path.is_file():
        path = REPO / LIMITS_REL
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LimitsError("", f"unreadable: {exc}") from None
    key = hashlib.sha1(text.encode()).hexdigest()
    if key not in _LIMITS_CACHE:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise LimitsError(f"line {mark.line + 1}" if mark else "", f"not valid YAML: {problem}") from None
        _LIMITS_CACHE[key] = validate_limits(doc, gdata.limits())
    return _LIMITS_CACHE[key]


def env_limits(limits: Mapping, env: str) -> dict | None:
    """An environment's effective limits (defaults merged with its block), None if it has none."""
    return limits["environments"].get(env)


# ---------------------------------------------------------------------------
# HCL -> Config
# ---------------------------------------------------------------------------
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def discover_envs(root: Path) -> list[str]:
    envs = root / "envs"
    if not envs.is_dir():
        return []
    return sorted(p.name for p in envs.iterdir()
                  if p.is_dir() and ((p / TFVARS).is_file() or any(p.glob("*.tf"))))


def _dig(mapping: Any, dotted: str) -> tuple[bool, Any]:
    node = mapping
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def resolve(key: str, tfvars: Mapping, tf_text: str, tf_rel: str,
            env_decls: Mapping[str, Declaration] | None, env_vars_rel: str, env_vars_text: str,
            module_decls: Mapping[str, Declaration] | None, module_text: str,
            wiring: Mapping[str, str]) -> Setting:
    """The value Terraform would use for a tfvars-level name, and where it was set."""
    top, _, attr = key.partition(".")
    found, value = _dig(tfvars, key)
    if found:
        return Setting(key, value, tf_rel, line_of(tf_text, key), "tfvars")
    if top in tfvars and not attr:
        return Setting(key, tfvars[top], tf_rel, line_of(tf_text, top), "tfvars")
    if env_decls and top in env_decls:
        decl = env_decls[top]
        if attr:
            found, value = _dig(decl.default, attr) if decl.has_default else (False, None)
            if found and value is not None:
                return Setting(key, value, env_vars_rel, variable_line(env_vars_text, top, attr), "env default")
            if attr in decl.optional_defaults and decl.optional_defaults[attr] is not None:
                return Setting(key, decl.optional_defaults[attr], env_vars_rel,
                               variable_line(env_vars_text, top, attr), "env default")
        elif decl.has_default and decl.default is not None:
            return Setting(key, decl.default, env_vars_rel, decl.line, "env default")
    # Not set in the environment: the module input it feeds decides.
    target = wiring.get(key) or wiring.get(top) and (wiring[top] + (f".{attr}" if attr else "")) or MODULE_INPUTS.get(key, "")
    if target and module_decls:
        mtop, _, mattr = target.partition(".")
        decl = module_decls.get(mtop)
        if decl is not None:
            if mattr:
                found, value = _dig(decl.default, mattr) if decl.has_default else (False, None)
                if found and value is not None:
                    return Setting(key, value, MODULE_VARS_REL, variable_line(module_text, mtop, mattr), "module default")
                if mattr in decl.optional_defaults:
                    return Setting(key, decl.optional_defaults[mattr], MODULE_VARS_REL,
                                   variable_line(module_text, mtop, mattr), "module default")
            elif decl.has_default:
                return Setting(key, decl.default, MODULE_VARS_REL, decl.line, "module default")
    return Setting(key, None, tf_rel, None, "unset")


@dataclass
class _Module:
    decls: dict[str, Declaration] | None
    text: str
    error: Violation | None  # env filled in by the caller


def _module(root: Path) -> _Module:
    path = root / MODULE_VARS_REL
    if not path.is_file():
        return _Module(None, "", Violation("", MODULE_VARS_REL, None, "declarations.module_missing",
                                           "module variables not found: module defaults cannot be read"))
    text = _read(path)
    try:
        return _Module(declarations(text), text, None)
    except HclError as exc:
        return _Module(None, text, Violation("", MODULE_VARS_REL, exc.line, "declarations.malformed_hcl",
                                             f"malformed HCL: {exc.message}"))


_DECLARES = re.compile(r"^\s*(variable|module)\s", re.M)


def config_from_hcl(root: Path, env: str, result: EnvResult, module: _Module | None = None) -> Config | None:
    """Read one environment's HCL; report unreadable files and undeclared variables into `result`."""
    module = module or _module(root)
    if module.error:
        result.violations.append(Violation(env, module.error.file, module.error.line, module.error.rule,
                                           module.error.message))
    env_dir = root / "envs" / env
    tf_rel = f"envs/{env}/{TFVARS}"
    vars_rel = f"envs/{env}/variables.tf"

    def fail(file: str, line: int | None, rule: str, message: str) -> None:
        result.violations.append(Violation(env, file, line, rule, message))

    if not (env_dir / TFVARS).is_file():
        fail(tf_rel, None, "declarations.tfvars_missing", "no terraform.tfvars: the environment's values cannot be checked")
        return None
    tf_text = _read(env_dir / TFVARS)
    try:
        tfvars = parse_hcl(tf_text)
    except HclError as exc:
        fail(tf_rel, None, "declarations.malformed_hcl", f"malformed HCL: {exc.message}")
        return None

    env_decls: dict[str, Declaration] | None = None
    vars_text = ""
    other_tf: list[str] = []
    for tf in sorted(env_dir.glob("*.tf")):
        text = _read(tf)
        rel = f"envs/{env}/{tf.name}"
        if not _DECLARES.search(text):
            continue  # outputs, providers, versions: nothing the policies read (terraform validate parses them)
        try:
            decls = declarations(text)
        except HclError as exc:
            fail(rel, exc.line, "declarations.malformed_hcl", f"malformed HCL: {exc.message}")
            continue
        other_tf.append(text)
        if decls:
            env_decls = {**(env_decls or {}), **decls}
            if tf.name == "variables.tf" or not vars_text:
                vars_text, vars_rel = text, rel
    wiring = module_wiring(other_tf)

    # Declarations: every tfvars key declared; every required variable given a value.
    if env_decls is None:
        fail(vars_rel, None, "declarations.variables_missing",
             f"no variable declarations in envs/{env}/*.tf: the {len(tfvars)} tfvars keys are undeclared")
    else:
        for key in tfvars:
            if key not in env_decls:
                fail(tf_rel, line_of(tf_text, key), "declarations.undeclared",
                     f"{key} is set but not declared in {vars_rel}")
        for name, decl in env_decls.items():
            if not decl.has_default and name not in tfvars:
                fail(vars_rel, decl.line, "declarations.required",
                     f"variable {name} has no default and no value in {tf_rel}")

    settings = {key: resolve(key, tfvars, tf_text, tf_rel, env_decls, vars_rel, vars_text, module.decls,
                             module.text, wiring) for key in MODULE_INPUTS}
    environment = settings["environment"]
    if environment.is_set and environment.value != env:
        fail(environment.file, environment.line, "declarations.environment",
             f"{environment.shown()} does not match the folder envs/{env}")
    return Config(env, settings)


# ---------------------------------------------------------------------------
# Plan -> Config
# ---------------------------------------------------------------------------
def _after(change: Mapping) -> Mapping | None:
    c = change.get("change") or {}
    if c.get("actions") == ["delete"]:
        return None
    return c.get("after") or None


def _first(block: Any) -> Mapping:
    if isinstance(block, list):
        return block[0] if block else {}
    return block or {}


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if is_number(value) else type(value).__name__)


def plan_shape_error(plan: Any) -> str | None:
    """What is wrong with the shape of a `terraform show -json` document, None when the parts read are well formed."""
    if not isinstance(plan, Mapping):
        return f"the plan is {_kind(plan)}, not a JSON object"
    variables = plan.get("variables")
    if variables is not None:
        if not isinstance(variables, Mapping):
            return f"variables is {_kind(variables)}, not an object"
        for name, var in variables.items():
            if var is not None and not isinstance(var, Mapping):
                return f"variables.{name} is {_kind(var)}, not an object with a value"
    changes = plan.get("resource_changes")
    if changes is not None:
        if not isinstance(changes, list):
            return f"resource_changes is {_kind(changes)}, not a list"
        for i, rc in enumerate(changes):
            if not isinstance(rc, Mapping):
                return f"resource_changes[{i}] is {_kind(rc)}, not an object"
            for key in ("type", "address", "mode"):
                if key in rc and not isinstance(rc[key], str):
                    return f"resource_changes[{i}].{key} is {_kind(rc[key])}, not a string"
            change = rc.get("change")
            if change is not None and not isinstance(change, Mapping):
                return f"resource_changes[{i}].change is {_kind(change)}, not an object"
            after = (change or {}).get("after")
            if after is not None and not isinstance(after, Mapping):
                return f"resource_changes[{i}].change.after is {_kind(after)}, not an object"
    return None


def config_from_plan(plan: Mapping, plan_rel: str, env: str | None = None) -> tuple[Config, list[Violation]]:
    """A plan's resolved values as a Config, plus checks that only a plan can make."""
    variables = {k: (v or {}).get("value") for k, v in (plan.get("variables") or {}).items()}
    env = env or variables.get("environment") or "unknown"
    changes = [rc for rc in plan.get("resource_changes") or [] if rc.get("mode", "managed") == "managed"]
    by_type: dict[str, list[tuple[str, Mapping]]] = {}
    for rc in changes:
        after = _after(rc)
        if after is not None:
            by_type.setdefault(rc.get("type", ""), []).append((rc.get("address", rc.get("type", "")), after))
    s: dict[str, Setting] = {}
    extra: list[Violation] = []

    def put(key: str, value: Any, where: str) -> None:
        s[key] = Setting(f"{where}" if where else key, value, plan_rel, None, "plan")

    for key in MODULE_INPUTS:  # root variables first; resources below override what they resolve
        found, value = _dig(variables, key)
        if found:
            s[key] = Setting(key, value, plan_rel, None, "plan")
        else:
            s[key] = Setting(key, None, plan_rel, None, "unset")
    clusters = by_type.get("aws_rds_cluster", [])
    primary = next((c for c in clusters if c[0].endswith("aws_rds_cluster.this")), clusters[0] if clusters else None)
    if primary is None:
        extra.append(Violation(env, plan_rel, None, "declarations.plan_cluster", "the plan creates or keeps no aws_rds_cluster"))
    else:
        addr, after = primary
        scaling = _first(after.get("serverlessv2_scaling_configuration"))
        put("min_capacity", scaling.get("min_capacity"), f"{addr} serverlessv2_scaling_configuration.min_capacity")
        put("max_capacity", scaling.get("max_capacity"), f"{addr} serverlessv2_scaling_configuration.max_capacity")
        for key in ("backup_retention_period", "preferred_backup_window", "preferred_maintenance_window",
                    "deletion_protection", "skip_final_snapshot", "storage_type"):
            if key in after:
                put(key, after[key], f"{addr} {key}")
    instances = by_type.get("aws_rds_cluster_instance", [])
    if instances:
        readers = [a.get("promotion_tier", 1) for _, a in instances
                   if ((a.get("tags") or {}).get("Role") == "reader")]
        if any(((a.get("tags") or {}).get("Role") in ("reader", "writer")) for _, a in instances):
            put("reader_promotion_tiers", sorted(readers), "aws_rds_cluster_instance promotion_tier (readers)")
        else:
            put("reader_promotion_tiers", sorted(a.get("promotion_tier", 1) for _, a in instances)[1:],
                "aws_rds_cluster_instance promotion_tier")
    proxies = by_type.get("aws_db_proxy", [])
    put("proxy_enabled", bool(proxies), "aws_db_proxy (present)")
    for addr, after in proxies:
        if after.get("require_tls") is not True:
            extra.append(Violation(env, plan_rel, None, "connections.proxy_tls",
                                   f"{addr} require_tls = {fmt(after.get('require_tls'))}: the proxy must require TLS"))
        for auth in after.get("auth") or []:
            if auth.get("iam_auth") != "REQUIRED":
                extra.append(Violation(env, plan_rel, None, "connections.proxy_iam",
                                       f"{addr} auth.iam_auth = {fmt(auth.get('iam_auth'))}: IAM authentication must be REQUIRED"))
    for addr, after in by_type.get("aws_db_proxy_default_target_group", [])[:1]:
        pool = _first(after.get("connection_pool_config"))
        for key, attr in (("proxy_max_connections_percent", "max_connections_percent"),
                          ("proxy_max_idle_connections_percent", "max_idle_connections_percent"),
                          ("proxy_connection_borrow_timeout", "connection_borrow_timeout"),
                          ("proxy_session_pinning_filters", "session_pinning_filters")):
            if attr in pool:
                put(key, pool[attr] if pool[attr] is not None or attr != "session_pinning_filters" else [],
                    f"{addr} connection_pool_config.{attr}")
    ingress: list[Setting] = []
    for addr, after in by_type.get("aws_vpc_security_group_ingress_rule", []):
        for attr in ("cidr_ipv4", "cidr_ipv6"):
            if after.get(attr) is not None:
                ingress.append(Setting(f"{addr} {attr}", [after[attr]], plan_rel, None, "plan"))
    for addr, after in by_type.get("aws_security_group", []):
        for i, rule in enumerate(after.get("ingress") or []):
            for attr in ("cidr_blocks", "ipv6_cidr_blocks"):
                if (rule or {}).get(attr):
                    ingress.append(Setting(f"{addr} ingress[{i}].{attr}", rule[attr], plan_rel, None, "plan"))
    for addr, after in by_type.get("aws_security_group_rule", []):
        if after.get("type") == "ingress":
            for attr in ("cidr_blocks", "ipv6_cidr_blocks"):
                if after.get(attr):
                    ingress.append(Setting(f"{addr} {attr}", after[attr], plan_rel, None, "plan"))
    plans = by_type.get("aws_backup_plan", [])
    if plans:
        addr, after = plans[0]
        rules = {r.get("rule_name"): r for r in after.get("rule") or []}
        per = {"daily": ("snapshot_schedule.daily_retention_days", 1),
               "weekly": ("snapshot_schedule.weekly_retention_weeks", 7),
               "monthly": ("snapshot_schedule.monthly_retention_months", 30)}
        for name, (key, days) in per.items():
            rule = rules.get(name)
            delete_after = _first(rule.get("lifecycle")).get("delete_after") if rule else 0
            value = (delete_after or 0) / days
            put(key, int(value) if float(value).is_integer() else value,
                f"{addr} rule[{name}].lifecycle.delete_after / {days}" if days > 1 else f"{addr} rule[{name}].lifecycle.delete_after")
        copies = [bool(r.get("copy_action")) for r in rules.values()]
        put("backup_cross_region_copy", bool(copies) and all(copies), f"{addr} rule[*].copy_action")
    elif s["backup_cross_region_copy"].is_set:
        extra.append(Violation(env, plan_rel, None, "backups.plan_missing", "the plan has no aws_backup_plan: no snapshot schedule"))
    return Config(env, s, source=plan_rel, ingress=ingress), extra


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------
class _Ctx:
    def __init__(self, cfg: Config, lim: Mapping, aws: Mapping, prices: Mapping, result: EnvResult) -> None:
        self.cfg, self.lim, self.aws, self.prices, self.result = cfg, lim, aws, prices, result
        self.env = cfg.env

    def fail(self, setting: Setting | None, rule: str, message: str, file: str | None = None, line: int | None = None) -> None:
        f = file or (setting.file if setting else LIMITS_REL)
        ln = line if file else (setting.line if setting else None)
        self.result.violations.append(Violation(self.env, f, ln, rule, message))

    def fact(self, topic: str, value: str, limit: str, ok: bool) -> None:
        self.result.facts.append(Fact(topic, value, limit, ok))

    def number(self, key: str, rule: str, required: bool = True) -> float | None:
        s = self.cfg[key]
        if not s.is_set:
            if required:
                self.fail(s, rule, f"{key} is not set: the rule cannot be checked")
            return None
        if not is_number(s.value):
            self.fail(s, rule, f"{s.shown()} is not a number")
            return None
        return s.value

    def flag(self, key: str) -> bool | None:
        s = self.cfg[key]
        return s.value if isinstance(s.value, bool) else None

    def count(self) -> int:
        return len(self.result.violations)


def check_acu(ctx: _Ctx) -> None:
    before = ctx.count()
    lo, hi = ctx.number("min_capacity", "acu.value"), ctx.number("max_capacity", "acu.value")
    if lo is None or hi is None:
        ctx.fact("ACU range", "not set", "", False)
        return
    proxy = ctx.flag("proxy_enabled")
    smin, smax = ctx.cfg["min_capacity"], ctx.cfg["max_capacity"]
    for field_, message in validate.check_acu_range(lo, hi, bool(proxy), ctx.aws):
        s = smin if field_ == "acu.min" else smax
        message = message.replace("acu.min", "min_capacity").replace("acu.max", "max_capacity")
        rule = "acu.grid" if "multiple of" in message else "acu.order" if "below min_capacity" in message else "acu.aws"
        ctx.fail(s, rule, f"{s.shown()}: {message} (AWS, {AWS_REL})")
    floor_, ceiling = ctx.lim["acu"]["min_floor"], ctx.lim["acu"]["max_ceiling"]
    if lo < floor_:
        ctx.fail(smin, "acu.floor", f"{smin.shown()} is below the {ctx.env} floor {fmt(floor_)} {LIMITS_NOTE}")
    if hi > ceiling:
        ctx.fail(smax, "acu.ceiling", f"{smax.shown()} exceeds the {ctx.env} ceiling {fmt(ceiling)} {LIMITS_NOTE}")
    ctx.fact("ACU range", f"{fmt(lo)}-{fmt(hi)}", f"{fmt(floor_)}-{fmt(ceiling)}", ctx.count() == before)


def check_connections(ctx: _Ctx) -> None:
    before = ctx.count()
    proxy = ctx.flag("proxy_enabled")
    if proxy is None:
        s = ctx.cfg["proxy_enabled"]
        ctx.fail(s, "connections.proxy", f"{s.shown()} is not true or false")
        proxy = True
    pct = None
    if proxy:
        pct = ctx.number("proxy_max_connections_percent", "connections.proxy")
        idle = ctx.number("proxy_max_idle_connections_percent", "connections.proxy")
        borrow = ctx.number("proxy_connection_borrow_timeout", "connections.proxy")
        filters = ctx.cfg["proxy_session_pinning_filters"].value or []
        if None not in (pct, idle, borrow):
            names = {"proxy.max_connections_percent": "proxy_max_connections_percent",
                     "proxy.max_idle_connections_percent": "proxy_max_idle_connections_percent",
                     "proxy.connection_borrow_timeout": "proxy_connection_borrow_timeout",
                     "proxy.session_pinning_filters": "proxy_session_pinning_filters"}
            for field_, message in validate.check_proxy(pct, idle, borrow, list(filters), ctx.aws):
                s = ctx.cfg[names[field_]]
                ctx.fail(s, "connections.proxy", f"{s.shown()}: {message} (AWS, {AWS_REL})")
    lo, hi = ctx.cfg["min_capacity"].value, ctx.cfg["max_capacity"].value
    pooled = ctx.number("expected_load.pooled_connections", "connections.pooled")
    if not (is_number(lo) and is_number(hi)) or pooled is None or (proxy and pct is None):
        ctx.fact("connection budget", "not computable", "", False)
        return
    headroom = ctx.lim["connections"]["headroom_percent"]
    reserve_min = ctx.lim["connections"]["direct_reserve"]
    max_conn = sizing.max_connections(hi, lo, ctx.aws)
    smax, spool = ctx.cfg["max_capacity"], ctx.cfg["expected_load.pooled_connections"]
    if proxy:
        budget = sizing.proxy_max_connections(max_conn, int(pct))
        share = f"RDS Proxy's {fmt(pct)}% of max_connections {max_conn} at max ACU {fmt(hi)} is {budget}"
        reserve = max_conn - budget
        if reserve < reserve_min:
            s = ctx.cfg["proxy_max_connections_percent"]
            ctx.fail(s, "connections.reserve",
                     f"{s.shown()} leaves {reserve} of max_connections {max_conn} for direct connections, below the "
                     f"{ctx.env} reserve {reserve_min} {LIMITS_NOTE}")
    else:
        budget = max_conn - reserve_min
        share = f"max_connections {max_conn} at max ACU {fmt(hi)} less the direct reserve {reserve_min} is {budget}"
    allowed = math.floor(budget * (100 - headroom) / 100)
    if pooled > allowed:
        ctx.fail(spool, "connections.budget",
                 f"{spool.shown()} exceeds {allowed}: {share}, less the {fmt(headroom)}% headroom {LIMITS_NOTE}")
    used = f"{fmt(pooled)} of {budget} ({pooled / budget:.0%})" if budget > 0 else f"{fmt(pooled)} of 0"
    ctx.fact("connection budget", used + (f"; max_connections {max_conn}" if proxy else ""),
             f"<= {allowed} ({100 - headroom:g}% of {'the proxy share' if proxy else 'max_connections less the reserve'})",
             ctx.count() == before)


def check_backups(ctx: _Ctx) -> None:
    before = ctx.count()
    b = ctx.lim["backup"]
    aws_b = ctx.aws["backup"]
    retention = ctx.number("backup_retention_period", "backups.retention")
    need = b["retention_days_min"]
    s = ctx.cfg["backup_retention_period"]
    if retention is not None:
        lo, hi = aws_b["retention_days"]["min"], aws_b["retention_days"]["max"]
        if not lo <= retention <= hi:
            ctx.fail(s, "backups.retention", f"{s.shown()} is outside AWS's {lo}..{hi} days (AWS, {AWS_REL})")
        if retention < need:
            ctx.fail(s, "backups.retention", f"{s.shown()} is below the {ctx.env} minimum {need} days {LIMITS_NOTE}")
    ctx.fact("backup retention", f"{fmt(retention)} days", f">= {need} days", ctx.count() == before)

    mark = ctx.count()
    bw, mw = ctx.cfg["preferred_backup_window"], ctx.cfg["preferred_maintenance_window"]
    min_minutes = b["window_min_minutes"]
    length = b_ok = m_ok = None
    if bw.is_set:
        try:
            windows.backup_window_minutes(str(bw.value))
            if not re.fullmatch(r"\d{2}:\d{2}-\d{2}:\d{2}", str(bw.value)):
                raise ValueError
            length = windows.window_length_minutes(bw.value)
            b_ok = True
        except (ValueError, IndexError):
            ctx.fail(bw, "backups.window", f"{bw.shown()} is not hh24:mi-hh24:mi (UTC)")
    else:
        ctx.fail(bw, "backups.window", "preferred_backup_window is not set")
    if mw.is_set:
        try:
            windows.maintenance_window_minutes(str(mw.value))
            m_ok = True
        except (ValueError, IndexError):
            ctx.fail(mw, "backups.window", f"{mw.shown()} is not ddd:hh24:mi-ddd:hh24:mi (UTC)")
    if length is not None and length < min_minutes:
        ctx.fail(bw, "backups.window", f"{bw.shown()} lasts {length} minutes, below the minimum {min_minutes} "
                 f"(AWS, {AWS_REL})")
    if b_ok and m_ok and b["window_clear_of_maintenance"] and windows.windows_overlap(bw.value, mw.value):
        where = f"{mw.file}:{mw.line}" if mw.line else mw.file
        ctx.fail(bw, "backups.overlap", f"{bw.shown()} overlaps {mw.shown()} ({where})")
    ctx.fact("backup window", f"{fmt(bw.value)} ({length} min), maintenance {fmt(mw.value)}",
             f">= {min_minutes} min, no overlap", ctx.count() == mark)

    mark = ctx.count()
    want = b["snapshots"]
    got = []
    for label, key in (("daily", "snapshot_schedule.daily_retention_days"),
                       ("weekly", "snapshot_schedule.weekly_retention_weeks"),
                       ("monthly", "snapshot_schedule.monthly_retention_months")):
        value = ctx.number(key, "backups.snapshots")
        got.append(fmt(value))
        if value is not None and value < want[label]:
            s = ctx.cfg[key]
            ctx.fail(s, "backups.snapshots", f"{s.shown()} is below the {label} snapshots required, "
                     f"{want[label]} {LIMITS_NOTE}")
    ctx.fact("snapshots (daily/weekly/monthly)", "/".join(got),
             ">= " + "/".join(str(want[k]) for k in ("daily", "weekly", "monthly")), ctx.count() == mark)

    mark = ctx.count()
    copy = ctx.cfg["backup_cross_region_copy"]
    if b["cross_region_copy_required"] and copy.value is not True:
        ctx.fail(copy, "backups.cross_region", f"{copy.shown()}: {ctx.env} must copy every snapshot to the DR region "
                 f"{LIMITS_NOTE}")
    if copy.value is True:
        dr, region = ctx.cfg["dr_region"], ctx.cfg["aws_region"]
        if dr.is_set and region.is_set and dr.value == region.value:
            ctx.fail(dr, "backups.cross_region", f"{dr.shown()} is the primary region: a cross-region copy needs another region")
    dp = ctx.cfg["deletion_protection"]
    if b["deletion_protection_required"] and dp.value is not True:
        ctx.fail(dp, "backups.deletion_protection", f"{dp.shown()}: {ctx.env} must keep deletion protection on "
                 f"{LIMITS_NOTE}")
    skip = ctx.cfg["skip_final_snapshot"]
    if b["final_snapshot_required"] and skip.value is not False:
        ctx.fail(skip, "backups.final_snapshot", f"{skip.shown()}: {ctx.env} must take a final snapshot on delete "
                 f"{LIMITS_NOTE}")
    ctx.fact("DR copy / deletion protection / final snapshot",
             f"{fmt(copy.value)} / {fmt(dp.value)} / {fmt(not skip.value if isinstance(skip.value, bool) else None)}",
             "/".join("required" if b[k] else "optional" for k in (
                 "cross_region_copy_required", "deletion_protection_required", "final_snapshot_required")),
             ctx.count() == mark)


def cost_inputs(ctx: _Ctx) -> pricing.CostInputs | None:
    keys = ("expected_load.writer_average_acu", "expected_load.storage_gb",
            "expected_load.io_requests_million_per_month", "expected_load.transfer_gb_per_month",
            "backup_retention_period", "snapshot_schedule.daily_retention_days",
            "snapshot_schedule.weekly_retention_weeks", "snapshot_schedule.monthly_retention_months")
    values = {k: ctx.number(k, "cost.inputs") for k in keys}
    reader = ctx.cfg["expected_load.independent_reader_average_acu"]
    reader_acu = reader.value if is_number(reader.value) else ctx.cfg["min_capacity"].value
    tiers = ctx.cfg["reader_promotion_tiers"].value or []
    if not isinstance(tiers, list) or not all(is_number(t) for t in tiers):
        s = ctx.cfg["reader_promotion_tiers"]
        ctx.fail(s, "cost.inputs", f"{s.shown()} is not a list of promotion tiers")
        return None
    if None in values.values() or not is_number(reader_acu):
        return None
    return pricing.build_cost_inputs(
        writer_average_acu=values["expected_load.writer_average_acu"],
        reader_promotion_tiers=[int(t) for t in tiers],
        independent_reader_average_acu=reader_acu,
        storage_gb=values["expected_load.storage_gb"],
        io_million_per_month=values["expected_load.io_requests_million_per_month"],
        transfer_gb_per_month=values["expected_load.transfer_gb_per_month"],
        retention_days=int(values["backup_retention_period"]),
        snapshots=(int(values["snapshot_schedule.daily_retention_days"]),
                   int(values["snapshot_schedule.weekly_retention_weeks"]),
                   int(values["snapshot_schedule.monthly_retention_months"])),
        cross_region_copy=ctx.cfg["backup_cross_region_copy"].value is True,
        proxy_enabled=ctx.cfg["proxy_enabled"].value is not False,
    )


def check_cost(ctx: _Ctx) -> None:
    c = ctx.lim["cost"]
    st = ctx.cfg["storage_type"]
    if st.value not in pricing.STORAGE_TYPES:
        ctx.fail(st, "cost.inputs", f"{st.shown()} is not one of {', '.join(pricing.STORAGE_TYPES)}")
        ctx.fact("expected cost", "not computable", "", False)
        return
    inputs = cost_inputs(ctx)
    hi = ctx.cfg["max_capacity"].value
    if inputs is None or not is_number(hi):
        ctx.fact("expected cost", "not computable", "", False)
        return
    mark = ctx.count()
    expected = pricing.monthly_cost(inputs, st.value, ctx.prices, ctx.aws).total
    budget = ctx.cfg["monthly_budget_usd"]
    if not budget.is_set:
        if c["budget_required"]:
            ctx.fail(budget, "cost.budget", f"monthly_budget_usd is not set: {ctx.env} needs a budget "
                     f"(expected {money(expected)}/month) {LIMITS_NOTE}")
    elif not is_number(budget.value):
        ctx.fail(budget, "cost.budget", f"{budget.shown()} is not a number")
    elif expected > budget.value:
        ctx.fail(budget, "cost.budget", f"{budget.shown()} is below the expected monthly cost {money(expected)} "
                 f"(expected_load on {st.value}, priced with {PRICES_REL})")
    ctx.fact("expected cost / month", money(expected),
             f"budget {money(budget.value) if is_number(budget.value) else 'none'}", ctx.count() == mark)

    mark = ctx.count()
    worst = pricing.worst_case_cost(inputs, st.value, hi, ctx.prices, ctx.aws)
    ceiling = c["worst_case_ceiling_usd"]
    smax = ctx.cfg["max_capacity"]
    instances = 1 + len(inputs.reader_promotion_tiers)
    if worst > ceiling:
        tiers = ctx.cfg["reader_promotion_tiers"]
        readers = f" (the writer + {tiers.shown()})" if inputs.reader_promotion_tiers else ""
        ctx.fail(smax, "cost.ceiling",
                 f"{smax.shown()}: the worst case, {instances} instance(s){readers} at {fmt(hi)} ACU all month on "
                 f"{st.value}, costs {money(worst)}/month, above the {ctx.env} ceiling {money(ceiling)} {LIMITS_NOTE}")
    ctx.fact("worst-case cost / month", money(worst),
             f"ceiling {money(ceiling)}", ctx.count() == mark)


def cidr_problem(value: Any) -> tuple[str, str] | None:
    """(rule, reason) when `value` is not a CIDR network inside a private range (as generator.model admits)."""
    if not isinstance(value, str) or "/" not in value:
        return "network.cidr", f"{fmt(value)} is not a CIDR block (a.b.c.d/n)"
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        return "network.cidr", f"{value} is not a CIDR block ({str(exc).replace(value + ' ', '')})"
    if network.prefixlen == 0 or not network.is_private:
        return "network.public_cidr", f"{value} is not a private range"
    return None


def check_network(ctx: _Ctx) -> None:
    mark = ctx.count()
    private_only = ctx.lim["network"]["private_cidrs_only"]
    sources = [ctx.cfg["allowed_cidr_blocks"], *ctx.cfg.ingress]
    shown: list[str] = []
    for s in sources:
        if not s.is_set:
            continue
        if not isinstance(s.value, list):
            ctx.fail(s, "network.cidr", f"{s.shown()} is not a list of CIDR blocks")
            continue
        shown += [str(c) for c in s.value]
        for cidr in s.value:
            problem = cidr_problem(cidr)
            if problem is None or (problem[0] == "network.public_cidr" and not private_only):
                continue
            rule, reason = problem
            ctx.fail(s, rule, f"{s.shown()}: {reason}" + (f" {LIMITS_NOTE}" if rule == "network.public_cidr" else ""))
    ctx.fact("allowed CIDR blocks", ", ".join(dict.fromkeys(shown)) or "none",
             "private ranges only" if private_only else "valid CIDR blocks", ctx.count() == mark)


RULES = (check_acu, check_connections, check_backups, check_cost, check_network)


def apply_rules(cfg: Config, limits: Mapping, result: EnvResult, aws: Mapping | None = None,
                prices: Mapping | None = None) -> EnvResult:
    lim = env_limits(limits, cfg.env)
    if lim is None:
        result.violations.append(Violation(cfg.env, LIMITS_REL, None, "declarations.limits",
                                           f"no limits for environment {cfg.env} in {LIMITS_REL} "
                                           "(add it under environments:)"))
        return result
    ctx = _Ctx(cfg, lim, aws or gdata.limits(), prices or gdata.prices(), result)
    for rule in RULES:
        rule(ctx)
    return result


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------
def evaluate_env(root: Path, env: str, limits: Mapping | None = None, module: _Module | None = None) -> EnvResult:
    root = Path(root)
    result = EnvResult(env, "hcl")
    cfg = config_from_hcl(root, env, result, module)
    if cfg is not None:
        apply_rules(cfg, limits if limits is not None else load_limits(root), result)
    return result


def evaluate_root(root: Path | str | None = None, envs: Iterable[str] | None = None) -> list[EnvResult]:
    """Every environment under `<root>/envs` (default: $POLICY_ROOT, else the repository)."""
    root = Path(root or os.environ.get("POLICY_ROOT") or REPO)
    limits = load_limits(root)
    module = _module(root)
    names = list(envs) if envs is not None else discover_envs(root)
    return [evaluate_env(root, env, limits, module) for env in names]


def evaluate_plan(path: Path | str, root: Path | str | None = None, env: str | None = None) -> EnvResult:
    """The same rules on a `terraform show -json` plan."""
    path = Path(path)
    root = Path(root or os.environ.get("POLICY_ROOT") or REPO)
    try:
        rel = str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        rel = str(path)
    limits = load_limits(root)  # a LimitsError is the limits file's, never the plan's

    def unreadable(message: str) -> EnvResult:
        result = EnvResult(env or "plan", rel)
        result.violations.append(Violation(result.env, rel, None, "declarations.plan", f"unreadable plan: {message}"))
        return result

    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return unreadable(str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__)
    if (problem := plan_shape_error(plan)) is not None:
        return unreadable(problem)
    try:
        cfg, extra = config_from_plan(plan, rel, env)
        result = EnvResult(cfg.env, rel, violations=list(extra))
        return apply_rules(cfg, limits, result)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, ZeroDivisionError) as exc:
        # A value of an unexpected type deeper in a resource (plan_shape_error checks the outline only).
        detail = str(exc).splitlines()[0] if str(exc).strip() else ""
        return unreadable(f"unexpected shape inside a resource: {type(exc).__name__}{': ' + detail if detail else ''}")


def violations(results: Iterable[EnvResult]) -> list[Violation]:
    return [v for r in results for v in r.violations]

"""Turning an environment's sizing.yaml (merged over the package defaults) into an Environment.

Every failure is an InputError naming the file and the field.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.errors import InputError, shown
from generator.inputs import data, validate
from generator.inputs.files import ENVS_DIR, load_yaml, read_text
from generator.inputs.model import Environment


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; lists and scalars replace."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _field(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_yaml(path: Path, text: str | None = None) -> dict[str, Any]:
    """Parse a YAML mapping from `path`, or from `text` named `path` in messages (a file at a git ref)."""
    raw = load_yaml(read_text(path, "sizing file") if text is None else text, path)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError(path, None, f"expected a mapping of settings, found {_kind(raw)}")
    return raw


def _kind(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "null",
        int: "a whole number",
        float: "a number",
    }.get(type(value), f"a {type(value).__name__}")


# pydantic's error types in the words of a sizing.yaml's author (no "Input should be", no "Value error").
_MESSAGES = {
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "finite_number": "must be a finite number",
    "missing": "required but not set",
    "extra_forbidden": "unknown key",
    "none_required": "must be null",
}


def _message(err: dict) -> str:
    kind, ctx, got = err["type"], err.get("ctx") or {}, err.get("input")
    value = "" if isinstance(got, (dict, list)) or kind in ("missing", "extra_forbidden") else f" (got {shown(got)})"
    if kind == "value_error":
        return str(ctx.get("error") or err["msg"].removeprefix("Value error, "))
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '').replace(chr(39), '')}{value}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}[kind]
        bound = next(iter(ctx.values()), "")
        return f"must be {op} {shown(bound)}{value}"
    if kind in ("too_short", "too_long"):
        return f"must hold {'at least' if kind == 'too_short' else 'at most'} {ctx.get('min_length', ctx.get('max_length'))} item(s)"
    if kind == "string_pattern_mismatch":
        return f"{shown(got)} does not have the expected form"
    if kind == "string_too_short":
        return "must not be empty"
    return _MESSAGES.get(kind, err["msg"].removeprefix("Value error, ").removeprefix("Input should be ")) + (
        value if kind in _MESSAGES else ""
    )


def first_error(errors: list[dict]) -> tuple[str | None, str]:
    """The error to show: the first that is not the `| None` branch of a nullable field, with how many others."""
    real = [e for e in errors if e["type"] != "none_required"] or errors
    err = real[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in ("float", "int", "none", "str")))
    others = len({tuple(e["loc"][: len(loc)]) for e in real}) - 1
    return _field(loc) or None, _message(err) + (f" (and {others} more problem(s))" if others > 0 else "")


def _default_name(path: Path) -> str:
    """envs/<env>/sizing.yaml is <env>; any other file is named by its stem."""
    return path.parent.name if path.parent.parent.name == ENVS_DIR.name else path.stem.lower()


def load_environment(
    path: Path, env_name: str | None = None, *, text: str | None = None, defaults: dict[str, Any] | None = None
) -> Environment:
    """Load, merge over the defaults, type-check and rule-check one environment.

    `text` and `defaults` stand in for the file's content and the package defaults (aurora-gen diff: both at a git ref).
    """
    raw = read_yaml(path, text)
    named = raw.pop("environment", None)
    if named is not None and env_name is not None and named != env_name:
        # The folder is the environment: a file claiming another would render the wrong names.
        raise InputError(path, "environment", f"{shown(named)} does not match the folder envs/{env_name}")
    name = named or env_name or _default_name(path)
    merged = merge(data.defaults() if defaults is None else defaults, raw)
    merged["environment"] = name
    try:
        env = Environment.model_validate(merged)
    except ValidationError as exc:
        field, message = first_error(exc.errors())
        raise InputError(path, field, message) from None
    validate.check(env, data.limits(), str(path))
    return env

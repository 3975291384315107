"""Turning an environment's sizing.yaml (merged over the package defaults) into an Environment.

Every failure is an InputError naming the file and the field.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from generator import data, validate
from generator.errors import InputError
from generator.model import Environment

ENVS_DIR = Path("envs")
SIZING_FILE = "sizing.yaml"


def sizing_path(env: str, root: Path = Path(".")) -> Path:
    return root / ENVS_DIR / env / SIZING_FILE


def discover_envs(root: Path = Path(".")) -> list[str]:
    """Environments are the folders under envs/ that hold a sizing.yaml."""
    base = root / ENVS_DIR
    return sorted(p.parent.name for p in base.glob(f"*/{SIZING_FILE}")) if base.is_dir() else []


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


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader (libyaml's when present) that rejects a key given twice instead of keeping the last."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def read_yaml(path: Path, text: str | None = None) -> dict[str, Any]:
    """Parse a YAML mapping from `path`, or from `text` named `path` in messages (a file at a git ref)."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(path, None, "file not found") from None
        except UnicodeDecodeError as exc:
            raise InputError(path, None, f"not UTF-8 text (byte {exc.start})") from None
        except OSError as exc:
            raise InputError(path, None, f"cannot read: {exc.strerror}") from None
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, None, f"malformed YAML{where}: {problem}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError(path, None, f"expected a mapping of settings, found {type(raw).__name__}")
    return raw


def _default_name(path: Path) -> str:
    """envs/<env>/sizing.yaml is <env>; any other file is named by its stem."""
    return path.parent.name if path.parent.parent.name == ENVS_DIR.name else path.stem.lower()


def load_environment(path: Path, env_name: str | None = None, *, text: str | None = None,
                     defaults: dict[str, Any] | None = None) -> Environment:
    """Load, merge over the defaults, type-check and rule-check one environment.

    `text` and `defaults` stand in for the file's content and the package defaults (aurora-gen diff: both at a git ref).
    """
    raw = read_yaml(path, text)
    named = raw.pop("environment", None)
    if named is not None and env_name is not None and named != env_name:
        # The folder is the environment: a file claiming another would render the wrong names.
        raise InputError(path, "environment", f"{named!r} does not match the folder envs/{env_name}")
    name = named or env_name or _default_name(path)
    merged = merge(data.defaults() if defaults is None else defaults, raw)
    merged["environment"] = name
    try:
        env = Environment.model_validate(merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = _field(err["loc"]) or None
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        elif err["type"] == "missing":
            message = "required but not set"
        else:
            got = err.get("input")
            shown = "" if isinstance(got, (dict, list)) else f" (got {got!r})"
            message = f"{err['msg']}{shown}"
        more = len(exc.errors()) - 1
        raise InputError(path, field, message + (f" (and {more} more)" if more else "")) from None
    validate.check(env, data.limits(), str(path))
    return env

"""Sizing an environment into its report: the one entry `aurora-gen diff` and the charts read figures through.

They use nothing but the report's JSON contract (`report.build`, what `aurora-gen report --format json`
prints), so a change to the model reaches them through the report alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple


class Sized(NamedTuple):
    env: Any  # generator.model.Environment: the charts read the load profile from it (the report has no scale points)
    report: dict[str, Any]


def size_environment(
    path: Path | str,
    env_name: str | None = None,
    *,
    text: str | None = None,
    defaults: dict[str, Any] | None = None,
    projection_months: int | None = None,
) -> Sized:
    """One sizing file, or its `text` (named `path` in errors) merged over `defaults`, sized into its report.

    `projection_months` lengthens the storage projection (the charts draw 24 months) without
    touching anything else. Bad input raises InputError naming the file and the field.
    """
    from generator import data, report
    from generator.loader import load_environment

    env = load_environment(Path(path), env_name, text=text, defaults=defaults)
    if projection_months is not None:
        env = env.model_copy(update={"projection_months": projection_months})
    return Sized(env, report.build(env, data.prices(), data.limits(), data.seed()))


def size_tree(root: Path, projection_months: int | None = None) -> dict[str, Sized]:
    """Every environment under root/envs, by name."""
    from generator.loader import discover_envs, sizing_path

    return {
        name: size_environment(sizing_path(name, root), name, projection_months=projection_months)
        for name in discover_envs(root)
    }


def warning_text(warning: Any) -> str:
    """A warning as one line: a plain string, or an object {code, message} (issue 8's shape)."""
    if isinstance(warning, dict):
        return f"{warning.get('code', 'warning')}: {warning.get('message', '')}"
    return str(warning)


def warning_key(warning: Any) -> str:
    """What identifies a warning across two sizings: its code where it has one (the message carries figures)."""
    return warning["code"] if isinstance(warning, dict) and "code" in warning else warning_text(warning)


def sources(rep: dict[str, Any]) -> list[str]:
    """The data a report was computed from, one line each.

    Reads {kind: date} (today's report) or a list of {path, date, ...} (issue 8's `sources`).
    """
    src = rep.get("sources") or {}
    if isinstance(src, dict):
        return [f"{kind}: {date}" for kind, date in src.items()]
    return [
        " ".join(str(v) for v in (s.get("path"), s.get("date") or s.get("effective")) if v)
        if isinstance(s, dict)
        else str(s)
        for s in src
    ]

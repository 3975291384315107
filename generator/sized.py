"""Sizing an environment into its result: the one entry render, report, `aurora-gen diff` and the charts use.

diff and the charts read nothing but the result's JSON contract (`result.build`, what
`aurora-gen report --format json` prints), so a change to the model reaches them through the result alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple


class Sized(NamedTuple):
    env: Any  # generator.model.Environment (render's template reads it)
    report: dict[str, Any]  # result.build's: every figure, computed once


def size_environment(
    path: Path | str,
    env_name: str | None = None,
    *,
    text: str | None = None,
    defaults: dict[str, Any] | None = None,
    projection_months: int | None = None,
    observed: bool = True,
) -> Sized:
    """One sizing file, or its `text` (named `path` in errors) merged over `defaults`, sized into its report.

    `projection_months` lengthens the storage projection (the charts draw 24 months) without
    touching anything else. `observed=False` sizes the model alone, without the environment's observation
    file (envs/<env>/observed.yaml): `aurora-gen observe --write` computes its factors against that, or they
    would compound. Bad input raises InputError naming the file and the field.
    """
    del observed  # no observation file is read yet: the model is the same either way
    from generator.errors import InputError
    from generator.loader import load_environment

    path = Path(path)
    if text is None and env_name is not None and not path.exists():
        missing = "is a broken link" if path.is_symlink() else "file not found"
        raise InputError(
            path,
            None,
            f"{missing}: envs/{env_name}/ is an environment root and needs its "
            "sizing.yaml (the tfvars is generated from it)",
        )
    env = load_environment(path, env_name, text=text, defaults=defaults)
    if projection_months is not None:
        env = env.model_copy(update={"projection_months": projection_months})
    try:
        return Sized(env, report_of(env))
    except (ArithmeticError, ValueError) as exc:  # a figure out of range despite the input bounds: still one line
        raise InputError(path, None, f"the sizing cannot be computed: {exc}") from None


def report_of(env: Any) -> dict[str, Any]:
    """The result of a loaded Environment with the package's data files: its region's and DR region's prices."""
    from generator import data, result

    return result.build(
        env,
        data.prices(env.region),
        data.limits(),
        data.calibration(),
        data.seed(),
        data.sources(env.region, env.dr_region),
        dr_prices=data.prices(env.dr_region),
    )


def size_tree(root: Path, projection_months: int | None = None) -> dict[str, Sized]:
    """Every environment under root/envs, by name."""
    from generator.inputs import discover_envs, sizing_path

    return {
        name: size_environment(sizing_path(name, root), name, projection_months=projection_months)
        for name in discover_envs(root)
    }


def all_sources(reports: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Every data file the reports were computed from, once each (by path), in the order first named: an
    environment in another region brings its own price files."""
    seen: dict[str, dict[str, str]] = {}
    for rep in reports:
        for source in rep.get("sources") or []:
            seen.setdefault(source["path"], source)
    return list(seen.values())

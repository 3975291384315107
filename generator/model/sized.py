"""Sizing an environment into its result: the one entry render, report, `aurora-gen diff` and the charts use.

diff and the charts read nothing but the result's JSON contract (`result.build`, what
`aurora-gen report --format json` prints), so a change to the model reaches them through the result alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple


class Sized(NamedTuple):
    env: Any  # generator.inputs.model.Environment (render's template reads it)
    report: dict[str, Any]  # result.build's: every figure, computed once


def size_environment(
    path: Path | str,
    env_name: str | None = None,
    *,
    text: str | None = None,
    defaults: dict[str, Any] | None = None,
    projection_months: int | None = None,
    observed: bool = True,
    observed_text: str | None = None,
) -> Sized:
    """One sizing file, or its `text` (named `path` in errors) merged over `defaults`, sized into its report.

    `projection_months` lengthens the storage projection (the charts draw 24 months) without
    touching anything else. The observation beside the sizing file (observed.yaml; `observed_text` stands in
    for it with `text`, a file at a git ref) is applied after the calibration; `observed=False` ignores it: the
    bare model, which `aurora-gen observe` compares the cluster with. Bad input raises InputError naming the
    file and the field.
    """
    from generator.errors import InputError
    from generator.inputs.loader import load_environment

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
    observation = _observation(path, env_name, text, observed_text) if observed else None
    try:
        return Sized(env, report_of(env, observation))
    except (ArithmeticError, ValueError) as exc:  # a figure out of range despite the input bounds: still one line
        raise InputError(path, None, f"the sizing cannot be computed: {exc}") from None


def _observation(path: Path, env_name: str | None, text: str | None, observed_text: str | None) -> Any:
    """The observation beside the sizing file (named envs/<env>/observed.yaml in sources), or None."""
    from generator.observe import observed_file

    beside = observed_file.path_beside(path)
    if text is not None:  # a sizing at a git ref: its observation is given as text, or there is none
        return None if observed_text is None else observed_file.parse(observed_text, beside)
    label = f"envs/{env_name}/{observed_file.OBSERVED_FILE}" if env_name is not None else str(beside)
    return observed_file.load(beside, label)


def report_of(env: Any, observation: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The result of a loaded Environment with the package's data files: its region's and DR region's prices, and
    its observation (generator.observe.observed_file) when there is one."""
    from generator.inputs import data
    from generator.model import result

    return result.build(
        env,
        data.prices(env.region),
        data.limits(),
        data.calibration(),
        data.seed(),
        data.sources(env.region, env.dr_region),
        dr_prices=data.prices(env.dr_region),
        observation=observation,
    )


def size_tree(root: Path, projection_months: int | None = None) -> dict[str, Sized]:
    """Every environment under root/envs, by name."""
    from generator.inputs.files import discover_envs, sizing_path

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

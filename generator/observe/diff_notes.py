"""aurora-gen diff: a new, changed or removed observation (envs/<env>/observed.yaml) as a note naming the figures it
moves. Each side is sized with its own observation; the figures it moves are the head's sized with the base's
observation (or none) against the head as it is: the observation's own effect, apart from the sizing's change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from generator.observe.apply import window_text


def _content(observation: Mapping | None) -> dict[str, Any] | None:
    """What an observation says, without where it was read (REF:envs/... against envs/...)."""
    return None if observation is None else {k: v for k, v in observation.items() if k != "path"}


def _described(obs: Mapping) -> str:
    return f"{obs['effective']}, {obs['cluster']}, {window_text(obs)}"


def notes(
    base: Mapping[str, Mapping],
    head: Mapping[str, Any],
    moved: Callable[[str, Mapping | None], list[str]],
) -> list[str]:
    """One note per environment whose observation is new, changed or removed. `base`: the base's reports by name;
    `head`: the head's Sized by name; `moved(name, base_observation)`: the labels of the head's figures that the
    head's observation moves against `base_observation`."""
    out = []
    for name, sized in head.items():
        before = (base.get(name) or {}).get("observation")
        now = sized.report.get("observation")
        if _content(before) == _content(now):
            continue
        path = f"envs/{name}/observed.yaml"
        if before is None:
            what = f"{path} is new ({_described(now)})"
        elif now is None:
            what = f"{path} is removed (was {_described(before)})"
        else:
            what = f"{path} changed ({_described(before)} -> {_described(now)})"
        figures = moved(name, before)
        out.append(f"{what}: it moves {', '.join(figures)}" if figures else f"{what}: it moves no figure")
    return out

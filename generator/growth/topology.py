"""Which topology an environment runs: one Serverless v2 writer, or a Limitless shard group (and why).

Pure functions over the required peak, the storage and the dated AWS limits; the choice is the sizing's
`topology` (auto, single or limitless).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.model import sizing


def decide(setting: str, peak_acu: float, storage_gb: float, limits: Mapping) -> dict[str, Any]:
    """{setting, kind, reason, beyond_one_writer}: `auto` picks limitless only when one writer cannot hold the
    peak at AWS's max ACU or the storage passes the cluster's limit; `single` and `limitless` are the sizing's."""
    writer, limit_gb = limits["acu"]["max"], sizing.storage_limit_gb(limits)
    beyond = []
    if peak_acu > writer:
        beyond.append(f"the peak needs {peak_acu:g} ACU, above one writer's {writer:g} ACU")
    if storage_gb > limit_gb:
        beyond.append(
            f"{storage_gb:,.0f} GB at retention is above the cluster's {limits['storage']['max_tib']} TiB "
            f"({limit_gb:,.0f} GB)"
        )
    fits = (
        f"one writer holds the peak ({peak_acu:g} of {writer:g} ACU) and the storage "
        f"({storage_gb:,.0f} of {limit_gb:,.0f} GB)"
    )
    if setting == "auto":
        kind = "limitless" if beyond else "single"
        reason = f"auto: {'; '.join(beyond) if beyond else fits}"
    else:
        kind = setting
        reason = f"topology: {setting} in sizing.yaml" + (f" ({'; '.join(beyond)})" if beyond else f" ({fits})")
    return {"setting": setting, "kind": kind, "reason": reason, "beyond_one_writer": beyond}


def single_blocker(topo: Mapping[str, Any]) -> str | None:
    """Why a `single` topology cannot run this load (render refuses it), or None."""
    if topo["kind"] == "single" and topo["beyond_one_writer"]:
        return "; ".join(topo["beyond_one_writer"]) + ": set topology to auto or limitless, or lower the load"
    return None

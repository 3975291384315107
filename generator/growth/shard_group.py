"""A Limitless shard group sized from the required ACU along the load profile (pure).

max ACU: the required peak over the headroom share (generator/data/headroom.yaml), at least AWS's 16; the
routers and shards are AWS's table's row for that max (generator/data/limitless-2026-12.yaml); min ACU:
the table's default minimum for that max, raised to the quietest point's requirement; the month's average:
each profile point's requirement within [min, max], as for one writer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from generator.model import sizing


def capacity_row(max_acu: float, facts: Mapping) -> Mapping[str, Any]:
    """AWS's routers/shards row for a shard group's max ACU (the last row past the table's end)."""
    rows = facts["capacity_table"]
    return next((r for r in rows if max_acu <= r["max_acu"]), rows[-1])


def compute_redundancy(setting: int | None, env_name: str, facts: Mapping) -> tuple[int, str]:
    """The sizing's compute redundancy, else the data's default for the environment; and where it came from."""
    if setting is not None:
        return setting, "sizing.yaml limitless.compute_redundancy"
    defaults = facts["compute_redundancy_default"]
    return defaults.get(env_name, defaults["otherwise"]), "generator/data/limitless-2026-12.yaml"


def billed_factor(routers: int, shards: int, redundancy: int) -> float:
    """Billed ACUs per ACU of the shard group: each shard's standbys run at its capacity; routers have none.
    The group's ACUs are assumed to split by node count (UNCONFIRMED: the data file's billing note)."""
    return (routers + shards * (1 + redundancy)) / (routers + shards)


def size(
    peak_acu: float,
    profile: Sequence[Any],
    required: Sequence[float],
    redundancy: tuple[int, str],
    facts: Mapping,
    peak_share: float,
) -> dict[str, Any]:
    """The shard group for a load whose profile points require `required` ACU (peak first or not)."""
    group = facts["shard_group"]
    max_acu = float(max(group["min_acu_floor"], math.ceil(peak_acu / peak_share)))
    row = capacity_row(max_acu, facts)
    min_acu = float(min(max_acu, max(row["default_min_acu"], group["min_acu_floor"], math.ceil(min(required)))))
    average = sizing.average_acu_from_profile(profile, required, min_acu, max_acu)
    level, level_from = redundancy
    factor = billed_factor(row["routers"], row["shards"], level)
    tables = facts["tables"]
    return {
        "min_acu": min_acu,
        "max_acu": max_acu,
        "max_acu_ceiling": group["max_acu_ceiling"],
        "over_ceiling": max_acu > group["max_acu_ceiling"],
        "routers": row["routers"],
        "shards": row["shards"],
        "compute_redundancy": level,
        "compute_redundancy_from": level_from,
        "standby_shards": row["shards"] * level,
        "average_acu": round(average, 2),
        "billed_factor": round(factor, 4),
        "sized_at_peak_share": peak_share,
        "shard_key": tables["shard_key"],
        "collocate_with": tables["collocate_with"],
        "tables": dict(tables["kinds"]),
        "engine_version": facts["render"]["engine_version"],
        "storage_type": facts["cluster"]["storage_type"],
        "proxy_supported": facts["rds_proxy"]["supported"],
    }

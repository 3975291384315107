"""An observation in the model: applied after the calibration, like the price file (generator/model/result.py build).

- the observed cache hit ratio replaces the derived one at every profile point (as `io.buffer_cache_hit_ratio`
  does), unless sizing.yaml states `io.buffer_cache_hit_ratio`: the team's statement wins. The ranges' hit-ratio
  band becomes the observed miss share divided and multiplied by `hit_ratio_miss_factor`
  (generator/data/observed-model.yaml);
- `factors.cpu` replaces the Aurora CPU factor (generator/data/aurora-cpu-factor.yaml) for this environment; the
  factor's own band (0.75-1.5) is what the observation resolved, so the CPU's range is the calibration's spread;
- `factors.bytes_per_row` multiplies every table's measured bytes per row: storage, and the hot set the cache
  holds;
- `factors.io_per_statement` multiplies every table's measured pages per read and per write: the billed read I/O.
A null factor leaves its figure as modelled. Pure functions over plain data.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator.inputs import data

if TYPE_CHECKING:  # the pydantic models are only types here
    from generator.inputs.model import Environment


def hit_ratio_from(env: Environment, observation: Mapping | None) -> str:
    """Which cache hit ratio the model uses: sizing.yaml's override, else the observed one, else the workload's."""
    if env.io.buffer_cache_hit_ratio is not None:
        return "override"
    if observation is not None and observation["observed"]["cache_hit_ratio"] is not None:
        return "observed"
    return "workload"


def observed_band(hit: float) -> tuple[float, float]:
    """The hit-ratio band an observed ratio leaves: its miss share divided and multiplied by the stated factor."""
    k = data.observed_model()["hit_ratio_miss_factor"]
    miss = 1 - hit
    return round(max(0.0, 1 - miss * k), 6), round(min(1.0, 1 - miss / k), 6)


def environment(env: Environment, observation: Mapping | None) -> Environment:
    """`env` with the observed hit ratio as its override and the band it leaves (when the observed one is used)."""
    if hit_ratio_from(env, observation) != "observed":
        return env
    from generator.inputs.model import HitRatioBand

    hit = observation["observed"]["cache_hit_ratio"]
    low, high = observed_band(hit)
    io = env.io.model_copy(update={"buffer_cache_hit_ratio": hit, "hit_ratio_band": HitRatioBand(low=low, high=high)})
    return env.model_copy(update={"io": io})


def calibration(cal: Mapping, observation: Mapping | None) -> Mapping:
    """The calibration with the observed factors on bytes per row and pages per statement (a copy)."""
    factors = (observation or {}).get("factors") or {}
    rows, pages = factors.get("bytes_per_row"), factors.get("io_per_statement")
    if rows is None and pages is None:
        return cal
    out = {**cal, "tables": copy.deepcopy(cal["tables"])}
    for table in out["tables"].values():
        if rows is not None:
            table["bytes_per_row"]["total"] *= rows
        if pages is not None:
            for kind in ("pages_per_read", "pages_per_write"):
                table[kind] = {k: v * pages for k, v in table[kind].items()}
    return out


def cpu_factor(factor: Mapping, observation: Mapping | None) -> Mapping:
    """The observed CPU factor in place of the data file's, with no band of its own (the observation resolved it)."""
    cpu = ((observation or {}).get("factors") or {}).get("cpu")
    if cpu is None:
        return factor
    return {**factor, "factor": cpu, "low": cpu, "high": cpu, "from": "observed"}


def applied(
    env: Environment, cal: Mapping, factor: Mapping, observation: Mapping | None
) -> tuple[Environment, Mapping, Mapping]:
    return environment(env, observation), calibration(cal, observation), cpu_factor(factor, observation)


# ---------------------------------------------------------------------------
# Where each figure comes from
# ---------------------------------------------------------------------------
def window_text(obs: Mapping) -> str:
    w = obs["window"]
    return f"{w['start'][:10]} to {w['end'][:10]} ({w['days']:g} days, {w['points']:,} points)"


def sources(observation: Mapping | None) -> list[dict[str, str]]:
    """The observation file (and the rules it is read by) as sources: path and date, like the price files."""
    if observation is None:
        return []
    return [
        {
            "kind": "observation",
            "path": observation["path"],
            "date": observation["effective"],
            "cluster": observation["cluster"],
            "window": window_text(observation),
            "source": observation["source"],
        },
        {
            "kind": "observed_model",
            "path": data.source_path(data.OBSERVED_MODEL_FILE),
            "date": str(data.observed_model()["effective"]),
        },
    ]


def provenance(env: Environment, observation: Mapping | None, hit_from: str, factor: Mapping) -> dict[str, Any]:
    """{observed, measured, assumed}: each a list of {figure, detail}; `measured_in`: the calibration file;
    `observation`: what was observed, where and when (None without an observation)."""
    factors = (observation or {}).get("factors") or {}
    observed, assumed = [], []

    def corrected(name: str) -> str:
        f = factors.get(name)
        return f"(x {f:g} observed)" if f is not None else ""

    if hit_from == "observed":
        low, high = env.io.hit_ratio_band.low, env.io.hit_ratio_band.high
        detail = f"{env.io.buffer_cache_hit_ratio:g} (BufferCacheHitRatio; ranges over {low:g}-{high:g})"
        observed.append({"figure": "cache hit ratio", "detail": detail})
    elif hit_from == "override":
        detail = f"{env.io.buffer_cache_hit_ratio:g} (io.buffer_cache_hit_ratio in sizing.yaml: the team's statement)"
        if observation is not None and observation["observed"]["cache_hit_ratio"] is not None:
            detail += f"; the observed {observation['observed']['cache_hit_ratio']:g} is not used"
        assumed.append({"figure": "cache hit ratio", "detail": detail})
    else:
        assumed.append(
            {"figure": "cache hit ratio", "detail": "derived (the hot window's rows against the cache at each load)"}
        )
    if factors.get("cpu") is not None:
        detail = f"{factor['factor']:g} (replaces {data.source_path(data.AURORA_CPU_FACTOR_FILE)}; range: the calibration's spread)"
        observed.append({"figure": "Aurora CPU factor", "detail": detail})
    else:
        detail = f"{factor['factor']:g}, range {factor['low']:g}-{factor['high']:g} ({data.source_path(data.AURORA_CPU_FACTOR_FILE)})"
        assumed.append({"figure": "Aurora CPU factor", "detail": detail})
    for name, figure, what in (
        ("bytes_per_row", "bytes per row", "storage and the hot set"),
        ("io_per_statement", "pages per statement", "billed read I/O"),
    ):
        if factors.get(name) is not None:
            observed.append({"figure": figure, "detail": f"the calibration's x {factors[name]:g} ({what})"})
    measured = [
        {"figure": "bytes per row", "detail": corrected("bytes_per_row")},
        {"figure": "pages per read and per write", "detail": corrected("io_per_statement")},
        {"figure": "WAL per write, CPU per statement, memory per connection", "detail": ""},
    ]
    assumed += [
        {"figure": "statement rates, row sizes, retention", "detail": "(defaults.yaml, sizing.yaml)"},
        {"figure": "load profile", "detail": f"of {len(env.compute.load_profile)} points"},
        {"figure": "target CPU utilization", "detail": f"{env.compute.target_cpu_utilization:g}"},
        {"figure": "log write time", "detail": f"{env.io.log_flush_ms:g} ms"},
    ]
    where = None
    if observation is not None:
        where = {k: observation[k] for k in ("path", "effective", "cluster", "source", "window")}
    return {
        "observed": observed,
        "measured": measured,
        "measured_in": data.source_path(data.CALIBRATION_FILE),
        "assumed": assumed,
        "observation": where,
    }


def warnings(observation: Mapping | None) -> list[dict[str, str]]:
    """observe.stale: an observation older than `max_age_days` (against today, UTC)."""
    if observation is None:
        return []
    age = (dt.datetime.now(dt.UTC).date() - dt.date.fromisoformat(observation["effective"])).days
    limit = data.observed_model()["max_age_days"]
    if age <= limit:
        return []
    return [
        {
            "code": "observe.stale",
            "message": f"the observation {observation['path']} is {age} days old (dated {observation['effective']}; "
            f"older than {limit} days, {data.source_path(data.OBSERVED_MODEL_FILE)})",
            "change": "observe the cluster again: aurora-gen observe --write (or remove the file to size from the "
            "model alone)",
        }
    ]

"""CPU per statement from repeated rounds of the calibration: the median, the range, and whether to trust them.

A backend's CPU time per statement moves with what else the machine runs (caches, frequency, neighbours):
one run is one draw. `calibrate --repeat N` runs the whole workload N times; each statement type keeps the
median of its rounds and the lowest and highest round. When (highest - lowest) / median passes the stated
threshold (calibrate-settings.yaml max_cpu_spread), the figure is not written.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

KINDS = ("write", "read")


class SpreadTooWide(Exception):
    """The rounds disagree more than the stated threshold: one line for the user."""


def spread(values: Sequence[float]) -> float:
    """(highest - lowest) / median: 0 for one round or identical rounds."""
    middle = statistics.median(values)
    return (max(values) - min(values)) / middle if middle > 0 else 0.0


def combine(rounds: Sequence[Mapping[str, Mapping]], max_spread: float) -> dict[str, dict]:
    """Round 1's tables with cpu_us_per_<kind> the median over the rounds and cpu_us_per_<kind>_range its
    [lowest, highest]. Raises SpreadTooWide naming the widest statement type when it passes `max_spread`."""
    first = rounds[0]
    tables: dict[str, dict] = {}
    widest = (0.0, "", "")
    for key, figures in first.items():
        out = dict(figures)
        for kind in KINDS:
            values = [r[key][f"cpu_us_per_{kind}"] for r in rounds]
            out[f"cpu_us_per_{kind}"] = round(statistics.median(values), 1)
            out[f"cpu_us_per_{kind}_range"] = [round(min(values), 1), round(max(values), 1)]
            widest = max(widest, (spread(values), key, kind))
        tables[key] = _in_order(out)
    if widest[0] > max_spread:
        share, key, kind = widest
        values = tables[key][f"cpu_us_per_{kind}_range"]
        raise SpreadTooWide(
            f"CPU per {kind} of {key} spread {share:.0%} over {len(rounds)} rounds ({values[0]:g}-{values[1]:g} us), "
            f"more than the {max_spread:.0%} calibrate-settings.yaml allows (max_cpu_spread): the machine is too "
            "busy to measure CPU; nothing written"
        )
    return tables


def _in_order(figures: dict) -> dict:
    """Each range right after its median, as a reader looks for it."""
    out = {}
    for name, value in figures.items():
        if name.endswith("_range"):
            continue
        out[name] = value
        if f"{name}_range" in figures:
            out[f"{name}_range"] = figures[f"{name}_range"]
    return out

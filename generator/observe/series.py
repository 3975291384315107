"""Statistics of one metric's time series: pure functions over (timestamps, values).

Percentiles are computed here from the points (moto's and CloudWatch's GetMetricData with a Stat give no
percentile of a series): linear interpolation between the closest ranks (Hyndman & Fan's type 7, numpy's
default): for p in [0, 100] over n sorted values, rank r = p/100 x (n - 1), value = v[floor r] + (r - floor r)
x (v[ceil r] - v[floor r]).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Series:
    """One metric of one instance (or of the cluster, or the proxy): timestamps ascending, unique, finite values."""

    label: str
    timestamps: tuple[datetime, ...]
    values: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.values)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks; ValueError when empty."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = p / 100 * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


def share_where(values: Sequence[float], test) -> float:  # noqa: ANN001 - a predicate on one value
    """Share of the points for which test(value) holds (0 when there are none)."""
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def slope_per_second(s: Series) -> float:
    """Least-squares slope of value against time (units per second); 0 with fewer than two distinct times."""
    if len(s) < 2:
        return 0.0
    t0 = s.timestamps[0]
    xs = [(t - t0).total_seconds() for t in s.timestamps]
    mx, my = mean(xs), mean(s.values)
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return 0.0
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, s.values, strict=True)) / sxx


def hourly_means(s: Series) -> list[float]:
    """The mean of each clock hour's points (UTC), in time order: the steady-cluster test's hours."""
    buckets: dict[datetime, list[float]] = {}
    for t, v in zip(s.timestamps, s.values, strict=True):
        buckets.setdefault(t.replace(minute=0, second=0, microsecond=0), []).append(v)
    return [mean(vs) for _, vs in sorted(buckets.items())]


def summed(series: Sequence[Series], label: str) -> Series | None:
    """Several instances' series added at each timestamp all of them have (the cluster's connections)."""
    if not series:
        return None
    common = set(series[0].timestamps)
    for s in series[1:]:
        common &= set(s.timestamps)
    stamps = tuple(sorted(common))
    by_time = [dict(zip(s.timestamps, s.values, strict=True)) for s in series]
    return Series(label, stamps, tuple(math.fsum(m[t] for m in by_time) for t in stamps))


def weighted_percentile(points: Sequence[tuple[float, float]], p: float) -> float:
    """The p-th percentile of a step distribution of (value, share of the time): the model's load profile.
    The value below which p% of the time lies (the lowest value whose cumulative share reaches p%)."""
    total = math.fsum(w for _, w in points)
    cumulative = 0.0
    ordered = sorted(points)
    for value, weight in ordered:
        cumulative += weight
        if cumulative / total >= p / 100 - 1e-12:
            return value
    return ordered[-1][0]

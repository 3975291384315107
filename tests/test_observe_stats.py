"""observe's statistics on fixed numbers: percentiles (linear between closest ranks), shares, slope, the
profile's percentiles, and the period CloudWatch keeps at an age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from generator.observe import facts
from generator.observe.series import (
    Series,
    hourly_means,
    percentile,
    share_where,
    slope_per_second,
    summed,
    weighted_percentile,
)

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def series(values, step_s=60):
    return Series("m", tuple(T0 + timedelta(seconds=step_s * i) for i in range(len(values))), tuple(values))


@pytest.mark.parametrize(
    ("p", "expected"),
    [(0, 1.0), (50, 5.5), (95, 9.55), (99, 9.91), (100, 10.0)],
)
def test_percentile_interpolates_between_closest_ranks(p, expected):
    assert percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], p) == pytest.approx(expected)


def test_percentile_of_one_value_and_of_none():
    assert percentile([4.5], 99) == 4.5
    with pytest.raises(ValueError):
        percentile([], 50)


def test_share_where_counts_points():
    assert share_where([2, 2, 2, 12], lambda v: v >= 12) == 0.25
    assert share_where([], lambda v: True) == 0.0


def test_slope_is_units_per_second():
    assert slope_per_second(series([100, 160, 220, 280])) == pytest.approx(1.0)  # 60 more each minute
    assert slope_per_second(series([5])) == 0.0


def test_hourly_means_bucket_by_clock_hour():
    s = series([1, 1, 3, 3], step_s=1800)  # 00:00, 00:30, 01:00, 01:30
    assert hourly_means(s) == [1.0, 3.0]


def test_summed_adds_instances_at_common_timestamps():
    a, b = series([1, 2, 3]), series([10, 20])
    total = summed([a, b], "DatabaseConnections")
    assert total.values == (11, 22)


def test_weighted_percentile_of_the_load_profile():
    profile = [(2.0, 0.15), (1.0, 0.30), (0.5, 0.55)]  # (ACU, share of the month)
    assert weighted_percentile(profile, 50) == 0.5  # 55% of the month at 0.5 ACU
    assert weighted_percentile(profile, 60) == 1.0
    assert weighted_percentile(profile, 95) == 2.0  # the peak holds 15% of the month


@pytest.mark.parametrize(
    ("age", "period"), [(1, 60), (14, 60), (15, 60), (16, 300), (63, 300), (64, 3600), (455, 3600), (456, None)]
)
def test_period_is_the_finest_cloudwatch_keeps_at_that_age(age, period):
    assert facts.period_for_age(age) == period

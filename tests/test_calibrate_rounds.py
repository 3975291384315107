"""CPU from repeated rounds: the median and range per statement type, and a spread too wide is refused."""

from __future__ import annotations

import pytest

from generator.calibration import cpu_rounds
from generator.inputs import data


def round_of(write: float, read: float) -> dict:
    return {"t/history": {"relation": "t", "cpu_us_per_write": write, "cpu_us_per_read": read, "bloat": 1.2}}


def test_median_and_range_per_statement_type():
    tables = cpu_rounds.combine([round_of(10, 50), round_of(12, 40), round_of(11, 45)], max_spread=0.25)
    t = tables["t/history"]
    assert (t["cpu_us_per_write"], t["cpu_us_per_write_range"]) == (11, [10, 12])
    assert (t["cpu_us_per_read"], t["cpu_us_per_read_range"]) == (45, [40, 50])
    assert list(t) == [
        "relation",
        "cpu_us_per_write",
        "cpu_us_per_write_range",
        "cpu_us_per_read",
        "cpu_us_per_read_range",
        "bloat",
    ]
    assert t["bloat"] == 1.2  # everything else is the first round's


def test_one_round_has_no_spread():
    t = cpu_rounds.combine([round_of(10, 50)], max_spread=0.0)["t/history"]
    assert t["cpu_us_per_write_range"] == [10, 10]


def test_a_spread_past_the_threshold_is_refused_naming_the_widest():
    with pytest.raises(cpu_rounds.SpreadTooWide) as err:
        cpu_rounds.combine([round_of(10, 50), round_of(10.5, 70), round_of(10.2, 52)], max_spread=0.25)
    message = str(err.value)
    assert "CPU per read of t/history spread 38% over 3 rounds (50-70 us)" in message
    assert "max_cpu_spread" in message and "\n" not in message
    # Just inside the threshold: written.
    cpu_rounds.combine([round_of(10, 40), round_of(10, 44), round_of(10, 50)], max_spread=0.25)


def test_the_committed_calibration_was_measured_in_rounds():
    cal = data.calibration()
    run = cal["run"]
    assert run["rounds"] >= 3 and run["cpu_method"] == "proc_schedstat" and run["cores"] >= 1
    assert run["max_cpu_spread"] == data.calibrate_settings()["max_cpu_spread"]
    assert len(run["load_average"]["start"]) == len(run["load_average"]["end"]) == 3
    for key, t in cal["tables"].items():
        for kind in cpu_rounds.KINDS:
            low, high = t[f"cpu_us_per_{kind}_range"]
            assert low <= t[f"cpu_us_per_{kind}"] <= high, key
            assert cpu_rounds.spread([low, t[f"cpu_us_per_{kind}"], high]) <= run["max_cpu_spread"], key


def test_the_cpu_factor_is_dated_data_with_a_band():
    f = data.aurora_cpu_factor()
    assert f["low"] <= f["factor"] <= f["high"] and f["source"] and f["note"] and f["effective"]
    assert "aurora-cpu-factor.yaml" in {s["path"].rsplit("/", 1)[1] for s in data.sources()}

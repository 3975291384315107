"""The measured model (storage, I/O, required ACU) against values computed by hand from a small calibration."""

from __future__ import annotations

import pytest

from generator.inputs import data
from generator.inputs.model import Environment, ScalePoint
from generator.model import result, sizing
from tests.conftest import environment

LIMITS, PRICES = data.limits(), data.prices()
BILLING = PRICES["io_billing"]


def figures(
    total: float,
    payload: int,
    *,
    wal: float = 4096,
    read_pages: tuple = (3, 1),
    write_pages: tuple = (2, 0),
    wal_statement: float | None = None,
    cpu_read: float = 100,
    cpu_write: float = 200,
    bloat: float = 1.0,
) -> dict:
    return {
        "payload_bytes": payload,
        "bytes_per_row": {"total": total},
        "bloat": bloat,
        "wal_bytes_per_write": wal,
        "wal_bytes_per_write_statement": wal if wal_statement is None else wal_statement,
        "pages_per_read": {"hit": read_pages[0], "read": read_pages[1]},
        "pages_per_write": {"hit": write_pages[0], "read": write_pages[1]},
        "cpu_us_per_read": cpu_read,
        "cpu_us_per_write": cpu_write,
        # the calibration's spread: 80%..150% of the median
        "cpu_us_per_read_range": [cpu_read * 0.8, cpu_read * 1.5],
        "cpu_us_per_write_range": [cpu_write * 0.8, cpu_write * 1.5],
    }


# Every table at 1,000 bytes a row; agent_states also measured in place.
CAL = {
    "server": {"block_size": 8192},
    "payload": {"kind": "synthetic", "compression": {}},
    "memory": {"bytes_per_connection": 4 * 2**20},
    "tables": {
        "agent_states/history": figures(1250, 1000, bloat=1.25),
        "agent_states/in_place": figures(1500, 1000, bloat=1.5),
        "discovery_events/history": figures(2400, 2000),
        "task_history/history": figures(4500, 5000),
        "metrics/history": figures(600, 500),
    },
}


def env_from(overrides: dict) -> Environment:
    return environment(overrides, {"min": 0.5, "max": 64})


FACTOR = {"factor": 1.0, "low": 1.0, "high": 1.0}


def build(env: Environment, cal: dict = CAL, factor: dict = FACTOR) -> dict:
    return result.build(env, PRICES, LIMITS, cal, data.seed(), [], cpu_factor=factor)


def test_measured_storage_per_table():
    env = env_from({})
    t = env.tables
    # 1,000 agents x 60/h x 24 h x 30 d = 43.2 M rows x 1,250 bytes = 54 GB (raw payload: 43.2 GB)
    assert sizing.table_measured_gb("agent_states", t["agent_states"], 1000, CAL) == pytest.approx(54.0)
    # 216 GB of 500-byte metrics at 600 bytes a row
    assert sizing.table_measured_gb("metrics", t["metrics"], 1000, CAL) == pytest.approx(259.2)
    assert sizing.measured_steady_state_gb(env, CAL) == pytest.approx(10 + 54 + 43.2 * 1.2 + 3.5 * 0.9 + 259.2)
    # in place: one row per agent at 1,500 bytes
    in_place = env_from({"tables": {"agent_states": {"mode": "in_place"}}})
    assert sizing.table_measured_gb("agent_states", in_place.tables["agent_states"], 1000, CAL) == pytest.approx(0.0015)


def test_rows_of_another_size_scale_from_the_calibrated_one():
    env = env_from({"tables": {"metrics": {"row_bytes": 1000}}})
    assert sizing.measured_bytes_per_row(env.tables["metrics"], CAL["tables"]["metrics/history"]) == 1200


def test_io_is_pages_missed_and_wal_in_4kb_units():
    table = env_from({}).tables["metrics"]  # 10 writes a minute, 15 reads a minute per agent
    io = sizing.table_io(table, 1000, CAL["tables"]["metrics/history"], 0.9, BILLING, 8192)
    assert (io.reads, io.writes) == pytest.approx((250, 1000 / 6))
    # reads: 250/s x 4 pages + 166.7/s x 2 pages, 10% missed; writes: 4,096 bytes of WAL = one 4 KB unit each
    assert io.billed_reads == pytest.approx((250 * 4 + 1000 / 6 * 2) * 0.1)
    assert io.billed_writes == pytest.approx(1000 / 6)
    assert sizing.per_month_million(io.billed, 730) == pytest.approx(io.billed * 730 * 3600 / 1e6)


def test_more_writes_on_one_table_raise_its_io():
    base, busy = env_from({}), env_from({"tables": {"metrics": {"writes_per_agent": 100}}})
    a, b = build(base)["iops"]["tables"], build(busy)["iops"]["tables"]
    assert b["metrics"]["billed_per_second"] > 9 * a["metrics"]["billed_per_second"] / 2
    assert b["task_history"] == a["task_history"]


def test_cpu_and_memory_requirements():
    # 1 vCPU-second a second at peak, 70% target, 4 ACU per vCPU
    assert sizing.cpu_acu(1.0, 1.0, 0.7, 4) == pytest.approx(4 / 0.7)
    assert sizing.cpu_acu(1.0, 0.25, 0.7, 4) == pytest.approx(1 / 0.7)
    # 10 GiB hot set at 90% hits + 256 connections x 4 MiB = 10 GiB at 2 GiB per ACU = 5 ACU ...
    assert sizing.memory_acu(10 * 2**30, 0.9, 256, 4 * 2**20, 2) == pytest.approx(5.0)
    # ... 6.25 ACU when the cache and the connections get 80% of each ACU's memory
    assert sizing.memory_acu(10 * 2**30, 0.9, 256, 4 * 2**20, 2, 0.8) == pytest.approx(6.25)
    req = sizing.requirement({"cpu": 3.2, "memory": 5.0, "floor": 0.5}, 0.5)
    assert (req.acu, req.binding) == (5.0, "memory")
    assert sizing.requirement({"cpu": 3.01, "memory": 1, "floor": 0.5}, 0.5).acu == 3.5


def test_prod_like_requirement_by_hand():
    env = env_from({})
    rep = build(env)
    # statements at average load: reads 2,000/s, writes 187.3/s; every read 100 us, every write 200 us
    writes = sum(sizing.writes_per_second(t, 1000) for t in env.tables.values())
    cpu_avg = 2000 * 100e-6 + writes * 200e-6
    mean = 0.15 + 0.3 * 0.5 + 0.15 * 0.25 + 0.2 * 0.125 + 0.2 * 0.0625
    cpu_peak_acu = cpu_avg / mean / 0.7 * 4
    # hot set: the last hour of each history table at the PEAK's rates (average / mean load)
    hot = sum(
        sizing.writes_per_second(t, 1000)
        / mean
        * 3600
        * sizing.measured_bytes_per_row(t, CAL["tables"][f"{n}/history"])
        for n, t in env.tables.items()
    )
    # 90% of it (the hit-ratio band's low end) and 390 connections x 4 MiB, out of 75% of 2 GiB per ACU
    memory_peak = (hot * 0.9 + 390 * 4 * 2**20) / 2**30 / 2 / 0.75
    by = rep["acu"]["required"]["peak_by_resource"]
    assert by == pytest.approx({"cpu": cpu_peak_acu, "memory": memory_peak, "floor": 0.5}, abs=0.01)
    assert rep["acu"]["required"]["peak"] == sizing.round_up_to_grid(max(cpu_peak_acu, memory_peak), 0.5)
    assert rep["acu"]["hot_set_gb"] == pytest.approx(hot / 1e9, abs=0.01)
    profile = rep["acu"]["required"]["profile"]
    assert rep["acu"]["average"] == pytest.approx(sum(p["share"] * p["acu"] for p in profile), abs=0.005)


def test_connections_set_no_running_capacity():
    # dev: 10 agents, pools of 25 connections. CPU and memory need almost nothing; the pools need a max ACU of
    # 1 for max_connections, which the max ACU setting (2) provides, not the capacity the cluster runs at.
    pools = {
        "supervisor": {"min": 1, "max": 5, "replicas": 1},
        "worker": {"min": 1, "max": 5, "replicas": 2},
        "gateway": {"min": 2, "max": 10, "replicas": 1},
    }
    rep = build(environment({"agents": 10, "connection_pools": pools}, {"min": 0.5, "max": 2}))
    req = rep["acu"]["required"]
    assert "connections" not in req["peak_by_resource"]
    assert (req["peak"], req["binding"]) == (0.5, "floor")
    assert rep["connections"]["max_acu_for_pools"] == 1 and rep["acu"]["average"] == 0.5


def test_the_hot_set_follows_the_load():
    # Ten times the metrics writes: the peak's hot set (the last hour at the peak's rates, 1 / 0.375 of the
    # average) no longer fits the ACU the CPU needs: memory binds.
    rep = build(
        env_from({"tables": {"metrics": {"writes_per_agent": 100}}}), data.calibration(), data.aurora_cpu_factor()
    )
    req = rep["acu"]["required"]
    assert req["binding"] == "memory" and req["peak_by_resource"]["memory"] > req["peak_by_resource"]["cpu"]
    # at a sixteenth of the peak, the hot set is a sixteenth: only the connections' memory is left
    assert req["baseline_by_resource"]["memory"] < req["peak_by_resource"]["memory"] / 4


def test_average_clamps_the_requirement_to_min_and_max():
    profile = env_from({}).compute.load_profile
    assert sizing.average_acu_from_profile(profile, [8, 4, 2, 1, 0.5], 1, 6) == pytest.approx(
        0.15 * 6 + 0.3 * 4 + 0.15 * 2 + 0.2 * 1 + 0.2 * 1
    )


def test_scale_points_short_of_the_requirement():
    profile = env_from({}).compute.load_profile
    required = [8, 4, 2, 1, 0.5]
    pts = lambda *p: [ScalePoint(acu=a, share=s) for a, s in p]  # noqa: E731
    assert not sizing.scale_points_short(pts((8, 0.15), (4, 0.3), (2, 0.55)), profile, required)
    assert sizing.scale_points_short(pts((6, 0.15), (4, 0.85)), profile, required)  # the peak is 2 ACU short
    assert sizing.scale_points_short(pts((8, 0.1), (4, 0.9)), profile, required)  # peak covered for too little time

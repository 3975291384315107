"""Pure sizing functions: storage, I/O, connections and ACU. No I/O, no AWS numbers in code.

Units are decimal as in the design (1 GB = 10^9 bytes). AWS limits arrive as the `limits`
mapping loaded from the dated limits file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pydantic models are only types here: importing them costs ~0.2 s
    from generator.inputs.model import Environment, LoadPoint, Pool, ScalePoint, Table

GB = 1e9
SECONDS_PER = {"minute": 60, "hour": 3600, "day": 86400}
SECONDS_PER_DAY = 86400
# The design's 30-day month (43.2 GB = 1 KB x 60/h x 24 h x 30 d x 1,000 agents), used wherever a
# month is counted in days; billing months are hours_per_month from the price file.
DAYS_PER_MONTH = 30


# ---------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------
def table_daily_bytes(table: Table, agents: int) -> float:
    """Bytes written to a table per day."""
    writes_per_day = table.writes_per_agent * SECONDS_PER_DAY / SECONDS_PER[table.per]
    return agents * writes_per_day * table.row_bytes


def table_monthly_intake_gb(table: Table, agents: int) -> float:
    """GB written to a table in a (30-day) month, whatever is kept."""
    return table_daily_bytes(table, agents) * DAYS_PER_MONTH / GB


def table_stored_gb(table: Table, agents: int, days: float | None = None) -> float:
    """GB a table holds after `days` of operation (None: at steady state, once retention is full)."""
    if table.mode == "in_place":
        return agents * table.row_bytes / GB
    kept_days = table.retention_days if days is None else min(days, table.retention_days)
    return table_daily_bytes(table, agents) * kept_days / GB


def steady_state_gb(env: Environment) -> float:
    """Tables at retention plus the base storage: where growth levels off."""
    return env.base_storage_gb + sum(table_stored_gb(t, env.agents) for t in env.tables.values())


def monthly_intake_gb(env: Environment) -> float:
    return sum(table_monthly_intake_gb(t, env.agents) for t in env.tables.values())


def storage_limit_gb(limits: Mapping) -> float:
    """Aurora's cluster storage limit (the AWS limits file's TiB) in the model's decimal GB."""
    return limits["storage"]["max_tib"] * 2**40 / GB


def seed_linear_storage_gb(agents: int, months: int, seed: Mapping) -> float:
    """The design's formula, base + per-agent 'GB/month' x agents x months, which ignores retention.

    Kept only as a labelled comparison; never used for sizing.
    """
    per_agent = sum(seed["per_agent_monthly_gb"].values())
    return seed["base_storage_gb"] + per_agent * agents * months


# ---------------------------------------------------------------------------
# Measured storage: the calibration's bytes per live row (heap, TOAST, indexes, free space left by retention)
# ---------------------------------------------------------------------------
def calibrated(name: str, table: Table, calibration: Mapping) -> Mapping:
    """The calibration figures of one model table in its mode (agent_states/history is agent_state_history)."""
    return calibration["tables"][f"{name}/{table.mode}"]


def row_scale(table: Table, cal: Mapping) -> float:
    """Rows of another payload size than the calibrated one scale in proportion (exact at the calibrated size)."""
    return table.row_bytes / cal["payload_bytes"]


def measured_bytes_per_row(table: Table, cal: Mapping) -> float:
    return cal["bytes_per_row"]["total"] * row_scale(table, cal)


def table_rows(table: Table, agents: int, days: float | None = None) -> float:
    """Live rows after `days` of operation (None: at steady state)."""
    if table.mode == "in_place":
        return float(agents)
    kept_days = table.retention_days if days is None else min(days, table.retention_days)
    writes_per_day = table.writes_per_agent * SECONDS_PER_DAY / SECONDS_PER[table.per]
    return agents * writes_per_day * kept_days


def table_measured_gb(name: str, table: Table, agents: int, calibration: Mapping, days: float | None = None) -> float:
    return table_rows(table, agents, days) * measured_bytes_per_row(table, calibrated(name, table, calibration)) / GB


def measured_steady_state_gb(env: Environment, calibration: Mapping) -> float:
    return env.base_storage_gb + sum(table_measured_gb(n, t, env.agents, calibration) for n, t in env.tables.items())


def measured_projection_gb(env: Environment, calibration: Mapping, months: int) -> list[float]:
    return [
        env.base_storage_gb
        + sum(table_measured_gb(n, t, env.agents, calibration, m * DAYS_PER_MONTH) for n, t in env.tables.items())
        for m in range(1, months + 1)
    ]


# ---------------------------------------------------------------------------
# Statement rates (the tables' rates are monthly averages) and I/O
# ---------------------------------------------------------------------------
def writes_per_second(table: Table, agents: int) -> float:
    return agents * table.writes_per_agent / SECONDS_PER[table.per]


def reads_per_second(table: Table, agents: int) -> float:
    return agents * table.reads_per_agent / SECONDS_PER[table.per]


@dataclass(frozen=True)
class TableIO:
    """One table's statements and billed I/O requests a second, at one load (the month's average by default)."""

    reads: float
    writes: float
    billed_reads: float  # 8 KB pages that miss the buffer cache, for reads and for writes
    billed_writes: float  # WAL in 4 KB units, as the commits batch (write_ios_per_write)

    @property
    def billed(self) -> float:
        return self.billed_reads + self.billed_writes


def write_ios_per_write(cal: Mapping, scale: float, billing: Mapping, commits_per_flush: float) -> float:
    """Billed write I/Os per application write, with `commits_per_flush` commits sharing each log write.

    AWS counts write I/Os in 4 KB units of log, and batches log records written at the same time into one
    unit ("Planning I/O in Amazon Aurora"; Aurora FAQs: a 1,024-byte log record is one write I/O). Batched
    (infinitely many commits a flush): the WAL / 4 KB. One commit a flush (autocommit, nobody to share
    with): the write statement's own log rounded up to whole units, retention's DELETE and VACUUM (bulk,
    batched) on top. Between, each flush carries `commits_per_flush` commits: never fewer units than the
    batched figure.
    """
    unit = billing["write_unit_bytes"]
    wal, own = cal["wal_bytes_per_write"] * scale, cal["wal_bytes_per_write_statement"] * scale
    batched = wal / unit
    alone = math.ceil(own / unit - 1e-9) + max(0.0, wal - own) / unit
    return max(batched, alone / max(commits_per_flush, 1.0))


def commits_per_flush(writes_per_second: float, flush_seconds: float, connections: float) -> float:
    """Commits that share one log write: the one that starts it and those arriving while it runs
    (writes a second x the flush's time), at most one per open connection (each waits on its own commit)."""
    return max(1.0, min(1.0 + writes_per_second * flush_seconds, connections))


def table_io(
    table: Table,
    agents: int,
    cal: Mapping,
    hit_ratio: float,
    billing: Mapping,
    block_size: int,
    batch: float = math.inf,
    load: float = 1.0,
) -> TableIO:
    """Aurora bills a read I/O per 8 KB page read from storage (a cache miss) and a write I/O per 4 KB of log.

    Pages touched per statement are measured (all of them hit a warm local cache), so the misses are the
    pages times (1 - hit ratio); the log is the measured WAL per write, retention's DELETE and VACUUM included,
    in units as `batch` commits share a log write. `load` scales the month's average rates.
    """
    reads, writes = reads_per_second(table, agents) * load, writes_per_second(table, agents) * load
    pages = reads * sum(cal["pages_per_read"].values()) + writes * sum(cal["pages_per_write"].values())
    missed = pages * (1 - hit_ratio) * block_size / billing["read_page_bytes"]
    return TableIO(reads, writes, missed, writes * write_ios_per_write(cal, row_scale(table, cal), billing, batch))


def per_month_million(per_second: float, hours_per_month: float) -> float:
    return per_second * hours_per_month * 3600 / 1e6


# ---------------------------------------------------------------------------
# Connections
# ---------------------------------------------------------------------------
def pool_max_total(pools: Mapping[str, Pool]) -> int:
    return sum(p.max * p.replicas for p in pools.values())


def pool_min_total(pools: Mapping[str, Pool]) -> int:
    return sum(p.min * p.replicas for p in pools.values())


def max_connections(max_acu: float, min_acu: float, limits: Mapping) -> int:
    """Aurora PostgreSQL's default max_connections for a Serverless v2 cluster.

    It is set by the memory of the MAXIMUM ACU setting (fixed while capacity moves), from AWS's
    documented values: linear between them, extended along the last slope up to the cap, and
    capped lower when min ACU is 0 or 0.5.
    """
    mc = limits["max_connections"]
    points = sorted((float(a), float(c)) for a, c in mc["documented"].items())
    if max_acu <= points[0][0]:
        value = points[0][1] * max_acu / points[0][0]
    else:
        value = None
        for (a0, c0), (a1, c1) in pairwise(points):
            if max_acu <= a1:
                value = c0 + (c1 - c0) * (max_acu - a0) / (a1 - a0)
                break
        if value is None:
            (a0, c0), (a1, c1) = points[-2], points[-1]
            value = c1 + (c1 - c0) / (a1 - a0) * (max_acu - a1)
    cap = mc["cap"]
    if min_acu <= mc["low_min_acu_threshold"]:
        cap = min(cap, mc["low_min_acu_cap"])
    return int(min(math.floor(value), cap))


def proxy_max_connections(max_conn: int, percent: int) -> int:
    """Connections RDS Proxy may open to the target: its percentage of max_connections."""
    return max_conn * percent // 100


def max_acu_for_pools(
    pooled: int, min_acu: float, proxy_enabled: bool, percent: int, reserve: int, limits: Mapping
) -> float | None:
    """The lowest max ACU whose max_connections (the proxy's share, or less the reserve) holds the pools."""
    step, top = limits["acu"]["step"], limits["acu"]["max"]
    acu = float(limits["acu"]["max_floor"])
    while acu <= top:
        max_conn = max_connections(acu, min_acu, limits)
        budget = proxy_max_connections(max_conn, percent) if proxy_enabled else max_conn - reserve
        if budget >= pooled:
            return acu
        acu += step
    return None


# ---------------------------------------------------------------------------
# ACU: required by CPU, memory and the features' floor (connections constrain the max ACU setting only)
# ---------------------------------------------------------------------------
def mean_load(profile: Sequence[LoadPoint]) -> float:
    """The month's average as a fraction of peak: the tables' rates are averages, so peak = average / this."""
    return sum(p.load * p.share for p in profile)


def cpu_seconds_per_second(env: Environment, cals: Mapping[str, Mapping], end: int | None = None) -> float:
    """Backend CPU a second at average load: statement rates x measured CPU per statement (the median of the
    calibration's rounds, or its spread's low (`end` 0) or high (1) end)."""

    def us(cal: Mapping, kind: str) -> float:
        return cal[f"cpu_us_per_{kind}"] if end is None else cal[f"cpu_us_per_{kind}_range"][end]

    return sum(
        reads_per_second(t, env.agents) * us(cals[n], "read") / 1e6
        + writes_per_second(t, env.agents) * us(cals[n], "write") / 1e6
        for n, t in env.tables.items()
    )


def cpu_acu(cpu_per_second: float, load: float, target_utilization: float, acu_per_vcpu: float) -> float:
    """ACU for the CPU at `load` x peak, busy to `target_utilization` (AWS: ~4 ACU per fully used vCPU)."""
    return cpu_per_second * load / target_utilization * acu_per_vcpu


def hot_set_bytes(env: Environment, calibration: Mapping, rate_scale: float = 1.0) -> float:
    """The working set the cache holds: each history table's rows of the last hot window at `rate_scale` x the
    month's average rates (what the application reads: each agent's latest rows), and the whole of an in-place
    table. At a profile point the rates are average / mean load x its load: the hot set follows the load."""
    hours = env.compute.hot_window_hours
    total = 0.0
    for name, table in env.tables.items():
        cal = calibrated(name, table, calibration)
        if table.mode == "in_place":
            rows = float(env.agents)
        else:
            rows = writes_per_second(table, env.agents) * rate_scale * hours * 3600
        total += rows * measured_bytes_per_row(table, cal)
    return total


def buffer_cache_bytes(
    acu: float, gib_per_acu: float, cache_share: float, connections: float, per_conn: float
) -> float:
    """The buffer cache at `acu`: its memory's share left to the cache and the connections, less the
    connections' own memory (never below nothing)."""
    return max(0.0, acu * gib_per_acu * 2**30 * cache_share - connections * per_conn)


def expected_hit_ratio(cache_bytes: float, hot_bytes: float, ceiling: float) -> float:
    """Share of page reads served from memory: the share of the hot set the cache holds (the reads go to each
    agent's latest rows), at most `ceiling` (reads outside the hot window, pages dropped as capacity scales
    down, the first reads after a failover): the hit-ratio band's top."""
    return ceiling if hot_bytes <= 0 else min(ceiling, cache_bytes / hot_bytes)


def memory_acu(
    hot_bytes: float,
    cached_share: float,
    connections: float,
    bytes_per_connection: float,
    gib_per_acu: float,
    cache_share: float = 1.0,
) -> float:
    """ACU whose buffer cache holds `cached_share` of the hot set beside every open connection's own memory,
    out of the `cache_share` of an ACU's memory the two share."""
    return (hot_bytes * cached_share + connections * bytes_per_connection) / 2**30 / gib_per_acu / cache_share


def round_up_to_grid(value: float, step: float) -> float:
    return math.ceil(value / step - 1e-9) * step


@dataclass(frozen=True)
class Requirement:
    acu: float  # on the ACU grid
    binding: str  # cpu, memory or floor
    by: dict[str, float]


def requirement(by: Mapping[str, float], step: float) -> Requirement:
    """The largest need, rounded up to the ACU grid; ties go to the first named (cpu, memory, floor)."""
    binding = max(by, key=lambda k: by[k])
    return Requirement(round_up_to_grid(by[binding], step), binding, dict(by))


def average_acu_from_profile(profile: Sequence[LoadPoint], required: Sequence[float], lo: float, hi: float) -> float:
    """The month's average ACU: each point's requirement clamped to [min, max], weighted by its share."""
    return sum(p.share * min(max(r, lo), hi) for p, r in zip(profile, required, strict=True))


def average_acu(points: list[ScalePoint]) -> float:
    """Time-weighted average ACU from explicit scale points (an override of the profile)."""
    return sum(p.acu * p.share for p in points)


def scale_points_short(points: Sequence[ScalePoint], profile: Sequence[LoadPoint], required: Sequence[float]) -> bool:
    """True when the override gives less ACU than required for some part of the month.

    Both are sorted from the busiest time down and compared over the same shares of the month.
    """
    given = sorted(((p.acu, p.share) for p in points), reverse=True)
    need = sorted(((r, p.share) for p, r in zip(profile, required, strict=True)), reverse=True)
    gi = ni = 0
    g_left, n_left = (given[0][1] if given else 0.0), (need[0][1] if need else 0.0)
    while gi < len(given) and ni < len(need):
        if given[gi][0] + 1e-9 < need[ni][0] and min(g_left, n_left) > 1e-9:
            return True
        used = min(g_left, n_left)
        g_left, n_left = g_left - used, n_left - used
        if g_left <= 1e-9:
            gi += 1
            g_left = given[gi][1] if gi < len(given) else 0.0
        if n_left <= 1e-9:
            ni += 1
            n_left = need[ni][1] if ni < len(need) else 0.0
    return False


def on_acu_grid(value: float, step: float) -> bool:
    return math.isclose(value / step, round(value / step), abs_tol=1e-9)


def memory_gib(acu: float, limits: Mapping) -> float:
    return acu * limits["acu"]["gib_per_acu"]


def work_mem_exposure_gib(work_mem_kb: int, connections: int) -> float:
    """Memory if every pooled connection ran one sort of work_mem at once."""
    return work_mem_kb * 1024 * connections / 2**30

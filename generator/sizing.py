"""Pure sizing functions: storage, I/O, connections and ACU. No I/O, no AWS numbers in code.

Units are decimal as in the design (1 GB = 10^9 bytes). AWS limits arrive as the `limits`
mapping loaded from the dated limits file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pydantic models are only types here: importing them costs ~0.2 s
    from generator.model import Environment, Pool, ScalePoint, Table

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


def storage_projection_gb(env: Environment, months: int) -> list[float]:
    """Stored GB at the end of months 1..`months`; levels off once every retention is full."""
    return [
        env.base_storage_gb
        + sum(table_stored_gb(t, env.agents, m * DAYS_PER_MONTH) for t in env.tables.values())
        for m in range(1, months + 1)
    ]


def seed_linear_storage_gb(agents: int, months: int, seed: Mapping) -> float:
    """The design's formula, base + per-agent 'GB/month' x agents x months, which ignores retention.

    Kept only as a labelled comparison; never used for sizing.
    """
    per_agent = sum(seed["per_agent_monthly_gb"].values())
    return seed["base_storage_gb"] + per_agent * agents * months


# ---------------------------------------------------------------------------
# I/O
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class IOFigures:
    read_per_second: float
    write_per_second: float
    billed_per_second: float
    billed_million_per_month: float


def io_figures(env: Environment, hours_per_month: float) -> IOFigures:
    """Requests per second, and the billed ones a month: reads that miss the cache, and writes."""
    reads = env.agents * env.io.reads_per_agent_per_second
    writes = env.agents * env.io.writes_per_agent_per_second
    billed = reads * (1 - env.io.buffer_cache_hit_ratio) + writes
    return IOFigures(reads, writes, billed, billed * hours_per_month * 3600 / 1e6)


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
        for (a0, c0), (a1, c1) in zip(points, points[1:]):
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


# ---------------------------------------------------------------------------
# ACU
# ---------------------------------------------------------------------------
def average_acu(points: list[ScalePoint]) -> float:
    """Time-weighted average ACU from the scale points and the share of the month at each."""
    return sum(p.acu * p.share for p in points)


def on_acu_grid(value: float, step: float) -> bool:
    return math.isclose(value / step, round(value / step), abs_tol=1e-9)


def memory_gib(acu: float, limits: Mapping) -> float:
    return acu * limits["acu"]["gib_per_acu"]


def work_mem_exposure_gib(work_mem_kb: int, connections: int) -> float:
    """Memory if every pooled connection ran one sort of work_mem at once."""
    return work_mem_kb * 1024 * connections / 2**30

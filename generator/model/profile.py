"""The month along the load profile: the ACU each point requires and runs at, the cache it gets, the I/O it bills.

The tables' rates are the month's averages; a profile point at `load` x the peak runs them at load / mean
load. Its hot set follows that rate; its buffer cache is the memory of the ACU it runs at (its requirement
clamped to the environment's min and max); its commits share log writes as their rate allows. The month's
I/O is the points' I/O weighted by their shares. Pure functions over the input model and the data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.model import sizing

if TYPE_CHECKING:  # the pydantic models are only types here: importing them costs ~0.2 s
    from generator.inputs.model import Environment


@dataclass(frozen=True)
class Point:
    """One profile point as the cluster runs it."""

    load: float  # fraction of the peak
    share: float  # of the month
    label: str
    requirement: sizing.Requirement
    acu: float  # the requirement within [min, max]: what the point runs at
    connections: float  # open at this load, between the pools' min and max totals


def connections_at(load: float, conns: Mapping) -> float:
    lo, hi = conns["pool_min_total"], conns["pool_max_total"]
    return lo + load * (hi - lo)


def cpu_peak(env: Environment, cal: Mapping, cpu_factor: float, end: int | None = None) -> float:
    """vCPU-seconds a second at peak: the measured CPU (median, or the spread's `end`) x Aurora's CPU factor."""
    cals = {n: sizing.calibrated(n, t, cal) for n, t in env.tables.items()}
    return sizing.cpu_seconds_per_second(env, cals, end) * cpu_factor / sizing.mean_load(env.compute.load_profile)


def cached_share(env: Environment) -> float:
    """The share of the hot set the memory requirement holds: the override, else the band's low end."""
    override = env.io.buffer_cache_hit_ratio
    return env.io.hit_ratio_band.low if override is None else override


def points(env: Environment, cal: Mapping, conns: Mapping, prices: Mapping, limits: Mapping, cpu: float) -> list[Point]:
    """Each profile point's requirement (CPU at `cpu` vCPU-seconds a second at peak, memory, the floor)."""
    comp, step, gib = env.compute, limits["acu"]["step"], limits["acu"]["gib_per_acu"]
    mean = sizing.mean_load(comp.load_profile)
    per_conn = cal["memory"]["bytes_per_connection"]
    floor = limits["acu"]["min"] if env.proxy.enabled else limits["acu"]["auto_pause_min"]
    out = []
    for p in comp.load_profile:
        connections = connections_at(p.load, conns)
        hot = sizing.hot_set_bytes(env, cal, p.load / mean)
        by = {
            "cpu": sizing.cpu_acu(cpu, p.load, comp.target_cpu_utilization, prices["capacity"]["acu_per_vcpu"]),
            "memory": sizing.memory_acu(
                hot, cached_share(env), connections, per_conn, gib, env.io.cache_share_of_memory
            ),
            "floor": floor,
        }
        req = sizing.requirement(by, step)
        out.append(Point(p.load, p.share, p.label, req, min(max(req.acu, env.acu.min), env.acu.max), connections))
    return out


@dataclass(frozen=True)
class MonthIO:
    """The month's average statements and billed I/O a second, per table, and the pages behind them."""

    tables: dict[str, sizing.TableIO]
    pages: float  # pages touched a second (8 KB blocks)
    missed: float  # of which read from storage
    hit_ratios: list[float]  # each point's
    batches: list[float]  # commits per log write at each point

    @property
    def hit_ratio(self) -> float:
        """The month's hit ratio, weighted by the pages each point touches (no pages: every point's is the same)."""
        return 1 - self.missed / self.pages if self.pages else self.hit_ratios[0]


def month_io(
    env: Environment,
    cal: Mapping,
    prices: Mapping,
    limits: Mapping,
    pts: list[Point],
    hit_at: Callable[[float], float] = lambda h: h,
    batch_at: Callable[[float], float] = lambda b: b,
) -> MonthIO:
    """The month's I/O along `pts`. Each point's hit ratio is the override or the hot set against its cache;
    its commits per log write follow its write rate; `hit_at` and `batch_at` move them to a range's end."""
    mean = sizing.mean_load(env.compute.load_profile)
    gib, block, billing = limits["acu"]["gib_per_acu"], cal["server"]["block_size"], prices["io_billing"]
    per_conn, band = cal["memory"]["bytes_per_connection"], env.io.hit_ratio_band
    cals = {n: sizing.calibrated(n, t, cal) for n, t in env.tables.items()}
    avg_writes = sum(sizing.writes_per_second(t, env.agents) for t in env.tables.values())
    sums = {n: [0.0, 0.0, 0.0, 0.0] for n in env.tables}
    pages = missed = 0.0
    hits, batches = [], []
    for p in pts:
        scale = p.load / mean
        if env.io.buffer_cache_hit_ratio is not None:
            hit = env.io.buffer_cache_hit_ratio
        else:
            cache = sizing.buffer_cache_bytes(p.acu, gib, env.io.cache_share_of_memory, p.connections, per_conn)
            hit = sizing.expected_hit_ratio(cache, sizing.hot_set_bytes(env, cal, scale), band.high)
        hit = hit_at(hit)
        batch = batch_at(sizing.commits_per_flush(avg_writes * scale, env.io.log_flush_ms / 1000, p.connections))
        hits.append(hit)
        batches.append(batch)
        for n, t in env.tables.items():
            io = sizing.table_io(t, env.agents, cals[n], hit, billing, block, batch, scale)
            for i, v in enumerate((io.reads, io.writes, io.billed_reads, io.billed_writes)):
                sums[n][i] += p.share * v
            pages += p.share * _pages(io, cals[n], block, billing)
            missed += p.share * io.billed_reads
    tables = {n: sizing.TableIO(*v) for n, v in sums.items()}
    return MonthIO(tables, pages, missed, hits, batches)


def _pages(io: sizing.TableIO, cal: Mapping, block: int, billing: Mapping) -> float:
    """Read-page units touched a second (the billed reads at a hit ratio of 0)."""
    touched = io.reads * sum(cal["pages_per_read"].values()) + io.writes * sum(cal["pages_per_write"].values())
    return touched * block / billing["read_page_bytes"]

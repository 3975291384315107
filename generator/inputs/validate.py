"""Rules that need AWS limits: checked against the dated limits file, never against literals.

`check` raises InputError for what AWS would reject or what cannot work (pools that do not fit);
`warnings` lists what is allowed but risky.
"""

from __future__ import annotations

import ipaddress
import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from generator.errors import InputError, one_line, shown
from generator.inputs import data
from generator.inputs.windows import window_length_minutes, windows_overlap
from generator.model import sizing

if TYPE_CHECKING:  # the pydantic models are only types here: importing them costs ~0.2 s
    from generator.inputs.model import Environment


def check_acu_range(min_acu: float, max_acu: float, proxy_enabled: bool, limits: Mapping) -> list[tuple[str, str]]:
    """AUDIT.md's ACU rules as (field, message) pairs; shared with the policy checks."""
    acu = limits["acu"]
    problems: list[tuple[str, str]] = []
    for field, value in (("acu.min", min_acu), ("acu.max", max_acu)):
        if not sizing.on_acu_grid(value, acu["step"]):
            problems.append((field, f"{value:g} is not a multiple of {acu['step']:g} ACU"))
    if min_acu != acu["auto_pause_min"] and not acu["min"] <= min_acu <= acu["max"]:
        problems.append(
            ("acu.min", f"{min_acu:g} is outside {acu['min']:g}..{acu['max']:g} ACU (or 0 with auto-pause)")
        )
    if not acu["max_floor"] <= max_acu <= acu["max"]:
        problems.append(("acu.max", f"{max_acu:g} is outside {acu['max_floor']:g}..{acu['max']:g} ACU"))
    if max_acu < min_acu:
        problems.append(("acu.max", f"{max_acu:g} is below acu.min {min_acu:g}"))
    if min_acu == acu["auto_pause_min"] and proxy_enabled:
        problems.append(
            ("acu.min", "0 ACU (auto-pause) is incompatible with RDS Proxy: disable the proxy or raise min")
        )
    return problems


def cidr_problem(value: object, limits: Mapping, family: int = 4) -> tuple[str, str] | None:
    """(kind, reason) when `value` is not a CIDR network of IP version `family` inside a private range, else None.

    The one definition of a private network is the AWS limits file's network.private_ipv4_ranges /
    private_ipv6_ranges, which the module reads too (limits.tf): loopback, link-local, documentation
    ranges are not networks a client connects from, RFC 6598's 100.64.0.0/10 is (VPCs may use it).
    kind: "cidr" (not a CIDR network), "family" (IPv6 where IPv4 is expected, or back) or "public".
    """
    if not isinstance(value, str) or "/" not in value:
        return "cidr", f"{_show(value)} is not a CIDR block (a.b.c.d/n)"
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        reason = one_line(str(exc).replace(value + " ", "").replace(repr(value) + " ", ""))
        return "cidr", f"{one_line(value)} is not a CIDR block ({reason})"
    if network.version != family:
        return "family", f"{value} is an IPv{network.version} block: only IPv{family} blocks are accepted here"
    ranges = [ipaddress.ip_network(r) for r in limits["network"][f"private_ipv{family}_ranges"]]
    if not any(network.subnet_of(r) for r in ranges):
        return "public", f"{value} is not a private range"
    return None


def _show(value: object) -> str:
    """A CIDR candidate as it would be written in HCL or YAML: text quoted, escaped and cut."""
    return one_line(json.dumps(value, ensure_ascii=False) if isinstance(value, str) else shown(value))


def check(env: Environment, limits: Mapping, path: str) -> None:
    """Raise InputError on the first broken rule, naming its field."""

    def fail(field: str, message: str) -> None:
        raise InputError(path, field, message)

    for field, message in check_acu_range(env.acu.min, env.acu.max, env.proxy.enabled, limits):
        fail(field, message)

    step = limits["acu"]["step"]
    for i, point in enumerate(env.acu.scale_points):
        field = f"acu.scale_points[{i}].acu"
        if not sizing.on_acu_grid(point.acu, step):
            fail(field, f"{point.acu:g} is not a multiple of {step:g} ACU")
        if not env.acu.min <= point.acu <= env.acu.max:
            fail(field, f"{point.acu:g} is outside acu.min..acu.max ({env.acu.min:g}..{env.acu.max:g})")
    shares = sum(p.share for p in env.acu.scale_points)
    if env.acu.scale_points and not math.isclose(shares, 1.0, abs_tol=1e-6):  # none: ACU from the load profile
        fail("acu.scale_points", f"shares of the month add up to {shares:g}, not 1")

    if len(env.readers.promotion_tiers) > limits["readers_max"]:
        fail(
            "readers.promotion_tiers",
            f"{len(env.readers.promotion_tiers)} readers; Aurora allows at most {limits['readers_max']}",
        )
    tiers = limits["reader_promotion_tier"]
    for i, tier in enumerate(env.readers.promotion_tiers):
        if not tiers["min"] <= tier <= tiers["max"]:
            fail(f"readers.promotion_tiers[{i}]", f"{tier} is outside {tiers['min']}..{tiers['max']}")
    reader_acu = env.readers.independent_average_acu
    if reader_acu is not None and not env.acu.min <= reader_acu <= env.acu.max:
        fail("readers.independent_average_acu", f"{reader_acu:g} is outside acu.min..acu.max")

    backup = limits["backup"]
    lo, hi = backup["retention_days"]["min"], backup["retention_days"]["max"]
    if not lo <= env.backup.retention_days <= hi:
        fail("backup.retention_days", f"{env.backup.retention_days} is outside {lo}..{hi} days")
    length = window_length_minutes(env.backup.window)
    if length < backup["window_min_minutes"]:
        fail(
            "backup.window",
            f"{env.backup.window} lasts {length} minutes; AWS needs at least {backup['window_min_minutes']}",
        )
    if windows_overlap(env.backup.window, env.maintenance_window):
        fail("backup.window", f"{env.backup.window} overlaps maintenance_window {env.maintenance_window}")
    for i, block in enumerate(env.network.allowed_cidr_blocks):
        if (problem := cidr_problem(block, limits)) is not None:
            kind, reason = problem
            fail(
                f"network.allowed_cidr_blocks[{i}]",
                reason + (f" ({', '.join(limits['network']['private_ipv4_ranges'])})" if kind == "public" else ""),
            )
    known = data.price_regions()
    for field in ("region", "dr_region"):
        if getattr(env, field) not in known:
            fail(field, f"{getattr(env, field)} has no price file (known regions: {', '.join(known)})")
    if env.backup.cross_region_copy != "none" and env.dr_region == env.region:
        fail("dr_region", f"{env.dr_region} is the primary region: a cross-region copy needs another region")

    for field, message in check_proxy(
        env.proxy.max_connections_percent,
        env.proxy.max_idle_connections_percent,
        env.proxy.connection_borrow_timeout,
        env.proxy.session_pinning_filters,
        limits,
    ):
        fail(field, message)

    for field in ("work_mem_kb", "maintenance_work_mem_kb"):
        lo, hi = limits["postgres"][field]["min"], limits["postgres"][field]["max"]
        if not lo <= getattr(env.parameters, field) <= hi:
            fail(f"parameters.{field}", f"{getattr(env.parameters, field)} kB is outside PostgreSQL's {lo}..{hi} kB")
    pause = limits["acu"]["seconds_until_auto_pause"]
    if not pause["min"] <= env.acu.seconds_until_auto_pause <= pause["max"]:
        fail(
            "acu.seconds_until_auto_pause",
            f"{env.acu.seconds_until_auto_pause} is outside {pause['min']}..{pause['max']} s",
        )

    # Storage past one cluster volume's limit is the topology's to judge, on the measured storage (the report
    # warns topology.beyond_one_writer under `single`, and render refuses it), not refused here on the raw payload.
    check_connections(env, limits, fail)


def check_proxy(
    max_pct: int, idle_pct: int, borrow_s: int, filters: list[str], limits: Mapping
) -> list[tuple[str, str]]:
    p = limits["proxy"]
    problems = []
    lo, hi = p["max_connections_percent"]["min"], p["max_connections_percent"]["max"]
    if not lo <= max_pct <= hi:
        problems.append(("proxy.max_connections_percent", f"{max_pct} is outside {lo}..{hi}"))
    if not p["max_idle_connections_percent"]["min"] <= idle_pct <= max_pct:
        problems.append(
            ("proxy.max_idle_connections_percent", f"{idle_pct} is outside 0..max_connections_percent ({max_pct})")
        )
    lo, hi = p["connection_borrow_timeout_s"]["min"], p["connection_borrow_timeout_s"]["max"]
    if not lo <= borrow_s <= hi:
        problems.append(("proxy.connection_borrow_timeout", f"{borrow_s} s is outside {lo}..{hi} s"))
    for f in filters:
        if f not in p["session_pinning_filters"]:
            problems.append(
                (
                    "proxy.session_pinning_filters",
                    f"{shown(f)} is not an RDS Proxy filter (only {', '.join(p['session_pinning_filters'])})",
                )
            )
    return problems


def check_connections(env: Environment, limits: Mapping, fail) -> None:
    """Pools must fit what the proxy may open, and leave the direct-connection reserve."""
    max_conn = sizing.max_connections(env.acu.max, env.acu.min, limits)
    pooled = sizing.pool_max_total(env.connection_pools)
    if env.proxy.enabled:
        budget = sizing.proxy_max_connections(max_conn, env.proxy.max_connections_percent)
        if pooled > budget:
            fail(
                "connection_pools",
                f"pools open up to {pooled} connections, {pooled - budget} more than RDS Proxy's "
                f"{env.proxy.max_connections_percent}% of max_connections {max_conn} at max ACU {env.acu.max:g} ({budget})",
            )
        reserve = max_conn - budget
        if reserve < env.direct_connection_reserve:
            fail(
                "proxy.max_connections_percent",
                f"leaves {reserve} direct connections, below direct_connection_reserve {env.direct_connection_reserve}",
            )
    else:
        budget = max_conn - env.direct_connection_reserve
        if pooled > budget:
            fail(
                "connection_pools",
                f"pools open up to {pooled} connections, {pooled - budget} more than max_connections "
                f"{max_conn} at max ACU {env.acu.max:g} less the reserve {env.direct_connection_reserve}",
            )


def warnings(env: Environment, limits: Mapping) -> list[str]:
    out = []
    pooled = sizing.pool_max_total(env.connection_pools)
    exposure = sizing.work_mem_exposure_gib(env.parameters.work_mem_kb, pooled)
    memory = sizing.memory_gib(env.acu.min, limits)
    if exposure > memory:
        out.append(
            f"work_mem {env.parameters.work_mem_kb // 1024} MB x {pooled} pooled connections = {exposure:.1f} GiB, "
            f"more than the {memory:g} GiB at min ACU {env.acu.min:g}: concurrent sorts may run out of memory"
        )
    return out

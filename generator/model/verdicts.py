"""Verdicts on a computed result: warnings with stable codes, and what stops `render`.

Codes are part of the JSON contract (tools match on them); messages may change. Each warning says what to
change in the sizing (`change`): the report lists warnings first, so the fix is read with the problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator.errors import number
from generator.growth import topology
from generator.inputs import data, validate
from generator.model import sizing

if TYPE_CHECKING:
    from generator.inputs.model import Environment

STORAGE_NEAR_LIMIT = 0.8  # warn above 80% of the cluster's storage limit
# Warn when the pools take more than 80% of what the proxy may open: where the pull-request gate fails
# (policies/limits.yaml, connections.headroom_percent 20; tests/test_policies_inputs.py pins the two together).
PROXY_SHARE_FULL = 0.8
# Warnings that depend on the day a command runs, not on the files (an observation's age): the tfvars header
# leaves them out, so a rendered file stays a function of its inputs and `render --check` never turns stale
# overnight. Every report, the page and the policy summary show them.
DAY_DEPENDENT = ("observe.stale",)


def recorded(warnings: list[dict[str, str]]) -> list[dict[str, str]]:
    """The warnings a rendered tfvars records: all but the day-dependent ones."""
    return [w for w in warnings if w["code"] not in DAY_DEPENDENT]


def _money(v: float) -> str:
    return f"${v:,.2f}"


def _worst_case_of(acu: Mapping[str, Any], topo: Mapping[str, Any]) -> str:
    if topo["kind"] == "limitless":
        group = topo["shard_group"]
        return f"the shard group at its max {number(group['max_acu'])} ACU with its standbys"
    return f"every instance at max ACU {number(acu['max'])}"


def warnings(env: Environment, rep: Mapping[str, Any], limits: Mapping) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []

    def warn(code: str, message: str, change: str) -> None:
        out.append({"code": code, "message": message, "change": change})

    acu, req, cost, conns = rep["acu"], rep["acu"]["required"], rep["cost_usd_month"], rep["connections"]
    topo = rep["topology"]
    single = topo["kind"] == "single"
    if env.agents == 0:
        warn(
            "agents.zero",
            "agents is 0: every load figure is the empty database's",
            "set agents to the fleet's size",
        )
    if topo["kind"] == "limitless":
        group = topo["shard_group"]
        warn(
            "topology.limitless",
            f"sized as an Aurora PostgreSQL Limitless Database shard group of {number(group['min_acu'])}-"
            f"{number(group['max_acu'])} ACU ({group['routers']} routers, {group['shards']} shards, compute redundancy "
            f"{group['compute_redundancy']}): {topo['reason']}",
            "review the shard group (aurora-gen report) and the Limitless DDL (generator/schema/aurora-limitless.sql); "
            "set topology: single to refuse it instead",
        )
        if group["over_ceiling"]:
            warn(
                "topology.shard_group_over_ceiling",
                f"the shard group would need {number(group['max_acu'])} ACU, above AWS's {number(group['max_acu_ceiling'])} ACU "
                f"for a Limitless shard group ({data.source_path(data.LIMITLESS_FILE)}); render refuses it",
                "lower the load (agents, rates), or ask AWS for a larger shard group and raise max_acu_ceiling",
            )
        if env.storage_type == "aurora":
            warn(
                "topology.limitless_storage_type",
                "storage_type aurora is not used: Aurora PostgreSQL Limitless Database runs on I/O-Optimized storage "
                "(aurora-iopt1) only, which the report prices",
                "set storage_type to auto (or aurora-iopt1)",
            )
        if rep["backup"].get("aws_backup") is False and (env.backup.snapshots.daily or env.backup.cross_region_copy):
            warn(
                "topology.limitless_no_aws_backup",
                "AWS Backup does not run on Aurora PostgreSQL Limitless Database (generator/data/limitless-2026-12.yaml "
                "not_supported): the snapshot schedule and the DR copies this environment states are not taken; only "
                f"the automated backups of {env.backup.retention_days} days remain, and the policies' snapshot and "
                "cross-region rules refuse the environment",
                "plan the shard group's disaster recovery another way (manual cluster snapshots) and state it in "
                "policies/limits.yaml, or keep one writer (topology: single) while it fits",
            )
    elif topology.single_blocker(topo):
        warn(
            "topology.beyond_one_writer",
            f"{'; '.join(topo['beyond_one_writer'])}: one Serverless v2 writer cannot run this load; "
            "render refuses it under topology: single",
            "set topology to auto (or limitless) for a Limitless shard group, or lower the load",
        )
    share = data.headroom()["peak_share_of_max"]
    if single and share * acu["max"] < req["peak"] <= acu["max"]:
        warn(
            "acu.peak_near_max",
            f"the peak needs {number(req['peak'])} ACU, {req['peak'] / acu['max']:.0%} of max ACU {number(acu['max'])}: "
            f"above {share:.0%}, little room is left for a burst above the profile's peak or for growth "
            f"({data.source_path(data.HEADROOM_FILE)})",
            f"raise acu.max to at least {number(sizing.round_up_to_grid(req['peak'] / share, limits['acu']['step']))}",
        )
    if single and req["peak"] > acu["max"]:
        warn(
            "acu.max_below_peak",
            f"max ACU {number(acu['max'])} is below the {number(req['peak'])} ACU the peak needs "
            f"({req['binding']} binds); render refuses this environment",
            f"raise acu.max to at least {number(req['peak'])}, or lower the load (agents, rates)",
        )
    if single and acu["min"] < req["baseline"]:
        warn(
            "acu.min_below_baseline",
            f"min ACU {number(acu['min'])} is below the {number(req['baseline'])} ACU the quietest "
            f"time needs ({req['baseline_binding']} binds): capacity would drop under the workload",
            f"raise acu.min to at least {number(req['baseline'])}",
        )
    if acu["scale_points_short"]:
        warn(
            "acu.scale_points_below_requirement",
            "acu.scale_points give less ACU than the workload requires for "
            "part of the month (compare acu.required.profile)",
            "raise the short acu.scale_points, or remove them (the average then follows the requirement)",
        )
    budget = env.budget_usd
    if budget is not None and cost["total"] > budget:
        warn(
            "cost.over_budget",
            f"expected {_money(cost['total'])}/month is above the budget {_money(budget)}",
            f"raise budget_usd to at least {_money(cost['total'])}, or lower the load (agents, rates, retention)",
        )
    if budget is not None and cost["worst_case"] > budget:
        warn(
            "cost.worst_case_over_budget",
            f"the worst case, {_worst_case_of(acu, topo)} all month, "
            f"costs {_money(cost['worst_case'])}/month, above the budget {_money(budget)}",
            (
                f"lower acu.max (the peak needs {number(req['peak'])} ACU)"
                if single
                else "lower limitless.compute_redundancy"
            )
            + f" or raise budget_usd to at least {_money(cost['worst_case'])}",
        )
    limit_gb = sizing.storage_limit_gb(limits)
    stored = rep["storage_gb"]["steady_state"]
    if single and STORAGE_NEAR_LIMIT * limit_gb < stored <= limit_gb:  # above it: topology.beyond_one_writer
        warn(
            "storage.near_limit",
            f"{stored:,.0f} GB at retention is {stored / limit_gb:.0%} of Aurora's "
            f"{limits['storage']['max_tib']} TiB cluster limit",
            "shorten the largest tables' retention_days (compare storage_gb.tables), or split the data",
        )
    if env.proxy.enabled and conns["pool_max_total"] > PROXY_SHARE_FULL * conns["proxy_max"]:
        warn(
            "connections.proxy_share_full",
            f"the pools open up to {conns['pool_max_total']} connections, "
            f"{conns['pool_max_total'] / max(conns['proxy_max'], 1):.0%} of the {conns['proxy_max']} RDS Proxy may open",
            "shrink connection_pools (max x replicas), or raise acu.max: max_connections grows with it",
        )
    cheaper = rep["recommendation"]["storage_type"]
    if single and env.storage_type != "auto" and env.storage_type != cheaper:
        alt = rep["cost_usd_month_standard" if cheaper == "aurora" else "cost_usd_month_io_optimized"]["total"]
        warn(
            "storage_type.forced_costlier",
            f"storage_type {env.storage_type} costs {_money(cost['total'])}/month, "
            f"{_money(cost['total'] - alt)} more than {cheaper}",
            f"set storage_type to auto (or {cheaper})",
        )
    plan = rep["cost_usd_month_savings_plan"]
    if plan is not None and plan["unused_commitment_usd_month"] > 0:
        warn(
            "cost.savings_plan_unused",
            f"the Savings Plan's ${number(plan['commitment_usd_per_hour'])}/h buys more than this compute uses: "
            f"{_money(plan['unused_commitment_usd_month'])} a month unused, "
            + (
                f"saving {_money(plan['savings_usd_month'])}"
                if plan["savings_usd_month"] >= 0
                else f"costing {_money(-plan['savings_usd_month'])} more than on demand"
            )
            + f" (it costs more than on demand below ${number(plan['break_even_compute_usd_per_hour'])}/h of compute)",
            "lower savings_plan.commitment_usd_per_hour to at most "
            f"${number(plan['largest_fully_used_commitment_usd_per_hour'])} (the average hour's compute at the plan's "
            "rate), or state coverage instead",
        )
    for message in validate.warnings(env, limits):
        warn("memory.work_mem", message, "lower parameters.work_mem_kb, or raise acu.min")
    billed = rep["billed_resources"]
    if billed["extended_support_year"]:
        warn(
            "cost.extended_support",
            f"PostgreSQL {billed['engine_major']} is past its end of standard support at "
            f"the price list's date: year {billed['extended_support_year']} of RDS Extended Support costs "
            f"{_money(cost['extended_support'])}/month",
            "upgrade the engine's major version (or opt out with engine_lifecycle_support, and RDS upgrades it)",
        )
    return out


def render_blocker(env: Environment, rep: Mapping[str, Any]) -> tuple[str, str] | None:
    """(field, message) when the environment cannot be rendered: one writer cannot hold the load under
    topology single, the peak needs more than max ACU, or a shard group would pass AWS's ceiling."""
    req, topo = rep["acu"]["required"], rep["topology"]
    if topo["kind"] == "limitless":
        group = topo["shard_group"]
        if group["over_ceiling"]:
            return "topology", (
                f"the shard group would need {number(group['max_acu'])} ACU, above AWS's {number(group['max_acu_ceiling'])} "
                f"ACU for a Limitless shard group ({data.source_path(data.LIMITLESS_FILE)}); lower the load"
            )
        return None
    if (why := topology.single_blocker(topo)) is not None:
        return "topology", f"single: {why}"
    if req["peak"] > env.acu.max:
        return "acu.max", (
            f"{number(env.acu.max)} ACU is below what the peak needs: {number(req['peak'])} ACU "
            f"({req['binding']} binds); raise acu.max or lower the load"
        )
    return None

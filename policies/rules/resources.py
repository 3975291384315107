"""Resources of a plan, each checked whatever its address or module: instance classes, the proxy's TLS and IAM
authentication, security-group ingress (CIDR blocks and prefix lists) and Aurora Limitless shard groups. A
guarded attribute unknown until apply is a violation: the gate cannot prove it safe. (Numbers no setting can
hold are reported once per resource by policies/plan.py; an attribute holding one is left alone here.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from policies.plan import Resource
from policies.results import (
    LIMITLESS_REL,
    LIMITS_NOTE,
    Setting,
    Violation,
    fmt,
    is_number,
    limitless_facts,
    oversized,
    shard_group_default_min,
)
from policies.rules.network import cidr_violations

Fail = Callable[[str, str], None]  # (rule, message)
UNPROVEN = "is unknown until apply: the gate cannot prove it safe"


def check_resources(
    found: list[Resource], plan: Mapping, env: str, lim: Mapping, aws: Mapping, plan_rel: str
) -> list[Violation]:
    out: list[Violation] = []

    def fail(rule: str, message: str) -> None:
        out.append(Violation(env, plan_rel, None, rule, message))

    for res in found:
        check = _CHECKS.get(res.type)
        if check is not None:
            check(res, plan, env, lim, aws, fail)
    return out


def _instance(res: Resource, plan: Mapping, env: str, lim: Mapping, aws: Mapping, fail: Fail) -> None:
    _instance_class(res, "instance_class", env, lim, fail)


def _cluster(res: Resource, plan: Mapping, env: str, lim: Mapping, aws: Mapping, fail: Fail) -> None:
    if res.unknown("db_cluster_instance_class") or res.get("db_cluster_instance_class") is not None:
        _instance_class(res, "db_cluster_instance_class", env, lim, fail)  # a Multi-AZ DB cluster's class


def _instance_class(res: Resource, attr: str, env: str, lim: Mapping, fail: Fail) -> None:
    allowed = lim["cost"]["instance_classes"]
    if res.unknown(attr):
        fail("cost.unknown", f"{res.address} {attr} {UNPROVEN}")
    elif res.get(attr) not in allowed:
        fail(
            "cost.instance_class",
            f"{res.address} {attr} = {fmt(res.get(attr))}: {env} allows only {', '.join(allowed) or 'none'}; "
            f"the ACU ceiling and the cost model price serverless ACU-hours {LIMITS_NOTE}",
        )


def _proxy(res: Resource, plan: Mapping, env: str, lim: Mapping, aws: Mapping, fail: Fail) -> None:
    if res.unknown("require_tls"):
        fail("connections.unknown", f"{res.address} require_tls {UNPROVEN}")
    elif res.get("require_tls") is not True:
        fail(
            "connections.proxy_tls",
            f"{res.address} require_tls = {fmt(res.get('require_tls'))}: the proxy must require TLS",
        )
    if res.unknown("auth"):
        fail("connections.unknown", f"{res.address} auth {UNPROVEN}")
        return
    auth = res.get("auth") or []
    if not isinstance(auth, list):
        raise TypeError(f"{res.address}: auth is not a list of blocks")
    for i in range(len(auth)):
        if res.unknown("auth", i, "iam_auth"):
            fail("connections.unknown", f"{res.address} auth[{i}].iam_auth {UNPROVEN}")
        elif res.get("auth", i, "iam_auth") != "REQUIRED":
            fail(
                "connections.proxy_iam",
                f"{res.address} auth.iam_auth = {fmt(res.get('auth', i, 'iam_auth'))}: IAM authentication must be REQUIRED",
            )


def _shard_group(res: Resource, plan: Mapping, env: str, lim: Mapping, aws: Mapping, fail: Fail) -> None:
    """A DB shard group: inside AWS's ACU bounds and the environment's range, its compute standbys, never public."""
    sg, facts = lim["shard_group"], limitless_facts()["shard_group"]
    aws_lo, aws_hi = facts["min_acu_floor"], facts["max_acu_ceiling"]
    values: dict[str, Any] = {}
    for attr in ("max_acu", "min_acu", "compute_redundancy"):
        value = res.get(attr)
        if res.unknown(attr):
            # Left unset, min_acu is AWS's default for the max (its capacity table): known, and held below.
            if attr != "min_acu":
                fail("shard_group.unknown", f"{res.address} {attr} {UNPROVEN}")
        elif value is None and attr != "max_acu":  # AWS's default: no standby; min_acu from its table
            values[attr] = 0 if attr == "compute_redundancy" else None
        elif not is_number(value):
            if not oversized(value):  # an oversized one is reported once, as such
                fail("shard_group.value", f"{res.address} {attr} = {fmt(value)} is not a number")
        else:
            values[attr] = value
    hi, lo, redundancy = values.get("max_acu"), values.get("min_acu"), values.get("compute_redundancy")
    if hi is not None and not aws_lo <= hi <= aws_hi:
        fail(
            "shard_group.aws",
            f"{res.address} max_acu = {fmt(hi)} is outside AWS's {fmt(aws_lo)}-{fmt(aws_hi)} ACU ({LIMITLESS_REL})",
        )
    elif hi is not None and hi > sg["max_ceiling"]:
        fail(
            "shard_group.ceiling",
            f"{res.address} max_acu = {fmt(hi)} exceeds the {env} ceiling {fmt(sg['max_ceiling'])} {LIMITS_NOTE}",
        )
    default = lo is None and hi is not None and (res.unknown("min_acu") or res.get("min_acu") is None)
    if default:
        lo = shard_group_default_min(hi)
    if lo is not None and (lo < aws_lo or (hi is not None and lo > hi)):
        bound = f"below AWS's minimum {fmt(aws_lo)} ACU ({LIMITLESS_REL})" if lo < aws_lo else "above max_acu"
        fail("shard_group.aws", f"{res.address} min_acu = {fmt(lo)} is {bound}")
    elif lo is not None and lo < sg["min_floor"]:
        how = " (AWS's default for the max)" if default else ""
        fail(
            "shard_group.floor",
            f"{res.address} min_acu = {fmt(lo)}{how} is below the {env} floor {fmt(sg['min_floor'])} {LIMITS_NOTE}",
        )
    if redundancy is not None and redundancy not in facts["compute_redundancy_values"]:
        fail(
            "shard_group.aws",
            f"{res.address} compute_redundancy = {fmt(redundancy)} is not one of AWS's "
            f"{', '.join(map(fmt, facts['compute_redundancy_values']))} ({LIMITLESS_REL})",
        )
    elif redundancy is not None and redundancy < sg["compute_redundancy_min"]:
        fail(
            "shard_group.redundancy",
            f"{res.address} compute_redundancy = {fmt(redundancy)}: {env} needs at least "
            f"{fmt(sg['compute_redundancy_min'])} compute standby per shard {LIMITS_NOTE}",
        )
    if res.unknown("publicly_accessible"):
        fail("shard_group.unknown", f"{res.address} publicly_accessible {UNPROVEN}")
    elif res.get("publicly_accessible") is not False:
        fail(
            "shard_group.public",
            f"{res.address} publicly_accessible = {fmt(res.get('publicly_accessible'))}: the shard group's routers "
            "must be reached from the VPC only (set false)",
        )


# ---------------------------------------------------------------------------
# Ingress
# ---------------------------------------------------------------------------
def _sg_rule(res: Resource, plan: Mapping, env: str, lim: Mapping, aws: Mapping, fail: Fail) -> None:
    if res.type == "aws_vpc_security_group_ingress_rule":
        for attr in ("cidr_ipv4", "cidr_ipv6"):
            _cidrs(res, (attr,), attr, lim, aws, fail, single=True)
        _prefix_lists(res, ("prefix_list_id",), "prefix_list_id", lim, fail, single=True)
        return
    if res.unknown("type"):
        fail("network.unknown", f"{res.address} type {UNPROVEN}")
        return
    if res.get("type") == "ingress":  # aws_security_group_rule
        _rule_sources(res, (), "", lim, aws, fail)


def _security_group(res: Resource, plan: Mapping, env: str, lim: Mapping, aws: Mapping, fail: Fail) -> None:
    if res.unknown("ingress"):
        # Unknown as a whole also when no inline rule is written (the provider then reads the group's rules
        # back after apply): only the plan's configuration says which.
        if _configured(plan, res, "ingress") is not False:
            fail("network.unknown", f"{res.address} ingress {UNPROVEN}")
        return
    rules = res.get("ingress") or []
    if not isinstance(rules, list):
        raise TypeError(f"{res.address}: ingress is not a list of rules")
    for i in range(len(rules)):
        _rule_sources(res, ("ingress", i), f"ingress[{i}].", lim, aws, fail)


def _rule_sources(res: Resource, at: tuple, prefix: str, lim: Mapping, aws: Mapping, fail: Fail) -> None:
    for attr in ("cidr_blocks", "ipv6_cidr_blocks"):
        _cidrs(res, (*at, attr), f"{prefix}{attr}", lim, aws, fail)
    _prefix_lists(res, (*at, "prefix_list_ids"), f"{prefix}prefix_list_ids", lim, fail)


def _cidrs(
    res: Resource, path: tuple, shown: str, lim: Mapping, aws: Mapping, fail: Fail, single: bool = False
) -> None:
    if res.unknown_within(*path):
        fail("network.unknown", f"{res.address} {shown} {UNPROVEN}")
        return
    value = res.get(*path)
    if value is None or value == []:
        return
    setting = Setting(f"{res.address} {shown}", [value] if single else value, "", None, "plan")
    for rule, message in cidr_violations(setting, aws, lim["network"]["private_cidrs_only"]):
        fail(rule, message)


def _prefix_lists(res: Resource, path: tuple, shown: str, lim: Mapping, fail: Fail, single: bool = False) -> None:
    if res.unknown_within(*path):
        fail("network.unknown", f"{res.address} {shown} {UNPROVEN}")
        return
    value = res.get(*path)
    ids = [] if value is None else [value] if single else value
    allowed = lim["network"]["allowed_prefix_lists"]
    if not isinstance(ids, list):
        raise TypeError(f"{res.address}: {shown} is not a list")
    for pl in ids:
        if pl not in allowed:
            fail(
                "network.prefix_list",
                f"{res.address} {shown} = {fmt(value)}: ingress through a prefix list the limits do not name "
                f"(its entries are outside the plan and may hold 0.0.0.0/0); allowed: {', '.join(allowed) or 'none'} "
                f"{LIMITS_NOTE}",
            )


def _configured(plan: Mapping, res: Resource, attr: str) -> bool | None:
    """Whether the plan's configuration writes `attr` for the resource; None when the plan does not say.

    Terraform leaves `dynamic` blocks out of the configuration it shows, so False is "no static `attr`".
    """
    node: Any = (plan.get("configuration") or {}).get("root_module")
    for name in re.findall(r"module\.([\w-]+)", res.module):
        node = ((node or {}).get("module_calls") or {}).get(name, {}).get("module")
    if not isinstance(node, Mapping):
        return None
    local = re.sub(r"\[[^\]]*\]$", "", res.address[len(res.module) + 1 :] if res.module else res.address)
    for entry in node.get("resources") or []:
        if isinstance(entry, Mapping) and entry.get("address") == local and entry.get("mode", "managed") == "managed":
            return attr in (entry.get("expressions") or {})
    return None


_CHECKS: dict[str, Callable[..., None]] = {
    "aws_rds_cluster": _cluster,
    "aws_rds_cluster_instance": _instance,
    "aws_db_proxy": _proxy,
    "aws_rds_shard_group": _shard_group,
    "aws_security_group": _security_group,
    "aws_security_group_rule": _sg_rule,
    "aws_vpc_security_group_ingress_rule": _sg_rule,
}

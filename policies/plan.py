"""Reading a `terraform show -json` plan: one Config per aws_rds_cluster it creates or keeps, whatever its
address or module, built from the resources alone.

A value the rules guard (capacity, backups, the proxy's pool, the backup plan's rules) comes from the
cluster and the resources of its module; when the plan does not know it yet (change.after_unknown) it is a
violation, the gate cannot prove it safe, never the root variable's value. The root variables supply only
what no resource holds: the expected load, the budget and the regions. Per-resource checks (instance class,
the proxy's TLS and IAM auth, ingress) are policies/rules/resources.py's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.inputs.files import read_text
from generator.model.backup_billing import RULE_DAYS
from generator.model.backup_billing import RULES as BACKUP_RULES
from policies.results import TOO_LARGE, UNKNOWN, Config, Setting, Violation, is_number, oversized
from policies.tfvars import MODULE_INPUTS, dig

MAX_PLAN_BYTES = 50_000_000  # a plan of this module is ~200 kB
MAX_PLAN_DEPTH = 64  # objects and lists nested in a plan; this module's plans nest 13-15

# Settings a plan's resources decide: never taken from the root variables.
FROM_RESOURCES = (
    "cluster_scalability_type",
    "shard_group.max_acu",
    "shard_group.min_acu",
    "shard_group.compute_redundancy",
    "min_capacity",
    "max_capacity",
    "backup_retention_period",
    "preferred_backup_window",
    "preferred_maintenance_window",
    "deletion_protection",
    "skip_final_snapshot",
    "storage_type",
    "reader_promotion_tiers",
    "proxy_enabled",
    "proxy_max_connections_percent",
    "proxy_max_idle_connections_percent",
    "proxy_connection_borrow_timeout",
    "proxy_session_pinning_filters",
    "snapshot_schedule.daily_retention_days",
    "snapshot_schedule.weekly_retention_weeks",
    "snapshot_schedule.monthly_retention_months",
    "backup_cross_region_copy",
    "backup_cross_region_copy_rules",
)


def read_plan(path: Path) -> Any:
    """The plan's JSON (InputError when it is no regular file, too big, not UTF-8 or nested deeper than
    MAX_PLAN_DEPTH; ValueError when not JSON)."""
    doc = json.loads(read_text(path, "plan", MAX_PLAN_BYTES))
    if (deep := _depth(doc)) > MAX_PLAN_DEPTH:  # the checks walk values recursively: bound them once, here
        raise InputError(path, None, f"nested {deep} levels deep, above the limit of {MAX_PLAN_DEPTH}")
    return doc


def _depth(doc: Any) -> int:
    """How deep objects and lists nest (a stack, not recursion: the document may be as deep as JSON allows)."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def plan_shape_error(plan: Any) -> str | None:
    """What is wrong with the shape of a `terraform show -json` document, None when the parts read are well formed."""
    if not isinstance(plan, Mapping):
        return f"the plan is {_kind(plan)}, not a JSON object"
    variables = plan.get("variables")
    if variables is not None:
        if not isinstance(variables, Mapping):
            return f"variables is {_kind(variables)}, not an object"
        for name, var in variables.items():
            if var is not None and not isinstance(var, Mapping):
                return f"variables.{name} is {_kind(var)}, not an object with a value"
    changes = plan.get("resource_changes")
    if changes is not None:
        if not isinstance(changes, list):
            return f"resource_changes is {_kind(changes)}, not a list"
        for i, rc in enumerate(changes):
            if not isinstance(rc, Mapping):
                return f"resource_changes[{i}] is {_kind(rc)}, not an object"
            for key in ("type", "address", "mode", "module_address", "name"):
                if key in rc and not isinstance(rc[key], str):
                    return f"resource_changes[{i}].{key} is {_kind(rc[key])}, not a string"
            change = rc.get("change")
            if change is not None and not isinstance(change, Mapping):
                return f"resource_changes[{i}].change is {_kind(change)}, not an object"
            for part in ("after", "after_unknown"):
                value = (change or {}).get(part)
                if value is not None and not isinstance(value, (Mapping, bool)) or (part == "after" and value is True):
                    return f"resource_changes[{i}].change.{part} is {_kind(value)}, not an object"
    return None


# ---------------------------------------------------------------------------
# Resources as the plan will leave them
# ---------------------------------------------------------------------------
_RESOURCE_TAIL = re.compile(r"\.[^.\[]+\.[^.\[]+(\[[^\]]*\])?$")


@dataclass(frozen=True)
class Resource:
    address: str
    type: str
    module: str  # "" for the root module, "module.aurora" (instance keys kept)
    after: Mapping[str, Any]
    after_unknown: Any  # mirrors `after`: true where the value is known only after apply

    def unknown(self, *path: str | int) -> bool:
        """The attribute at `path` (keys and list indexes), or a block holding it, is unknown until apply."""
        return _unknown_in(self.after_unknown, path, deep=False)

    def unknown_within(self, *path: str | int) -> bool:
        """As unknown(), or any part of the value at `path` is (an element of a list of CIDR blocks)."""
        return _unknown_in(self.after_unknown, path, deep=True)

    def get(self, *path: str | int) -> Any:
        """The value at `path`; None when absent; TypeError when a block on the way has another shape."""
        node: Any = self.after
        for part in path:
            if node is None:
                return None
            if isinstance(part, int):
                if not isinstance(node, list):
                    raise TypeError(f"{self.address}: {_kind(node)} where a list of blocks was expected")
                node = node[part] if part < len(node) else None
            else:
                if not isinstance(node, Mapping):
                    raise TypeError(f"{self.address}: {_kind(node)} where an object was expected")
                node = node.get(part)
        return node


def _unknown_in(node: Any, path: tuple, deep: bool) -> bool:
    if node is True:
        return True
    if not path:
        return deep and _any_true(node)
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        return isinstance(node, list) and head < len(node) and _unknown_in(node[head], rest, deep)
    return isinstance(node, Mapping) and _unknown_in(node.get(head), rest, deep)


def _any_true(node: Any) -> bool:
    if node is True:
        return True
    if isinstance(node, Mapping):
        return any(_any_true(v) for v in node.values())
    if isinstance(node, list):
        return any(_any_true(v) for v in node)
    return False


def resources(plan: Mapping) -> list[Resource]:
    """The managed resources the plan creates, updates or keeps (a deleted one has no `after`)."""
    out = []
    for rc in plan.get("resource_changes") or []:
        if rc.get("mode", "managed") != "managed":
            continue
        change = rc.get("change") or {}
        if change.get("actions") == ["delete"]:
            continue
        after = change.get("after") or {}
        unknown = change.get("after_unknown") or {}
        if not after and not unknown:
            continue
        address = rc.get("address") or rc.get("type", "")
        module = rc.get("module_address")
        if module is None:
            module = _RESOURCE_TAIL.sub("", address) if address.startswith("module.") else ""
        out.append(Resource(address, rc.get("type", ""), module, after, unknown))
    return out


def _first(block: Any) -> Mapping:
    if isinstance(block, list):
        return block[0] if block and isinstance(block[0], Mapping) else {}
    return block if isinstance(block, Mapping) else {}


# ---------------------------------------------------------------------------
# One Config per cluster
# ---------------------------------------------------------------------------
def config_from_plan(
    plan: Mapping, found: list[Resource], plan_rel: str, env: str | None = None
) -> tuple[str, list[tuple[str, Config]], list[Violation]]:
    """The plan's environment, a Config per aws_rds_cluster (with its address), and what the plan does not let
    the rules check. `found`: resources(plan), which the resource checks read too."""
    variables = {k: (v or {}).get("value") for k, v in (plan.get("variables") or {}).items()}
    env = env or variables.get("environment") or "unknown"
    if not isinstance(env, str):
        env = "unknown"
    extra: list[Violation] = []
    for name, value in variables.items():
        if bad := oversized(value, name):
            extra.append(Violation(env, plan_rel, None, "declarations.number", f"variable {bad[0]} {TOO_LARGE}"))
    sections = [(part, value) for part, value in plan.items() if part not in ("variables", "resource_changes")]
    for i, rc in enumerate(plan.get("resource_changes") or []):
        sections.append(
            (rc.get("address") or f"resource_changes[{i}]", {k: v for k, v in rc.items() if k != "address"})
        )
    for where, value in sections:  # one violation per resource (or part of the plan), the rules wait
        if bad := oversized(value):
            more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
            extra.append(Violation(env, plan_rel, None, "declarations.number", f"{where} {bad[0]} {TOO_LARGE}{more}"))
    clusters = [r for r in found if r.type == "aws_rds_cluster"]
    if not clusters:
        extra.append(
            Violation(env, plan_rel, None, "declarations.plan_cluster", "the plan creates or keeps no aws_rds_cluster")
        )
    configs = [(c.address, _cluster_config(c, found, variables, env, plan_rel, extra)) for c in clusters]
    return env, configs, extra


def _cluster_config(
    cluster: Resource, found: list[Resource], variables: Mapping, env: str, plan_rel: str, extra: list[Violation]
) -> Config:
    s: dict[str, Setting] = {}
    invalid: set[str] = set()
    for key in MODULE_INPUTS:
        there, value = dig(variables, key)
        usable = there and key not in FROM_RESOURCES and not oversized(value)
        s[key] = Setting(key, value if usable else None, plan_rel, None, "plan" if usable else "unset")

    def put(key: str, res: Resource, path: tuple, shown: str, concern: str, value: Any = None) -> None:
        """The value at `path` of `res` (or `value`, computed from it), or a violation when it is unknown."""
        name = f"{res.address} {shown}"
        if res.unknown(*path):
            if key == "storage_type":  # priced both ways (policies/rules/cost.py): no violation needed
                s[key] = Setting(name, None, plan_rel, None, UNKNOWN)
                return
            extra.append(
                Violation(
                    env,
                    plan_rel,
                    None,
                    f"{concern}.unknown",
                    f"{name} is unknown until apply: the gate cannot prove it safe",
                )
            )
            invalid.add(key)
            return
        value = res.get(*path) if value is None else value
        if oversized(value):  # reported once per resource by config_from_plan: the rules wait
            invalid.add(key)
            return
        s[key] = Setting(name, value, plan_rel, None, "plan")

    # Left unset, the cluster is standard (AWS's default), and the plan shows it unknown: only "limitless" is
    # written. The shard groups themselves are judged as resources (policies/rules/resources.py).
    mode = None if cluster.unknown("cluster_scalability_type") else cluster.get("cluster_scalability_type")
    s["cluster_scalability_type"] = Setting(
        f"{cluster.address} cluster_scalability_type", mode or "standard", plan_rel, None, "plan"
    )
    scaling = ("serverlessv2_scaling_configuration", 0)
    put("min_capacity", cluster, (*scaling, "min_capacity"), "serverlessv2_scaling_configuration.min_capacity", "acu")
    put("max_capacity", cluster, (*scaling, "max_capacity"), "serverlessv2_scaling_configuration.max_capacity", "acu")
    for key, concern in (
        ("backup_retention_period", "backups"),
        ("preferred_backup_window", "backups"),
        ("preferred_maintenance_window", "backups"),
        ("deletion_protection", "backups"),
        ("skip_final_snapshot", "backups"),
        ("storage_type", "cost"),
    ):
        put(key, cluster, (key,), key, concern)

    mates = [r for r in found if r.module == cluster.module]
    instances = [r for r in mates if r.type == "aws_rds_cluster_instance"]
    unknown_tier = next((r for r in instances if r.unknown("promotion_tier")), None)
    if unknown_tier is not None:  # tiers 0-1 scale with the writer, the others on their own: priced apart
        put("reader_promotion_tiers", unknown_tier, ("promotion_tier",), "promotion_tier", "cost")
    elif instances:
        roles = [(r.get("tags") or {}).get("Role") for r in instances]
        tiers = [1 if r.get("promotion_tier") is None else r.get("promotion_tier") for r in instances]
        if any(role in ("reader", "writer") for role in roles):
            readers = [t for role, t in zip(roles, tiers, strict=True) if role == "reader"]
        else:
            readers = sorted(tiers)[1:]  # the lowest tier is the writer
        where = f"{cluster.module} " if cluster.module else ""
        s["reader_promotion_tiers"] = Setting(
            f"{where}aws_rds_cluster_instance promotion_tier (readers)", sorted(readers), plan_rel, None, "plan"
        )
    proxies = [r for r in mates if r.type == "aws_db_proxy"]
    s["proxy_enabled"] = Setting("aws_db_proxy (present)", bool(proxies), plan_rel, None, "plan")
    for res in [r for r in mates if r.type == "aws_db_proxy_default_target_group"][:1]:
        pool = ("connection_pool_config", 0)
        for key, attr in (
            ("proxy_max_connections_percent", "max_connections_percent"),
            ("proxy_max_idle_connections_percent", "max_idle_connections_percent"),
            ("proxy_connection_borrow_timeout", "connection_borrow_timeout"),
            ("proxy_session_pinning_filters", "session_pinning_filters"),
        ):
            put(key, res, (*pool, attr), f"connection_pool_config.{attr}", "connections")
        if s["proxy_session_pinning_filters"].origin == "plan" and s["proxy_session_pinning_filters"].value is None:
            s["proxy_session_pinning_filters"] = Setting(
                s["proxy_session_pinning_filters"].name, [], plan_rel, None, "plan"
            )
    _backup_plan(cluster, mates, s, put, env, plan_rel, extra, invalid)
    return Config(env, s, source=plan_rel, invalid=invalid)


def _backup_plan(cluster, mates, s, put, env, plan_rel, extra, invalid) -> None:  # noqa: ANN001 - helpers of _cluster_config
    plans = [r for r in mates if r.type == "aws_backup_plan"]
    keys = (
        "snapshot_schedule.daily_retention_days",
        "snapshot_schedule.weekly_retention_weeks",
        "snapshot_schedule.monthly_retention_months",
        "backup_cross_region_copy",
    )
    if not plans:
        extra.append(
            Violation(
                env,
                plan_rel,
                None,
                "backups.plan_missing",
                f"{cluster.address}: the plan has no aws_backup_plan beside it: no snapshot schedule",
            )
        )
        invalid.update(keys)
        return
    res = plans[0]
    if res.unknown("rule"):
        put(keys[0], res, ("rule",), "rule", "backups")
        invalid.update(keys)
        return
    if not isinstance(res.get("rule") or [], list):
        raise TypeError(f"{res.address}: rule is {_kind(res.get('rule'))}, not a list of rules")
    rules = {r.get("rule_name"): (i, r) for i, r in enumerate(res.get("rule") or []) if isinstance(r, Mapping)}
    # The module's days per rule (backup.tf: weeks x 7, months x 30), as the generator bills them.
    per = {name: (keys[i], int(RULE_DAYS[name])) for i, name in enumerate(BACKUP_RULES)}
    for name, (key, days) in per.items():
        i, rule = rules.get(name, (None, None))
        shown = f"rule[{name}].lifecycle.delete_after" + (f" / {days}" if days > 1 else "")
        if rule is None:
            s[key] = Setting(f"{res.address} {shown}", 0, plan_rel, None, "plan")
            continue
        delete_after = _first(rule.get("lifecycle")).get("delete_after")
        value = delete_after / days if is_number(delete_after) else delete_after
        if is_number(value) and float(value).is_integer():
            value = int(value)
        put(key, res, ("rule", i, "lifecycle", 0, "delete_after"), shown, "backups", value if value is not None else 0)
    if any(res.unknown("rule", i, "copy_action") for i, _ in rules.values()):
        put(keys[3], res, ("rule",), "rule[*].copy_action", "backups")
        return
    copies = [bool(r.get("copy_action")) for _, r in rules.values()]
    s[keys[3]] = Setting(f"{res.address} rule[*].copy_action", bool(copies) and all(copies), plan_rel, None, "plan")
    # The rules that copy, whether or not all do: what the cost rule prices in the DR region.
    copied = [name for name, (_, r) in rules.items() if r.get("copy_action")]
    s["backup_cross_region_copy_rules"] = Setting(f"{res.address} rule[*].copy_action", copied, plan_rel, None, "plan")

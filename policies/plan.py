"""Reading a `terraform show -json` plan: its resolved values as a Config, plus what only a plan can show
(the proxy's TLS and IAM auth, security-group ingress, the backup plan's rules).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.inputs import read_text
from policies.results import Config, Setting, Violation, fmt, is_number
from policies.tfvars import MODULE_INPUTS, dig

MAX_PLAN_BYTES = 50_000_000  # a plan of this module is ~200 kB


def read_plan(path: Path) -> Any:
    """The plan's JSON (InputError when it is no regular file, too big or not UTF-8; ValueError when not JSON)."""
    return json.loads(read_text(path, "plan", MAX_PLAN_BYTES))


def _after(change: Mapping) -> Mapping | None:
    c = change.get("change") or {}
    if c.get("actions") == ["delete"]:
        return None
    return c.get("after") or None


def _first(block: Any) -> Mapping:
    if isinstance(block, list):
        return block[0] if block else {}
    return block or {}


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if is_number(value) else type(value).__name__
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
            for key in ("type", "address", "mode"):
                if key in rc and not isinstance(rc[key], str):
                    return f"resource_changes[{i}].{key} is {_kind(rc[key])}, not a string"
            change = rc.get("change")
            if change is not None and not isinstance(change, Mapping):
                return f"resource_changes[{i}].change is {_kind(change)}, not an object"
            after = (change or {}).get("after")
            if after is not None and not isinstance(after, Mapping):
                return f"resource_changes[{i}].change.after is {_kind(after)}, not an object"
    return None


def config_from_plan(plan: Mapping, plan_rel: str, env: str | None = None) -> tuple[Config, list[Violation]]:
    """A plan's resolved values as a Config, plus checks that only a plan can make."""
    variables = {k: (v or {}).get("value") for k, v in (plan.get("variables") or {}).items()}
    env = env or variables.get("environment") or "unknown"
    changes = [rc for rc in plan.get("resource_changes") or [] if rc.get("mode", "managed") == "managed"]
    by_type: dict[str, list[tuple[str, Mapping]]] = {}
    for rc in changes:
        after = _after(rc)
        if after is not None:
            by_type.setdefault(rc.get("type", ""), []).append((rc.get("address", rc.get("type", "")), after))
    s: dict[str, Setting] = {}
    extra: list[Violation] = []

    def put(key: str, value: Any, where: str) -> None:
        s[key] = Setting(f"{where}" if where else key, value, plan_rel, None, "plan")

    for key in MODULE_INPUTS:  # root variables first; resources below override what they resolve
        found, value = dig(variables, key)
        if found:
            s[key] = Setting(key, value, plan_rel, None, "plan")
        else:
            s[key] = Setting(key, None, plan_rel, None, "unset")
    clusters = by_type.get("aws_rds_cluster", [])
    primary = next((c for c in clusters if c[0].endswith("aws_rds_cluster.this")), clusters[0] if clusters else None)
    if primary is None:
        extra.append(
            Violation(env, plan_rel, None, "declarations.plan_cluster", "the plan creates or keeps no aws_rds_cluster")
        )
    else:
        addr, after = primary
        scaling = _first(after.get("serverlessv2_scaling_configuration"))
        put("min_capacity", scaling.get("min_capacity"), f"{addr} serverlessv2_scaling_configuration.min_capacity")
        put("max_capacity", scaling.get("max_capacity"), f"{addr} serverlessv2_scaling_configuration.max_capacity")
        for key in (
            "backup_retention_period",
            "preferred_backup_window",
            "preferred_maintenance_window",
            "deletion_protection",
            "skip_final_snapshot",
            "storage_type",
        ):
            if key in after:
                put(key, after[key], f"{addr} {key}")
    instances = by_type.get("aws_rds_cluster_instance", [])
    if instances:
        readers = [a.get("promotion_tier", 1) for _, a in instances if ((a.get("tags") or {}).get("Role") == "reader")]
        if any(((a.get("tags") or {}).get("Role") in ("reader", "writer")) for _, a in instances):
            put("reader_promotion_tiers", sorted(readers), "aws_rds_cluster_instance promotion_tier (readers)")
        else:
            put(
                "reader_promotion_tiers",
                sorted(a.get("promotion_tier", 1) for _, a in instances)[1:],
                "aws_rds_cluster_instance promotion_tier",
            )
    proxies = by_type.get("aws_db_proxy", [])
    put("proxy_enabled", bool(proxies), "aws_db_proxy (present)")
    for addr, after in proxies:
        if after.get("require_tls") is not True:
            extra.append(
                Violation(
                    env,
                    plan_rel,
                    None,
                    "connections.proxy_tls",
                    f"{addr} require_tls = {fmt(after.get('require_tls'))}: the proxy must require TLS",
                )
            )
        for auth in after.get("auth") or []:
            if auth.get("iam_auth") != "REQUIRED":
                extra.append(
                    Violation(
                        env,
                        plan_rel,
                        None,
                        "connections.proxy_iam",
                        f"{addr} auth.iam_auth = {fmt(auth.get('iam_auth'))}: IAM authentication must be REQUIRED",
                    )
                )
    for addr, after in by_type.get("aws_db_proxy_default_target_group", [])[:1]:
        pool = _first(after.get("connection_pool_config"))
        for key, attr in (
            ("proxy_max_connections_percent", "max_connections_percent"),
            ("proxy_max_idle_connections_percent", "max_idle_connections_percent"),
            ("proxy_connection_borrow_timeout", "connection_borrow_timeout"),
            ("proxy_session_pinning_filters", "session_pinning_filters"),
        ):
            if attr in pool:
                put(
                    key,
                    pool[attr] if pool[attr] is not None or attr != "session_pinning_filters" else [],
                    f"{addr} connection_pool_config.{attr}",
                )
    ingress: list[Setting] = []
    for addr, after in by_type.get("aws_vpc_security_group_ingress_rule", []):
        for attr in ("cidr_ipv4", "cidr_ipv6"):
            if after.get(attr) is not None:
                ingress.append(Setting(f"{addr} {attr}", [after[attr]], plan_rel, None, "plan"))
    for addr, after in by_type.get("aws_security_group", []):
        for i, rule in enumerate(after.get("ingress") or []):
            for attr in ("cidr_blocks", "ipv6_cidr_blocks"):
                if (rule or {}).get(attr):
                    ingress.append(Setting(f"{addr} ingress[{i}].{attr}", rule[attr], plan_rel, None, "plan"))
    for addr, after in by_type.get("aws_security_group_rule", []):
        if after.get("type") == "ingress":
            for attr in ("cidr_blocks", "ipv6_cidr_blocks"):
                if after.get(attr):
                    ingress.append(Setting(f"{addr} {attr}", after[attr], plan_rel, None, "plan"))
    plans = by_type.get("aws_backup_plan", [])
    if plans:
        addr, after = plans[0]
        rules = {r.get("rule_name"): r for r in after.get("rule") or []}
        per = {
            "daily": ("snapshot_schedule.daily_retention_days", 1),
            "weekly": ("snapshot_schedule.weekly_retention_weeks", 7),
            "monthly": ("snapshot_schedule.monthly_retention_months", 30),
        }
        for name, (key, days) in per.items():
            rule = rules.get(name)
            delete_after = _first(rule.get("lifecycle")).get("delete_after") if rule else 0
            value = (delete_after or 0) / days
            put(
                key,
                int(value) if float(value).is_integer() else value,
                f"{addr} rule[{name}].lifecycle.delete_after / {days}"
                if days > 1
                else f"{addr} rule[{name}].lifecycle.delete_after",
            )
        copies = [bool(r.get("copy_action")) for r in rules.values()]
        put("backup_cross_region_copy", bool(copies) and all(copies), f"{addr} rule[*].copy_action")
    elif s["backup_cross_region_copy"].is_set:
        extra.append(
            Violation(
                env, plan_rel, None, "backups.plan_missing", "the plan has no aws_backup_plan: no snapshot schedule"
            )
        )
    return Config(env, s, source=plan_rel, ingress=ingress), extra

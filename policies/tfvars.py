"""Reading an environment root: its terraform.tfvars, the declarations of its .tf files and the module's
defaults, into a Config of Settings that remember the file and line each value came from.

What Terraform would read and the checks do not (other variable files, override files) and values of
the wrong type are reported by policies/rules/declarations.py while reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.inputs.files import discover_envs  # noqa: F401 - the one definition of an environment root
from policies.hcl import (
    Declaration,
    HclError,
    declarations,
    line_of,
    module_wiring,
    parse_hcl,
    read_hcl_text,
    variable_line,
)
from policies.results import MODULE_VARS_REL, TFVARS, Config, EnvResult, Setting, Violation
from policies.rootspec import RootSpec, load_roots_spec
from policies.rules import declarations as decl_rules
from policies.rules import drift, roots

# ---------------------------------------------------------------------------
# The variable contract: tfvars names -> module inputs
# ---------------------------------------------------------------------------
# What the policies read, by tfvars name (generator/templates/terraform.tfvars.j2), and the module
# input each one feeds (modules/aurora-serverless-v2/variables.tf). When envs/<env>/*.tf call the
# module with `input = var.name` (or `input = { attr = var.name }`), that wiring overrides this.
MODULE_INPUTS: dict[str, str] = {
    "environment": "environment",
    "aws_region": "",
    "allowed_cidr_blocks": "allowed_cidr_blocks",
    "dr_region": "",
    "min_capacity": "min_capacity",
    "max_capacity": "max_capacity",
    "seconds_until_auto_pause": "seconds_until_auto_pause",
    "reader_promotion_tiers": "reader_promotion_tiers",
    "storage_type": "storage_type",
    "backup_retention_period": "backup_retention_period",
    "preferred_backup_window": "preferred_backup_window",
    "preferred_maintenance_window": "preferred_maintenance_window",
    "snapshot_schedule.daily_retention_days": "snapshot_schedule.daily_retention_days",
    "snapshot_schedule.weekly_retention_weeks": "snapshot_schedule.weekly_retention_weeks",
    "snapshot_schedule.monthly_retention_months": "snapshot_schedule.monthly_retention_months",
    "backup_cross_region_copy": "backup_cross_region_copy",
    "backup_cross_region_copy_rules": "backup_cross_region_copy_rules",
    "deletion_protection": "deletion_protection",
    "skip_final_snapshot": "skip_final_snapshot",
    "proxy_enabled": "proxy.enabled",
    "proxy_max_connections_percent": "proxy.max_connections_percent",
    "proxy_max_idle_connections_percent": "proxy.max_idle_connections_percent",
    "proxy_connection_borrow_timeout": "proxy.connection_borrow_timeout",
    "proxy_session_pinning_filters": "proxy.session_pinning_filters",
    "monthly_budget_usd": "monthly_budget_usd",
    # An Aurora PostgreSQL Limitless Database cluster (issue 14: the env roots' variables, the module's names).
    "cluster_scalability_type": "cluster_scalability_type",
    "engine_version": "engine_version",
    "shard_group.min_acu": "shard_group.min_acu",
    "shard_group.max_acu": "shard_group.max_acu",
    "shard_group.compute_redundancy": "shard_group.compute_redundancy",
    **{
        f"expected_load.{k}": f"expected_load.{k}"
        for k in (
            "agents",
            "pooled_connections",
            "writer_average_acu",
            "independent_reader_average_acu",
            "storage_gb",
            "io_requests_million_per_month",
            "transfer_gb_per_month",
            "shard_group_average_acu",
        )
    },
}


def dig(mapping: Any, dotted: str) -> tuple[bool, Any]:
    node = mapping
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def resolve(
    key: str,
    tfvars: Mapping,
    tf_text: str,
    tf_rel: str,
    env_decls: Mapping[str, Declaration] | None,
    env_vars_rel: str,
    env_vars_text: str,
    module_decls: Mapping[str, Declaration] | None,
    module_text: str,
    wiring: Mapping[str, str],
) -> Setting:
    """The value Terraform would use for a tfvars-level name, and where it was set."""
    top, _, attr = key.partition(".")
    found, value = dig(tfvars, key)
    if found:
        return Setting(key, value, tf_rel, line_of(tf_text, key), "tfvars")
    if top in tfvars and not attr:
        return Setting(key, tfvars[top], tf_rel, line_of(tf_text, top), "tfvars")
    if env_decls and top in env_decls:
        decl = env_decls[top]
        if attr:
            found, value = dig(decl.default, attr) if decl.has_default else (False, None)
            if found and value is not None:
                return Setting(key, value, env_vars_rel, variable_line(env_vars_text, top, attr), "env default")
            if attr in decl.optional_defaults and decl.optional_defaults[attr] is not None:
                return Setting(
                    key,
                    decl.optional_defaults[attr],
                    env_vars_rel,
                    variable_line(env_vars_text, top, attr),
                    "env default",
                )
        elif decl.has_default and decl.default is not None:
            return Setting(key, decl.default, env_vars_rel, decl.line, "env default")
    # Not set in the environment: the module input it feeds decides.
    target = (
        wiring.get(key)
        or wiring.get(top)
        and (wiring[top] + (f".{attr}" if attr else ""))
        or MODULE_INPUTS.get(key, "")
    )
    if target and module_decls:
        mtop, _, mattr = target.partition(".")
        decl = module_decls.get(mtop)
        if decl is not None:
            if mattr:
                found, value = dig(decl.default, mattr) if decl.has_default else (False, None)
                if found and value is not None:
                    return Setting(
                        key, value, MODULE_VARS_REL, variable_line(module_text, mtop, mattr), "module default"
                    )
                if mattr in decl.optional_defaults:
                    return Setting(
                        key,
                        decl.optional_defaults[mattr],
                        MODULE_VARS_REL,
                        variable_line(module_text, mtop, mattr),
                        "module default",
                    )
            elif decl.has_default:
                return Setting(key, decl.default, MODULE_VARS_REL, decl.line, "module default")
    return Setting(key, None, tf_rel, None, "unset")


@dataclass
class Module:
    decls: dict[str, Declaration] | None
    text: str
    error: Violation | None  # env filled in by the caller


def read_module(root: Path) -> Module:
    path = root / MODULE_VARS_REL
    if not path.is_file():
        return Module(
            None,
            "",
            Violation(
                "",
                MODULE_VARS_REL,
                None,
                "declarations.module_missing",
                "module variables not found: module defaults cannot be read",
            ),
        )
    try:
        text = read_hcl_text(path)
        return Module(declarations(text), text, None)
    except HclError as exc:
        return Module(None, "", Violation("", MODULE_VARS_REL, exc.line, *exc.violation_text()))


def config_from_hcl(
    root: Path,
    env: str,
    result: EnvResult,
    module: Module | None = None,
    spec: RootSpec | None = None,
    reference: drift.Reference | None = None,
) -> Config | None:
    """Read one environment root; report what cannot be read or does not match its declarations into `result`.
    `module`, `spec` and `reference` (read once for every root by engine.evaluate_root) are read when not given."""
    module = module or read_module(root)
    spec = spec or load_roots_spec(root)
    reference = reference or drift.read_reference(root, spec)
    if module.error:
        result.violations.append(
            Violation(env, module.error.file, module.error.line, module.error.rule, module.error.message)
        )
    env_dir = root / "envs" / env
    tf_rel = f"envs/{env}/{TFVARS}"
    vars_rel = f"envs/{env}/variables.tf"

    def fail(file: str, line: int | None, rule: str, message: str) -> None:
        result.violations.append(Violation(env, file, line, rule, message))

    decl_rules.check_root_files(env_dir, env, fail)
    files = roots.read_tf_files(env_dir, env, fail)
    env_decls: dict[str, Declaration] | None = None
    vars_text = ""
    for f in files:
        decls = declarations(f.text)
        if decls:
            env_decls = {**(env_decls or {}), **decls}
            if f.name == "variables.tf" or not vars_text:
                vars_text, vars_rel = f.text, f.rel
    roots.check_root(env_dir, env, files, spec, set(env_decls or {}), set(module.decls) if module.decls else None, fail)
    drift.check_drift(root, env, reference, fail)
    if not (env_dir / TFVARS).exists():
        fail(
            tf_rel,
            None,
            "declarations.tfvars_missing",
            "no terraform.tfvars: the environment's values cannot be checked",
        )
        return None
    try:
        tf_text = read_hcl_text(env_dir / TFVARS)
        tfvars = parse_hcl(tf_text)
    except HclError as exc:
        fail(tf_rel, None, *exc.violation_text())  # the message says where: "... at line 73, column 16"
        return None

    wiring = module_wiring(f.text for f in files)

    decl_rules.check_declared(tfvars, tf_text, env, env_decls, vars_rel, fail)
    values, invalid = decl_rules.check_types(tfvars, tf_text, env, env_decls, fail)
    decl_rules.check_numbers(values, tf_text, env, invalid, fail)
    settings = {
        key: resolve(key, values, tf_text, tf_rel, env_decls, vars_rel, vars_text, module.decls, module.text, wiring)
        for key in MODULE_INPUTS
    }
    environment = settings["environment"]
    if environment.is_set and environment.value != env and "environment" not in invalid:
        fail(
            environment.file,
            environment.line,
            "declarations.environment",
            f"{environment.shown()} does not match the folder envs/{env}",
        )
    return Config(env, settings, invalid=invalid)

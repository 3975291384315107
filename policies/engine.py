"""Pull-request policy checks: the entry points.

Readers turn what Terraform reads into a Config of Settings that remember their file and line:
policies/tfvars.py (an environment root: terraform.tfvars, its .tf declarations, the module's defaults,
through policies/hcl.py and policies/vartypes.py), policies/plan.py (a `terraform show -json` plan) and
policies/limits.py (policies/limits.yaml). The rules, one module per concern in policies/rules/
(acu, shard_group for a Limitless environment, connections, backups, cost, network; declarations while
reading), turn a Config into Violations, recomputing capacity and cost with the generator's own functions
and dated data files: one source of truth, never the generator's report.

The pytest files in this folder, `python -m policies` and the bite tests are thin callers of
`evaluate_root` / `evaluate_plan`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from generator.errors import InputError, one_line
from generator.inputs import data as gdata
from policies.hcl import _DECLS, _PARSED  # noqa: F401 - caches, cleared by scripts/bench_policies.py
from policies.limits import _LIMITS_CACHE, LimitsError, env_limits, load_limits  # noqa: F401
from policies.plan import config_from_plan, plan_shape_error, read_plan, resources
from policies.results import CONCERNS, LIMITS_REL, MODULE_VARS_REL, REPO, Config, EnvResult, Fact, Setting, Violation  # noqa: F401 - the names callers use
from policies.rootspec import _SPEC_CACHE, RootsError, RootSpec, load_roots_spec  # noqa: F401
from policies.rules.acu import check_acu
from policies.rules.backups import check_backups
from policies.rules.connections import check_connections
from policies.rules.context import Ctx
from policies.rules.cost import check_cost
from policies.rules.drift import Reference, read_reference
from policies.rules.network import check_network
from policies.rules.resources import check_resources
from policies.rules.shard_group import check_shard_group
from policies.tfvars import Module, config_from_hcl, discover_envs, read_module

RULES = (check_shard_group, check_acu, check_connections, check_backups, check_cost, check_network)


def apply_rules(
    cfg: Config, limits: Mapping, result: EnvResult, aws: Mapping | None = None, prices: Mapping | None = None
) -> EnvResult:
    lim = env_limits(limits, cfg.env)
    if lim is None:
        result.violations.append(
            Violation(
                cfg.env,
                LIMITS_REL,
                None,
                "declarations.limits",
                f"no limits for environment {cfg.env} in {LIMITS_REL} (add it under environments:)",
            )
        )
        return result
    ctx = Ctx(cfg, lim, aws or gdata.limits(), prices or gdata.prices(), result)
    for rule in RULES:
        rule(ctx)
    return result


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------
def evaluate_env(
    root: Path,
    env: str,
    limits: Mapping | None = None,
    module: Module | None = None,
    spec: RootSpec | None = None,
    reference: Reference | None = None,
) -> EnvResult:
    root = Path(root)
    result = EnvResult(env, "hcl")
    cfg = config_from_hcl(root, env, result, module, spec, reference)
    if cfg is not None:
        apply_rules(cfg, limits if limits is not None else load_limits(root), result)
    return result


def evaluate_root(root: Path | str | None = None, envs: Iterable[str] | None = None) -> list[EnvResult]:
    """Every environment under `<root>/envs` (default: $POLICY_ROOT, else the repository)."""
    root = Path(root or os.environ.get("POLICY_ROOT") or REPO)
    limits = load_limits(root)
    spec = load_roots_spec(root)
    module = read_module(root)
    reference = read_reference(root, spec)
    names = list(envs) if envs is not None else discover_envs(root)
    return [evaluate_env(root, env, limits, module, spec, reference) for env in names]


def evaluate_plan(path: Path | str, root: Path | str | None = None, env: str | None = None) -> EnvResult:
    """The same rules on a `terraform show -json` plan."""
    path = Path(path)
    root = Path(root or os.environ.get("POLICY_ROOT") or REPO)
    try:
        rel = str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        rel = str(path)
    limits = load_limits(root)  # a LimitsError is the limits file's, never the plan's

    def unreadable(message: str) -> EnvResult:
        result = EnvResult(env or "plan", rel)
        result.violations.append(Violation(result.env, rel, None, "declarations.plan", f"unreadable plan: {message}"))
        return result

    try:
        plan = read_plan(path)
    except InputError as exc:
        return unreadable(exc.message)
    except RecursionError:
        return unreadable("JSON nested too deep to read")
    except ValueError as exc:  # not JSON: json's message says where
        return unreadable(one_line(str(exc).splitlines()[0], 120) if str(exc).strip() else "not JSON")
    if (problem := plan_shape_error(plan)) is not None:
        return unreadable(problem)
    try:
        found = resources(plan)
        name, configs, extra = config_from_plan(plan, found, rel, env)
        result = EnvResult(name, rel, violations=list(extra))
        lim = env_limits(limits, name)
        if lim is None:
            message = f"no limits for environment {name} in {LIMITS_REL} (add it under environments:)"
            result.violations.append(Violation(name, LIMITS_REL, None, "declarations.limits", message))
            return result
        result.violations += check_resources(found, plan, name, lim, gdata.limits(), rel)
        for address, cfg in configs:
            facts = len(result.facts)
            apply_rules(cfg, limits, result)
            if len(configs) > 1:  # one summary line per cluster: say which
                result.facts[facts:] = [replace(f, topic=f"{address}: {f.topic}") for f in result.facts[facts:]]
        return result
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, ZeroDivisionError, OverflowError) as exc:
        # A value of an unexpected type deeper in a resource (plan_shape_error checks the outline only).
        detail = str(exc).splitlines()[0] if str(exc).strip() else ""
        return unreadable(f"unexpected shape inside a resource: {type(exc).__name__}{': ' + detail if detail else ''}")


def violations(results: Iterable[EnvResult]) -> list[Violation]:
    return [v for r in results for v in r.violations]

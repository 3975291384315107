"""Network: every allowed_cidr_blocks entry is a valid CIDR block inside a private range, as
generator.inputs.validate.cidr_problem defines it from the AWS limits file (network.private_ipv4_ranges /
private_ipv6_ranges, the ranges the module's limits.tf copies). A plan's security-group ingress goes through
the same `cidr_violations` (policies/rules/resources.py)."""

from __future__ import annotations

from collections.abc import Mapping

from generator.inputs import validate
from policies.results import LIMITS_NOTE, Setting
from policies.rules.context import Ctx


def cidr_violations(s: Setting, aws: Mapping, private_only: bool) -> list[tuple[str, str]]:
    """(rule, message) for each entry of `s` (a list of CIDR blocks) that is not valid, or not private."""
    if not isinstance(s.value, list):
        return [("network.cidr", f"{s.shown()} is not a list of CIDR blocks")]
    family = 6 if "ipv6" in s.name else 4  # a plan's cidr_ipv6 / ipv6_cidr_blocks; allowed_cidr_blocks is IPv4
    out = []
    for cidr in s.value:
        problem = validate.cidr_problem(cidr, aws, family)
        if problem is None or (problem[0] == "public" and not private_only):
            continue
        kind, reason = problem
        if kind == "public":
            out.append(("network.public_cidr", f"{s.shown()}: {reason} {LIMITS_NOTE}"))
        else:
            out.append(("network.cidr", f"{s.shown()}: {reason}"))
    return out


def check_network(ctx: Ctx) -> None:
    mark = ctx.count()
    private_only = ctx.lim["network"]["private_cidrs_only"]
    s = ctx.cfg["allowed_cidr_blocks"]
    if s.is_set and ctx.usable("allowed_cidr_blocks"):
        for rule, message in cidr_violations(s, ctx.aws, private_only):
            ctx.fail(s, rule, message)
    shown = [str(c) for c in s.value] if s.is_set and isinstance(s.value, list) else []
    ctx.fact(
        "allowed CIDR blocks",
        ", ".join(dict.fromkeys(shown)) or "none",
        "private ranges only" if private_only else "valid CIDR blocks",
        ctx.count() == mark,
    )

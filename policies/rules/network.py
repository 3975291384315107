"""Network: every allowed_cidr_blocks entry (and a plan's security-group ingress CIDRs) is a valid CIDR
block inside a private range, as generator.validate.cidr_problem defines it from the AWS limits file
(network.private_ipv4_ranges / private_ipv6_ranges, the ranges the module's limits.tf copies)."""

from __future__ import annotations

from generator import validate
from policies.results import LIMITS_NOTE
from policies.rules.context import Ctx


def check_network(ctx: Ctx) -> None:
    mark = ctx.count()
    private_only = ctx.lim["network"]["private_cidrs_only"]
    sources = [ctx.cfg["allowed_cidr_blocks"], *ctx.cfg.ingress]
    shown: list[str] = []
    for s in sources:
        if not s.is_set or (s is sources[0] and not ctx.usable("allowed_cidr_blocks")):
            continue
        if not isinstance(s.value, list):
            ctx.fail(s, "network.cidr", f"{s.shown()} is not a list of CIDR blocks")
            continue
        family = 6 if "ipv6" in s.name else 4  # a plan's cidr_ipv6 / ipv6_cidr_blocks; allowed_cidr_blocks is IPv4
        shown += [str(c) for c in s.value]
        for cidr in s.value:
            problem = validate.cidr_problem(cidr, ctx.aws, family)
            if problem is None or (problem[0] == "public" and not private_only):
                continue
            kind, reason = problem
            if kind == "public":
                ctx.fail(s, "network.public_cidr", f"{s.shown()}: {reason} {LIMITS_NOTE}")
            else:
                ctx.fail(s, "network.cidr", f"{s.shown()}: {reason}")
    ctx.fact(
        "allowed CIDR blocks",
        ", ".join(dict.fromkeys(shown)) or "none",
        "private ranges only" if private_only else "valid CIDR blocks",
        ctx.count() == mark,
    )

"""What the sizing says of each environment, for the policy summary: the generator's warnings and the month's cost
against both of its thresholds, side by side: the sizing's budget (budget_usd in sizing.yaml) and the
worst-case ceiling these checks hold it to (policies/limits.yaml, or the base's with --limits).

The generator never reads the ceiling (generator/model/thresholds.py says why); the summary is where the two meet, so a
"passed" gate is never shown without the sizing's warnings beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model import thresholds
from generator.outputs.escape import md
from policies.limits import env_limits


@dataclass
class SizingView:
    env: str
    warnings: list[dict[str, str]] = field(default_factory=list)
    checks: list[thresholds.Check] = field(default_factory=list)
    error: str | None = None  # the sizing file's own one-line error: no figures


def collect(root: Path, envs: Iterable[str], limits: Mapping[str, Any]) -> dict[str, SizingView]:
    """The sizing of each environment that has a sizing.yaml under root/envs (the generator's report result)."""
    from generator.errors import InputError
    from generator.inputs.files import rel, sizing_path
    from generator.model.sized import size_environment

    views: dict[str, SizingView] = {}
    for env in dict.fromkeys(envs):
        path = sizing_path(env, root)
        if not path.is_file():
            continue  # a plan's environment without a root here: nothing to size
        try:
            _, rep = size_environment(path, env)
        except InputError as exc:
            field = f"{exc.field}: " if exc.field else ""
            views[env] = SizingView(env, error=f"{rel(path, root)}: {field}{exc.message}")
            continue
        lim = env_limits(limits, env)
        ceiling = lim["cost"]["worst_case_ceiling_usd"] if lim else None
        views[env] = SizingView(env, rep["warnings"], thresholds.of_report(rep, ceiling))
    return views


def _cell(check: thresholds.Check | None) -> str:
    if check is None:
        return "-"  # the ceiling bounds the worst case only
    if not check.known:
        return md(check.verdict())
    verdict = f"**OVER**: {md(check.if_over)}" if check.over else "within"
    return f"{md(check.percent)}: {verdict}"


def markdown(view: SizingView) -> list[str]:
    """The environment's sizing warnings (each with what to change), then its cost against budget and ceiling."""
    if view.error is not None:
        return ["", f"Sizing (aurora-gen report): cannot be computed: {md(view.error)}"]
    count = f"{len(view.warnings)} warning(s)" if view.warnings else "no warnings"
    lines = ["", f"Sizing (aurora-gen report --env {md(view.env)}): {count}"]
    if view.warnings:
        lines.append("")
        lines += [f"- **{md(w['code'])}**: {md(w['message'])}. Change: {md(w['change'])}." for w in view.warnings]
    by = {(c.figure, c.threshold): c for c in view.checks}
    budget, ceiling = by[("expected", "budget")], by[("worst case", "ceiling")]
    budget_head = f"budget {thresholds.money(budget.limit_usd)}" if budget.known else "budget"
    ceiling_head = f"ceiling {thresholds.money(ceiling.limit_usd)}" if ceiling.known else "ceiling"
    lines += [
        "",
        f"| cost / month | {md(budget_head)} ({md(budget.set_in)}) | {md(ceiling_head)} ({md(ceiling.set_in)}) |",
        "| --- | --- | --- |",
    ]
    for figure in ("expected", "worst case"):
        usd = by[(figure, "budget")].usd
        lines.append(
            f"| {md(figure)} {md(thresholds.money(usd))} | {_cell(by.get((figure, 'budget')))} "
            f"| {_cell(by.get((figure, 'ceiling')))} |"
        )
    lines += ["", f"Cost thresholds: {md(thresholds.which_fails(view.checks))}."]
    return lines

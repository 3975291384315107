"""Writers for the policy results: the pull-request markdown summary, SARIF 2.1.0 and JUnit XML.

Every string from the inputs (tfvars values, plan addresses, checkov's findings) is escaped for where it lands
(generator/outputs/escape.py): it can add no markup to the summary, no embedded link to SARIF, no element to JUnit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generator.errors import one_line
from generator.outputs.escape import html, md, sarif_text
from policies.results import CONCERNS, EnvResult, Violation
from policies.sizing_view import SizingView
from policies.sizing_view import markdown as sizing_markdown

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_HELP = {
    "acu": "ACU range: AWS's hard rules and the environment's floor and ceiling (policies/limits.yaml).",
    "connections": "Pooled connections within RDS Proxy's share of max_connections at max ACU, with headroom; "
    "the direct-connection reserve; proxy pool settings.",
    "backups": "Backup retention, window, snapshot schedule, cross-region copy, deletion protection, final snapshot.",
    "cost": "Expected monthly cost within monthly_budget_usd; worst case within the environment's ceiling.",
    "network": "allowed_cidr_blocks and security-group ingress CIDRs are valid and inside private ranges.",
    "declarations": "HCL parses; tfvars keys declared; required variables set; limits cover the environment.",
}


def _title(r: EnvResult) -> str:
    return md(r.env) if r.source == "hcl" else f"{md(r.env)} (plan {md(r.source)})"


def checkov_counts(checkov: Mapping[str, Any]) -> str:
    text = f"checkov: {checkov['passed']} passed, {checkov['failed']} failed, {checkov['skipped']} skipped"
    return text + (f", {checkov['parsing_errors']} file(s) it could not parse" if checkov["parsing_errors"] else "")


def _icon(r: EnvResult, view: SizingView | None) -> str:
    if not r.ok:
        return "❌"
    return "⚠️" if view is not None and (view.warnings or view.error) else "✅"


def markdown(
    results: Iterable[EnvResult],
    checkov: Mapping[str, Any] | None = None,
    sizing: Mapping[str, SizingView] | None = None,
) -> str:
    """The pull-request summary. `sizing` (policies/sizing_view.py): each environment's sizing warnings and cost
    against budget and ceiling, shown under its first result: a gate that passed is never shown without them."""
    results = list(results)
    sizing = dict(sizing or {})
    bad = sum(len(r.violations) for r in results)
    checkov_ok = not checkov or not (checkov["failed"] or checkov["parsing_errors"])
    warned = {env: len(v.warnings) + (v.error is not None) for env, v in sizing.items() if v.warnings or v.error}
    head = "passed" if not bad and checkov_ok else "FAILED"
    if warned:
        head += f", {sum(warned.values())} sizing warning(s) ({', '.join(md(e) for e in warned)})"
    lines = [f"## Policy checks: {head}", ""]
    lines.append(
        f"{len(results)} environment(s)/plan(s) checked against `policies/limits.yaml`; "
        f"{bad} policy violation(s)." + (f" {checkov_counts(checkov)}." if checkov else "")
    )
    shown: set[str] = set()
    for r in results:
        view = sizing.get(r.env) if r.env not in shown else None
        lines += ["", f"### {_icon(r, view)} {_title(r)}", ""]
        if r.facts:
            lines += ["| check | value | limit | result |", "| --- | --- | --- | --- |"]
            lines += [
                f"| {md(f.topic)} | {md(f.value)} | {md(f.limit)} | {'pass' if f.ok else '**fail**'} |" for f in r.facts
            ]
        if r.violations:
            lines += ["", "Violations:", ""]
            lines += [f"- `{v.rule}` {md(str(v))}" for v in r.violations]
        if view is not None:
            shown.add(r.env)
            lines += sizing_markdown(view)
    if checkov and checkov["failures"]:
        lines += ["", "### checkov failures", ""]
        lines += [
            f"- {md(f['check_id'])} {md(f['check_name'])}: {md(f['resource'])} in {md(f['file'])}:{f['line']}"
            for f in checkov["failures"]
        ]
    return "\n".join(lines) + "\n"


def page_link(stale: list[str]) -> str:
    """The line linking the sizing page (`make report-html`), saying when it no longer describes the sizing."""
    line = "\nSizing charts, figures and warnings: [sizing.html](sizing.html) (`make report-html`)."
    if stale:
        line += f" **Stale**: {md('; '.join(stale))}: run `make report-html` again."
    return line + "\n"


def sarif(found: Iterable[Violation], checkov: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The violations as SARIF 2.1.0; checkov's counts and failures, when it ran, in the run's properties (the
    pull-request comment reads them there: checkov uploads its own SARIF to code scanning)."""
    found = list(found)
    rule_ids = sorted({v.rule for v in found} | set(CONCERNS))
    rules = [
        {
            "id": rid,
            "name": rid.replace(".", "_"),
            "shortDescription": {"text": RULE_HELP.get(rid.split(".", 1)[0], rid)},
            "defaultConfiguration": {"level": "error"},
        }
        for rid in rule_ids
    ]
    index = {rid: i for i, rid in enumerate(rule_ids)}
    out_results = []
    for v in found:
        region = {"startLine": v.line} if v.line else {}
        location = {
            "physicalLocation": {
                "artifactLocation": {"uri": v.file, "uriBaseId": "%SRCROOT%"},
                **({"region": region} if region else {}),
            }
        }
        out_results.append(
            {
                "ruleId": v.rule,
                "ruleIndex": index[v.rule],
                "level": "error",
                "message": {"text": sarif_text(v)},
                "locations": [location],
                "properties": {"environment": v.env},
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mistersmith-aurora-policies",
                        "rules": rules,
                        "informationUri": "policies/limits.yaml",
                    }
                },
                "results": out_results,
                **({"properties": {"checkov": dict(checkov)}} if checkov else {}),
            }
        ],
    }


def junit(results: Iterable[EnvResult]) -> str:
    """JUnit XML: one test case per environment (or plan) and concern, failing with its violations."""
    cases = []
    failures = 0
    for r in results:
        name = one_line(r.env if r.source == "hcl" else f"{r.env} (plan {r.source})", limit=None)
        for concern in CONCERNS:
            found = [v for v in r.violations if v.concern == concern]
            body = ""
            if found:
                failures += 1
                text = "\n".join(str(v) for v in found)
                body = f'<failure message="{len(found)} {concern} violation(s)">{html(text)}</failure>'
            cases.append(f'  <testcase classname="policies.{concern}" name="{html(name)}">{body}</testcase>')
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<testsuite name="policies" tests="{len(cases)}" failures="{failures}" errors="0">\n'
        + "\n".join(cases)
        + "\n</testsuite>\n"
    )

"""Writers for the policy results: the pull-request markdown summary and SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from policies.results import CONCERNS, EnvResult, Violation

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


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(results: Iterable[EnvResult], checkov: Mapping[str, Any] | None = None) -> str:
    results = list(results)
    bad = sum(len(r.violations) for r in results)
    head = "passed" if not bad and not (checkov and checkov.get("failed")) else "FAILED"
    lines = [f"## Policy checks: {head}", ""]
    lines.append(
        f"{len(results)} environment(s)/plan(s) checked against `policies/limits.yaml`; "
        f"{bad} policy violation(s)."
        + (
            ""
            if not checkov
            else f" checkov: {checkov.get('passed', 0)} passed, {checkov.get('failed', 0)} failed, "
            f"{checkov.get('skipped', 0)} skipped."
        )
    )
    for r in results:
        title = r.env if r.source == "hcl" else f"{r.env} (plan `{r.source}`)"
        lines += ["", f"### {'✅' if r.ok else '❌'} {title}", ""]
        if r.facts:
            lines += ["| check | value | limit | result |", "| --- | --- | --- | --- |"]
            lines += [
                f"| {_cell(f.topic)} | {_cell(f.value)} | {_cell(f.limit)} | {'pass' if f.ok else '**fail**'} |"
                for f in r.facts
            ]
        if r.violations:
            lines += ["", "Violations:", ""]
            lines += [f"- `{v.rule}` {_cell(str(v))}" for v in r.violations]
    if checkov and checkov.get("failures"):
        lines += ["", "### checkov failures", ""]
        lines += [
            f"- `{f['check_id']}` {_cell(f['check_name'])}: `{f['resource']}` in `{f['file']}`:{f['line']}"
            for f in checkov["failures"]
        ]
    return "\n".join(lines) + "\n"


def sarif(found: Iterable[Violation]) -> dict[str, Any]:
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
                "message": {"text": str(v)},
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
            }
        ],
    }


MAX_CHECKOV_BYTES = 50_000_000  # checkov's report on this repository is ~100 kB


class CheckovError(Exception):
    """checkov's JSON file is there but cannot be summarised: one line, exit 2 (never a summary without it)."""


def checkov_summary(path: Path) -> dict[str, Any] | None:
    """Counts and failures from checkov's `-o json` file (one report or a list of them).

    None when there is no file (checkov did not run). A file that is there but unreadable is a CheckovError:
    counted as absent, a corrupt report would let the summary say "passed" over checkov's failures.
    """
    import os

    from generator.errors import InputError, shown
    from generator.inputs import read_text

    if not os.path.lexists(path):
        return None
    try:
        doc = json.loads(read_text(path, "checkov report", MAX_CHECKOV_BYTES))
    except InputError as exc:
        raise CheckovError(exc.line()) from None
    except RecursionError:
        raise CheckovError(f"{path}: nested too deep to read") from None
    except ValueError as exc:
        raise CheckovError(f"{path}: not JSON: {exc}") from None
    reports = doc if isinstance(doc, list) else [doc]
    total: dict[str, Any] = {"passed": 0, "failed": 0, "skipped": 0, "failures": []}
    for i, rep in enumerate(reports):
        where = f"[{i}]." if isinstance(doc, list) else ""
        if not isinstance(rep, dict):
            raise CheckovError(f"{path}: {where or 'the document'} is not a checkov report (a JSON object)")
        summary = rep.get("summary") or {}
        if not isinstance(summary, dict):
            raise CheckovError(f"{path}: {where}summary: must be an object, found {shown(summary)}")
        for k in ("passed", "failed", "skipped"):
            count = summary.get(k, 0) or 0
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise CheckovError(f"{path}: {where}summary.{k}: must be a count, found {shown(count)}")
            total[k] += count
        failed = (rep.get("results") or {}).get("failed_checks") if isinstance(rep.get("results"), dict) else None
        for f in failed if isinstance(failed, list) else []:
            if not isinstance(f, dict):
                raise CheckovError(f"{path}: {where}results.failed_checks: each must be an object")
            lines = f.get("file_line_range")
            total["failures"].append(
                {
                    "check_id": f.get("check_id"),
                    "check_name": f.get("check_name"),
                    "resource": f.get("resource"),
                    "file": f.get("repo_file_path") or f.get("file_path"),
                    "line": lines[0] if isinstance(lines, list) and lines else None,
                }
            )
    return total


def junit(results: Iterable[EnvResult]) -> str:
    """JUnit XML: one test case per environment (or plan) and concern, failing with its violations."""
    from xml.sax.saxutils import escape, quoteattr  # imports urllib: only when a JUnit file is asked for

    cases = []
    failures = 0
    for r in results:
        name = r.env if r.source == "hcl" else f"{r.env} (plan {r.source})"
        for concern in CONCERNS:
            found = [v for v in r.violations if v.concern == concern]
            body = ""
            if found:
                failures += 1
                text = "\n".join(str(v) for v in found)
                body = f"<failure message={quoteattr(f'{len(found)} {concern} violation(s)')}>{escape(text)}</failure>"
            cases.append(
                f"  <testcase classname={quoteattr('policies.' + concern)} name={quoteattr(name)}>{body}</testcase>"
            )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<testsuite name="policies" tests="{len(cases)}" failures="{failures}" errors="0">\n'
        + "\n".join(cases)
        + "\n</testsuite>\n"
    )

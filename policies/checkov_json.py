"""checkov's `-o json` report (`--checkov-json`), read for the summary: its counts and its failed checks.

A file that is not checkov's shape, or whose counts disagree with its findings, is a CheckovError (one line,
exit 2): read as "nothing failed", a `{}` or a truncated report would let the summary say "passed".
The shape is checkov 3's: one report, or a list of them (one per framework; scripts/checkov_merge.py lists one
per scanned directory), each {"check_type", "results": {"failed_checks": [...], ...}, "summary": {...}}.
`--quiet` leaves out the passed and skipped lists, never the failed one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from generator.errors import InputError, shown
from generator.inputs.files import read_text

MAX_CHECKOV_BYTES = 50_000_000  # checkov's report on this repository is ~100 kB
# summary count -> the results list it counts
COUNTED = {"passed": "passed_checks", "failed": "failed_checks", "skipped": "skipped_checks"}
# What a failed check must hold to be shown: field -> JSON type
FAILED_CHECK_FIELDS = {"check_id": str, "check_name": str, "resource": str, "file_path": str, "file_line_range": list}


class CheckovError(Exception):
    """checkov's JSON file is there but cannot be summarised: one line, exit 2 (never a summary without it)."""


def read(path: Path) -> dict[str, Any] | None:
    """{passed, failed, skipped, parsing_errors, failures: [{check_id, check_name, resource, file, line}]}.

    None when there is no file (checkov did not run).
    """
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
    if isinstance(doc, list) and not doc:
        raise CheckovError(f"{path}: an empty list, not a checkov report")
    total: dict[str, Any] = {**dict.fromkeys(COUNTED, 0), "parsing_errors": 0, "failures": []}
    for i, rep in enumerate(doc if isinstance(doc, list) else [doc]):
        _add(total, rep, f"{path}: {f'[{i}].' if isinstance(doc, list) else ''}")
    return total


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CheckovError(f"{where}: must be a count, found {shown(value)}")
    return value


def _add(total: dict[str, Any], rep: Any, where: str) -> None:
    """Check one report's shape and counts, and add them to `total`."""
    if not isinstance(rep, dict):
        raise CheckovError(f"{where.rstrip('. ') or 'the document'}: not a checkov report (a JSON object)")
    for key in ("check_type", "summary", "results"):
        if key not in rep:
            raise CheckovError(f"{where}{key}: missing, so not a checkov report")
    if not isinstance(rep["check_type"], str):
        raise CheckovError(f"{where}check_type: must be text, found {shown(rep['check_type'])}")
    summary, results = rep["summary"], rep["results"]
    for key, value in (("summary", summary), ("results", results)):
        if not isinstance(value, dict):
            raise CheckovError(f"{where}{key}: must be an object, found {shown(value)}")
    for count, listed in (*COUNTED.items(), ("parsing_errors", "parsing_errors")):
        n = _count(summary.get(count, 0 if count == "parsing_errors" else None), f"{where}summary.{count}")
        found = results.get(listed)
        if found is None and count != "failed":  # --quiet lists only the failed checks
            total[count] += n
            continue
        if not isinstance(found, list):
            raise CheckovError(f"{where}results.{listed}: must be a list, found {shown(found)}")
        if len(found) != n:
            raise CheckovError(
                f"{where}summary.{count} is {n} but results.{listed} holds {len(found)}: the report disagrees with itself"
            )
        total[count] += n
    for j, check in enumerate(results["failed_checks"]):
        total["failures"].append(_failure(check, f"{where}results.failed_checks[{j}]"))


def _failure(check: Any, where: str) -> dict[str, Any]:
    if not isinstance(check, dict):
        raise CheckovError(f"{where}: must be an object, found {shown(check)}")
    for key, kind in FAILED_CHECK_FIELDS.items():
        if not isinstance(check.get(key), kind):
            raise CheckovError(f"{where}.{key}: must be {kind.__name__}, found {shown(check.get(key))}")
    lines = check["file_line_range"]
    if len(lines) != 2 or not all(isinstance(n, int) and not isinstance(n, bool) for n in lines):
        raise CheckovError(f"{where}.file_line_range: must be [first, last] line numbers, found {shown(lines)}")
    return {
        "check_id": check["check_id"],
        "check_name": check["check_name"],
        "resource": check["resource"],
        "file": check.get("repo_file_path") if isinstance(check.get("repo_file_path"), str) else check["file_path"],
        "line": lines[0],
    }

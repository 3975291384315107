"""`aurora-gen calibrate --sample FILE.jsonl`: a team's own rows, measured instead of the synthetic payload.

One JSON object a line: {"table": "<model table>", "row": {"<JSON column>": <object or array>, ...}}. The
row holds the table's JSON columns (the payload the application writes); ids, agents and times stay the
workload's own, so the load keeps production's order and retention. Every table needs enough rows to stand
for its payloads (calibrate-settings.yaml `sample`); anything else is one line naming the file, the line and
the field, and nothing is measured.
"""

from __future__ import annotations

import json
import math
import stat
from pathlib import Path

from generator.calibration import workload
from generator.errors import InputError, one_line, shown

# The model's tables and their JSON columns (generator/schema/aurora.sql), as the workload loads them.
JSON_COLUMNS = {spec.table: spec.json_columns for spec in workload.SPECS.values()}


def _finite(text: str) -> float:
    """json's float parser, refusing what jsonb cannot store (1e999 reads as infinity)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is not a finite number (PostgreSQL's jsonb cannot store it)")
    return value


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON (PostgreSQL's jsonb cannot store it)")


def load(path: Path, settings: dict) -> dict[str, list[dict[str, str]]]:
    """Each table's rows as {column: JSON text}, in the file's order. Raises InputError on anything else."""
    where = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(where, None, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise InputError(where, None, "not a regular file")
    if info.st_size > settings["max_file_bytes"]:
        raise InputError(
            where, None, f"{info.st_size} bytes, more than the {settings['max_file_bytes']} a sample may hold"
        )
    rows: dict[str, list[dict[str, str]]] = {t: [] for t in JSON_COLUMNS}
    try:
        with path.open("rb") as f:
            for number, raw in enumerate(f, start=1):
                if len(raw) > settings["max_line_bytes"]:
                    raise InputError(
                        where,
                        f"line {number}",
                        f"longer than {settings['max_line_bytes']} bytes: not a row of these tables",
                    )
                if raw.strip():
                    table, row = _row(where, number, raw)
                    rows[table].append(row)
    except OSError as exc:
        raise InputError(where, None, f"cannot read: {exc.strerror or exc}") from None
    least = settings["min_rows_per_table"]
    for table, found in rows.items():
        if len(found) < least:
            raise InputError(where, table, f"{len(found)} row(s); a sample needs at least {least} of every table")
    return rows


def _row(where: str, number: int, raw: bytes) -> tuple[str, dict[str, str]]:
    field = f"line {number}"
    try:
        doc = json.loads(raw.decode("utf-8"), parse_float=_finite, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise InputError(where, field, "not UTF-8") from None
    except RecursionError:
        raise InputError(where, field, "not JSON: nested too deep") from None
    except ValueError as exc:  # JSONDecodeError; NaN, Infinity, 1e999; an integer past Python's 4,300 digits
        raise InputError(where, field, f"not JSON: {getattr(exc, 'msg', None) or one_line(str(exc), 120)}") from None
    if not isinstance(doc, dict) or set(doc) != {"table", "row"}:
        raise InputError(where, field, 'expected {"table": ..., "row": {...}}')
    table, row = doc["table"], doc["row"]
    if not isinstance(table, str) or table not in JSON_COLUMNS:
        raise InputError(where, f"{field}: table", f"unknown table {shown(table)} (known: {', '.join(JSON_COLUMNS)})")
    columns = JSON_COLUMNS[table]
    if not isinstance(row, dict) or not row:
        raise InputError(where, f"{field}: row", f"expected an object of {table}'s JSON columns ({', '.join(columns)})")
    out = {}
    for column, value in row.items():
        if column not in columns:
            raise InputError(where, f"{field}: row.{column}", f"not a JSON column of {table} ({', '.join(columns)})")
        if not isinstance(value, (dict, list)):
            raise InputError(where, f"{field}: row.{column}", f"expected a JSON object or array, got {shown(value)}")
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        if "\\u0000" in text:
            raise InputError(where, f"{field}: row.{column}", "holds \\u0000, which PostgreSQL's jsonb cannot store")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(
                where, f"{field}: row.{column}", "holds a lone surrogate (\\ud800-\\udfff): not Unicode text"
            ) from None
        out[column] = text
    return table, out


def payload_bytes(rows: list[dict[str, str]]) -> int:
    """The rows' mean JSON payload in bytes (UTF-8), all their JSON columns together."""
    return round(sum(len(t.encode("utf-8")) for row in rows for t in row.values()) / max(len(rows), 1))

"""`aurora-gen calibrate --sample FILE.jsonl`: a team's own rows are measured instead of the synthetic
payload, and every hostile sample is one line naming the file (and line and field), exit 2, before any server
is started, nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.calibration.sample import JSON_COLUMNS
from generator.inputs import data

GEN = str(Path(sys.executable).parent / "aurora-gen")
LEAST = data.calibrate_settings()["sample"]["min_rows_per_table"]
MAX_LINE = data.calibrate_settings()["sample"]["max_line_bytes"]
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"  # a sample error must come first


def row(table: str, i: int) -> dict:
    record = {"step": i, "notes": f"checked the invoice {i} and sent the summary to the customer", "ok": True}
    return {"table": table, "row": {c: record for c in JSON_COLUMNS[table]}}


def lines(rows: int = LEAST) -> list[str]:
    return [json.dumps(row(t, i)) for t in JSON_COLUMNS for i in range(rows)]


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([GEN, "calibrate", *args], capture_output=True, text=True, timeout=timeout)


def test_a_teams_rows_are_measured_and_named_as_such(tmp_path):
    sample, out = tmp_path / "rows.jsonl", tmp_path / "cal.yaml"
    sample.write_text("\n".join(lines()) + "\n")
    result = run("--sample", str(sample), "--rows", "240", "--agents", "10", "--repeat", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    cal = yaml.safe_load(out.read_text())
    assert cal["payload"]["kind"] == "sample"
    # The sample's rows are ~110 bytes of JSON, not the design's 500-5,000: the file says what was measured.
    assert cal["tables"]["discovery_events/history"]["payload_bytes"] < 250
    assert cal["tables"]["discovery_events/history"]["bytes_per_row"]["toast"] == 0
    assert set(cal["payload"]["compression"]) == {t["payload_bytes"] for t in cal["tables"].values()}


def _write(path: Path, content) -> None:
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


GOOD = "\n".join(lines()).encode()
CASES = [
    ("missing", None, "cannot read"),
    ("fifo", _fifo, "not a regular file"),
    ("directory", lambda p: p.mkdir(), "not a regular file"),
    ("empty", b"", "agent_states: 0 row(s); a sample needs at least"),
    ("too-few", "\n".join(lines(LEAST - 1)).encode(), f"{LEAST - 1} row(s)"),
    ("one-table-missing", "\n".join(x for x in lines() if '"metrics"' not in x).encode(), "metrics: 0 row(s)"),
    ("not-utf8", GOOD + b'\n{"table": "metrics", "row": {"tags": {"k": "\xff\xfe"}}}\n', "not UTF-8"),
    ("utf16", "\n".join(lines()).encode("utf-16"), "line 1: not UTF-8"),
    ("not-json", GOOD + b"\n{table: metrics}\n", "not JSON"),
    ("truncated", GOOD + b'\n{"table": "metrics", "row": {"tags": {"k": 1\n', "not JSON"),
    (
        "huge-line",
        GOOD + b'\n{"table": "metrics", "row": {"tags": {"k": "' + b"x" * MAX_LINE + b'"}}}\n',
        "longer than",
    ),
    ("deep", GOOD + b'\n{"table": "metrics", "row": {"tags": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}\n", "not JSON"),
    ("unknown-table", GOOD + b'\n{"table": "users", "row": {"x": {}}}\n', "unknown table 'users' (known: agent_states"),
    ("table-not-text", GOOD + b'\n{"table": 7, "row": {"tags": {}}}\n', "unknown table 7"),
    ("row-a-list", GOOD + b'\n{"table": "metrics", "row": [1, 2]}\n', f"line {4 * LEAST + 1}: row: expected an object"),
    ("row-empty", GOOD + b'\n{"table": "metrics", "row": {}}\n', "expected an object of metrics's JSON columns"),
    (
        "other-column",
        GOOD + b'\n{"table": "metrics", "row": {"value": {}}}\n',
        "row.value: not a JSON column of metrics",
    ),
    (
        "scalar-value",
        GOOD + b'\n{"table": "task_history", "row": {"input": "text"}}\n',
        "expected a JSON object or array",
    ),
    ("extra-key", GOOD + b'\n{"table": "metrics", "row": {"tags": {}}, "id": 1}\n', 'expected {"table"'),
    ("a-list-line", GOOD + b"\n[1, 2]\n", 'expected {"table"'),
    ("nul", GOOD + b'\n{"table": "metrics", "row": {"tags": {"k": "a\\u0000b"}}}\n', "jsonb cannot store"),
    ("surrogate", GOOD + b'\n{"table": "metrics", "row": {"tags": {"k": "\\ud800"}}}\n', "lone surrogate"),
    ("nan", GOOD + b'\n{"table": "metrics", "row": {"tags": {"k": NaN}}}\n', "NaN is not JSON"),
    ("infinity", GOOD + b'\n{"table": "metrics", "row": {"tags": {"k": -Infinity}}}\n', "-Infinity is not JSON"),
    ("1e999", GOOD + b'\n{"table": "metrics", "row": {"tags": {"k": 1e999}}}\n', "1e999 is not a finite number"),
    ("5000-digits", GOOD + b'\n{"table": "metrics", "row": {"tags": {"k": 1' + b"0" * 5000 + b"}}}\n", "not JSON"),
]


@pytest.mark.parametrize("content,text", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_hostile_sample_is_one_line_exit_2_nothing_written(tmp_path, content, text):
    sample, out = tmp_path / "rows.jsonl", tmp_path / "cal.yaml"
    if content is not None:
        _write(sample, content)
    result = run("--sample", str(sample), "--dsn", UNREACHABLE, "--out", str(out), timeout=60)
    assert result.returncode == 2, result.stderr
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"aurora-gen: {sample}"), result.stderr
    assert text in err[0] and len(err[0]) < 400, err[0]
    assert "Traceback" not in result.stderr and not out.exists()

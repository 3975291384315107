"""`aurora-gen calibration-agreement A B`: the evidence that a calibration repeats. Two files agree only when
CPU is within the stated spread, WAL within its tolerance and storage identical; anything else is named."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.inputs import data

COMMITTED = data.DATA / data.CALIBRATION_FILE
SETTINGS = data.calibrate_settings()


def committed() -> dict:
    return yaml.safe_load(COMMITTED.read_text())


def write(tmp_path: Path, name: str, doc) -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False))
    return path


def agreement(*args: str):
    return CliRunner().invoke(main, ["calibration-agreement", *map(str, args)])


def test_the_committed_file_agrees_with_itself():
    out = agreement(COMMITTED, COMMITTED, "--format", "json")
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["agree"] and result["widest_cpu"]["spread"] == 0
    assert len(result["cpu"]) == 2 * len(committed()["tables"])


def test_cpu_past_the_stated_spread_disagrees_and_names_the_figure(tmp_path):
    doc = committed()
    slower = copy.deepcopy(doc)
    table = next(iter(slower["tables"]))
    # A second run 10% slower everywhere is within 25%; one statement 40% slower is not.
    for figures in slower["tables"].values():
        figures["cpu_us_per_read"] = round(figures["cpu_us_per_read"] * 1.1, 1)
    ok = agreement(write(tmp_path, "a.yaml", doc), write(tmp_path, "b.yaml", slower))
    assert ok.exit_code == 0, ok.output
    slower["tables"][table]["cpu_us_per_write"] *= 1.4
    bad = agreement(tmp_path / "a.yaml", write(tmp_path, "b.yaml", slower))
    assert bad.exit_code == 1
    verdict = bad.output.strip().splitlines()[-1]
    assert "DISAGREE" in verdict and table in verdict and "writes" in verdict
    assert f"> {SETTINGS['max_cpu_spread']:.0%}" in bad.output


def test_storage_must_be_identical_to_the_byte(tmp_path):
    doc, other = committed(), committed()
    table = list(other["tables"])[-1]
    other["tables"][table]["bytes_per_row"]["heap"] += 0.1
    out = agreement(write(tmp_path, "a.yaml", doc), write(tmp_path, "b.yaml", other))
    assert out.exit_code == 1
    assert f"differs: {table} bytes_per_row" in out.output
    assert "storage identical: no" in out.output


def test_wal_within_its_tolerance(tmp_path):
    doc, other = committed(), committed()
    table = next(iter(other["tables"]))
    tolerance = SETTINGS["wal_tolerance"]
    other["tables"][table]["wal_bytes_per_write"] *= 1 + tolerance / 2
    assert agreement(write(tmp_path, "a.yaml", doc), write(tmp_path, "b.yaml", other)).exit_code == 0
    other["tables"][table]["wal_bytes_per_write"] *= 1 + 2 * tolerance
    out = agreement(tmp_path / "a.yaml", write(tmp_path, "b.yaml", other))
    assert out.exit_code == 1 and f"> {tolerance:.0%}" in out.output


def test_runs_of_different_settings_are_not_compared_as_one(tmp_path):
    doc, other = committed(), committed()
    other["run"]["live_rows_per_table"] = 3000
    out = agreement(write(tmp_path, "a.yaml", doc), write(tmp_path, "b.yaml", other), "--format", "json")
    assert out.exit_code == 1
    assert any("run.live_rows_per_table differs" in p for p in json.loads(out.output)["problems"])


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    doc = committed()
    no_cpu = copy.deepcopy(doc)
    table = next(iter(no_cpu["tables"]))
    no_cpu["tables"][table]["cpu_us_per_read"] = "fast"
    negative = copy.deepcopy(doc)
    negative["tables"][table]["wal_bytes_per_write"] = -1
    no_pages = copy.deepcopy(doc)
    del no_pages["tables"][table]["pages_per_read"]
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as fh:
        fh.truncate(2_000_000)
    return {
        "missing": (tmp_path / "nope.yaml", "file not found"),
        "directory": (tmp_path, "a directory"),
        "fifo": (fifo, "a FIFO"),
        "huge": (huge, "byte limit"),
        "malformed": (write(tmp_path, "bad.yaml", "tables: [\n"), "malformed YAML"),
        "a list": (write(tmp_path, "list.yaml", "- 1\n"), "no mapping at the top"),
        "no tables": (write(tmp_path, "empty.yaml", "effective: 2026-12-05\n"), "tables: missing or empty"),
        "cpu not a number": (write(tmp_path, "cpu.yaml", no_cpu), f"tables.{table}.cpu_us_per_read"),
        "negative wal": (write(tmp_path, "wal.yaml", negative), f"tables.{table}.wal_bytes_per_write"),
        "no pages": (write(tmp_path, "pages.yaml", no_pages), f"tables.{table}.pages_per_read: missing"),
        "deep": (write(tmp_path, "deep.yaml", "tables: " + "[" * 100 + "]" * 100 + "\n"), "nested"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "directory",
        "fifo",
        "huge",
        "malformed",
        "a list",
        "no tables",
        "cpu not a number",
        "negative wal",
        "no pages",
        "deep",
    ],
)
def test_a_file_that_is_no_calibration_is_one_line_exit_2(tmp_path, case):
    path, message = _bad_inputs(tmp_path)[case]
    out = agreement(COMMITTED, path)
    assert out.exit_code == 2, out.output
    lines = out.output.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and message in lines[0]
    assert "Traceback" not in out.output


def test_a_file_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"tables: caf\xe9\n")
    out = agreement(path, COMMITTED)
    assert out.exit_code == 2 and "not UTF-8" in out.output and len(out.output.strip().splitlines()) == 1

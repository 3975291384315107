"""`aurora-gen observe --from FILE`: the three known truths give their warnings and recommendations, hostile
files are one line naming the file and field (exit 2, nothing written), --write writes the contract."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import snapshot
from tests.observe_series import cli_json


def run(root: Path, *args: str):
    return CliRunner(mix_stderr=False).invoke(main, ["--root", str(root), *args])


def observe_json(root: Path, path: Path, *extra: str) -> dict:
    r = run(root, "observe", "--env", "prod", "--from", str(path), "--format", "json", *extra)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def write_truth(tmp_path: Path, kind: str, **kw) -> Path:
    path = tmp_path / f"{kind}.json"
    path.write_text(json.dumps(cli_json(kind, **kw)))
    return path


def codes(res: dict) -> set[str]:
    return {w["code"] for w in res["warnings"]}


def test_json_keys_are_the_contract(tree, tmp_path):
    res = observe_json(tree, write_truth(tmp_path, "normal"))
    assert set(res["observed"]["window"]) == {"start", "end", "days", "points"}
    assert set(res["observed"]["acu"]) == {"p50", "p95", "p99", "max", "share_at_max", "share_at_min"}
    for part in ("observed", "predicted", "ratio"):
        assert {"acu", "cache_hit_ratio", "storage_gb", "storage_growth_gb_per_month", "io", "connections"} <= set(
            res[part]
        )
        assert "billed_million_per_month" in res[part]["io"] and "max" in res[part]["connections"]
    assert {"min_acu", "max_acu", "storage_type", "reason"} <= set(res["recommendation"])
    assert res["observed"]["window"] == {
        "start": "2026-11-20T00:00:00Z",
        "end": "2026-12-03T23:55:00Z",
        "days": 14.0,
        "points": 4032,
    }
    assert res["observed"]["cache_hit_ratio"] == 0.995
    assert res["observed"]["io"]["billed_million_per_month"] == pytest.approx(548.9, abs=0.1)
    assert res["observed"]["connections"]["max"] == 180  # writer 150 + reader 30
    assert codes(res) == set()
    assert res["source"] == "file: normal.json" and res["cluster"] == "mistersmith-prod"


def test_a_cluster_capped_at_max_acu(tree, tmp_path):
    res = observe_json(tree, write_truth(tmp_path, "capped"))
    assert "observe.max_acu_saturated" in codes(res)
    assert res["observed"]["acu"]["share_at_max"] == pytest.approx(5 / 24, abs=0.001)
    # capped at 12: at least 12 used, over 1 - 20% headroom (policies/limits.yaml) = 15, inside prod's ceiling 32
    assert res["recommendation"]["max_acu"] == 15
    assert "capped at max ACU 12" in res["recommendation"]["reason"]


def test_a_cluster_idling_at_min_stays_at_the_policies_floor_and_says_so(tree, tmp_path):
    res = observe_json(tree, write_truth(tmp_path, "idle"))
    assert "observe.min_acu_idle" in codes(res)
    assert res["observed"]["cpu_acu_p95"] == pytest.approx(0.24)
    assert res["recommendation"]["min_acu"] == 2  # would be 0.5, but prod's floor is 2
    assert "policies' floor 2 (policies/limits.yaml)" in res["recommendation"]["reason"]


def test_io_three_times_the_model_recommends_io_optimized(tree, tmp_path):
    res = observe_json(tree, write_truth(tmp_path, "io3x"))
    assert "observe.io_above_model" in codes(res)
    assert res["ratio"]["io"]["billed_million_per_month"] == pytest.approx(3.0, abs=0.01)
    assert res["recommendation"]["storage_type"] == "aurora-iopt1"
    assert "once every 30 days" in res["recommendation"]["reason"]
    assert res["factors"]["io_per_statement"] == pytest.approx(3.0, abs=0.05)


def test_a_ceiling_that_holds_the_recommendation_is_said(tree, tmp_path):
    limits = tree / "policies" / "limits.yaml"
    limits.write_text(
        limits.read_text().replace("acu: {min_floor: 2, max_ceiling: 32}", "acu: {min_floor: 2, max_ceiling: 12}")
    )
    res = observe_json(tree, write_truth(tmp_path, "capped"))
    assert res["recommendation"]["max_acu"] == 12
    assert (
        "above the policies' ceiling 12 (policies/limits.yaml): held at the ceiling" in res["recommendation"]["reason"]
    )


def test_unsorted_timestamps_give_the_same_figures(tree, tmp_path):
    newest_first = observe_json(tree, write_truth(tmp_path, "capped"))
    path = tmp_path / "oldest.json"
    path.write_text(json.dumps(cli_json("capped", newest_first=False)))
    assert observe_json(tree, path)["observed"] == newest_first["observed"]


def test_a_missing_metric_is_a_named_data_gap_never_a_zero(tree, tmp_path):
    doc = cli_json("normal")
    doc["MetricDataResults"] = [r for r in doc["MetricDataResults"] if r["Label"] != "VolumeWriteIOPs"]
    doc["MetricDataResults"][0]["Timestamps"] = doc["MetricDataResults"][0]["Timestamps"][:3]  # writer ACU
    doc["MetricDataResults"][0]["Values"] = doc["MetricDataResults"][0]["Values"][:3]
    path = tmp_path / "gap.json"
    path.write_text(json.dumps(doc))
    res = observe_json(tree, path)
    gaps = [w["message"] for w in res["warnings"] if w["code"] == "observe.data_gap"]
    assert any("VolumeWriteIOPs (cluster): no series" in g for g in gaps)
    assert any("ServerlessDatabaseCapacity (writer): 3 point(s)" in g for g in gaps)
    assert res["observed"]["io"]["billed_million_per_month"] is None
    assert res["observed"]["acu"]["p95"] is None


def test_a_list_of_pages_is_read_as_one(tree, tmp_path):
    doc = cli_json("normal")
    half = len(doc["MetricDataResults"]) // 2
    path = tmp_path / "pages.json"
    path.write_text(
        json.dumps(
            [
                {"MetricDataResults": doc["MetricDataResults"][:half]},
                {"MetricDataResults": doc["MetricDataResults"][half:]},
            ]
        )
    )
    assert observe_json(tree, path)["observed"] == observe_json(tree, write_truth(tmp_path, "normal"))["observed"]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_human_formats_lead_with_the_warnings(tree, tmp_path, fmt):
    r = run(tree, "observe", "--env", "prod", "--from", str(write_truth(tmp_path, "capped")), "--format", fmt)
    assert r.exit_code == 0, r.stderr
    assert "max_acu_saturated" in r.stdout.replace("\\_", "_")
    assert r.stdout.index("max_acu_saturated".replace("_", "\\_" if fmt == "markdown" else "_")) < r.stdout.index(
        "ACU p95"
    )
    if fmt == "table":  # as report's table, every line within 100 characters
        assert max(len(line) for line in r.stdout.splitlines()) <= 100


def test_write_records_the_contract(tree, tmp_path):
    r = run(tree, "observe", "--env", "prod", "--from", str(write_truth(tmp_path, "io3x")), "--write")
    assert r.exit_code == 0, r.stderr
    doc = yaml.safe_load((tree / "envs" / "prod" / "observed.yaml").read_text())
    assert list(doc) == ["effective", "cluster", "source", "window", "observed", "factors"]
    assert doc["effective"] == "2026-12-03" and doc["source"] == "file: io3x.json"
    assert set(doc["observed"]) == {
        "acu",
        "cache_hit_ratio",
        "storage_gb",
        "storage_growth_gb_per_month",
        "io_billed_million_per_month",
        "connections_max",
        "cpu_acu_p95",
    }
    assert set(doc["factors"]) == {"cpu", "bytes_per_row", "io_per_statement"}
    assert doc["factors"]["io_per_statement"] == pytest.approx(3.0, abs=0.05)
    assert doc["factors"]["bytes_per_row"] == pytest.approx(430 / 436.4, abs=0.01)  # flat storage: steady


def test_the_written_observation_closes_the_loop(tree, tmp_path):
    """Observed three times the model's billed I/O: after --write, the model (report) bills what was observed, and
    observing the same cluster again gives factors of 1 against the corrected model: the loop is closed, not
    compounded."""
    truth = write_truth(tmp_path, "io3x")
    assert run(tree, "observe", "--env", "prod", "--from", str(truth), "--write").exit_code == 0
    r = run(tree, "report", "--env", "prod", "--format", "json")
    assert r.exit_code == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["iops"]["cache_hit_ratio_from"] == "observed"
    assert rep["iops"]["billed_read_million_per_month"] == pytest.approx(3 * 233.2, rel=0.02)
    assert rep["recommendation"]["storage_type"] == "aurora-iopt1"
    again = observe_json(tree, truth)  # factors are against the bare model (observed=False): the same again
    assert again["factors"]["io_per_statement"] == pytest.approx(3.0, abs=0.05)


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


HOSTILE = {
    "malformed JSON": (lambda p: p.write_text('{"MetricDataResults": ['), "not JSON: "),
    "not an object": (lambda p: p.write_text("[1]"), "[0]: must be an object with MetricDataResults"),
    "results not a list": (lambda p: p.write_text('{"MetricDataResults": "x"}'), "MetricDataResults: must be a list"),
    "empty results": (lambda p: p.write_text('{"MetricDataResults": []}'), "holds no data point"),
    "a value that is text": (
        lambda p: p.write_text(_one(values=["a"])),
        "MetricDataResults[0].Values[0]: must be a number",
    ),
    "a boolean value": (lambda p: p.write_text(_one(values=[True])), "Values[0]: must be a number"),
    "NaN": (lambda p: p.write_text(_one(values="NaN", raw=True)), "Values[0]: nan is not a finite number"),
    "Infinity": (lambda p: p.write_text(_one(values="Infinity", raw=True)), "Values[0]: inf is not a finite number"),
    "1e999": (lambda p: p.write_text(_one(values="1e999", raw=True)), "Values[0]: inf is not a finite number"),
    "1e300": (lambda p: p.write_text(_one(values=[1e300])), "Values[0]: 1e+300 is above the largest value accepted"),
    "negative": (lambda p: p.write_text(_one(values=[-1])), "Values[0]: -1 is negative"),
    "a percentage above 100": (lambda p: p.write_text(_one(values=[101], label="CPUUtilization")), "above 100"),
    "mismatched lengths": (lambda p: p.write_text(_one(values=[1, 2])), "Values: has 2 values for 1 Timestamps"),
    "duplicate timestamps": (
        lambda p: p.write_text(_one(values=[1, 2], stamps=2 * ["2026-12-01T00:00:00+00:00"])),
        "appears twice",
    ),
    "a time without zone": (lambda p: p.write_text(_one(stamps=["2026-12-01T00:00:00"])), "has no time zone"),
    "not a time": (lambda p: p.write_text(_one(stamps=["yesterday"])), "is not an ISO 8601 time"),
    "unknown label": (
        lambda p: p.write_text(_one(label="Deadlocks")),
        "Label: 'Deadlocks' is not a metric observe reads",
    ),
    "no Id": (lambda p: p.write_text(_one(rid=None)), "MetricDataResults[0].Id: must be text"),
    "deep nesting": (lambda p: p.write_text("[" * 200_000 + "]" * 200_000), "nested too deep"),
    "not UTF-8": (lambda p: p.write_bytes(b'{"MetricDataResults": [\xff]}'), "not UTF-8 text: byte 0xff"),
    "UTF-16": (lambda p: p.write_text('{"MetricDataResults": []}', encoding="utf-16"), "is UTF-16 text"),
    "a directory": (lambda p: p.mkdir(), "is a directory, not a regular file"),
    "a FIFO": (_fifo, "is a FIFO, not a regular file"),
    "a 1 GB file": (lambda p: os.truncate(p.open("wb").name, 10**9), "above the 64,000,000-byte limit"),
    "missing": (lambda p: None, "file not found"),
}


def _one(values=None, stamps=None, label="ServerlessDatabaseCapacity", rid="writer_acu", raw=False) -> str:
    stamps = stamps or ["2026-12-01T00:00:00+00:00"]
    if raw:
        # a JSON number token json.dumps would never write (NaN, Infinity, 1e999), placed verbatim
        doc = json.dumps({"MetricDataResults": [{"Id": rid, "Label": label, "Timestamps": stamps, "Values": [0]}]})
        return doc.replace('"Values": [0]', f'"Values": [{values}]')
    return json.dumps(
        {"MetricDataResults": [{"Id": rid, "Label": label, "Timestamps": stamps, "Values": values or [2.0]}]}
    )


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_files_are_one_line_exit_2_and_write_nothing(tree, tmp_path, case):
    make, expected = HOSTILE[case]
    path = tmp_path / "metrics.json"
    make(path)
    before = snapshot(tree)
    r = run(tree, "observe", "--env", "prod", "--from", str(path), "--write")
    assert r.exit_code == 2, r.stdout
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"aurora-gen: {path}"), r.stderr
    assert expected in r.stderr
    assert snapshot(tree) == before, "a refused file must write nothing"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--env", "nope"), "unknown environment 'nope'"),
        (("--env", "prod", "--cluster-id", "bad id;rm"), "is not an RDS cluster identifier"),
        (("--env", "prod", "--days", "0"), "Invalid value for '--days'"),
        (("--env", "prod", "--days", "500"), "Invalid value for '--days'"),
    ],
)
def test_bad_options_are_refused(tree, args, expected):
    r = run(tree, "observe", *args, "--from", "x.json")
    assert r.exit_code == 2 and expected in r.stderr, r.stderr


def test_the_markdown_renders_a_hostile_file_name_as_text(tree, tmp_path):
    from tests.test_escaping import assert_inert_markdown

    path = tmp_path / "a|b @everyone <img src=x onerror=alert(1)> `code` breakout` <!-- ## x.json"
    path.write_text(json.dumps(cli_json("capped")))
    r = run(tree, "observe", "--env", "prod", "--from", str(path), "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    assert_inert_markdown(r.stdout)


def test_a_steady_cluster_gets_both_figures_and_a_spiky_one_none(tree, tmp_path):
    steady = observe_json(tree, write_truth(tmp_path, "normal"))  # 3 ACU four hours a day, 2 the rest
    note = next(n for n in steady["notes"] if n.startswith("steady load"))
    assert "under a Database Savings Plan $" in note and "on provisioned db.r6g.large" in note
    doc = cli_json("normal")
    acu = next(r for r in doc["MetricDataResults"] if r["Id"] == "writer_serverlessdatabasecapacity")
    acu["Values"] = [12.0 if t[11:13] in ("10", "11") else 2.0 for t in acu["Timestamps"]]  # 2 h a day at 12
    path = tmp_path / "spiky.json"
    path.write_text(json.dumps(doc))
    assert not any(n.startswith("steady load") for n in observe_json(tree, path)["notes"])


def test_the_observation_file_reads_back_whatever_the_file_name_holds():
    from generator.observe.observed_write import text

    source = "file: a\nb: 'c' # d.json"
    doc = {
        "effective": "2026-12-04",
        "cluster": "mistersmith-prod",
        "source": source,
        "window": {"start": "2026-11-20T00:00:00Z", "end": "2026-12-04T00:00:00Z", "days": 14.0, "points": 4032},
        "observed": {
            "acu": {"p50": 2.0, "p95": 3.5, "p99": 4.0, "max": 6.0},
            "cache_hit_ratio": None,
            "storage_gb": 120.4,
            "storage_growth_gb_per_month": 8.1,
            "io_billed_million_per_month": 310.2,
            "connections_max": 180,
            "cpu_acu_p95": 1.9,
        },
        "factors": {"cpu": 0.82, "bytes_per_row": None, "io_per_statement": 0.9},
    }
    assert yaml.safe_load(text(doc)) == doc

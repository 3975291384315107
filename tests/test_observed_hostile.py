"""A bad observation file (envs/<env>/observed.yaml) is one line naming the file and the field, exit 2, nothing
written: for `report`, `render` and `render --check` alike, and for `aurora-gen diff` at a base ref."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import snapshot
from tests.observed_fixture import observation_text

GOOD = observation_text()
TODAY = dt.datetime.now(dt.UTC).date()
END = f"{TODAY}T00:00:00Z"

# (replace this, with that, the line's field and words)
MUTATIONS = [
    ("source: cloudwatch", "source: cloudwatch\nextra: 1", "extra: unknown key"),
    ("  cpu: null", "  cpu: null\n  memory: 1.1", "factors.memory: unknown key"),
    ("cluster: mistersmith-prod\n", "", "cluster: required but not set"),
    ("cache_hit_ratio: 0.995", "cache_hit_ratio: 'high'", "observed.cache_hit_ratio: must be a number"),
    ("cache_hit_ratio: 0.995", "cache_hit_ratio: 0", "observed.cache_hit_ratio: must be > 0"),
    ("cache_hit_ratio: 0.995", "cache_hit_ratio: 1.2", "observed.cache_hit_ratio: must be <= 1"),
    ("cache_hit_ratio: 0.995", "cache_hit_ratio: .nan", "observed.cache_hit_ratio: nan is not a finite number"),
    ("cache_hit_ratio: 0.995", "cache_hit_ratio: true", "observed.cache_hit_ratio: must be a number"),
    ("  cpu: null", "  cpu: 0", "factors.cpu: must be > 0"),
    ("  cpu: null", "  cpu: -2", "factors.cpu: must be > 0"),
    ("  cpu: null", "  cpu: 11", "factors.cpu: 11 is outside 0.1..10 (generator/data/observed-model.yaml)"),
    ("  bytes_per_row: null", "  bytes_per_row: 0.05", "factors.bytes_per_row: 0.05 is outside 0.1..10"),
    ("  io_per_statement: null", "  io_per_statement: '0.9'", "factors.io_per_statement: must be a number"),
    ("  io_per_statement: null", "  io_per_statement: 1.0e+400", "factors.io_per_statement: inf is not a finite"),
    ("effective: '", "effective: 'yesterday' #", "effective: 'yesterday' is not a date"),
    ("effective: '", "effective: 2026-13-01 #'", "malformed YAML: a date or time that is none"),
    ("effective: '", "effective: '2020-01-01' #", "effective 2020-01-01 is not the window's end date"),
    (f"end: '{END}'", "end: '2020-01-01T00:00:00Z'", "window: ends (2020-01-01T00:00:00+00:00) before it starts"),
    (f"end: '{END}'", f"end: '{TODAY}T00:00:00'", f"window.end: {TODAY}T00:00:00 has no time zone"),
    (f"end: '{END}'", "end: 'soon'", "window.end: 'soon' is not an ISO 8601 time"),
    ("days: 14.0", "days: 7.0", "window: days 7 does not match its start and end (14.00 days)"),
    ("points: 4032", "points: -1", "window.points: must be >= 0"),
    ("points: 4032", "points: 1.5", "window.points: must be a whole number"),
    ("cluster: mistersmith-prod", "cluster: 'prod; rm -rf /'", "cluster: 'prod; rm -rf /' does not have the expected"),
    ("source: cloudwatch", "source: s3", "source: 's3' does not have the expected form"),
    ("source: cloudwatch", "source: 'file: ../../etc/passwd'", "source: 'file: ../../etc/passwd' does not have"),
    ("acu: {p50: 2.0", "acu: {p50: -2.0", "observed.acu.p50: must be >= 0"),
    ("storage_gb: 120.4", "storage_gb: [1]", "observed.storage_gb: must be a number"),
]


def report(root, env="prod"):
    return CliRunner(mix_stderr=False).invoke(main, ["--root", str(root), "report", "--env", env])


def one_line(res, *words: str) -> str:
    assert res.exit_code == 2, res.output
    line = res.stderr.strip()
    assert "\n" not in line and "Traceback" not in line, line
    assert line.startswith("aurora-gen: envs/prod/observed.yaml: "), line
    for w in words:
        assert w in line, line
    return line


@pytest.mark.parametrize(("old", "new", "words"), MUTATIONS, ids=[m[2][:40] for m in MUTATIONS])
def test_a_bad_field_is_one_line_naming_it(repo_copy, old, new, words):
    assert old in GOOD
    (repo_copy / "envs/prod/observed.yaml").write_text(GOOD.replace(old, new, 1))
    one_line(report(repo_copy), words)


def test_a_window_in_the_future_is_refused(repo_copy):
    (repo_copy / "envs/prod/observed.yaml").write_text(observation_text(age_days=-30))
    one_line(report(repo_copy), "window.end: ", "is in the future")


def test_a_list_or_nothing_is_not_an_observation(repo_copy):
    for text in ("- 1\n", "", "null\n"):
        (repo_copy / "envs/prod/observed.yaml").write_text(text)
        one_line(report(repo_copy), "expected the mapping aurora-gen observe --write writes")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.mkdir(), "is a directory, not a regular file"),
        (lambda p: os.mkfifo(p), "is a FIFO, not a regular file"),
        (lambda p: p.symlink_to(p.parent / "sizing.yaml"), "is a symbolic link"),
        (lambda p: p.symlink_to("/dev/zero"), "is a symbolic link"),
        (lambda p: p.symlink_to(p.parent / "gone.yaml"), "is a symbolic link"),
        (lambda p: p.write_bytes(GOOD.encode() + b"# \xff\n"), "not UTF-8 text: byte 0xff at line 18"),
        (lambda p: p.write_bytes(GOOD.encode("utf-16")), "is UTF-16 text (byte-order mark)"),
        (lambda p: p.write_text(GOOD + "#" * 70_000 + "\n"), "above the 65,536-byte limit for a observation file"),
        (lambda p: p.write_text("a: " + "[" * 100 + "]" * 100 + "\n"), "nested 101 levels deep"),
        (lambda p: p.write_text("a: &a [*a]\n"), "(a recursive alias?)"),
    ],
    ids=["dir", "fifo", "link", "link-dev-zero", "broken-link", "not-utf8", "utf16", "huge", "deep", "alias"],
)
def test_a_file_that_is_not_one_is_one_line(repo_copy, make, words):
    make(repo_copy / "envs/prod/observed.yaml")
    one_line(report(repo_copy), words)


def test_render_writes_nothing_and_check_names_the_file(repo_copy):
    (repo_copy / "envs/prod/observed.yaml").write_text(GOOD.replace("  cpu: null", "  cpu: 99"))
    before = snapshot(repo_copy)
    for args in (["render"], ["render", "--check"]):
        res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), *args])
        one_line(res, "factors.cpu: 99 is outside")
    assert snapshot(repo_copy) == before


def test_diff_refuses_a_bad_observation_at_the_base_by_name(repo_copy):
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo_copy, check=True, capture_output=True)

    git("init", "-q")
    (repo_copy / "envs/prod/observed.yaml").write_text(GOOD.replace("cache_hit_ratio: 0.995", "cache_hit_ratio: 2"))
    git("add", "-A")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    (repo_copy / "envs/prod/observed.yaml").write_text(GOOD)
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), "diff", "--base", "HEAD"])
    assert res.exit_code == 2
    assert res.stderr.strip().startswith("aurora-gen: HEAD:envs/prod/observed.yaml: observed.cache_hit_ratio: must be")


def test_a_file_source_with_markup_is_text_in_every_format(repo_copy):
    from generator.model.sized import size_tree
    from generator.outputs import report as reports
    from generator.outputs.report_html import page

    payload = "file: <img src=x onerror=alert(1)> [x](mailto:e@e.example) | `c` ${var.x} *b*.json"
    (repo_copy / "envs/prod/observed.yaml").write_text(GOOD.replace("source: cloudwatch", f"source: '{payload}'"))
    sized = size_tree(repo_copy)
    markdown = reports.to_markdown(sized["prod"].report)
    assert not re.search(r"(?<!\\)<img", markdown) and "\\<img" in markdown and "\\[x\\]" in markdown
    html = page(sized, [])
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), "render", "--env", "prod"])
    assert res.exit_code == 0, res.stderr
    header = [
        line for line in (repo_copy / "envs/prod/terraform.tfvars").read_text().splitlines() if "Observed" in line
    ]
    assert len(header) == 1 and header[0].startswith("# Observed: ")


CONTRACT = """# Observed on the running cluster by `aurora-gen observe --write`; generated, do not edit.
effective: '2026-12-04'          # the window's end date (UTC)
cluster: mistersmith-prod
source: cloudwatch               # or 'file: <basename>'
window: {start: '2026-11-20T00:00:00Z', end: '2026-12-04T00:00:00Z', days: 14.0, points: 4032}
observed:
  acu: {p50: 2.0, p95: 3.5, p99: 4.0, max: 6.0}
  cache_hit_ratio: 0.995         # null when not observed
  storage_gb: 120.4              # null when not observed
  storage_growth_gb_per_month: 8.1
  io_billed_million_per_month: 310.2
  connections_max: 180
  cpu_acu_p95: 1.9
factors:                         # observed / predicted; 1.0: the model was right; null: not enough data to say
  cpu: 0.82                      # REPLACES aurora-cpu-factor.yaml's factor for this environment
  bytes_per_row: 1.05            # multiplies every table's measured bytes per row (storage)
  io_per_statement: 0.9          # multiplies pages per statement (billed I/O)
"""


def test_the_file_observe_writes_is_read_quoted_or_not():
    from generator.observe import observed_file

    for text in (CONTRACT, CONTRACT.replace("'", "")):
        doc = observed_file.parse(text, "envs/prod/observed.yaml")
        assert doc["effective"] == "2026-12-04" and doc["window"]["end"] == "2026-12-04T00:00:00Z"
        assert doc["factors"] == {"cpu": 0.82, "bytes_per_row": 1.05, "io_per_statement": 0.9}
        assert doc["observed"]["cache_hit_ratio"] == 0.995 and doc["source"] == "cloudwatch"
    offset = CONTRACT.replace("'2026-12-04T00:00:00Z'", "'2026-12-04T01:00:00+01:00'")
    assert observed_file.parse(offset, "x")["window"]["end"] == "2026-12-04T00:00:00Z"

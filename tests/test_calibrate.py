"""`aurora-gen calibrate` on a real PostgreSQL (the embedded pgserver): a small bounded run agrees with the
committed calibration, and bad input (unreachable server, no rights, an interrupt) is one line, exit 2,
nothing left behind in the server or on disk."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

import psycopg
import pytest
import yaml

from generator.inputs import data

REPO = Path(__file__).resolve().parents[1]
GEN = str(Path(sys.executable).parent / "aurora-gen")
# 250 rows per metrics partition: page granularity stays small. One round: a small run's CPU is too short to
# agree across rounds on a busy machine (the rounds have their own tests below).
SMALL = ["--rows", "3000", "--agents", "40", "--repeat", "1"]


def run(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [GEN, "calibrate", *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )


def leftovers(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith("aurora-calibrate-"))


@pytest.fixture(scope="module")
def server():
    """One embedded PostgreSQL for the --dsn cases (its own temporary directory, removed at the end)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        pgdata = tempfile.mkdtemp(prefix="aurora-test-pg-")
        srv = pgserver.get_server(pgdata, cleanup_mode="delete")
    try:
        yield srv.get_uri()
    finally:
        srv.cleanup()


@pytest.fixture
def short_tmp():
    """TMPDIR for an embedded run: the server's socket is in its data directory there, and a socket path is at
    most 107 bytes (pytest-xdist's tmp_path, one folder deeper, left too few: "Could not find a suitable socket path")."""
    path = Path(tempfile.mkdtemp(prefix="cal-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def calibration_schemas(dsn: str) -> list[str]:
    with psycopg.connect(dsn) as conn:
        return [r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'aurora_calibrate_%'")]


def test_small_embedded_run_matches_the_committed_calibration(tmp_path, short_tmp):
    out = tmp_path / "calibration.yaml"
    result = run(*SMALL, "--out", str(out), env={"TMPDIR": str(short_tmp)})
    assert result.returncode == 0, result.stderr
    assert "calibrate: 100%" in result.stderr  # plain progress lines when not on a terminal
    small, committed = yaml.safe_load(out.read_text()), data.calibration()
    assert small["server"]["version"].startswith("16") and small["run"]["live_rows_per_table"] == 3000
    assert set(small["tables"]) == set(committed["tables"])
    for key, figures in committed["tables"].items():
        got, want = small["tables"][key]["bytes_per_row"]["total"], figures["bytes_per_row"]["total"]
        assert abs(got - want) <= 0.25 * want, f"{key}: {got} bytes per row, committed {want}"
        assert small["tables"][key]["wal_bytes_per_write"] > 0 and small["tables"][key]["cpu_us_per_write"] >= 0
    assert leftovers(short_tmp) == []  # the temporary server's directory is gone


def test_committed_calibration_is_a_full_default_run():
    cal = data.calibration()
    assert cal["run"]["live_rows_per_table"] == 20_000 and cal["run"]["cpu_method"] == "proc_schedstat"
    assert cal["server"]["full_page_writes"] == "off" and cal["server"]["block_size"] == 8192
    for key, figures in cal["tables"].items():
        assert figures["live_rows"] >= 19_000, key
        assert figures["bytes_per_row"]["total"] > figures["payload_bytes"] * 0.8, key


def test_existing_server_is_measured_in_its_own_schema_then_dropped(server, tmp_path):
    out = tmp_path / "cal.yaml"
    result = run("--dsn", server, "--rows", "240", "--agents", "10", "--repeat", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(out.read_text())["server"]["source"] == "existing server (--dsn)"
    assert calibration_schemas(server) == []


def test_unreachable_server_is_one_line_exit_2(tmp_path):
    out = tmp_path / "cal.yaml"
    result = run("--dsn", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", "--out", str(out))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("aurora-gen: calibrate: cannot connect to the server:")
    assert not out.exists()


def test_server_without_rights_is_one_line_exit_2(server, tmp_path):
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS calib_norights")
        conn.execute("CREATE ROLE calib_norights LOGIN")
    dsn = server.replace("postgres:@", "calib_norights:@", 1)
    out = tmp_path / "cal.yaml"
    result = run("--dsn", dsn, "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "permission denied" in result.stderr
    assert not out.exists() and calibration_schemas(server) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_leaves_nothing(server, tmp_path, sig):
    out = tmp_path / "cal.yaml"
    proc = subprocess.Popen(
        [GEN, "calibrate", "--dsn", server, "--rows", "200000", "--out", str(out)], stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not calibration_schemas(server) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)  # inside the load
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert len(stderr.strip().splitlines()) == 1 and "interrupted" in stderr
    assert not out.exists() and calibration_schemas(server) == []


def test_interrupted_embedded_run_removes_its_server(tmp_path, short_tmp):
    proc = subprocess.Popen(
        [GEN, "calibrate", "--rows", "200000", "--out", str(tmp_path / "cal.yaml")],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(short_tmp)},
    )
    deadline = time.monotonic() + 60
    while not any((p / "PG_VERSION").exists() for p in short_tmp.glob("aurora-calibrate-*")):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.2)
    time.sleep(2.0)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2 and len(stderr.strip().splitlines()) == 1, stderr
    assert leftovers(short_tmp) == [] and not (tmp_path / "cal.yaml").exists()


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise():
    import io

    from generator.calibration.calibrate import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, log = Tty(), io.StringIO()
    for stream in (tty, log):
        progress = Progress(4, stream)
        for label in ("t: step 1/2", "t: step 2/2", "t: measured", "u: measured"):
            progress(label)
    assert "\r[" in tty.getvalue() and "100%" in tty.getvalue() and tty.getvalue().endswith("\n")
    assert "\r" not in log.getvalue()
    assert log.getvalue().splitlines()[0].startswith("calibrate:  75% t: measured")
    assert len(log.getvalue().splitlines()) == 2


def test_cpu_comes_from_proc_only_for_a_local_postgres_backend():
    from generator.calibration import measure, workload

    assert measure.CpuClock(os.getpid()).method == "explain_timing"  # this process is not a postgres backend
    assert measure.CpuClock(os.getpid())._read() is None
    assert measure.CpuClock(2**22 + 7).method == "explain_timing"  # no such process (a remote server's pid)
    fig = measure.TableFigures(
        workload.SPECS["metrics/history"],
        500,
        live_rows=10,
        fresh_bytes_per_row=500.0,
        sizes=(4000, 0, 1000, 6000),
        writes=100,
        write_cpu_s=[0.0001, 0.0005, 0.0001],  # seconds per write of each batch: a busy batch in the middle
        reads=50,
        read_cpu_s=[0.0002, 0.00001, 0.0002],
    )
    fig.pages = {"read": [{"hit": 3, "read": 1}], "write": [{"hit": 2, "read": 0}]}
    fig.explain_ms = {"read": [0.2], "write": [0.1]}
    local, remote = fig.summary("proc_schedstat"), fig.summary("explain_timing")
    assert (local["cpu_us_per_write"], local["cpu_us_per_read"]) == (100.0, 200.0)  # the batches' medians
    assert (remote["cpu_us_per_write"], remote["cpu_us_per_read"]) == (100.0, 200.0)  # EXPLAIN's 0.1 and 0.2 ms
    assert local["bytes_per_row"]["total"] == 600.0 and local["bloat"] == 1.2
    assert local["pages_per_read"] == {"hit": 3, "read": 1}


@pytest.mark.parametrize("where", ["directory", "device", "no-folder", "below-a-file"])
def test_an_unusable_out_is_refused_before_measuring(tmp_path, where):
    """--out that cannot take the file is one line naming it, exit 2, before a server is started or reached
    (the unreachable --dsn would otherwise be the error, after minutes of measuring on a real one)."""
    (tmp_path / "a-file").write_text("x")
    out = {
        "directory": tmp_path,
        "device": Path("/dev/full"),
        "no-folder": tmp_path / "nope" / "cal.yaml",
        "below-a-file": tmp_path / "a-file" / "cal.yaml",
    }[where]
    result = run("--dsn", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"aurora-gen: {out}: cannot write: "), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"] and (tmp_path / "a-file").read_text() == "x"


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://u:s3cr%3Ait@[bad/db",
        "postgresql://u:s3cr%3Ait@host:99999/db",
        "host=[ password=s3cr%3Ait port=x",
        "password='s3cr%3Ait' port=99999",
        # Malformed URIs whose message quotes a part of the password (an unencoded "@", a bad %-escape, a NUL)
        "postgresql://u:s3cr@it@127.0.0.1:1/db",
        "postgresql://u:s3cr%zzit@127.0.0.1:1/db",
        "postgresql://u:s3cr%00it@127.0.0.1:1/db",
        # Query string: a bad escape, an unencoded "&" leaving "it" as a bare parameter
        "postgresql://u@127.0.0.1:1/db?password=s3cr%zzit",
        "postgresql://u@127.0.0.1:1/db?password=s3cr&it",
        # key=value: an unquoted space leaves "it" as a bare token; spaces around "="
        "host=127.0.0.1 port=1 password=s3cr it",
        "host=127.0.0.1 port=x PASSWORD = s3crit",
    ],
)
def test_a_bad_dsn_never_prints_its_password(tmp_path, dsn):
    """libpq quotes a malformed URI in its message, password included: CI logs would keep it."""
    result = run("--dsn", dsn, "--out", str(tmp_path / "cal.yaml"), timeout=60)
    assert result.returncode == 2 and result.stderr.startswith("aurora-gen: calibrate: cannot connect"), result.stderr
    assert not any(part in result.stderr for part in ("s3cr", "it'", 'it"', "it@")), result.stderr
    assert not (tmp_path / "cal.yaml").exists()


def _postmasters_in(folder: Path) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(folder) in (proc / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(proc.name))
            except OSError:
                continue
    return pids


def test_a_killed_embedded_run_is_cleaned_up_by_the_next_run(short_tmp):
    """SIGKILL cannot be caught: the embedded server kept running and its folder stayed in the temporary
    directory for good. The next `calibrate` stops and removes what a dead run left (a live run's is kept)."""
    env = {**os.environ, "TMPDIR": str(short_tmp)}
    proc = subprocess.Popen(
        [GEN, "calibrate", "--rows", "200000", "--out", str(short_tmp / "cal.yaml")], stderr=subprocess.DEVNULL, env=env
    )
    try:
        deadline = time.monotonic() + 60
        while not any((p / "postmaster.pid").exists() for p in short_tmp.glob("aurora-calibrate-*")):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.2)
        time.sleep(1.0)
        proc.kill()
        proc.wait(timeout=30)
        assert leftovers(short_tmp) and _postmasters_in(short_tmp)  # what SIGKILL leaves
        again = run(
            "--dsn",
            "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2",
            "--out",
            str(short_tmp / "cal.yaml"),
            env=env,
        )
        assert again.returncode == 2 and "cannot connect" in again.stderr
        deadline = time.monotonic() + 30
        while _postmasters_in(short_tmp) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert leftovers(short_tmp) == [] and _postmasters_in(short_tmp) == []
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=60)
        for pid in _postmasters_in(short_tmp):  # never leave a server running, whatever failed above
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def test_rounds_that_disagree_more_than_the_threshold_write_nothing(tmp_path, monkeypatch):
    """Two real rounds never take the same nanoseconds of CPU: with the threshold at 0 the run must refuse,
    in one line naming the statement type, the spread, the load average and the cores, exit 2."""
    from click.testing import CliRunner

    from generator.cli import main

    settings = {**data.calibrate_settings(), "max_cpu_spread": 0.0}
    monkeypatch.setattr(data, "calibrate_settings", lambda: settings)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the embedded server's folder, checked below
    out = tmp_path / "cal.yaml"
    result = CliRunner().invoke(
        main, ["calibrate", "--rows", "240", "--agents", "10", "--repeat", "2", "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("aurora-gen: calibrate: CPU per ") and "over 2 rounds" in last, last
    assert "max_cpu_spread" in last and "load average" in last and "on " in last and "cores" in last
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_signal_before_the_run_is_one_line_and_one_after_the_write_loses_nothing(tmp_path):
    """The command's own windows, outside the measuring: a signal before the run ends in the one interrupted
    line (not Click's "Aborted!" or a silent kill); one during or after the write is held, then dropped, so a
    written calibration exits 0 with its line."""
    script = tmp_path / "windows.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, signal, sys
            from generator.calibration import calibrate as cal
            try:
                with cal.command_signals():
                    os.kill(os.getpid(), signal.SIGINT)
                    signal.pause()
            except cal.CalibrationError as exc:
                print("before:", exc)
            with cal.command_signals():
                with cal.uninterrupted_finish():
                    os.kill(os.getpid(), signal.SIGTERM)
                    print("written")
            os.kill(os.getpid(), signal.SIGINT)
            print("after: still here")
            """
        )
    )
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [
        "before: interrupted (SIGINT); the schema and temporary server were removed, nothing written",
        "written",
        "after: still here",
    ]

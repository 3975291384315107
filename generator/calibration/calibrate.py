"""`aurora-gen calibrate`: measure the design's tables on a real PostgreSQL and write the calibration file.

By default a throw-away PostgreSQL 16 (the pgserver wheel) in a temporary directory, removed at the end;
with a DSN, an existing server, inside a schema of its own that is dropped at the end. An unreachable
server, missing rights or an interrupt (SIGINT, SIGTERM) ends in CalibrationError, after the cleanup.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import signal
import sys
import time
import uuid
import zlib
from collections.abc import Iterator
from datetime import date

import yaml

from generator.calibration import cpu_rounds, measure, workload
from generator.calibration.dsn import redact
from generator.calibration.embedded import embedded_server, reap_orphans

METHOD = (
    "Each table of generator/schema/aurora.sql is loaded with the design's payload sizes (generator/data/defaults.yaml "
    "row_bytes), time-ordered rows of interleaved agents, in 12 steps filling its retention period and 6 more that "
    "retire the oldest step as production does (DELETE + VACUUM for history tables, DROP of a partition for metrics, "
    "in-place UPDATE for agent_states/in_place, over live_rows agents of its own), VACUUM whenever dead rows reach 20% of the live ones (autovacuum's default scale factor), ANALYZE before the reads. Bytes per live row: pg_relation_size (heap), TOAST "
    "pg_total_relation_size, pg_indexes_size over the table's leaves, less what the empty table or partition "
    "occupied (metapages: fixed per relation, not per row); fresh_total is the same at the end of the "
    "first retention period, before any row was retired, and bloat = total / fresh_total. WAL: pg_current_wal_lsn "
    "deltas over the whole run including retention, per application write (wal_bytes_per_write_statement: the "
    "write statements alone). Pages: the backend's block counters (pg_stat_get_xact_blocks_fetched and _hit) "
    "of the table, its indexes, its TOAST table and TOAST index around each of 100 sampled reads and writes, "
    "the rows fetched by the client (TOAST pages included; writes rolled back), hit and read. CPU: the backend's "
    "time on CPU from /proc/<pid>/schedstat around each batch (cpu_method proc_schedstat; per statement, the "
    "median over the batches: each load step's writes, the reads in 10 parts), or EXPLAIN ANALYZE "
    "planning + execution time when the server is remote (explain_timing, which misses parsing and the "
    "protocol); the whole workload runs run.rounds times in a fresh schema, cpu_us_per_* is the median round "
    "and *_range the lowest and highest (storage, WAL and pages: the first round's, the same in every round). "
    "Memory per connection: pg_backend_memory_contexts of the measuring connection after the workload. Each "
    "statement is its own transaction (autocommit), one connection, pipelined. Payload compression: "
    "pg_column_size of each payload size's JSON against the octet_length of its text, toast_tuple_target 128."
)


class CalibrationError(Exception):
    """One line for the user; the CLI exits 2."""


class _Interrupted(BaseException):
    pass


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[list[str]]:
    """SIGINT and SIGTERM raise inside the run, so the cleanup below them still happens. Yields the signals
    received: psycopg may replace the interrupt with its own error while it unwinds a pipeline (a rollback
    "while busy"), and the run still ends as interrupted."""
    received: list[str] = []

    def handler(signum, _frame):  # noqa: ANN001 - signal's signature
        received.append(signal.Signals(signum).name)
        raise _Interrupted(received[0])  # a second signal while unwinding names the first

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    # psycopg logs a rollback it could not run while unwinding ("error ignored in rollback"): the run's one
    # line says what happened; its logger must not add its own to stderr.
    psycopg_log = logging.getLogger("psycopg")
    propagate = psycopg_log.propagate
    psycopg_log.propagate = False
    psycopg_log.addHandler(quiet := logging.NullHandler())
    try:
        yield received
    finally:
        psycopg_log.removeHandler(quiet)
        psycopg_log.propagate = propagate
        for s, h in old.items():
            signal.signal(s, h)


SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def command_signals() -> Iterator[None]:
    """The whole `calibrate` command, before and after the run too: SIGINT and SIGTERM end it as one line
    (CalibrationError), never as Click's "Aborted!", a traceback or a silent kill. Once the file is written
    (uninterrupted_finish) they stay ignored until the process exits: the work is done."""

    def handler(signum, _frame):  # noqa: ANN001 - signal's signature
        raise CalibrationError(_interrupted(signal.Signals(signum).name))

    old = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield
    except BaseException:
        for s, h in old.items():
            signal.signal(s, h)
        raise


@contextlib.contextmanager
def uninterrupted_finish() -> Iterator[None]:
    """The calibration file's write and its line: signals wait until both are done, then are dropped for the
    rest of the process (the measured work is complete and written; stopping now would only lose it)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, set(SIGNALS))
    try:
        yield
    finally:
        for s in SIGNALS:
            signal.signal(s, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(SIGNALS))


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _connect(dsn: str):
    import psycopg

    try:
        return psycopg.connect(dsn, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise CalibrationError(f"cannot connect to the server: {redact(_first_line(exc), dsn)}") from None
    except ValueError as exc:  # psycopg's own checks of the string (a NUL byte): may quote it too
        raise CalibrationError(f"cannot connect to the server: {redact(str(exc), dsn)}") from None


class Progress:
    """A bar on a terminal, plain lines otherwise (CI logs)."""

    def __init__(self, total: int, stream=None) -> None:  # noqa: ANN001
        self.total, self.done, self.stream = total, 0, stream or sys.stderr
        self.tty = self.stream.isatty()
        self.start = time.monotonic()

    def __call__(self, label: str) -> None:
        self.done += 1
        pct = 100 * self.done // self.total
        if self.tty:
            bar = "#" * (pct // 4)
            self.stream.write(f"\r[{bar:<25}] {pct:3d}% {label[:50]:<50}")
            if self.done >= self.total:
                self.stream.write("\n")
        elif label.endswith("measured") or self.done >= self.total:
            self.stream.write(f"calibrate: {pct:3d}% {label} ({time.monotonic() - self.start:.0f} s)\n")
        self.stream.flush()


def _run(
    conn,
    row_bytes: dict[str, int],
    retention: dict[str, int],
    live_rows: int,
    agent_count: int,
    reads: int,
    progress: Progress,
    sample: dict[str, list[dict[str, str]]] | None,
) -> tuple[dict, str, int]:
    clock = measure.CpuClock(conn.info.backend_pid)
    conn.execute(workload.schema_sql())
    agents = workload.agent_ids(agent_count)
    tables = {}
    for key, spec in workload.SPECS.items():
        rows = sample[spec.table] if sample else None
        fig = measure.run_table(
            conn, clock, spec, row_bytes[spec.table], retention[spec.table], live_rows, agents, reads, progress, rows
        )
        tables[key] = fig.summary(clock.method)
    return tables, clock.method, measure.backend_memory_bytes(conn)


def _payloads(conn, row_bytes: dict[str, int], sample: dict[str, list[dict[str, str]]] | None) -> dict[str, object]:
    """Which payload was measured, and its stored/text ratio per payload size (the tables' row_bytes)."""
    by_size: dict[int, list[str]] = {}
    for key, spec in workload.SPECS.items():
        if sample:
            texts = [t for row in sample[spec.table] for t in row.values()]
        else:
            rng = random.Random(zlib.crc32(key.encode()))
            made = workload.rows(spec, row_bytes[spec.table], ["a"], workload.EPOCH, 0, measure.PAGE_SAMPLES, rng)
            texts = [t for row in made for t in (row["json"], row["json2"]) if t is not None]
        by_size.setdefault(row_bytes[spec.table], []).extend(texts)
    return {"kind": "sample" if sample else "synthetic", "compression": measure.compression_ratios(conn, by_size)}


def calibrate(
    dsn: str | None,
    agents: int,
    rows: int,
    reads: int,
    row_bytes: dict[str, int],
    retention: dict[str, int],
    repeat: int,
    max_cpu_spread: float,
    sample: dict[str, list[dict[str, str]]] | None = None,
    progress: Progress | None = None,
) -> dict:
    """Run the workload `repeat` times and return the calibration document. Leaves nothing behind, also on
    failure. `row_bytes` per model table: the design's, or with a `sample` its rows' own (JSON + fixed columns)."""
    import psycopg

    steps = repeat * len(workload.SPECS) * (measure.STEPS_PER_RETENTION + measure.EXTRA_STEPS + 1)
    progress = progress or Progress(steps)
    reap_orphans()  # what a killed run left, whichever server this run measures
    started, load_start = time.monotonic(), _load_average()
    rounds: list[dict] = []
    received: list[str] = []
    try:
        with (
            _signals_interrupt() as received,
            contextlib.nullcontext((dsn, "existing server (--dsn)")) if dsn else embedded_server() as (url, source),
        ):
            for number in range(repeat):
                conn = _connect(url)
                schema = f"aurora_calibrate_{uuid.uuid4().hex[:12]}"
                created = False
                try:
                    conn.execute(f"CREATE SCHEMA {schema}")
                    created = True
                    conn.execute(f"SET search_path TO {schema}")
                    if not dsn and number == 0:
                        # Aurora's storage ships log records, never full-page images: measure WAL without them,
                        # and vacuum at each retention step instead of whenever autovacuum wakes up.
                        conn.execute("ALTER SYSTEM SET full_page_writes = off")
                        conn.execute("ALTER SYSTEM SET autovacuum = off")
                        conn.execute("SELECT pg_reload_conf()")
                        _wait_for_setting(conn, "full_page_writes", "off")
                    if number == 0:
                        version = conn.execute("SHOW server_version").fetchone()[0]
                        fpw = conn.execute("SHOW full_page_writes").fetchone()[0]
                        block = int(conn.execute("SHOW block_size").fetchone()[0])
                        payload_doc = _payloads(conn, row_bytes, sample)
                    tables, cpu_method, mem = _run(conn, row_bytes, retention, rows, agents, reads, progress, sample)
                    rounds.append(tables)
                finally:
                    _drop(conn, url, schema, created)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise CalibrationError(
            f"the server refused: {redact(_first_line(exc), dsn)} (calibrate needs CREATE on the database)"
        ) from None
    except psycopg.Error as exc:
        if received:  # the interrupt, replaced by psycopg's error while it unwound
            raise CalibrationError(_interrupted(received[0])) from None
        raise CalibrationError(f"server error: {redact(_first_line(exc), dsn)}") from None
    except _Interrupted as exc:
        raise CalibrationError(_interrupted(str(exc))) from None
    try:
        tables = cpu_rounds.combine(rounds, max_cpu_spread)
    except cpu_rounds.SpreadTooWide as exc:
        raise CalibrationError(f"{exc} (load average {_load_average()[0]:g} on {os.cpu_count()} cores)") from None
    return {
        "effective": date.today().isoformat(),
        "server": {"version": version, "source": source, "full_page_writes": fpw, "block_size": block},
        "run": {
            "agents": agents,
            "live_rows_per_table": rows,
            "reads_per_table": reads,
            "seconds": round(time.monotonic() - started, 1),
            "cpu_method": cpu_method,
            "rounds": repeat,
            "max_cpu_spread": max_cpu_spread,
            "cores": os.cpu_count(),
            "load_average": {"start": load_start, "end": _load_average()},
        },
        "method": METHOD,
        "payload": payload_doc,
        "memory": {"bytes_per_connection": mem},
        "tables": tables,
    }


def _interrupted(signal_name: str) -> str:
    return f"interrupted ({signal_name}); the schema and temporary server were removed, nothing written"


def _load_average() -> list[float]:
    """The machine's load average over 1, 5 and 15 minutes: how busy it was while CPU was measured."""
    return [round(v, 2) for v in os.getloadavg()]


def _wait_for_setting(conn, name: str, value: str) -> None:
    """pg_reload_conf() only signals the server: wait (briefly) until the backend sees the new value."""
    for _ in range(50):
        if conn.execute(f"SHOW {name}").fetchone()[0] == value:
            return
        time.sleep(0.1)
    raise CalibrationError(f"the embedded server did not apply {name} = {value}")


def _drop(conn, url: str, schema: str, created: bool) -> None:
    """Drop the run's schema, from a fresh connection if the run's own is broken or busy."""
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)  # a second ^C must not stop the cleanup
    try:
        _close_and_drop(conn, url, schema, created)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _close_and_drop(conn, url: str, schema: str, created: bool) -> None:
    with contextlib.suppress(Exception):
        conn.cancel()
    with contextlib.suppress(Exception):
        conn.close()
    if not created:
        return
    with contextlib.suppress(Exception), _connect(url) as fresh:
        fresh.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def to_yaml(doc: dict) -> str:
    head = (
        "# Calibration of the sizing model: the design's tables measured on a real PostgreSQL by\n"
        "# `aurora-gen calibrate` (make calibrate). Generated; do not edit. Read by generator/model/sizing.py.\n"
    )
    return head + yaml.safe_dump(doc, sort_keys=False, width=110)

"""Measuring one table's workload with the server's own accounting (used by `aurora-gen calibrate`).

- bytes: pg_relation_size (heap), the TOAST relation's pg_total_relation_size, pg_indexes_size, summed over
  a partitioned table's leaves, divided by the live rows (count(*));
- WAL: pg_current_wal_lsn() before and after (pg_wal_lsn_diff), the whole run including retention
  (DELETE, VACUUM, DROP of partitions), per application write;
- pages: the backend's block counters (pg_stat_get_xact_blocks_fetched and _hit) of the table, its indexes,
  its TOAST table and TOAST index, before and after each sampled statement, its rows fetched by the client
  (so the TOAST pages read to send them count too); writes are sampled inside a transaction that is rolled
  back, so the table is unchanged;
- CPU: the backend process's time on CPU from /proc/<pid>/schedstat (nanoseconds) around each batch of
  statements, when the server runs on this machine; otherwise EXPLAIN ANALYZE's planning + execution time of
  the samples (which misses parsing and the protocol: noted as the method in the calibration file);
- compression: pg_column_size of JSON payloads against the octet_length of their text, per payload size.
"""

from __future__ import annotations

import random
import statistics
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from generator.calibration import workload

STEPS_PER_RETENTION = 12  # the retention period is loaded in 12 steps...
EXTRA_STEPS = 6  # ...then 6 more, each retiring the oldest step's rows (DELETE or DROP PARTITION)
PAGE_SAMPLES = 100  # statements whose pages are counted (and, on a remote server, timed with EXPLAIN)
AUTOVACUUM_SCALE_FACTOR = 0.2
READ_BATCHES = 10  # the reads are timed in this many parts

_SIZES = """
SELECT coalesce(sum(pg_relation_size(c.oid)), 0),
       coalesce(sum(CASE WHEN c.reltoastrelid <> 0 THEN pg_total_relation_size(c.reltoastrelid) ELSE 0 END), 0),
       coalesce(sum(pg_indexes_size(c.oid)), 0),
       coalesce(sum(pg_total_relation_size(c.oid)), 0)
FROM pg_class c
WHERE c.oid IN (SELECT relid FROM pg_partition_tree(%(rel)s::regclass) WHERE isleaf)
   OR (c.oid = %(rel)s::regclass AND c.relkind = 'r')
"""


# Every relation a statement on the table can touch: the table (and its partitions: pg_partition_tree lists
# none for a plain table), their indexes, their TOAST tables and the TOAST tables' indexes.
_RELATIONS = """
WITH t AS (SELECT relid::oid AS relid FROM pg_partition_tree(%(rel)s::regclass) UNION SELECT %(rel)s::regclass::oid),
     toast AS (SELECT c.reltoastrelid AS oid FROM pg_class c JOIN t ON c.oid = t.relid WHERE c.reltoastrelid <> 0)
SELECT array_agg(oid) FROM (
    SELECT relid::oid AS oid FROM t
    UNION SELECT i.indexrelid FROM pg_index i JOIN t ON i.indrelid = t.relid
    UNION SELECT oid FROM toast
    UNION SELECT i.indexrelid FROM pg_index i JOIN toast ON i.indrelid = toast.oid
) r
"""
_BLOCKS = (
    "SELECT coalesce(sum(pg_stat_get_xact_blocks_fetched(o)), 0), coalesce(sum(pg_stat_get_xact_blocks_hit(o)), 0) "
    "FROM unnest(%(oids)s::oid[]) o"
)


class CpuClock:
    """CPU seconds the backend has used: /proc when the server is local, else None (EXPLAIN timing)."""

    def __init__(self, backend_pid: int) -> None:
        self.proc = Path(f"/proc/{backend_pid}")
        self.method = "proc_schedstat" if self._read() is not None else "explain_timing"

    def _read(self) -> float | None:
        try:
            name = (self.proc / "stat").read_text().split("(", 1)[1].rsplit(")", 1)[0]
            if name != "postgres":  # a remote server's backend pid may be some other local process
                return None
            # Time on CPU in nanoseconds (the scheduler's own account): /proc/<pid>/stat's utime + stime
            # count 10 ms ticks, too coarse for the few CPU seconds a small table's reads take.
            return int((self.proc / "schedstat").read_text().split()[0]) / 1e9
        except (OSError, IndexError, ValueError):
            return None

    def seconds(self) -> float:
        return self._read() or 0.0


@dataclass
class TableFigures:
    """What one table's run measured: totals, turned into per-row and per-statement figures by `summary`."""

    spec: workload.TableSpec
    payload_bytes: int
    live_rows: int = 0
    fresh_bytes_per_row: float = 0.0
    sizes: tuple[int, ...] = (0, 0, 0, 0)
    writes: int = 0
    wal_bytes: int = 0
    wal_bytes_statements: int = 0
    # CPU seconds per statement of each batch (each load step's writes; the reads in READ_BATCHES parts): their
    # median is the table's figure, so a burst of a neighbour's work in one batch does not move it.
    write_cpu_s: list[float] = field(default_factory=list)
    reads: int = 0
    read_cpu_s: list[float] = field(default_factory=list)
    pages: dict[str, list[dict]] = field(default_factory=lambda: {"read": [], "write": []})
    explain_ms: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "write": []})

    def summary(self, cpu_method: str) -> dict:
        heap, toast, idx, total = self.sizes
        rows = max(self.live_rows, 1)

        def per(kind: str, key: str) -> float:
            samples = self.pages[kind]
            return sum(s[key] for s in samples) / len(samples) if samples else 0.0

        def mean_ms(kind: str) -> float:
            return sum(self.explain_ms[kind]) / len(self.explain_ms[kind]) if self.explain_ms[kind] else 0.0

        if cpu_method == "proc_schedstat":
            cpu_write, cpu_read = (
                statistics.median(self.write_cpu_s or [0.0]),
                statistics.median(self.read_cpu_s or [0.0]),
            )
        else:
            cpu_write, cpu_read = mean_ms("write") / 1000, mean_ms("read") / 1000
        end = total / rows
        return {
            "relation": self.spec.relation,
            "retention": self.spec.retention,
            "payload_bytes": self.payload_bytes,
            "live_rows": self.live_rows,
            "bytes_per_row": {
                "heap": round(heap / rows, 1),
                "toast": round(toast / rows, 1),
                "indexes": round(idx / rows, 1),
                "total": round(end, 1),
                "fresh_total": round(self.fresh_bytes_per_row, 1),
            },
            "bloat": round(end / self.fresh_bytes_per_row, 3) if self.fresh_bytes_per_row else 1.0,
            "writes": self.writes,
            "wal_bytes_per_write": round(self.wal_bytes / max(self.writes, 1), 1),
            "wal_bytes_per_write_statement": round(self.wal_bytes_statements / max(self.writes, 1), 1),
            "pages_per_write": {"hit": round(per("write", "hit"), 2), "read": round(per("write", "read"), 2)},
            "pages_per_read": {"hit": round(per("read", "hit"), 2), "read": round(per("read", "read"), 2)},
            "cpu_us_per_write": round(cpu_write * 1e6, 1),
            "cpu_us_per_read": round(cpu_read * 1e6, 1),
        }


def _lsn(cur) -> int:
    return int(cur.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')").fetchone()[0])


def _sizes(cur, relation: str) -> tuple[int, int, int, int]:
    return tuple(int(v) for v in cur.execute(_SIZES, {"rel": relation}).fetchone())


def _explain_ms(conn, sql: str, params: list[dict]) -> list[float]:
    """Planning + execution time of each statement, inside one transaction rolled back (the table is unchanged)."""
    out = []
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        for p in params:
            plan = cur.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", p).fetchone()[0][0]
            out.append(plan.get("Planning Time", 0.0) + plan.get("Execution Time", 0.0))
    return out


def count_pages(conn, relation: str, sql: str, params: list[dict]) -> list[dict]:
    """Buffer pages each statement touched, found in shared buffers (hit) or not (read), from the backend's
    block counters of every relation of the table, TOAST included; the rows are fetched as a client does.
    Inside one transaction rolled back (the table is unchanged)."""
    out = []
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        oids = cur.execute(_RELATIONS, {"rel": relation}).fetchone()[0]
        for p in params:
            fetched0, hit0 = cur.execute(_BLOCKS, {"oids": oids}).fetchone()
            cur.execute(sql, p)
            if cur.description is not None:
                cur.fetchall()
            fetched1, hit1 = cur.execute(_BLOCKS, {"oids": oids}).fetchone()
            hit = int(hit1 - hit0)
            out.append({"hit": hit, "read": int(fetched1 - fetched0) - hit})
    return out


def compression_ratios(conn, texts_by_size: dict[int, list[str]]) -> dict[int, float]:
    """Stored / text bytes of JSON payloads per size: pg_column_size of the jsonb value against the octet_length
    of its text. toast_tuple_target 128 makes PostgreSQL try pglz on every value; in the design's tables it is
    tried once a row passes ~2 KB."""
    out = {}
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE payload_compression (v jsonb) WITH (toast_tuple_target = 128)")
        for size, texts in sorted(texts_by_size.items()):
            cur.execute("TRUNCATE payload_compression")
            cur.executemany("INSERT INTO payload_compression (v) VALUES (%s)", [(t,) for t in texts])
            stored, text = cur.execute(
                "SELECT sum(pg_column_size(v)), sum(octet_length(v::text)) FROM payload_compression"
            ).fetchone()
            out[size] = round(float(stored) / float(text), 3)
    return out


def run_table(
    conn,
    clock: CpuClock,
    spec: workload.TableSpec,
    payload_bytes: int,
    retention_days: int,
    live_rows: int,
    agents: list[str],
    reads: int,
    tick: Callable[[str], None],
    sample: list[dict[str, str]] | None = None,
) -> TableFigures:
    """Load `live_rows` rows at retention the way production does, then measure reads and writes."""
    rng = random.Random(zlib.crc32(spec.key.encode()))  # hash() differs per process
    fig = TableFigures(spec, payload_bytes)
    step_s = retention_days * 86400 / STEPS_PER_RETENTION
    per_step = max(1, live_rows // STEPS_PER_RETENTION)
    cur = conn.cursor()
    wal0 = _lsn(cur)

    def write(batch: list[dict], sql: str) -> None:
        before_wal, before_cpu = _lsn(cur), clock.seconds()
        cur.executemany(sql, batch)
        fig.write_cpu_s.append((clock.seconds() - before_cpu) / len(batch))
        fig.wal_bytes_statements += _lsn(cur) - before_wal
        fig.writes += len(batch)

    dead = 0
    # What an empty table or partition occupies (index metapages, an empty TOAST index): fixed per relation,
    # nothing per row. Subtracted, so a small run's partitions of a few hundred rows measure what production's
    # partitions of millions of rows do per row.
    empty = {spec.relation: _sizes(cur, spec.relation)} if spec.retention != "drop_partition" else {}

    def per_row_sizes() -> tuple[int, ...]:
        fixed = [sum(e[i] for e in empty.values()) for i in range(4)]
        return tuple(v - f for v, f in zip(_sizes(cur, spec.relation), fixed, strict=True))

    def vacuum_when_due(live: int, force: bool = False) -> None:
        # Autovacuum's rule: vacuum once dead rows reach 20% of the live ones (its default scale factor),
        # done here at the same points of every run instead of whenever the launcher wakes up.
        nonlocal dead
        if force or dead >= AUTOVACUUM_SCALE_FACTOR * max(live, 1):
            cur.execute(f"VACUUM {spec.relation}")
            dead = 0

    if spec.retention == "update":  # one row per agent (live_rows agents of its own), each write an update
        agents = workload.agent_ids(live_rows, seed=17)
        first = workload.rows(spec, payload_bytes, agents, workload.EPOCH, 0, len(agents), rng, sample=sample)
        for i, row in enumerate(first):
            row["agent"] = agents[i]
        cur.executemany(
            f"INSERT INTO {spec.relation} (agent_id, state, version, updated_at, created_at) "
            "VALUES (%(agent)s, %(json)s, 1, %(ts)s, %(ts)s)",
            first,
        )
        vacuum_when_due(len(agents), force=True)
        fig.fresh_bytes_per_row = per_row_sizes()[3] / len(agents)
        wal0 = _lsn(cur)
    steps = STEPS_PER_RETENTION + EXTRA_STEPS
    live = len(agents) if spec.retention == "update" else 0
    for step in range(steps):
        start = workload.EPOCH + timedelta(seconds=step * step_s)
        if spec.retention == "drop_partition":
            cur.execute(
                f"CREATE TABLE {spec.relation}_p{step} PARTITION OF {spec.relation} FOR VALUES FROM "
                f"('{start.isoformat()}') TO ('{(start + timedelta(seconds=step_s)).isoformat()}')"
            )
            empty[f"{spec.relation}_p{step}"] = _sizes(cur, f"{spec.relation}_p{step}")
        batch = workload.rows(
            spec, payload_bytes, agents, start, step_s, per_step, rng, first_seq=step * per_step, sample=sample
        )
        write(batch, spec.insert)
        if spec.retention == "update":
            dead += len(batch)
        else:
            live += len(batch)
        old = step - STEPS_PER_RETENTION
        if old >= 0 and spec.retention == "delete":
            cutoff = workload.EPOCH + timedelta(seconds=(old + 1) * step_s)
            cur.execute(f"DELETE FROM {spec.relation} WHERE created_at < %s", (cutoff,))
            dead, live = dead + cur.rowcount, live - cur.rowcount
        elif old >= 0 and spec.retention == "drop_partition":
            cur.execute(f"DROP TABLE {spec.relation}_p{old}")
            del empty[f"{spec.relation}_p{old}"]
        vacuum_when_due(live)
        if step == STEPS_PER_RETENTION - 1 and spec.retention != "update":
            fig.fresh_bytes_per_row = per_row_sizes()[3] / max(live, 1)
        tick(f"{spec.key}: step {step + 1}/{steps}")
    fig.wal_bytes = _lsn(cur) - wal0
    fig.sizes = per_row_sizes()
    fig.live_rows = int(cur.execute(f"SELECT count(*) FROM {spec.relation}").fetchone()[0])
    cur.execute(f"ANALYZE {spec.relation}")  # the planner's statistics, as autovacuum keeps them

    now = workload.EPOCH + timedelta(seconds=steps * step_s)
    # Metrics reads look at the newest partition only (the partition key prunes the rest), as a dashboard does.
    params = workload.read_params(agents, now - timedelta(seconds=step_s), rng, reads)
    part = max(1, len(params) // READ_BATCHES)
    for first in range(0, len(params), part):
        batch = params[first : first + part]
        before = clock.seconds()
        cur.executemany(spec.read, batch)
        fig.read_cpu_s.append((clock.seconds() - before) / len(batch))
    fig.reads = len(params)
    more = workload.rows(spec, payload_bytes, agents, now, step_s, PAGE_SAMPLES, rng, first_seq=10**9, sample=sample)
    if spec.retention == "drop_partition":
        cur.execute(
            f"CREATE TABLE {spec.relation}_p{steps} PARTITION OF {spec.relation} FOR VALUES FROM "
            f"('{now.isoformat()}') TO ('{(now + timedelta(seconds=step_s)).isoformat()}')"
        )
    fig.pages["read"] = count_pages(conn, spec.relation, spec.read, params[:PAGE_SAMPLES])
    fig.pages["write"] = count_pages(conn, spec.relation, spec.insert, more)
    if clock.method == "explain_timing":
        fig.explain_ms = {
            "read": _explain_ms(conn, spec.read, params[:PAGE_SAMPLES]),
            "write": _explain_ms(conn, spec.insert, more),
        }
    tick(f"{spec.key}: measured")
    cur.close()
    return fig


def backend_memory_bytes(conn) -> int:
    """Memory the backend's contexts hold after the workload (catalog and plan caches of a pooled connection)."""
    return int(conn.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts").fetchone()[0])

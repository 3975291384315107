"""Pages per read and per write are counted as the statement really runs, TOAST included: the calibration's
count (the backend's block counters around each statement, rows fetched by the client) agrees within 10% with
the server's own cumulative counters (pg_statio_user_tables: heap, indexes, TOAST and TOAST index) over the
same statements run as the application runs them, each its own transaction."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from generator.calibration import measure, workload
from tests.conftest import embedded_postgres

ROWS, READS = 2000, 60
STATIO = (
    "SELECT coalesce(heap_blks_read, 0) + coalesce(heap_blks_hit, 0) + coalesce(idx_blks_read, 0) "
    "+ coalesce(idx_blks_hit, 0), coalesce(toast_blks_read, 0) + coalesce(toast_blks_hit, 0) "
    "+ coalesce(tidx_blks_read, 0) + coalesce(tidx_blks_hit, 0) FROM pg_statio_user_tables WHERE relid = %s::regclass"
)


@pytest.fixture(scope="module")
def conn():
    with embedded_postgres() as c:
        # Autovacuum would read the tables between the two counts: off, as in calibrate.
        c.execute("ALTER SYSTEM SET autovacuum = off")
        c.execute("SELECT pg_reload_conf()")
        c.execute("CREATE SCHEMA pages; SET search_path TO pages")
        c.execute(workload.schema_sql())
        yield c


def server_counters(conn, relation: str) -> tuple[int, int]:
    """The server's cumulative counters of the table: (heap + indexes, TOAST + TOAST index)."""
    conn.execute("SELECT pg_stat_force_next_flush()")  # this backend's pending counts, flushed when it goes idle
    conn.execute("SELECT 1")
    conn.execute("SELECT pg_stat_clear_snapshot()")
    return tuple(int(v) for v in conn.execute(STATIO, (relation,)).fetchone())


def loaded(conn, key: str) -> tuple[workload.TableSpec, list[dict], list[dict]]:
    spec = workload.SPECS[key]
    rng = random.Random(1)
    agents = workload.agent_ids(40)
    conn.cursor().executemany(
        spec.insert, workload.rows(spec, 5000 if "task" in key else 2000, agents, workload.EPOCH, 86400, ROWS, rng)
    )
    conn.execute(f"ANALYZE {spec.relation}")
    reads = workload.read_params(agents, workload.EPOCH - timedelta(days=1), rng, READS)
    writes = workload.rows(
        spec, 5000 if "task" in key else 2000, agents, workload.EPOCH, 86400, 2 * READS, rng, first_seq=10**6
    )
    return spec, reads, writes


@pytest.mark.parametrize("key", ["discovery_events/history", "task_history/history"])
def test_pages_per_read_and_write_match_the_servers_counters(conn, key):
    spec, reads, writes = loaded(conn, key)
    counted_reads = measure.count_pages(conn, spec.relation, spec.read, reads)
    before = server_counters(conn, spec.relation)
    with conn.cursor() as cur:
        for p in reads:  # autocommit: each read its own transaction, its rows fetched
            cur.execute(spec.read, p).fetchall()
    after_reads = server_counters(conn, spec.relation)
    with conn.cursor() as cur:
        for p in writes[:READS]:
            cur.execute(spec.insert, p)
    after_writes = server_counters(conn, spec.relation)
    # Counted after the real writes: a rolled-back batch leaves dead rows that the next writes step over.
    counted_writes = measure.count_pages(conn, spec.relation, spec.insert, writes[READS:])

    for counted, start, end in ((counted_reads, before, after_reads), (counted_writes, after_reads, after_writes)):
        ours = sum(c["hit"] + c["read"] for c in counted) / len(counted)
        servers = (sum(end) - sum(start)) / READS
        assert ours == pytest.approx(servers, rel=0.10), (key, ours, servers)
    if key.startswith("task_history"):
        # 5 KB rows live in TOAST: the pages of sending them count, and EXPLAIN's count missed them.
        toast_per_read = (after_reads[1] - before[1]) / READS
        assert toast_per_read > 5
        explained = measure_explain_pages(conn, spec.read, reads)
        assert sum(c["hit"] + c["read"] for c in counted_reads) / READS > explained + toast_per_read * 0.9


def measure_explain_pages(conn, sql: str, params: list[dict]) -> float:
    """What the former method counted: EXPLAIN (ANALYZE, BUFFERS)'s shared blocks, per statement."""
    total = 0
    for p in params:
        plan = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", p).fetchone()[0][0]["Plan"]
        total += plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    return total / len(params)

"""The synthetic workload `aurora-gen calibrate` loads: the design's tables, payload sizes and statements.

Rows are time-ordered and come from interleaved agents, as an agent fleet writes them. Payloads are agent
records (generator/calibration/payload.py: messages, tool calls, summaries in English-like text), so PostgreSQL's TOAST
compression behaves as on real rows, or a team's own rows (`--sample`, generator/calibration/sample.py). Deterministic:
one seed, one workload.

Each calibrated table is a (model table, mode) pair: `agent_states` in mode `in_place` is the
updated-in-place table; in mode `history` it is agent_state_history, every update kept.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from generator.calibration import payload

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "aurora.sql"
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

# event_type, task_type and metric_name: short names, as the application's code writes them.
_KINDS = (
    "agent task tool call result pending running complete failed retry plan step observe reflect "
    "search fetch parse summary context memory token budget latency cache hit miss queue worker"
).split()


@dataclass(frozen=True)
class TableSpec:
    """How the workload writes, reads and retires the rows of one calibrated table."""

    key: str  # "<model table>/<mode>", the calibration file's key
    relation: str  # the SQL table
    retention: str  # "delete" (DELETE old rows), "drop_partition" or "update" (in place)
    insert: str
    read: str  # one application read: the latest rows of one agent
    fixed_bytes: int  # bytes of the non-JSON columns, subtracted from the design's row size
    json_columns: tuple[str, ...]  # the JSON columns, filled from "json" (and "json2")

    @property
    def table(self) -> str:
        """The model table ("agent_states" for both of its modes)."""
        return self.key.split("/")[0]


SPECS = {
    "agent_states/in_place": TableSpec(
        "agent_states/in_place",
        "agent_states",
        "update",
        "UPDATE agent_states SET state = %(json)s, version = version + 1, updated_at = %(ts)s WHERE agent_id = %(agent)s",
        "SELECT state, version FROM agent_states WHERE agent_id = %(agent)s",
        40,
        ("state",),
    ),
    "agent_states/history": TableSpec(
        "agent_states/history",
        "agent_state_history",
        "delete",
        "INSERT INTO agent_state_history (agent_id, version, state, created_at) "
        "VALUES (%(agent)s, %(seq)s, %(json)s, %(ts)s)",
        "SELECT state FROM agent_state_history WHERE agent_id = %(agent)s ORDER BY created_at DESC LIMIT 1",
        32,
        ("state",),
    ),
    "discovery_events/history": TableSpec(
        "discovery_events/history",
        "discovery_events",
        "delete",
        "INSERT INTO discovery_events (event_id, agent_id, event_type, payload, confidence, created_at) "
        "VALUES (%(id)s, %(agent)s, %(kind)s, %(json)s, %(confidence)s, %(ts)s)",
        "SELECT event_type, payload, confidence FROM discovery_events WHERE agent_id = %(agent)s "
        "ORDER BY created_at DESC LIMIT 10",
        60,
        ("payload",),
    ),
    "task_history/history": TableSpec(
        "task_history/history",
        "task_history",
        "delete",
        "INSERT INTO task_history (task_id, agent_id, task_type, input, output, duration_ms, status, created_at, "
        "completed_at) VALUES (%(id)s, %(agent)s, %(kind)s, %(json)s, %(json2)s, %(ms)s, 'complete', %(ts)s, %(ts)s)",
        "SELECT task_type, status, duration_ms, output FROM task_history WHERE agent_id = %(agent)s "
        "ORDER BY created_at DESC LIMIT 10",
        90,
        ("input", "output"),
    ),
    "metrics/history": TableSpec(
        "metrics/history",
        "metrics",
        "drop_partition",
        'INSERT INTO metrics (metric_id, agent_id, metric_name, value, tags, "timestamp") '
        "VALUES (%(id)s, %(agent)s, %(kind)s, %(value)s, %(json)s, %(ts)s)",
        'SELECT metric_name, value FROM metrics WHERE agent_id = %(agent)s AND "timestamp" >= %(since)s '
        'ORDER BY "timestamp" DESC LIMIT 10',
        70,
        ("tags",),
    ),
}


def schema_sql() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")


def agent_ids(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count)]


def rows(
    spec: TableSpec,
    row_bytes: int,
    agents: list[str],
    start: datetime,
    seconds: float,
    count: int,
    rng: random.Random,
    first_seq: int = 0,
    sample: list[dict[str, str]] | None = None,
) -> list[dict]:
    """`count` rows spread evenly over `seconds` from `start`, agents interleaved (round-robin with jitter).

    Payloads are synthetic agent records of the design's size, or drawn from a team's `sample` rows
    ({column: JSON text}; a column the row leaves out is NULL)."""
    json_bytes = max(16, row_bytes - spec.fixed_bytes)
    halves = len(spec.json_columns) == 2
    out = []
    for i in range(count):
        ts = start + timedelta(seconds=seconds * i / max(count, 1))
        agent = agents[(first_seq + i + rng.randrange(3)) % len(agents)]
        if sample:
            row = rng.choice(sample)
            texts = [row.get(c) for c in spec.json_columns] + [None]
        elif halves:
            texts = [payload.record(rng, json_bytes // 2), payload.record(rng, json_bytes - json_bytes // 2)]
        else:
            texts = [payload.record(rng, json_bytes), None]
        out.append(
            {
                "id": f"{rng.getrandbits(128):032x}",
                "agent": agent,
                "ts": ts,
                "seq": first_seq + i,
                "kind": rng.choice(_KINDS),
                "confidence": round(rng.random(), 2),
                "ms": rng.randrange(60_000),
                "value": round(rng.uniform(0, 10_000), 5),
                "json": texts[0],
                "json2": texts[1],
            }
        )
    return out


def read_params(agents: list[str], since: datetime, rng: random.Random, count: int) -> list[dict]:
    """Parameters of `count` application reads: a random agent's latest rows (metrics: those since `since`)."""
    return [{"agent": rng.choice(agents), "since": since} for _ in range(count)]

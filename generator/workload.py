"""The synthetic workload `aurora-gen calibrate` loads: the design's tables, payload sizes and statements.

Rows are time-ordered and come from interleaved agents, as an agent fleet writes them. Payloads are
realistic JSON (keys repeated in every row, words from a small vocabulary, numbers, nested lists), so
PostgreSQL's TOAST compression behaves as on real rows rather than on random bytes (incompressible)
or repeated characters (compressible to nothing). Deterministic: one seed, one workload.

Each calibrated table is a (model table, mode) pair: `agent_states` in mode `in_place` is the
updated-in-place table; in mode `history` it is agent_state_history, every update kept.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "aurora.sql"
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

_WORDS = (
    "agent task tool call result pending running complete failed retry plan step observe reflect "
    "search fetch parse summary context memory token budget latency cache hit miss queue worker "
    "supervisor gateway discovery signal confidence source url schema table index vacuum"
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


SPECS = {
    "agent_states/in_place": TableSpec(
        "agent_states/in_place",
        "agent_states",
        "update",
        "UPDATE agent_states SET state = %(json)s, version = version + 1, updated_at = %(ts)s WHERE agent_id = %(agent)s",
        "SELECT state, version FROM agent_states WHERE agent_id = %(agent)s",
        40,
    ),
    "agent_states/history": TableSpec(
        "agent_states/history",
        "agent_state_history",
        "delete",
        "INSERT INTO agent_state_history (agent_id, version, state, created_at) "
        "VALUES (%(agent)s, %(seq)s, %(json)s, %(ts)s)",
        "SELECT state FROM agent_state_history WHERE agent_id = %(agent)s ORDER BY created_at DESC LIMIT 1",
        32,
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
    ),
}


def schema_sql() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")


def _tool_pool(count: int = 4096) -> list[str]:
    """Tool-call records as JSON text, made once: rows pick from them (building JSON per row is too slow)."""
    rng = random.Random(11)
    return [
        json.dumps(
            {
                "name": rng.choice(_WORDS),
                "ms": rng.randrange(5_000),
                "ok": rng.random() > 0.1,
                "ref": uuid.UUID(int=rng.getrandbits(128)).hex[:12],
            },
            separators=(",", ":"),
        )
        for _ in range(count)
    ]


_TOOLS = _tool_pool()
_TOOL_LEN = sum(map(len, _TOOLS)) / len(_TOOLS) + 1
# Notes: words of a large vocabulary, ids and numbers (agents write identifiers and figures, not prose), so
# pglz compresses a large row by about a sixth, as the reference rows did, not by half.
_VOCAB_RNG = random.Random(13)
_NOTE_WORDS = [
    *("".join(_VOCAB_RNG.choices("abcdefghijklmnopqrstuvwxyz", k=_VOCAB_RNG.randrange(3, 11))) for _ in range(4000)),
    *(f"{_VOCAB_RNG.getrandbits(48):012x}" for _ in range(1000)),
    *(str(_VOCAB_RNG.randrange(10**7)) for _ in range(1000)),
]


def payload(rng: random.Random, size: int) -> str:
    """A JSON document of about `size` bytes: an agent's structured record with some free text."""
    head = (
        f'{{"status":"{rng.choice(("active", "active", "active", "idle", "blocked"))}","step":{rng.randrange(10**6)},'
        f'"model":"{rng.choice(("small", "medium", "large"))}","scores":"{",".join(f"{rng.random():.4f}" for _ in range(4))}",'
        f'"context":{{"tokens":{rng.randrange(200_000)},"cache_hits":{rng.randrange(500)},"tools":['
    )
    length = len(head) + 13  # + ']},"notes":""}'
    # Tool-call records (structured, partly repetitive), then a free-text note, as agents write.
    parts = rng.choices(_TOOLS, k=max(0, int((size * 0.15 - length) / _TOOL_LEN) + 1)) if size * 0.15 > length else []
    length += sum(len(p) + 1 for p in parts)
    words = " ".join(rng.choices(_NOTE_WORDS, k=max(1, (size - length) // 5 + 1)))[: max(0, size - length)]
    return f'{head}{",".join(parts)}]}},"notes":"{words}"}}'


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
) -> list[dict]:
    """`count` rows spread evenly over `seconds` from `start`, agents interleaved (round-robin with jitter)."""
    json_bytes = max(16, row_bytes - spec.fixed_bytes)
    out = []
    for i in range(count):
        ts = start + timedelta(seconds=seconds * i / max(count, 1))
        agent = agents[(first_seq + i + rng.randrange(3)) % len(agents)]
        halves = spec.key.startswith("task_history")
        out.append(
            {
                "id": f"{rng.getrandbits(128):032x}",
                "agent": agent,
                "ts": ts,
                "seq": first_seq + i,
                "kind": rng.choice(_WORDS),
                "confidence": round(rng.random(), 2),
                "ms": rng.randrange(60_000),
                "value": round(rng.uniform(0, 10_000), 5),
                "json": payload(rng, json_bytes // 2 if halves else json_bytes),
                "json2": payload(rng, json_bytes - json_bytes // 2) if halves else None,
            }
        )
    return out


def read_params(agents: list[str], since: datetime, rng: random.Random, count: int) -> list[dict]:
    """Parameters of `count` application reads: a random agent's latest rows (metrics: those since `since`)."""
    return [{"agent": rng.choice(agents), "since": since} for _ in range(count)]

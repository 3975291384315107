-- MisterSmith's tables on Aurora PostgreSQL: the design's DDL (../shared/seed/000_e4461cdcaf94cd58.txt)
-- in PostgreSQL syntax. Used by `aurora-gen calibrate` (which measures these tables) and shown in the
-- README. Unqualified names: the caller sets search_path to the schema it works in.
--
-- Differences from the design, and why:
--  * its MySQL-style inline INDEX clauses are CREATE INDEX statements (PostgreSQL has no inline INDEX);
--  * its later partial indexes (idx_agent_state_updated, idx_discovery_confidence) are included; on a live
--    table create them CONCURRENTLY (not possible inside the calibration's transactions);
--  * metrics is partitioned by DAY (the design's text says "partitioned by day"; its example partition is a
--    month): retention drops a whole day's partition, which gives the space back at once;
--  * agent_states keeps one row per agent, updated in place (the design's PRIMARY KEY agent_id);
--    agent_state_history keeps every update for the retention period (the sizing model's `mode: history`).

CREATE TABLE agent_states (
    agent_id   UUID PRIMARY KEY,
    state      JSONB NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    created_at TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX idx_agent_state_updated ON agent_states (updated_at) WHERE state->>'status' = 'active';

CREATE TABLE agent_state_history (
    agent_id   UUID NOT NULL,
    version    INTEGER NOT NULL,
    state      JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (agent_id, version)
);
CREATE INDEX idx_agent_state_history_time ON agent_state_history (agent_id, created_at);

CREATE TABLE discovery_events (
    event_id   UUID PRIMARY KEY,
    agent_id   UUID NOT NULL,
    event_type VARCHAR(50) NOT NULL,
    payload    JSONB NOT NULL,
    confidence DECIMAL(3,2),
    created_at TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX idx_agent_time ON discovery_events (agent_id, created_at);
CREATE INDEX idx_discovery_confidence ON discovery_events (confidence DESC) WHERE confidence > 0.8;

CREATE TABLE task_history (
    task_id      UUID PRIMARY KEY,
    agent_id     UUID NOT NULL,
    task_type    VARCHAR(100),
    input        JSONB,
    output       JSONB,
    duration_ms  INTEGER,
    status       VARCHAR(20),
    created_at   TIMESTAMPTZ DEFAULT NOW(),
    completed_at TIMESTAMPTZ
);
CREATE INDEX idx_agent_task ON task_history (agent_id, created_at);

CREATE TABLE metrics (
    metric_id   UUID,
    agent_id    UUID,
    metric_name VARCHAR(100),
    value       DECIMAL(20,5),
    tags        JSONB,
    "timestamp" TIMESTAMPTZ,
    PRIMARY KEY (agent_id, "timestamp", metric_id)
) PARTITION BY RANGE ("timestamp");
-- One partition per day, e.g.:
--   CREATE TABLE metrics_2026_01_01 PARTITION OF metrics FOR VALUES FROM ('2026-01-01') TO ('2026-01-02');

-- MisterSmith's tables on Aurora PostgreSQL Limitless Database: the variant of aurora.sql for a Limitless
-- cluster (topology: limitless, or auto past one writer: aurora-gen report). Run it connected to the
-- postgres_limitless database through the cluster endpoint (the shard group's routers).
--
-- Syntax: AWS, "Creating limitless tables by using variables"
--   https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-creating-config.html
--   rds_aurora.limitless_create_table_mode = 'sharded' (default 'standard'), ..._shard_key = an untyped array
--   literal of column names, ..._collocate_with = a table sharded on the same key whose rows with the same key
--   value go to the same shard. "All primary and unique keys must include the shard key."
-- Limits: AWS, "DDL limitations and other information for Aurora PostgreSQL Limitless Database"
--   https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reference.DDL-limitations.html
--   (ATTACH/DETACH PARTITION are not supported; CREATE TABLE ... PARTITION BY is refused on a sharded table:
--   "ERROR: PARTITION BY is not supported", shown in dev.to/aws-heroes/aurora-limitless-sql-limitations-20if).
--
-- Differences from aurora.sql, and why:
--  * the design's four tables (and agent_state_history) are SHARDED on agent_id, each agent's rows on one shard,
--    and COLLOCATED with agent_states: an agent's state, history, events, tasks and metrics join on one shard;
--  * keys must include the shard key: agent_states (agent_id), agent_state_history (agent_id, version) and
--    metrics (agent_id, "timestamp", metric_id) already do; discovery_events and task_history had their own
--    ids as the key, and become (agent_id, event_id) and (agent_id, task_id): an id is still unique, and a
--    lookup by id alone is a query to every shard (give agent_id with it);
--  * metrics is NOT partitioned by day (PARTITION BY is not supported on a sharded table): retention becomes a
--    DELETE of the expired day, whose free space Aurora keeps billing until it is reused (the model's measured
--    bloat is the partitioned table's: UNCONFIRMED for this variant);
--  * the partial indexes stay as in aurora.sql (UNCONFIRMED: the DDL limitations page was read for tables,
--    not for every index option).

BEGIN;
SET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';
SET LOCAL rds_aurora.limitless_create_table_shard_key = '{"agent_id"}';

CREATE TABLE agent_states (
    agent_id   UUID PRIMARY KEY,
    state      JSONB NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    created_at TIMESTAMPTZ DEFAULT NOW()
);

-- Every table below: sharded on agent_id, its rows on the shard of their agent's agent_states row.
SET LOCAL rds_aurora.limitless_create_table_collocate_with = 'agent_states';

CREATE TABLE agent_state_history (
    agent_id   UUID NOT NULL,
    version    INTEGER NOT NULL,
    state      JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (agent_id, version)
);

CREATE TABLE discovery_events (
    event_id   UUID NOT NULL,
    agent_id   UUID NOT NULL,
    event_type VARCHAR(50) NOT NULL,
    payload    JSONB NOT NULL,
    confidence DECIMAL(3,2),
    created_at TIMESTAMPTZ DEFAULT NOW(),
    PRIMARY KEY (agent_id, event_id)
);

CREATE TABLE task_history (
    task_id      UUID NOT NULL,
    agent_id     UUID NOT NULL,
    task_type    VARCHAR(100),
    input        JSONB,
    output       JSONB,
    duration_ms  INTEGER,
    status       VARCHAR(20),
    created_at   TIMESTAMPTZ DEFAULT NOW(),
    completed_at TIMESTAMPTZ,
    PRIMARY KEY (agent_id, task_id)
);

CREATE TABLE metrics (
    metric_id   UUID NOT NULL,
    agent_id    UUID NOT NULL,
    metric_name VARCHAR(100),
    value       DECIMAL(20,5),
    tags        JSONB,
    "timestamp" TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agent_id, "timestamp", metric_id)
);
COMMIT;

CREATE INDEX idx_agent_state_updated ON agent_states (updated_at) WHERE state->>'status' = 'active';
CREATE INDEX idx_agent_state_history_time ON agent_state_history (agent_id, created_at);
CREATE INDEX idx_agent_time ON discovery_events (agent_id, created_at);
CREATE INDEX idx_discovery_confidence ON discovery_events (confidence DESC) WHERE confidence > 0.8;
CREATE INDEX idx_agent_task ON task_history (agent_id, created_at);
CREATE INDEX idx_metrics_time ON metrics ("timestamp");

"""The dated facts and thresholds `observe` uses (generator/data/observe-2026-12.yaml): no number in code."""

from __future__ import annotations

from functools import cache
from typing import Any

from generator.inputs import data

FACTS_FILE = "observe-2026-12.yaml"
# Provisioned instances' prices, for the steady-cluster note only.
PROVISIONED_FILE = "prices/aurora-postgresql-provisioned-2026-12.yaml"
# Seconds in a billing month: the price files' hours_per_month (730) x 3600.
SECONDS_PER_HOUR = 3600


@cache
def facts() -> dict[str, Any]:
    return data._load(FACTS_FILE)


@cache
def provisioned() -> dict[str, Any]:
    return data._load(PROVISIONED_FILE)


def sources() -> list[dict[str, str]]:
    """observe's own data files as report sources: path and date."""
    return [
        {"kind": kind, "path": data.source_path(name), "date": str(doc["effective"])}
        for kind, name, doc in (
            ("observe", FACTS_FILE, facts()),
            ("provisioned_prices", PROVISIONED_FILE, provisioned()),
        )
    ]


def period_for_age(age_days: float) -> int | None:
    """The finest period (s) CloudWatch still keeps for a point `age_days` old; None past its retention."""
    for rule in facts()["cloudwatch"]["retention"]:
        if age_days <= rule["days"]:
            return int(rule["period_s"])
    return None


# Observe compares one writer's metrics (ServerlessDatabaseCapacity, its instances') with the single-writer model.
LIMITLESS_NOT_OBSERVED = (
    "the environment runs an Aurora PostgreSQL Limitless Database shard group, and observe reads one writer's "
    "metrics only: watch the shard group's DBShardGroupCapacity and DBShardGroupACUUtilization in CloudWatch "
    "(the module alarms on the latter) until observe reads them"
)

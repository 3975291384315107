"""An observation file as `aurora-gen observe --write` writes it (issue 13's contract), dated relative to today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def null(value: float | None) -> str:
    return "null" if value is None else repr(value)


def observation_text(
    hit: float | None = 0.995,
    cpu: float | None = None,
    rows: float | None = None,
    pages: float | None = None,
    age_days: int = 0,
    cluster: str = "mistersmith-prod",
) -> str:
    end = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=age_days)
    start = end - dt.timedelta(days=14)
    return f"""# Observed on the running cluster by `aurora-gen observe --write`; generated, do not edit.
effective: '{end}'
cluster: {cluster}
source: cloudwatch
window: {{start: '{start}T00:00:00Z', end: '{end}T00:00:00Z', days: 14.0, points: 4032}}
observed:
  acu: {{p50: 2.0, p95: 3.5, p99: 4.0, max: 6.0}}
  cache_hit_ratio: {null(hit)}
  storage_gb: 120.4
  storage_growth_gb_per_month: 8.1
  io_billed_million_per_month: 310.2
  connections_max: 180
  cpu_acu_p95: 1.9
factors:
  cpu: {null(cpu)}
  bytes_per_row: {null(rows)}
  io_per_statement: {null(pages)}
"""


def observe(root: Path, env: str, **kwargs) -> Path:
    """Write envs/<env>/observed.yaml under root; its path."""
    path = root / "envs" / env / "observed.yaml"
    path.write_text(observation_text(**kwargs), encoding="utf-8")
    return path

"""The factors `--write` records: observed / predicted, each against the model WITHOUT any observation file
(sized with observed=False), so a second observation replaces the first instead of compounding it.

- cpu: the dated CPU factor (generator/data/aurora-cpu-factor.yaml) x observed / predicted CPU used at p95:
  it replaces that factor for this environment.
- bytes_per_row: observed / predicted stored GB, only once storage is at its steady state: the cluster is
  older than its longest table retention (when RDS says when it was created), or, its age unknown (a --from
  file), its storage grew less than the facts file's share a month. Otherwise null: a young cluster's
  storage says nothing yet about bytes per row.
- io_per_statement: observed billed READ I/O (VolumeReadIOPs) / the model's billed reads AT THE OBSERVED cache
  hit ratio (the model re-run with io.buffer_cache_hit_ratio set to it), so the factor corrects pages per
  statement, not the cache. Pages are what it multiplies (generator/observe/apply.py), and pages bill only reads:
  the write I/O (VolumeWriteIOPs, 4 KB units of log) is compared (ratio.io.write_million_per_month), not
  factored. Null without an observed hit ratio or read I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from generator.inputs import data
from generator.observe import facts


def _ratio(o: float | None, p: float | None) -> float | None:
    return round(o / p, 3) if isinstance(o, (int, float)) and isinstance(p, (int, float)) and p > 0 else None


def storage_steady(o: Mapping, rep: Mapping, created: datetime | None, end: datetime) -> tuple[bool, str]:
    longest = max(t["retention_days"] for t in rep["storage_gb"]["tables"].values())
    if created is not None:
        age = (end - created).total_seconds() / 86400
        return age >= longest, f"the cluster is {age:.0f} days old; the longest retention is {longest} days"
    stored, growth = o["storage_gb"], o["storage_growth_gb_per_month"]
    if stored is None or growth is None:
        return False, "VolumeBytesUsed not observed"
    share = facts.facts()["thresholds"]["steady_storage_growth_share"]
    steady = abs(growth) <= share * stored
    return steady, f"age unknown; storage grew {growth:g} GB a month on {stored:g} GB (steady below {share:.0%})"


def factors(o: Mapping, p: Mapping, read_io_at_observed_hit: float | None, steady: bool) -> dict[str, Any]:
    cpu = _ratio(o["cpu_acu_p95"], p["cpu_acu_p95"])
    return {
        "cpu": round(data.aurora_cpu_factor()["factor"] * cpu, 3) if cpu is not None else None,
        "bytes_per_row": _ratio(o["storage_gb"], p["storage_gb"]) if steady else None,
        "io_per_statement": _ratio(o["io"]["read_million_per_month"], read_io_at_observed_hit),
    }


def null_reasons(f: Mapping, o: Mapping, steady_why: str) -> dict[str, str]:
    """Why each null factor is null, for the report."""
    reasons = {
        "cpu": "CPUUtilization not observed (or the model predicts no CPU)",
        "bytes_per_row": f"storage not at its steady state yet ({steady_why})",
        "io_per_statement": "needs both the observed read I/O and the observed cache hit ratio",
    }
    return {k: reasons[k] for k, v in f.items() if v is None}

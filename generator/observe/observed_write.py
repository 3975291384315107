"""Writing envs/<env>/observed.yaml: what `aurora-gen observe --write` records for the model to read (the contract
with generator's reading side: keys and meaning fixed). Written atomically (generator/outputs/writer.py)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.observe.observed_file import OBSERVED_FILE


def _s(value: Any) -> str:
    """One YAML scalar, quoted and escaped as YAML needs (a file name may hold anything)."""
    import yaml

    return yaml.safe_dump([value], default_flow_style=True, width=10**9, allow_unicode=False).strip()[1:-1]


def text(doc: Mapping[str, Any]) -> str:
    w, o, f, acu = doc["window"], doc["observed"], doc["factors"], doc["observed"]["acu"]
    return f"""# Observed on the running cluster by `aurora-gen observe --write`; generated, do not edit.
effective: {_s(doc["effective"])}          # the window's end date (UTC)
cluster: {_s(doc["cluster"])}
source: {_s(doc["source"])}               # 'cloudwatch' or 'file: <basename>'
window: {{start: {_s(w["start"])}, end: {_s(w["end"])}, days: {_s(w["days"])}, points: {_s(w["points"])}}}
observed:
  acu: {{p50: {_s(acu["p50"])}, p95: {_s(acu["p95"])}, p99: {_s(acu["p99"])}, max: {_s(acu["max"])}}}
  cache_hit_ratio: {_s(o["cache_hit_ratio"])}         # null when not observed
  storage_gb: {_s(o["storage_gb"])}              # null when not observed
  storage_growth_gb_per_month: {_s(o["storage_growth_gb_per_month"])}
  io_billed_million_per_month: {_s(o["io_billed_million_per_month"])}
  connections_max: {_s(o["connections_max"])}
  cpu_acu_p95: {_s(o["cpu_acu_p95"])}               # CPUUtilization (a share of max ACU) x max ACU, p95
factors:                         # observed / predicted; 1.0: the model was right; null: not enough data to say
  cpu: {_s(f["cpu"])}                      # REPLACES aurora-cpu-factor.yaml's factor for this environment (dated factor x observed/predicted CPU ACU)
  bytes_per_row: {_s(f["bytes_per_row"])}            # multiplies every table's measured bytes per row (storage)
  io_per_statement: {_s(f["io_per_statement"])}         # multiplies pages per statement (billed I/O); against the prediction AT THE OBSERVED cache hit ratio
"""


def document(result: Mapping[str, Any]) -> dict[str, Any]:
    """The file's content from observe's result."""
    o = result["observed"]
    return {
        "effective": o["window"]["end"][:10],
        "cluster": result["cluster"],
        "source": result["source"],
        "window": o["window"],
        "observed": {
            "acu": {k: o["acu"][k] for k in ("p50", "p95", "p99", "max")},
            "cache_hit_ratio": o["cache_hit_ratio"],
            "storage_gb": o["storage_gb"],
            "storage_growth_gb_per_month": o["storage_growth_gb_per_month"],
            "io_billed_million_per_month": o["io"]["billed_million_per_month"],
            "connections_max": o["connections"]["max"],
            "cpu_acu_p95": o["cpu_acu_p95"],
        },
        "factors": result["factors"],
    }


def write(env_dir: Path, result: Mapping[str, Any]) -> Path:
    from generator.outputs.writer import write_all

    target = env_dir / OBSERVED_FILE
    write_all([(target, text(document(result)))])
    return target

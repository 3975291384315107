"""Do two calibration files agree? (`aurora-gen calibration-agreement A B`, `make calibrate-agreement`)

The evidence that a calibration is repeatable: two runs in a row on the same machine must give
- the same storage figures, to the byte (bytes per row, bloat, pages per statement): the server's own accounting
  of the same rows;
- WAL per write within `wal_tolerance` (the server's background records land in the measured windows);
- CPU per statement within `max_cpu_spread` ((highest - lowest) / median of the two, the spread a run's own
  rounds may show), both thresholds from calibrate-settings.yaml.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.calibration.cpu_rounds import KINDS, spread
from generator.errors import InputError
from generator.inputs.files import MAX_DEPTH, nesting_bound, read_text

MAX_FILE_BYTES = 1_000_000  # a calibration file is ~10 kB
# The run settings two calibrations must share to be compared at all.
COMPARABLE = (
    ("server", "version"),
    ("run", "agents"),
    ("run", "live_rows_per_table"),
    ("run", "cpu_method"),
    ("payload", "kind"),
)
STORAGE = ("bytes_per_row", "bloat", "pages_per_write", "pages_per_read")
WAL = ("wal_bytes_per_write", "wal_bytes_per_write_statement")


def load(path: Path) -> dict[str, Any]:
    """A calibration file's document: a mapping whose `tables` map each table to its figures (InputError otherwise)."""
    text = read_text(path, "calibration file", MAX_FILE_BYTES)
    if (depth := nesting_bound(text)) > MAX_DEPTH:
        raise InputError(path, None, f"nested {depth} levels deep, above the limit of {MAX_DEPTH}")
    import yaml

    try:  # not the sizing files' strict loader: a calibration's payload.compression is keyed by payload bytes
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(path, None, f"malformed YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(doc, dict):
        raise InputError(path, None, "is not a calibration file (no mapping at the top)")
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not tables:
        raise InputError(path, "tables", "missing or empty: not a calibration file written by `aurora-gen calibrate`")
    for key, figures in tables.items():
        if not isinstance(figures, dict):
            raise InputError(path, f"tables.{key}", "is not a mapping of figures")
        for name in (*(f"cpu_us_per_{k}" for k in KINDS), *WAL):
            value = figures.get(name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise InputError(path, f"tables.{key}.{name}", "missing or not a number >= 0")
        for name in STORAGE:
            if name not in figures:
                raise InputError(path, f"tables.{key}.{name}", "missing")
    return doc


def _get(doc: Mapping, dotted: tuple[str, ...]) -> Any:
    for part in dotted:
        doc = doc.get(part) if isinstance(doc, Mapping) else None
    return doc


def compare(a: Mapping, b: Mapping, max_cpu_spread: float, wal_tolerance: float) -> dict[str, Any]:
    """Each table's CPU, WAL and storage figures side by side, with whether they agree; `agree` for the whole."""
    problems: list[str] = []
    for dotted in COMPARABLE:
        if _get(a, dotted) != _get(b, dotted):
            problems.append(f"{'.'.join(dotted)} differs ({_get(a, dotted)} vs {_get(b, dotted)}): not the same run")
    ta, tb = a["tables"], b["tables"]
    if set(ta) != set(tb):
        problems.append(f"tables differ: {sorted(set(ta) ^ set(tb))}")
    cpu, wal, storage = [], [], []
    for key in (k for k in ta if k in tb):
        for kind in KINDS:
            name = f"cpu_us_per_{kind}"
            pair = (float(ta[key][name]), float(tb[key][name]))
            share = spread(pair)
            cpu.append({"table": key, "figure": name, "a": pair[0], "b": pair[1], "spread": round(share, 3)})
            cpu[-1]["agree"] = share <= max_cpu_spread
        for name in WAL:
            pair = (float(ta[key][name]), float(tb[key][name]))
            mid = statistics.fmean(pair)
            share = abs(pair[0] - pair[1]) / mid if mid else 0.0
            wal.append({"table": key, "figure": name, "a": pair[0], "b": pair[1], "difference": round(share, 4)})
            wal[-1]["agree"] = share <= wal_tolerance
        for name in STORAGE:
            same = ta[key][name] == tb[key][name]
            storage.append({"table": key, "figure": name, "a": ta[key][name], "b": tb[key][name], "agree": same})
    agree = not problems and all(r["agree"] for r in (*cpu, *wal, *storage))
    widest = max(cpu, key=lambda r: r["spread"], default=None)
    return {
        "agree": agree,
        "max_cpu_spread": max_cpu_spread,
        "wal_tolerance": wal_tolerance,
        "widest_cpu": widest and {k: widest[k] for k in ("table", "figure", "spread")},
        "load_average": {"a": _get(a, ("run", "load_average")), "b": _get(b, ("run", "load_average"))},
        "problems": problems,
        "cpu": cpu,
        "wal": wal,
        "storage": storage,
    }


def table(result: Mapping, name_a: str, name_b: str) -> str:
    """The comparison as text: CPU and WAL per table, storage differences, then the verdict in one line."""
    lines = [f"A: {name_a}", f"B: {name_b}", "", f"{'CPU per statement (us)':<44}{'A':>9}{'B':>9}{'spread':>9}"]
    for r in result["cpu"]:
        mark = "" if r["agree"] else f"  > {result['max_cpu_spread']:.0%}"
        lines.append(f"  {r['table'] + ' ' + r['figure'][11:]:<42}{r['a']:>9g}{r['b']:>9g}{r['spread']:>9.1%}{mark}")
    lines.append(f"{'WAL bytes per write':<44}{'A':>9}{'B':>9}{'diff':>9}")
    for r in result["wal"]:
        mark = "" if r["agree"] else f"  > {result['wal_tolerance']:.0%}"
        label = f"{r['table']} {'statement' if r['figure'].endswith('statement') else 'all'}"
        lines.append(f"  {label:<42}{r['a']:>9g}{r['b']:>9g}{r['difference']:>9.2%}{mark}")
    differing = [r for r in result["storage"] if not r["agree"]]
    lines.append(
        f"Storage (bytes per row, bloat, pages): {len(result['storage']) - len(differing)} of "
        f"{len(result['storage'])} figures identical"
    )
    lines += [f"  differs: {r['table']} {r['figure']}: {r['a']} vs {r['b']}" for r in differing]
    lines += [f"  {p}" for p in result["problems"]]
    load = result["load_average"]
    lines.append(f"Load average (1, 5, 15 min) at the start: A {_start(load['a'])}, B {_start(load['b'])}")
    widest = result["widest_cpu"]
    verdict = "agree" if result["agree"] else "DISAGREE"
    lines.append(
        f"The two calibrations {verdict}: widest CPU spread {widest['spread']:.1%} ({widest['table']} "
        f"{widest['figure'][11:]}s) against max_cpu_spread {result['max_cpu_spread']:.0%}; WAL within "
        f"{result['wal_tolerance']:.0%}; storage identical: {'yes' if not differing else 'no'}"
        if widest
        else f"The two calibrations {verdict}"
    )
    return "\n".join(lines)


def _start(load: Any) -> str:
    start = load.get("start") if isinstance(load, Mapping) else None
    return ", ".join(f"{v:g}" for v in start) if isinstance(start, list) else "not recorded"

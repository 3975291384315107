"""Reading metric data: the JSON `aws cloudwatch get-metric-data` prints (`--from FILE`), and boto3's answer.

The input is an object with `MetricDataResults`, or a list of such objects (several pages or calls). Each
result's `Label` is the CloudWatch metric name (the CLI's default label of a MetricStat query); an `Id` that
starts with `writer_` is the writer's series, `reader_<key>_...` (or `reader_...`) a reader's, any other the
cluster's (or the proxy's, by its metric). Timestamps may come in any order (the CLI's default is newest
first): they are sorted. Anything else wrong is one InputError naming the file and the field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.errors import InputError, shown
from generator.inputs.files import MAX_NUMBER, read_text
from generator.observe import facts
from generator.observe.observation import Observation
from generator.observe.series import Series

PERCENT_METRICS = ("ACUUtilization", "CPUUtilization", "BufferCacheHitRatio")


def known_metrics() -> tuple[str, ...]:
    scopes = facts.facts()["metrics"]["scopes"]
    return tuple(m for names in scopes.values() for m in names)


def read(path: Path, cluster: str) -> Observation:
    """The observation a --from file holds (InputError naming the file and field otherwise)."""
    text = read_text(path, "metrics file", facts.facts()["files"]["max_bytes"])
    try:
        doc = json.loads(text, parse_constant=float)  # NaN / Infinity kept as floats: refused by field below
    except json.JSONDecodeError as exc:
        raise InputError(path, None, f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InputError(path, None, "not JSON this tool reads: nested too deep") from None
    return parse(doc, path, cluster, f"file: {Path(path).name}")


def _results(doc: Any, path: Path | str) -> list[tuple[str, Mapping]]:
    pages = doc if isinstance(doc, list) else [doc]
    out = []
    for i, page in enumerate(pages):
        where = f"[{i}]" if isinstance(doc, list) else ""
        if not isinstance(page, Mapping) or "MetricDataResults" not in page:
            raise InputError(
                path,
                where or None,
                "must be an object with MetricDataResults (aws cloudwatch get-metric-data's output), or a list of them",
            )
        results = page["MetricDataResults"]
        if not isinstance(results, list):
            raise InputError(path, f"{where}MetricDataResults", f"must be a list, not {shown(results)}")
        out += [(f"{where}MetricDataResults[{j}]", r) for j, r in enumerate(results)]
    return out


def _timestamp(value: Any, path: Path | str, field: str) -> datetime:
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, str):
        try:
            stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InputError(path, field, f"{shown(value)} is not an ISO 8601 time") from None
    else:
        raise InputError(path, field, f"must be an ISO 8601 time, not {shown(value)}")
    if stamp.tzinfo is None:
        raise InputError(path, field, f"{shown(value)} has no time zone (CloudWatch gives UTC: ...+00:00)")
    return stamp.astimezone(UTC)


def _value(value: Any, label: str, path: Path | str, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(path, field, f"must be a number, not {shown(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise InputError(path, field, f"{shown(value)} is not a finite number")
    if value < 0:
        raise InputError(path, field, f"{shown(value)} is negative: {label} never is")
    if value > MAX_NUMBER:  # no metric comes near it; past it, sums and slopes could overflow
        raise InputError(path, field, f"{value:g} is above the largest value accepted, {MAX_NUMBER:g}")
    if label in PERCENT_METRICS and value > 100:
        raise InputError(path, field, f"{shown(value)} is above 100: {label} is a percentage")
    return value


def _series(result: Mapping, path: Path | str, where: str, known: tuple[str, ...]) -> tuple[str, Series]:
    if not isinstance(result, Mapping):
        raise InputError(path, where, f"must be an object, not {shown(result)}")
    rid, label = result.get("Id"), result.get("Label")
    if not isinstance(rid, str) or not rid:
        raise InputError(path, f"{where}.Id", f"must be text, not {shown(rid)}")
    if not isinstance(label, str):
        raise InputError(path, f"{where}.Label", f"must be the metric's name, not {shown(label)}")
    if label not in known:
        raise InputError(
            path, f"{where}.Label", f"{shown(label)} is not a metric observe reads (known: {', '.join(known)})"
        )
    stamps, values = result.get("Timestamps", []), result.get("Values", [])
    for name, items in (("Timestamps", stamps), ("Values", values)):
        if not isinstance(items, list):
            raise InputError(path, f"{where}.{name}", f"must be a list, not {shown(items)}")
    if len(stamps) != len(values):
        raise InputError(path, f"{where}.Values", f"has {len(values)} values for {len(stamps)} Timestamps")
    points = sorted(
        (_timestamp(t, path, f"{where}.Timestamps[{k}]"), _value(v, label, path, f"{where}.Values[{k}]"))
        for k, (t, v) in enumerate(zip(stamps, values, strict=True))
    )
    for (a, _), (b, _) in zip(points, points[1:], strict=False):
        if a == b:
            raise InputError(path, f"{where}.Timestamps", f"{a.isoformat()} appears twice (two series in one?)")
    return rid, Series(label, tuple(t for t, _ in points), tuple(v for _, v in points))


def _scope(rid: str) -> tuple[str, str | None]:
    """('writer' | 'reader' | 'cluster', the reader's key)."""
    if rid.startswith("writer_"):
        return "writer", None
    if rid.startswith("reader_"):
        rest = rid[len("reader_") :]
        return "reader", "reader_" + rest.rsplit("_", 1)[0] if "_" in rest else "reader"
    return "cluster", None


def parse(doc: Any, path: Path | str, cluster: str, source: str, **extra: Any) -> Observation:
    """An Observation from parsed get-metric-data output (a file's, or boto3's with datetime Timestamps)."""
    known = known_metrics()
    writer: dict[str, Series] = {}
    readers: dict[str, dict[str, Series]] = {}
    cluster_level: dict[str, Series] = {}
    merged: dict[str, tuple[str, Series]] = {}  # Id -> (where, series): pages of one Id are joined
    for where, result in _results(doc, path):
        rid, s = _series(result, path, where, known)
        if rid in merged:
            first = merged[rid][1]
            if first.label != s.label:
                raise InputError(path, f"{where}.Label", f"Id {shown(rid)} was {shown(first.label)} before")
            joined = sorted(
                set(zip(first.timestamps, first.values, strict=True)) | set(zip(s.timestamps, s.values, strict=True))
            )
            if len({t for t, _ in joined}) != len(joined):
                raise InputError(path, f"{where}.Timestamps", f"Id {shown(rid)} has two values at one time")
            s = Series(s.label, tuple(t for t, _ in joined), tuple(v for _, v in joined))
        merged[rid] = (where, s)
    for rid, (where, s) in merged.items():
        scope, key = _scope(rid)
        target = writer if scope == "writer" else readers.setdefault(key, {}) if scope == "reader" else cluster_level
        if s.label in target:
            raise InputError(
                path, f"{where}.Label", f"a second {s.label} series for the {key or scope} (Id {shown(rid)})"
            )
        target[s.label] = s
    stamps = [t for bucket in (writer, cluster_level, *readers.values()) for s in bucket.values() for t in s.timestamps]
    if not stamps:
        raise InputError(path, None, "holds no data point (an empty window): nothing to compare")
    start = extra.pop("start", None) or min(stamps)
    end = extra.pop("end", None) or max(stamps)
    return Observation(cluster, source, start, end, writer, readers, cluster_level, **extra)

"""Synthetic CloudWatch series for the observe tests: what `aws cloudwatch get-metric-data` prints, or what
put_metric_data seeds. Three known truths against prod's model (min 2, max 12 ACU; ~549 M billed I/O a month
at a 0.995 hit ratio): a cluster capped at max ACU, one idling at min, one billing three times the I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

END = datetime(2026, 12, 4, tzinfo=UTC)
IO_INTERVALS_PER_MONTH = 730 * 3600 / 300  # each VolumeRead/WriteIOPs point is one 5-minute interval's count


def stamps(days: float, step_min: int, end: datetime = END) -> list[datetime]:
    n = int(days * 24 * 60 / step_min)
    start = end - timedelta(days=days)
    return [start + timedelta(minutes=step_min * i) for i in range(n)]


def truth(kind: str, ts: list[datetime]) -> dict[str, dict[str, list[float]]]:
    """{scope: {metric: values}} of one known truth; scope is writer, reader_1, cluster or proxy."""
    n = len(ts)
    hour = [t.hour for t in ts]
    if kind == "capped":  # 12 ACU (max) five hours a day: 21% of the time
        acu = [12.0 if h < 5 else 6.0 for h in hour]
        cpu = [a / 12 * 100 * 0.8 for a in acu]
    elif kind == "idle":  # always at min 2 ACU, CPU 2% of what max ACU gives (0.24 ACU)
        acu, cpu = [2.0] * n, [2.0] * n
    else:  # "normal" or "io3x": the model's peak 2-3 ACU
        acu = [3.0 if h < 4 else 2.0 for h in hour]
        cpu = [a / 12 * 100 * 0.5 for a in acu]
    # prod's billed reads and writes a month (aurora-gen report: iops.billed_read/write_million_per_month)
    scale = (3 if kind == "io3x" else 1) * 1e6 / IO_INTERVALS_PER_MONTH
    reads, writes = 233.2 * scale, 315.7 * scale
    return {
        "writer": {
            "ServerlessDatabaseCapacity": acu,
            "CPUUtilization": cpu,
            "BufferCacheHitRatio": [99.5] * n,
            "DatabaseConnections": [150.0] * n,
        },
        "reader_1": {"ServerlessDatabaseCapacity": acu, "DatabaseConnections": [30.0] * n},
        "cluster": {
            "VolumeBytesUsed": [430e9] * n,
            "VolumeReadIOPs": [reads] * n,
            "VolumeWriteIOPs": [writes] * n,
        },
        "proxy": {"ClientConnections": [300.0] * n},
    }


def cli_json(kind: str, days: float = 14, step_min: int = 5, newest_first: bool = True) -> dict:
    """The JSON `aws cloudwatch get-metric-data` prints for the truth (newest first, as the CLI's default)."""
    ts = stamps(days, step_min)
    results = []
    for scope, metrics in truth(kind, ts).items():
        for metric, values in metrics.items():
            pairs = list(zip(ts, values, strict=True))
            if newest_first:
                pairs.reverse()
            results.append(
                {
                    "Id": f"{scope}_{metric.lower()}",
                    "Label": metric,
                    "Timestamps": [t.isoformat() for t, _ in pairs],
                    "Values": [v for _, v in pairs],
                    "StatusCode": "Complete",
                }
            )
    return {"MetricDataResults": results, "Messages": []}

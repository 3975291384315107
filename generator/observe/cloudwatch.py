"""Reading the running cluster from AWS (boto3): RDS for its instances and capacity range, CloudWatch for
its metrics. Every call is bounded (botocore connect/read timeouts, a few retries); every failure is one
InputError naming the cluster. The endpoint is boto3's: AWS_ENDPOINT_URL points it at a local moto server.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from generator.errors import InputError
from generator.observe import facts
from generator.observe.from_file import parse
from generator.observe.observation import Observation

NAMESPACE = "AWS/RDS"


def _clients(region: str) -> tuple[Any, Any]:
    import boto3
    from botocore.config import Config

    cw = facts.facts()["cloudwatch"]
    config = Config(
        connect_timeout=cw["connect_timeout_s"],
        read_timeout=cw["read_timeout_s"],
        retries={"max_attempts": cw["max_attempts"], "mode": "standard"},
    )
    session = boto3.session.Session(region_name=region)
    return session.client("rds", config=config), session.client("cloudwatch", config=config)


def _failed(where: str, exc: Exception) -> InputError:
    from botocore.exceptions import ClientError, NoCredentialsError

    if isinstance(exc, NoCredentialsError):
        return InputError(where, None, "no AWS credentials (set a profile or AWS_ACCESS_KEY_ID; or use --from FILE)")
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        return InputError(where, None, f"AWS refused {exc.operation_name}: {err.get('Code')}: {err.get('Message')}")
    return InputError(where, None, f"cannot reach AWS: {type(exc).__name__}: {exc}")


def _cluster(rds: Any, cluster_id: str, where: str) -> dict[str, Any]:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        found = rds.describe_db_clusters(DBClusterIdentifier=cluster_id)["DBClusters"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "DBClusterNotFoundFault":
            raise InputError(where, None, f"no cluster {cluster_id!r} in this region (give --cluster-id)") from None
        raise _failed(where, exc) from None
    except BotoCoreError as exc:
        raise _failed(where, exc) from None
    if not found:
        raise InputError(where, None, f"no cluster {cluster_id!r} in this region (give --cluster-id)")
    if found[0].get("ClusterScalabilityType") == "limitless":
        raise InputError(where, None, f"cluster {cluster_id!r}: {facts.LIMITLESS_NOT_OBSERVED}")
    return found[0]


def queries(cluster: dict[str, Any], proxy: str | None, period: int) -> list[dict[str, Any]]:
    """The MetricStat queries: each instance's metrics (writer_..., reader_<n>_...), the cluster's, the proxy's.
    Ids are what --from files use, so one parser reads both."""
    scopes, stat = facts.facts()["metrics"]["scopes"], facts.facts()["metrics"]["statistic"]
    wanted: list[tuple[str, str, str, str]] = []  # (id prefix, dimension, value, metric)
    readers = 0
    for member in sorted(cluster.get("DBClusterMembers", []), key=lambda m: not m.get("IsClusterWriter")):
        if member.get("IsClusterWriter"):
            prefix = "writer"
        else:
            readers += 1
            prefix = f"reader_{readers}"
        wanted += [(prefix, "DBInstanceIdentifier", member["DBInstanceIdentifier"], m) for m in scopes["instance"]]
    wanted += [("cluster", "DBClusterIdentifier", cluster["DBClusterIdentifier"], m) for m in scopes["cluster"]]
    if proxy:
        wanted += [("proxy", "ProxyName", proxy, m) for m in scopes["proxy"]]
    return [
        {
            "Id": f"{prefix}_{metric.lower()}",
            "Label": metric,
            "MetricStat": {
                "Metric": {"Namespace": NAMESPACE, "MetricName": metric, "Dimensions": [{"Name": dim, "Value": value}]},
                "Period": period,
                "Stat": stat,
            },
            "ReturnData": True,
        }
        for prefix, dim, value, metric in wanted
    ]


def _batches(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def fetch(cw: Any, qs: list[dict[str, Any]], start: datetime, end: datetime, where: str) -> list[dict[str, Any]]:
    """get_metric_data in batches of up to 500 queries, each followed through its NextToken pages."""
    from botocore.exceptions import BotoCoreError, ClientError

    pages: list[dict[str, Any]] = []
    for batch in _batches(qs, facts.facts()["cloudwatch"]["max_queries_per_call"]):
        token = None
        while True:
            args = {"MetricDataQueries": batch, "StartTime": start, "EndTime": end, "ScanBy": "TimestampAscending"}
            try:
                page = cw.get_metric_data(**args, **({"NextToken": token} if token else {}))
            except (ClientError, BotoCoreError) as exc:
                raise _failed(where, exc) from None
            pages.append({"MetricDataResults": page.get("MetricDataResults", [])})
            token = page.get("NextToken")
            if not token:
                break
    return pages


def observe(cluster_id: str, region: str, days: float, proxy: bool, now: datetime | None = None) -> Observation:
    """The last `days` of the cluster's metrics, at the finest period CloudWatch keeps for that age."""
    where = f"cloudwatch: {cluster_id} ({region})"
    period = facts.period_for_age(days)
    if period is None:
        raise InputError(where, "--days", f"{days:g} is beyond what CloudWatch keeps")
    end = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    start = end - timedelta(days=days)
    rds, cw = _clients(region)
    cluster = _cluster(rds, cluster_id, where)
    qs = queries(cluster, cluster_id if proxy else None, period)  # the module names the proxy as the cluster
    pages = fetch(cw, qs, start, end, where)
    scaling = cluster.get("ServerlessV2ScalingConfiguration") or {}
    found = (scaling["MinCapacity"], scaling["MaxCapacity"]) if {"MinCapacity", "MaxCapacity"} <= set(scaling) else None
    return parse(
        pages,
        where,
        cluster_id,
        "cloudwatch",
        start=start,
        end=end,
        scaling=found,
        created=cluster.get("ClusterCreateTime"),
    )

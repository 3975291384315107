#!/usr/bin/env python3
"""Seed a moto server's CloudWatch with a day of AWS/RDS metrics for an applied environment's cluster, capped
at its max ACU five hours a day, for `make e2e` to run `aurora-gen observe` against (moto generates no AWS/RDS
metrics of its own).

    observe_seed.py ENV        # AWS_ENDPOINT_URL and fake credentials set (scripts/tf-run.sh does)

The cluster is the one `aurora-gen observe --env ENV` resolves (generator.observe.target); its instances and
capacity range come from RDS, as observe reads them. Refuses to run without AWS_ENDPOINT_URL on 127.0.0.1:
it never writes metrics into a real account.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
STEP_MIN = 30  # moto's get_metric_data scans every stored point for each period: a day at 30 minutes is quick


def main(env_name: str) -> int:
    import boto3
    from botocore.config import Config

    from generator.inputs.files import sizing_path
    from generator.model.sized import size_environment
    from generator.observe import target

    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    if urlparse(endpoint).hostname != "127.0.0.1":
        print("observe_seed: AWS_ENDPOINT_URL must be a local emulator (http://127.0.0.1:PORT)", file=sys.stderr)
        return 2
    env = size_environment(sizing_path(env_name, ROOT), env_name).env
    cid = target.of_environment(sizing_path(env_name, ROOT).parent, env.environment)
    config = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2})
    rds = boto3.client("rds", region_name=env.region, config=config)
    cw = boto3.client("cloudwatch", region_name=env.region, config=config)
    cluster = rds.describe_db_clusters(DBClusterIdentifier=cid)["DBClusters"][0]
    scaling = cluster["ServerlessV2ScalingConfiguration"]
    lo, hi = scaling["MinCapacity"], scaling["MaxCapacity"]
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    stamps = [now - timedelta(minutes=STEP_MIN * i) for i in range(1, 24 * 60 // STEP_MIN)]
    data = []
    for member in cluster["DBClusterMembers"]:
        dim = [{"Name": "DBInstanceIdentifier", "Value": member["DBInstanceIdentifier"]}]
        for t in stamps:
            acu = hi if t.hour < 5 else lo
            for metric, value in (
                ("ServerlessDatabaseCapacity", acu),
                ("CPUUtilization", 80.0 * acu / hi),
                ("BufferCacheHitRatio", 99.5),
                ("DatabaseConnections", 20.0),
            ):
                data.append({"MetricName": metric, "Dimensions": dim, "Timestamp": t, "Value": value})
    dim = [{"Name": "DBClusterIdentifier", "Value": cid}]
    for t in stamps:
        for metric, value in (("VolumeBytesUsed", 5e9), ("VolumeReadIOPs", 1000.0), ("VolumeWriteIOPs", 2000.0)):
            data.append({"MetricName": metric, "Dimensions": dim, "Timestamp": t, "Value": value})
    for i in range(0, len(data), 1000):
        cw.put_metric_data(Namespace="AWS/RDS", MetricData=data[i : i + 1000])
    print(
        f"observe_seed: {len(data)} points for {cid} ({len(cluster['DBClusterMembers'])} instance(s), ACU {lo:g}-{hi:g})"
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: observe_seed.py ENV", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))

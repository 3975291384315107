"""`aurora-gen observe` end to end through boto3 against a moto server on 127.0.0.1: RDS holds the clusters
(their instances and ServerlessV2ScalingConfiguration), CloudWatch the seeded metrics (moto generates no
AWS/RDS metrics: the test puts them). Three known truths, each its own cluster: capped at max ACU, idling
at min, billing three times the model's I/O. And the faults: no credentials, an unknown cluster, throttling."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
import yaml
from botocore.config import Config
from botocore.stub import Stubber

from tests.observe_series import truth

pytestmark = pytest.mark.xdist_group("observe_moto")
AURORA_GEN = Path(sys.executable).parent / "aurora-gen"
REGION = "us-east-1"
DAYS, STEP_MIN = 1, 30  # moto's get_metric_data scans every stored point for each period: keep it small
CLUSTERS = {"capped": "observe-capped", "idle": "observe-idle", "io3x": "mistersmith-prod"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def moto_endpoint():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _client(service: str, url: str):
    config = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2})
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
    )


@pytest.fixture(scope="module")
def seeded(moto_endpoint):
    rds, cw = _client("rds", moto_endpoint), _client("cloudwatch", moto_endpoint)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    ts = [
        now - timedelta(days=DAYS) + timedelta(minutes=STEP_MIN * (i + 1))
        for i in range(DAYS * 24 * 60 // STEP_MIN - 1)
    ]
    for kind, cid in CLUSTERS.items():
        rds.create_db_cluster(
            DBClusterIdentifier=cid,
            Engine="aurora-postgresql",
            MasterUsername="app",
            MasterUserPassword="not-a-secret-1",
            ServerlessV2ScalingConfiguration={"MinCapacity": 2, "MaxCapacity": 12},
        )
        instances = {}
        for role in ("writer", "reader_1"):
            iid = f"{cid}-{role.replace('_', '')}-x1"
            rds.create_db_instance(
                DBInstanceIdentifier=iid,
                DBInstanceClass="db.serverless",
                Engine="aurora-postgresql",
                DBClusterIdentifier=cid,
            )
            instances[role] = iid
        dims = {
            "writer": ("DBInstanceIdentifier", instances["writer"]),
            "reader_1": ("DBInstanceIdentifier", instances["reader_1"]),
        }
        dims |= {"cluster": ("DBClusterIdentifier", cid), "proxy": ("ProxyName", cid)}
        for scope, metrics in truth(kind, ts).items():
            name, value = dims[scope]
            for metric, values in metrics.items():
                data = [
                    {"MetricName": metric, "Dimensions": [{"Name": name, "Value": value}], "Timestamp": t, "Value": v}
                    for t, v in zip(ts, values, strict=True)
                ]
                for i in range(0, len(data), 1000):
                    cw.put_metric_data(Namespace="AWS/RDS", MetricData=data[i : i + 1000])
    return moto_endpoint


def observe(tree: Path, url: str | None, *args: str, creds: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    if url:
        env["AWS_ENDPOINT_URL"] = url
    if creds:
        env |= {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    return subprocess.run(
        [str(AURORA_GEN), "--root", str(tree), "observe", "--env", "prod", "--days", str(DAYS), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def _json(r: subprocess.CompletedProcess[str]) -> dict:
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def codes(res: dict) -> set[str]:
    return {w["code"] for w in res["warnings"]}


def test_capped_at_max_acu_through_cloudwatch(tree, seeded):
    res = _json(observe(tree, seeded, "--cluster-id", CLUSTERS["capped"], "--format", "json"))
    assert res["source"] == "cloudwatch"
    assert "observe.max_acu_saturated" in codes(res), res["warnings"]
    assert res["observed"]["acu"]["max"] == 12 and res["observed"]["acu"]["share_at_max"] > 0.05
    assert res["observed"]["connections"]["max"] == 180  # the writer's and the reader's, summed
    assert res["recommendation"]["max_acu"] == 15


def test_idle_at_min_acu_through_cloudwatch(tree, seeded):
    res = _json(observe(tree, seeded, "--cluster-id", CLUSTERS["idle"], "--format", "json"))
    assert "observe.min_acu_idle" in codes(res), res["warnings"]
    assert res["observed"]["acu"]["share_at_min"] == 1.0
    assert res["recommendation"]["min_acu"] == 2 and "policies' floor 2" in res["recommendation"]["reason"]


def test_io_three_times_the_model_through_cloudwatch_and_write(tree, seeded):
    r = observe(tree, seeded, "--write")  # the environment's own cluster: mistersmith-prod
    assert r.returncode == 0, r.stderr
    assert "observe.io_above_model" in r.stdout and "storage type aurora-iopt1" in r.stdout
    doc = yaml.safe_load((tree / "envs" / "prod" / "observed.yaml").read_text())
    assert doc["cluster"] == "mistersmith-prod" and doc["source"] == "cloudwatch"
    assert doc["observed"]["io_billed_million_per_month"] == pytest.approx(3 * 548.9, rel=0.01)
    assert doc["factors"]["io_per_statement"] == pytest.approx(3.0, abs=0.05)
    # moto's cluster was created a moment ago: younger than the 90-day retention, so storage says nothing yet
    assert doc["factors"]["bytes_per_row"] is None


def test_an_unknown_cluster_is_one_line(tree, seeded):
    before = sorted(p.name for p in (tree / "envs" / "prod").iterdir())
    r = observe(tree, seeded, "--cluster-id", "no-such-cluster", "--write")
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "no cluster 'no-such-cluster' in this region" in r.stderr
    assert sorted(p.name for p in (tree / "envs" / "prod").iterdir()) == before


def test_no_credentials_is_one_line(tree, seeded):
    r = observe(tree, seeded, creds=False)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "no AWS credentials" in r.stderr, r.stderr


def test_an_unreachable_endpoint_ends_in_one_line_not_a_hang(tree):
    started = time.monotonic()
    r = observe(tree, f"http://127.0.0.1:{_free_port()}")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "cannot reach AWS" in r.stderr, r.stderr
    assert time.monotonic() - started < 60


def test_throttling_is_one_line():
    from generator.errors import InputError
    from generator.observe import cloudwatch

    cw = boto3.client("cloudwatch", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(cw)
    stub.add_client_error("get_metric_data", service_error_code="Throttling", service_message="Rate exceeded")
    now = datetime.now(UTC)
    q = {
        "Id": "cluster_volumebytesused",
        "MetricStat": {"Metric": {"MetricName": "VolumeBytesUsed"}, "Period": 60, "Stat": "Average"},
    }
    with stub, pytest.raises(InputError) as err:
        cloudwatch.fetch(cw, [q], now - timedelta(days=1), now, "cloudwatch: c")
    assert "AWS refused GetMetricData: Throttling: Rate exceeded" in err.value.line()


def test_queries_are_batched_500_a_call_and_follow_next_token():
    from generator.observe import cloudwatch

    cw = boto3.client("cloudwatch", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    qs = [{"Id": f"q{i}", "Label": "VolumeBytesUsed", "MetricStat": {}} for i in range(501)]
    calls = []

    def fake(**kw):
        calls.append((len(kw["MetricDataQueries"]), kw.get("NextToken")))
        return {"MetricDataResults": [], **({"NextToken": "t"} if len(calls) == 1 else {})}

    cw.get_metric_data = fake
    now = datetime.now(UTC)
    cloudwatch.fetch(cw, qs, now - timedelta(days=1), now, "cloudwatch: c")
    assert calls == [(500, None), (500, "t"), (1, None)]


def test_a_cluster_without_metrics_is_an_empty_window_one_line(tree, seeded):
    rds = _client("rds", seeded)
    rds.create_db_cluster(
        DBClusterIdentifier="observe-empty",
        Engine="aurora-postgresql",
        MasterUsername="app",
        MasterUserPassword="not-a-secret-1",
        ServerlessV2ScalingConfiguration={"MinCapacity": 2, "MaxCapacity": 12},
    )
    r = observe(tree, seeded, "--cluster-id", "observe-empty", "--write")
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "observe-empty (us-east-1): holds no data point (an empty window)" in r.stderr
    assert not (tree / "envs" / "prod" / "observed.yaml").exists()

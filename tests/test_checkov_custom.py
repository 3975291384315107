"""Proof that each custom checkov check (policies/checkov, CKV_MSA_1-5) passes a good resource and fails a bad one.

Small HCL fixtures in a temporary folder, scanned by ONE checkov run (a few seconds) from .venv-checkov
(`make checkov-setup`; checkov never goes into .venv). Without .venv-checkov the test fails under CI=true
and is skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"
CHECKS = ("CKV_MSA_1", "CKV_MSA_2", "CKV_MSA_3", "CKV_MSA_4", "CKV_MSA_5")

FIXTURES = """
resource "aws_rds_cluster" "good" {
  backup_retention_period = 7
  serverlessv2_scaling_configuration {
    min_capacity = 0.5
    max_capacity = 2
  }
}

resource "aws_rds_cluster" "short_retention" {
  backup_retention_period = 3
  serverlessv2_scaling_configuration {
    min_capacity = 0.5
    max_capacity = 2
  }
}

resource "aws_rds_cluster" "off_grid" {
  backup_retention_period = 14
  serverlessv2_scaling_configuration {
    min_capacity = 0.75
    max_capacity = 300
  }
}

resource "aws_db_proxy" "good" {
  require_tls = true
  auth {
    iam_auth = "REQUIRED"
  }
}

resource "aws_db_proxy" "no_tls" {
  require_tls = false
  auth {
    iam_auth = "REQUIRED"
  }
}

resource "aws_db_proxy" "no_iam" {
  require_tls = true
  auth {
    iam_auth = "DISABLED"
  }
}

resource "aws_db_proxy_default_target_group" "good" {
  connection_pool_config {
    max_connections_percent = 80
  }
}

resource "aws_db_proxy_default_target_group" "whole_pool" {
  connection_pool_config {
    max_connections_percent = 100
  }
}
"""

# check -> (resources it must pass, resource it must fail)
EXPECTED = {
    "CKV_MSA_1": (["aws_rds_cluster.good", "aws_rds_cluster.off_grid"], "aws_rds_cluster.short_retention"),
    "CKV_MSA_2": (["aws_db_proxy.good", "aws_db_proxy.no_iam"], "aws_db_proxy.no_tls"),
    "CKV_MSA_3": (["aws_db_proxy.good", "aws_db_proxy.no_tls"], "aws_db_proxy.no_iam"),
    "CKV_MSA_4": (["aws_db_proxy_default_target_group.good"], "aws_db_proxy_default_target_group.whole_pool"),
    "CKV_MSA_5": (["aws_rds_cluster.good", "aws_rds_cluster.short_retention"], "aws_rds_cluster.off_grid"),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[tuple[str, str], str]:
    """(check id, resource) -> passed | failed, from one checkov run over every fixture."""
    if not CHECKOV.exists():
        reason = f"{CHECKOV} is missing: run `make checkov-setup` (make test does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("checkov")
    (tmp / "main.tf").write_text(FIXTURES)
    # Not --quiet: checkov's JSON then leaves the passed checks out. cwd=tmp: no .checkov.yaml of the repo.
    out = subprocess.run(
        [
            str(CHECKOV),
            "-d",
            str(tmp),
            "--framework",
            "terraform",
            "--external-checks-dir",
            str(REPO / "policies" / "checkov"),
            "-c",
            ",".join(CHECKS),
            "-o",
            "json",
            "--skip-download",
        ],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode in (0, 1), out.stderr[-2000:]
    report = json.loads(out.stdout)
    assert not isinstance(report, list), "one framework, one report"
    results = report["results"]
    found = {}
    for status in ("passed", "failed"):
        for r in results.get(f"{status}_checks", []):
            found[(r["check_id"], r["resource"])] = status
    return found


@pytest.mark.parametrize("check", CHECKS)
def test_custom_check_passes_good_and_fails_bad(outcomes, check):
    good, bad = EXPECTED[check]
    for resource in good:
        assert outcomes.get((check, resource)) == "passed", f"{check} on {resource}: {outcomes.get((check, resource))}"
    assert outcomes.get((check, bad)) == "failed", f"{check} on {bad}: {outcomes.get((check, bad))}"

"""Reading the package's data files (defaults, dated prices and AWS limits, the design's figures)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"
# One dated price file per region; a sizing's `region` and `dr_region` pick theirs (a new price list is a new
# dated file named here). PRICES_FILE is the default region's (defaults.yaml), the one policies/limits.yaml names.
PRICE_FILES = {
    "us-east-1": "prices/aurora-postgresql-us-east-1-2026-11.yaml",
    "us-west-2": "prices/aurora-postgresql-us-west-2-2026-11.yaml",
    "eu-west-1": "prices/aurora-postgresql-eu-west-1-2026-11.yaml",
    "eu-central-1": "prices/aurora-postgresql-eu-central-1-2026-11.yaml",
    "ap-northeast-1": "prices/aurora-postgresql-ap-northeast-1-2026-11.yaml",
    "ap-southeast-2": "prices/aurora-postgresql-ap-southeast-2-2026-11.yaml",
}
PRICES_FILE = PRICE_FILES["us-east-1"]
# AWS's rules for backup, snapshot and copy billing (generator/model/backup_billing.py).
BACKUP_BILLING_FILE = "backup-billing-2026-11.yaml"
LIMITS_FILE = "aws-limits-2025-11.yaml"
# Written by `make calibrate` (aurora-gen calibrate); a new calibration is a new dated file.
CALIBRATION_FILE = "calibration/postgresql-16-2026-11.yaml"
# The module's defaults for what it bills besides the instances (keys, alarms, insights, monitoring, ...):
# the env roots leave them in place, so the generator and the policies price them from here.
MODULE_DEFAULTS_FILE = "module-defaults.yaml"
# Aurora's vCPU against the calibration machine's CPU: a factor with its range, dated, with its source.
AURORA_CPU_FACTOR_FILE = "aurora-cpu-factor.yaml"
# How the model reads an environment's observation (envs/<env>/observed.yaml): factor bounds, age, hit-ratio band.
OBSERVED_MODEL_FILE = "observed-model.yaml"
# What `aurora-gen calibrate` may write: rounds, the CPU spread it accepts, the sample's limits.
CALIBRATE_SETTINGS_FILE = "calibrate-settings.yaml"
# Aurora PostgreSQL Limitless Database: the shard group's ACU bounds, AWS's routers/shards table, the cluster's
# requirements (the Limitless sizing and its tfvars). Its ACU-hour price is in the region's price file.
LIMITLESS_FILE = "limitless-2026-12.yaml"
# The share of max ACU the required peak may reach before acu.peak_near_max (and a shard group's sizing share).
HEADROOM_FILE = "headroom.yaml"


def _parse(text: str) -> Any:
    import yaml

    # libyaml's loader when present: a third of the parse time of the pure-Python one.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _load(name: str) -> dict[str, Any]:
    from generator.outputs import cache

    return cache.remembered_yaml((DATA / name).read_text(encoding="utf-8"), _parse)


@cache
def defaults() -> dict[str, Any]:
    return _load("defaults.yaml")


def prices_file(region: str) -> str:
    return PRICE_FILES[region]


def price_regions() -> tuple[str, ...]:
    """The regions with a price file, sorted."""
    return tuple(sorted(PRICE_FILES))


@cache
def prices(region: str = "us-east-1") -> dict[str, Any]:
    """The dated price file of `region`; KeyError naming the known regions when there is none."""
    if region not in price_regions():
        raise KeyError(f"no price file for region {region!r} (known: {', '.join(price_regions())})")
    return _load(prices_file(region))


@cache
def backup_billing() -> dict[str, Any]:
    return _load(BACKUP_BILLING_FILE)


@cache
def limits() -> dict[str, Any]:
    return _load(LIMITS_FILE)


@cache
def seed() -> dict[str, Any]:
    return _load("seed.yaml")


@cache
def calibration() -> dict[str, Any]:
    return _load(CALIBRATION_FILE)


@cache
def module_defaults() -> dict[str, Any]:
    return _load(MODULE_DEFAULTS_FILE)


@cache
def aurora_cpu_factor() -> dict[str, Any]:
    """{effective, factor, low, high, source, note}: Aurora's CPU per statement = the calibration's x factor."""
    return _load(AURORA_CPU_FACTOR_FILE)


@cache
def observed_model() -> dict[str, Any]:
    return _load(OBSERVED_MODEL_FILE)


@cache
def calibrate_settings() -> dict[str, Any]:
    return _load(CALIBRATE_SETTINGS_FILE)


@cache
def limitless() -> dict[str, Any]:
    """Aurora PostgreSQL Limitless Database's dated facts (generator/data/limitless-2026-12.yaml)."""
    return _load(LIMITLESS_FILE)


@cache
def headroom() -> dict[str, Any]:
    """{peak_share_of_max, ...}: the headroom the required peak keeps below max ACU (a stated assumption)."""
    return _load(HEADROOM_FILE)


def sources(region: str = "us-east-1", dr_region: str | None = None) -> list[dict[str, str]]:
    """Every data file a report's figures come from: path and date (the DR region's prices when they differ).
    A Limitless sizing adds limitless_source()."""
    regions = [("prices", region)] + ([("dr_prices", dr_region)] if dr_region and dr_region != region else [])
    return [
        {"kind": kind, "path": source_path(name), "date": str(doc["effective"])}
        for kind, name, doc in (
            *((kind, prices_file(r), prices(r)) for kind, r in regions),
            ("backup_billing", BACKUP_BILLING_FILE, backup_billing()),
            ("aws_limits", LIMITS_FILE, limits()),
            ("calibration", CALIBRATION_FILE, calibration()),
            ("aurora_cpu_factor", AURORA_CPU_FACTOR_FILE, aurora_cpu_factor()),
            ("module_defaults", MODULE_DEFAULTS_FILE, module_defaults()),
            ("headroom", HEADROOM_FILE, headroom()),
        )
    ]


def limitless_source() -> dict[str, str]:
    """The Limitless facts' entry in a report's sources (named when the sizing is a shard group)."""
    return {"kind": "limitless", "path": source_path(LIMITLESS_FILE), "date": str(limitless()["effective"])}


def source_path(name: str) -> str:
    """Repository-relative path of a data file, for headers and messages."""
    return str(Path("generator") / "data" / name)

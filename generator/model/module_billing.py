"""What the Terraform module creates and bills besides the instances, counted from its settings.

Pure functions. The settings are those of generator/data/module-defaults.yaml (the module's defaults, which
the env roots leave in place) in its layout; a caller that deploys other settings passes its own mapping.
The prices of what is counted here are applied in generator/model/pricing.py (parts kms, monitoring,
global_database, extended_support).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_MAJOR = re.compile(r"^(\d+)\.\d+$")


@dataclass(frozen=True)
class ModuleBilling:
    """The module's billed resources beyond the primary's instances, in billing units."""

    kms_keys: int  # customer managed keys the module creates (primary, DR region)
    secrets: int  # Secrets Manager secrets (the master user's)
    alarms: int  # standard-resolution CloudWatch alarms
    monitored_instances: int  # Enhanced Monitoring: every primary and secondary instance
    monitoring_interval: int  # seconds between RDSOSMetrics events
    monitoring_bytes_per_event: float  # an assumption (module-defaults.yaml)
    monitoring_log_retention_days: int
    insights_mode: str  # Database Insights: standard or advanced
    performance_insights_retention_days: int
    secondary_instances: int  # global database secondary (0: none)
    secondary_average_acu: float
    engine_major: int
    extended_support: bool  # False: engine_lifecycle_support opts out of RDS Extended Support


def engine_major(version: str) -> int:
    match = _MAJOR.match(version)
    if match is None:
        raise ValueError(f"engine_version {version!r} is not major.minor")
    return int(match.group(1))


def alarm_count(alarms: Mapping, enabled: bool, readers: int) -> int:
    """Alarms of monitoring.tf: per cluster, per instance (writer and readers) and per reader."""
    if not enabled:
        return 0
    return alarms["per_cluster"] + alarms["per_instance"] * (1 + readers) + alarms["per_reader"] * readers


def kms_key_count(settings: Mapping, cross_region_copy: bool) -> int:
    """The primary key unless one is brought (kms_key_arn); the DR key when backups are copied or a global
    database runs there, unless one is brought (dr_kms_key_arn) - as main.tf's create_kms_key and
    create_dr_kms_key decide."""
    primary = settings["kms_key_arn"] is None
    dr = (cross_region_copy or settings["global_database_enabled"]) and settings["dr_kms_key_arn"] is None
    return int(primary) + int(dr)


def module_billing(
    module: Mapping, *, readers: int, cross_region_copy: bool, independent_reader_average_acu: float
) -> ModuleBilling:
    """Count what the module bills for an environment with `readers` readers.

    A global database's secondary instances are priced like readers in tiers 2-15: they scale on their own
    (read) load, at the independent reader average ACU.
    """
    s, em = module["settings"], module["enhanced_monitoring"]
    secondaries = s["global_database_instance_count"] if s["global_database_enabled"] else 0
    return ModuleBilling(
        kms_keys=kms_key_count(s, cross_region_copy),
        secrets=module["secrets"]["master"],
        alarms=alarm_count(module["alarms"], s["alarms_enabled"], readers),
        monitored_instances=1 + readers + secondaries,
        monitoring_interval=s["monitoring_interval"],
        monitoring_bytes_per_event=em["bytes_per_event"],
        monitoring_log_retention_days=em["log_retention_days"],
        insights_mode=s["database_insights_mode"] or "standard",
        performance_insights_retention_days=s["performance_insights_retention_period"],
        secondary_instances=secondaries,
        secondary_average_acu=independent_reader_average_acu,
        engine_major=engine_major(s["engine_version"]),
        extended_support=s["engine_lifecycle_support"] != "open-source-rds-extended-support-disabled",
    )

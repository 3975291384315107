"""Pure monthly-cost functions over the dated price file. No price is written in code.

The policy checks call these with values read from the HCL, so the generator's report and the
pull-request checks price an environment the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from generator.model import backup_billing
from generator.model.module_billing import ModuleBilling, module_billing
from generator.model.sizing import DAYS_PER_MONTH

STORAGE_TYPES = ("aurora", "aurora-iopt1")
# The key under which `regional` files the DR region's prices in the primary's mapping.
DR_PRICES = "dr_region_prices"


@dataclass(frozen=True)
class CostInputs:
    """What a month of one environment costs depends on, in billing units."""

    writer_average_acu: float
    reader_promotion_tiers: Sequence[int]
    independent_reader_average_acu: float  # readers in tiers 2-15
    storage_gb: float
    io_million_per_month: float
    backup_billed_gb: float  # primary-region backup storage beyond the free allowance
    backup_dr_gb: float  # snapshot copies kept in the DR region (no free allowance there)
    backup_copy_gb_per_month: float  # snapshot data copied to the DR region each month
    transfer_gb_per_month: float  # to the internet
    proxy_enabled: bool
    module: ModuleBilling  # keys, alarms, insights, monitoring, global secondary, Extended Support


@dataclass(frozen=True)
class CostBreakdown:
    """A month's cost as named parts (PARTS' order) and their total."""

    parts: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.parts.values())

    def __getitem__(self, part: str) -> float:
        return self.parts[part]

    def as_dict(self) -> dict[str, float]:
        """Parts and total in cents, the parts rounded so that they add up to the rounded total (each part
        rounded on its own can miss it by a cent or more: the largest remainders get the cents left over)."""
        total = round(self.total * 100)
        cents = {k: int(v * 100 // 1) for k, v in self.parts.items()}
        by_remainder = sorted(self.parts, key=lambda k: (cents[k] - self.parts[k] * 100, list(self.parts).index(k)))
        for k in by_remainder[: max(0, total - sum(cents.values()))]:
            cents[k] += 1
        return {**{k: c / 100 for k, c in cents.items()}, "total": total / 100}


def instance_average_acus(inputs: CostInputs, limits: Mapping) -> list[float]:
    """Average ACU of every db.serverless instance: the writer, then each reader.

    Readers in promotion tiers 0-1 follow the writer's capacity; tiers 2-15 scale on their own.
    """
    follows = limits["reader_promotion_tier"]["follows_writer_max"]
    readers = [
        inputs.writer_average_acu if tier <= follows else inputs.independent_reader_average_acu
        for tier in inputs.reader_promotion_tiers
    ]
    return [inputs.writer_average_acu, *readers]


def regional(prices: Mapping, dr_prices: Mapping | None) -> Mapping:
    """The primary region's prices with the DR region's filed under DR_PRICES: the DR copies, and a global
    database's secondary, are billed at the DR region's prices; their transfer at the primary's."""
    return {**prices, DR_PRICES: prices if dr_prices is None else dr_prices}


def dr_prices_of(prices: Mapping) -> Mapping:
    return prices.get(DR_PRICES, prices)


def proxy_cost(total_acu: float, prices: Mapping) -> float:
    proxy = prices["proxy"]
    return max(total_acu, proxy["minimum_acu"]) * proxy["per_acu_hour"] * prices["hours_per_month"]


# ---------------------------------------------------------------------------
# The parts of the bill: each a function (inputs, storage type, prices, the instances' ACUs) -> USD a month.
# A new part (KMS keys, monitoring, ...) is one more function in PARTS: every report, total and policy follows.
# ---------------------------------------------------------------------------
def _compute(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    return sum(acus) * prices["hours_per_month"] * prices["compute"][storage_type]


def _storage(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    return inputs.storage_gb * prices["storage"][storage_type]


def _io(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    return inputs.io_million_per_month * prices["io_per_million"][storage_type]


def _backup(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    return (
        inputs.backup_billed_gb * prices["backup_per_gb_month"]
        + inputs.backup_dr_gb * dr_prices_of(prices)["backup_per_gb_month"]
    )


def _proxy(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    return proxy_cost(sum(acus), prices) if inputs.proxy_enabled else 0.0


def _transfer(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    # Internet egress at the first tier's price (conservative beyond it), and snapshot copies to the DR region.
    return (
        inputs.transfer_gb_per_month * prices["transfer"]["internet_per_gb"]
        + inputs.backup_copy_gb_per_month * prices["transfer"]["inter_region_per_gb"]
    )


def _kms(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    # Each key with its billed yearly rotations (the steady state from the key's third year).
    k = prices["kms"]
    return inputs.module.kms_keys * (k["per_key_month"] + k["per_rotation_month"] * k["billed_rotations"])


def _secrets(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    return inputs.module.secrets * prices["secrets_manager"]["per_secret_month"]


def enhanced_monitoring_gb(m: ModuleBilling, prices: Mapping) -> tuple[float, float]:
    """RDSOSMetrics a month (GB ingested) and kept at the log group's retention (GB stored); interval 0 is off."""
    if not m.monitoring_interval:
        return 0.0, 0.0
    events = prices["hours_per_month"] * 3600 / m.monitoring_interval
    ingested = m.monitored_instances * events * m.monitoring_bytes_per_event / 1e9
    return ingested, ingested * m.monitoring_log_retention_days / DAYS_PER_MONTH


def insights_acu_hours(m: ModuleBilling, prices: Mapping, acus: Sequence[float]) -> float:
    """ACU-hours billed for Database Insights advanced mode (the primary cluster's setting) or Performance
    Insights retention beyond the free tier (every instance, the secondary's too)."""
    beyond_free = m.performance_insights_retention_days > prices["performance_insights"]["free_retention_days"]
    primary = sum(acus) if beyond_free or m.insights_mode == "advanced" else 0.0
    secondary = m.secondary_instances * m.secondary_average_acu if beyond_free else 0.0
    return (primary + secondary) * prices["hours_per_month"]


def billed_resources(m: ModuleBilling, prices: Mapping, acus: Sequence[float]) -> dict[str, Any]:
    """What the kms, secrets, monitoring, global_database and extended_support parts count (`acus`: the billed
    average ACU of each instance, or the shard group's)."""
    ingested, stored = enhanced_monitoring_gb(m, prices)
    return {
        "kms_keys": m.kms_keys,
        "secrets": m.secrets,
        "alarms": m.alarms,
        "enhanced_monitoring": {
            "instances": m.monitored_instances,
            "interval_seconds": m.monitoring_interval,
            "gb_ingested_month": round(ingested + 0.0, 3),
            "gb_stored": round(stored + 0.0, 3),
            "assumed_bytes_per_event": m.monitoring_bytes_per_event,
        },
        "insights": {
            "mode": m.insights_mode,
            "performance_insights_retention_days": m.performance_insights_retention_days,
            "billed_acu_hours_month": round(insights_acu_hours(m, prices, acus) + 0.0, 1),
        },
        "global_database_secondary_instances": m.secondary_instances,
        "engine_major": m.engine_major,
        "extended_support_year": extended_support_year(m.engine_major, prices) if m.extended_support else 0,
    }


def _monitoring(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    m, cw = inputs.module, prices["cloudwatch"]
    ingested, stored = enhanced_monitoring_gb(m, prices)
    return (
        m.alarms * cw["alarm_per_month"]
        + ingested * cw["logs_ingestion_per_gb"]
        + stored * cw["logs_storage_per_gb_month"]
        + insights_acu_hours(m, prices, acus) * cw["database_insights_advanced_per_acu_hour"]
    )


def _global_database(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    # The secondary's instances and its copy of the volume, the replicated write I/O, and the log shipped
    # between regions (one write unit per replicated write I/O).
    m = inputs.module
    if not m.secondary_instances:
        return 0.0
    # The secondary runs in the DR region: its instances, volume and replicated writes at that region's prices.
    dr = dr_prices_of(prices)
    shipped_gb = inputs.io_million_per_month * 1e6 * prices["io_billing"]["write_unit_bytes"] / 1e9
    acu_hours = m.secondary_instances * m.secondary_average_acu * dr["hours_per_month"]
    return (
        acu_hours * dr["compute"][storage_type]
        + inputs.storage_gb * dr["storage"][storage_type]
        + inputs.io_million_per_month * dr["global_database"]["replicated_write_io_per_million"][storage_type]
        + shipped_gb * prices["transfer"]["inter_region_per_gb"]
    )


def extended_support_year(major: int, prices: Mapping) -> int:
    """The year of RDS Extended Support `major` is in at the price file's date (0: standard support)."""
    end = prices["extended_support"]["end_of_standard_support"].get(major)
    on = date.fromisoformat(str(prices["effective"]))
    if end is None or on <= date.fromisoformat(str(end)):
        return 0
    return 1 + (on - date.fromisoformat(str(end))).days // 365


def _extended_support(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    m = inputs.module
    year = extended_support_year(m.engine_major, prices)
    if not year or not m.extended_support:
        return 0.0
    rate = prices["extended_support"]["per_acu_hour"]["year_1_2" if year <= 2 else "year_3"]
    return (sum(acus) + m.secondary_instances * m.secondary_average_acu) * prices["hours_per_month"] * rate


PARTS: tuple[tuple[str, Callable[[CostInputs, str, Mapping, Sequence[float]], float]], ...] = (
    ("compute", _compute),
    ("storage", _storage),
    ("io", _io),
    ("backup", _backup),
    ("proxy", _proxy),
    ("transfer", _transfer),
    # What the module bills besides the instances (generator/model/module_billing.py).
    ("kms", _kms),
    ("secrets", _secrets),
    ("monitoring", _monitoring),
    ("global_database", _global_database),
    ("extended_support", _extended_support),
)


# What the reports, the page, the charts and the diff call each part.
PART_LABELS = {
    "compute": "compute",
    "storage": "storage",
    "io": "I/O",
    "backup": "backup",
    "proxy": "RDS Proxy",
    "transfer": "data transfer",
    "kms": "KMS keys",
    "secrets": "Secrets Manager",
    "monitoring": "monitoring (alarms, Enhanced Monitoring, Insights)",
    "global_database": "global database secondary",
    "extended_support": "RDS Extended Support",
}


def monthly_cost(
    inputs: CostInputs, storage_type: str, prices: Mapping, limits: Mapping, acus: Sequence[float] | None = None
) -> CostBreakdown:
    """One month of the environment on `storage_type`; `acus` overrides each instance's ACU."""
    if storage_type not in STORAGE_TYPES:
        raise ValueError(f"unknown storage type {storage_type!r}")
    instance_acus = list(acus) if acus is not None else instance_average_acus(inputs, limits)
    return CostBreakdown({name: part(inputs, storage_type, prices, instance_acus) for name, part in PARTS})


def worst_case_cost(inputs: CostInputs, storage_type: str, max_acu: float, prices: Mapping, limits: Mapping) -> float:
    """Every instance at max ACU all month (what the budget ceiling must survive)."""
    n = 1 + len(inputs.reader_promotion_tiers)
    # The global database's secondary instances too.
    inputs = replace(inputs, module=replace(inputs.module, secondary_average_acu=max_acu))
    return monthly_cost(inputs, storage_type, prices, limits, acus=[max_acu] * n).total


def cheaper_storage_type(inputs: CostInputs, prices: Mapping, limits: Mapping) -> str:
    costs = {st: monthly_cost(inputs, st, prices, limits).total for st in STORAGE_TYPES}
    return min(STORAGE_TYPES, key=lambda st: (round(costs[st], 6), STORAGE_TYPES.index(st)))


def io_share_of_bill(cost: CostBreakdown) -> float:
    aurora = cost["compute"] + cost["storage"] + cost["io"]
    return cost["io"] / aurora if aurora else 0.0


def build_cost_inputs(
    *,
    writer_average_acu: float,
    reader_promotion_tiers: Sequence[int],
    independent_reader_average_acu: float,
    storage_gb: float,
    io_million_per_month: float,
    transfer_gb_per_month: float,
    retention_days: int,
    snapshots: tuple[int, int, int],
    copied_rules: Sequence[str],
    proxy_enabled: bool,
    module: Mapping | None = None,
) -> CostInputs:
    """CostInputs from the figures a tfvars file holds (used by the report and the policies alike).

    `copied_rules`: the snapshot rules (daily, weekly, monthly) whose recovery points are copied to the DR
    region (tfvars backup_cross_region_copy_rules). `module`: the module's settings for what it bills besides
    the instances, in the layout of generator/data/module-defaults.yaml; None = those defaults, which the env
    roots leave in place.
    """
    if module is None:
        from generator.inputs import data  # the one data read here: what every environment deploys today

        module = data.module_defaults()
    snaps = backup_billing.Snapshots(*snapshots, copied=tuple(copied_rules))
    return CostInputs(
        writer_average_acu=writer_average_acu,
        reader_promotion_tiers=tuple(reader_promotion_tiers),
        independent_reader_average_acu=independent_reader_average_acu,
        storage_gb=storage_gb,
        io_million_per_month=io_million_per_month,
        backup_billed_gb=backup_billing.backup_billed_gb(storage_gb, retention_days, snaps),
        backup_dr_gb=backup_billing.dr_copies_gb(storage_gb, snaps),
        backup_copy_gb_per_month=backup_billing.backup_copy_gb_per_month(storage_gb, snaps),
        transfer_gb_per_month=transfer_gb_per_month,
        proxy_enabled=proxy_enabled,
        module=module_billing(
            module,
            readers=len(reader_promotion_tiers),
            cross_region_copy=bool(snaps.copied),
            independent_reader_average_acu=independent_reader_average_acu,
        ),
    )

"""Pure monthly-cost functions over the dated price file. No price is written in code.

The policy checks call these with values read from the HCL, so the generator's report and the
pull-request checks price an environment the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from generator.sizing import DAYS_PER_MONTH

STORAGE_TYPES = ("aurora", "aurora-iopt1")
WEEKS_PER_MONTH = 52 / 12


@dataclass(frozen=True)
class CostInputs:
    """What a month of one environment costs depends on, in billing units."""

    writer_average_acu: float
    reader_promotion_tiers: Sequence[int]
    independent_reader_average_acu: float  # readers in tiers 2-15
    storage_gb: float
    io_million_per_month: float
    backup_billed_gb: float  # backup storage beyond the free allowance, both regions
    backup_copy_gb_per_month: float  # snapshot data copied to the DR region each month
    transfer_gb_per_month: float  # to the internet
    proxy_enabled: bool


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
        return {**{k: round(v, 2) for k, v in self.parts.items()}, "total": round(self.total, 2)}


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
    return inputs.backup_billed_gb * prices["backup_per_gb_month"]


def _proxy(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    return proxy_cost(sum(acus), prices) if inputs.proxy_enabled else 0.0


def _transfer(inputs: CostInputs, storage_type: str, prices: Mapping, acus: Sequence[float]) -> float:
    # Internet egress at the first tier's price (conservative beyond it), and snapshot copies to the DR region.
    return (inputs.transfer_gb_per_month * prices["transfer"]["internet_per_gb"]
            + inputs.backup_copy_gb_per_month * prices["transfer"]["inter_region_per_gb"])


PARTS: tuple[tuple[str, Callable[[CostInputs, str, Mapping, Sequence[float]], float]], ...] = (
    ("compute", _compute), ("storage", _storage), ("io", _io), ("backup", _backup), ("proxy", _proxy),
    ("transfer", _transfer),
)


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
    return monthly_cost(inputs, storage_type, prices, limits, acus=[max_acu] * n).total


def cheaper_storage_type(inputs: CostInputs, prices: Mapping, limits: Mapping) -> str:
    costs = {st: monthly_cost(inputs, st, prices, limits).total for st in STORAGE_TYPES}
    return min(STORAGE_TYPES, key=lambda st: (round(costs[st], 6), STORAGE_TYPES.index(st)))


# ---------------------------------------------------------------------------
# Backups
# ---------------------------------------------------------------------------
def snapshots_beyond_retention(retention_days: int, daily: int, weekly: int, monthly: int) -> int:
    """Snapshots that live outside the automated-backup window at any time: these are billed."""
    return (
        max(0, daily - retention_days)
        + max(0, weekly - retention_days // 7)
        + max(0, monthly - retention_days // DAYS_PER_MONTH)
    )


def backup_billed_gb(
    storage_gb: float, retention_days: int, daily: int, weekly: int, monthly: int, cross_region_copy: bool
) -> float:
    """Backup storage beyond the free allowance (100% of cluster size within retention).

    Conservative: each retained snapshot is counted at the cluster's full size. Copies in the DR
    region have no free allowance.
    """
    billed = snapshots_beyond_retention(retention_days, daily, weekly, monthly) * storage_gb
    if cross_region_copy:
        billed += (daily + weekly + monthly) * storage_gb
    return billed


def backup_copy_gb_per_month(storage_gb: float, daily: int, weekly: int, monthly: int, cross_region_copy: bool) -> float:
    """Snapshot data sent to the DR region a month (full copies, one per backup-rule run)."""
    if not cross_region_copy:
        return 0.0
    runs = (DAYS_PER_MONTH if daily else 0) + (WEEKS_PER_MONTH if weekly else 0) + (1 if monthly else 0)
    return runs * storage_gb


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
    cross_region_copy: bool,
    proxy_enabled: bool,
) -> CostInputs:
    """CostInputs from the figures a tfvars file holds (used by the report and the policies alike)."""
    daily, weekly, monthly = snapshots
    return CostInputs(
        writer_average_acu=writer_average_acu,
        reader_promotion_tiers=tuple(reader_promotion_tiers),
        independent_reader_average_acu=independent_reader_average_acu,
        storage_gb=storage_gb,
        io_million_per_month=io_million_per_month,
        backup_billed_gb=backup_billed_gb(storage_gb, retention_days, daily, weekly, monthly, cross_region_copy),
        backup_copy_gb_per_month=backup_copy_gb_per_month(storage_gb, daily, weekly, monthly, cross_region_copy),
        transfer_gb_per_month=transfer_gb_per_month,
        proxy_enabled=proxy_enabled,
    )

"""Backup storage and cross-region copies as AWS bills them (generator/data/backup-billing-2026-11.yaml).

Pure functions over billing units. The expected reading (every retained snapshot and every copy at the
cluster's full size, the AWS Database Blog's) is the one in the monthly total and the policies; `backup_range`
prices all three readings the rules file states (low: incremental, high: plus the automated backup's changes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.model.sizing import DAYS_PER_MONTH

WEEKS_PER_MONTH = 52 / 12
RULES = ("daily", "weekly", "monthly")
# Days between two recovery points of a rule, and how many a month.
RULE_DAYS = {"daily": 1.0, "weekly": 7.0, "monthly": DAYS_PER_MONTH}
RUNS_PER_MONTH = {"daily": DAYS_PER_MONTH, "weekly": WEEKS_PER_MONTH, "monthly": 1.0}


@dataclass(frozen=True)
class Snapshots:
    """The AWS Backup plan: recovery points kept per rule, and which rules are copied to the DR region."""

    daily: int
    weekly: int
    monthly: int
    copied: tuple[str, ...] = ()  # rule names whose recovery points are copied (copy_schedules in the rules file)

    def kept(self, rule: str) -> int:
        return getattr(self, rule)


def copied_rules(schedule: str, rules: Mapping) -> tuple[str, ...]:
    """The rules a copy schedule copies (daily: every rule; weekly: weekly and monthly; monthly; none)."""
    return tuple(rules["copy_schedules"][schedule])


def kept_beyond_retention(snaps: Snapshots, retention_days: int) -> dict[str, int]:
    """Recovery points per rule whose creation time lies outside the automated-backup retention: these are
    billed (inside it they are free)."""
    inside = {rule: int(retention_days // RULE_DAYS[rule]) for rule in RULES}
    return {rule: max(0, snaps.kept(rule) - inside[rule]) for rule in RULES}


def backup_billed_gb(storage_gb: float, retention_days: int, snaps: Snapshots) -> float:
    """Primary-region snapshot storage beyond the free allowance, each snapshot at the cluster's full size."""
    return sum(kept_beyond_retention(snaps, retention_days).values()) * storage_gb


def dr_copies_gb(storage_gb: float, snaps: Snapshots) -> float:
    """Copies kept in the DR region (no free allowance there), each at the cluster's full size."""
    return sum(snaps.kept(rule) for rule in snaps.copied) * storage_gb


def copy_runs_per_month(snaps: Snapshots) -> float:
    return sum(RUNS_PER_MONTH[rule] for rule in snaps.copied if snaps.kept(rule))


def backup_copy_gb_per_month(storage_gb: float, snaps: Snapshots) -> float:
    """Snapshot data sent to the DR region a month: every copy in full."""
    return copy_runs_per_month(snaps) * storage_gb


@dataclass(frozen=True)
class BackupGB:
    """One reading of the backup bill in billing units."""

    primary_gb: float  # primary-region backup storage billed
    dr_gb: float  # DR-region copies stored
    transfer_gb: float  # sent between the regions a month

    def usd(self, prices: Mapping, dr_prices: Mapping) -> float:
        return (
            self.primary_gb * prices["backup_per_gb_month"]
            + self.dr_gb * dr_prices["backup_per_gb_month"]
            + self.transfer_gb * prices["transfer"]["inter_region_per_gb"]
        )


def readings(
    storage_gb: float, change_gb_per_month: float, retention_days: int, snaps: Snapshots, free_retention_days: int
) -> dict[str, BackupGB]:
    """The low, expected and high readings of the rules file, in billing units.

    low: each retained snapshot and each copy bills the data changed since the rule's previous recovery point;
    the DR region keeps one full copy as the chain's base. high: expected plus the automated backup's changes
    within the retention period (the free allowance covers the volume itself; a retention of at most
    `free_retention_days`, the rules file's, bills none).
    """
    per_day = change_gb_per_month / DAYS_PER_MONTH
    beyond = kept_beyond_retention(snaps, retention_days)
    expected = BackupGB(
        backup_billed_gb(storage_gb, retention_days, snaps),
        dr_copies_gb(storage_gb, snaps),
        backup_copy_gb_per_month(storage_gb, snaps),
    )
    copied_kept = [rule for rule in snaps.copied if snaps.kept(rule)]
    low = BackupGB(
        sum(n * per_day * RULE_DAYS[rule] for rule, n in beyond.items()),
        (storage_gb if copied_kept else 0.0)
        + sum(snaps.kept(rule) * per_day * RULE_DAYS[rule] for rule in copied_kept),
        sum(RUNS_PER_MONTH[rule] * per_day * RULE_DAYS[rule] for rule in copied_kept),
    )
    automated_changes = per_day * retention_days if retention_days > free_retention_days else 0.0
    high = BackupGB(expected.primary_gb + automated_changes, expected.dr_gb, expected.transfer_gb)
    return {"low": low, "expected": expected, "high": high}


def backup_range(
    storage_gb: float,
    change_gb_per_month: float,
    retention_days: int,
    snaps: Snapshots,
    prices: Mapping,
    dr_prices: Mapping,
    rules: Mapping,
) -> dict[str, float]:
    """USD a month of backup storage and copy transfer in each reading: {low, expected, high}. `rules`: the rules
    file (generator/data/backup-billing-*.yaml)."""
    free = rules["automated_backup_free_retention_days"]
    return {
        name: round(r.usd(prices, dr_prices), 2)
        for name, r in readings(storage_gb, change_gb_per_month, retention_days, snaps, free).items()
    }

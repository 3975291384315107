"""The input model: one environment's expected load and settings (pydantic v2).

Every model forbids unknown keys and is strict about types, so a typo or a quoted number in
sizing.yaml is an input error instead of a silently ignored or coerced value. Rules that depend on
AWS limits (ACU grid, retention range, proxy percentages) are checked in `validate.py` against the
dated limits file, so no AWS number is written here.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NonNegFloat = Annotated[float, Field(ge=0)]
PosFloat = Annotated[float, Field(gt=0)]
NonNegInt = Annotated[int, Field(ge=0)]
PosInt = Annotated[int, Field(gt=0)]
Share = Annotated[float, Field(ge=0, le=1)]

_BACKUP_WINDOW = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
_MAINT_WINDOW = re.compile(
    r"^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$"
)


class Strict(BaseModel):
    # allow_inf_nan: YAML's .inf and .nan are no capacity, price or share.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Table(Strict):
    """One of the design's tables: how much each agent writes and how long it is kept."""

    row_bytes: PosInt
    writes_per_agent: NonNegFloat
    per: Literal["minute", "hour", "day"]
    retention_days: PosInt
    # history: every write is a new row kept for the retention period;
    # in_place: one row per agent, updated (the DDL's primary key on agent_id).
    mode: Literal["history", "in_place"]
    # Application reads a second... per `per`, like writes: each one an agent's latest rows of this table.
    reads_per_agent: NonNegFloat = 0.0


class HitRatioBand(Strict):
    """The cache hit ratios the figures' ranges span (README "Uncertainty")."""

    low: Share
    high: Share

    @model_validator(mode="after")
    def _low_le_high(self) -> HitRatioBand:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) is above high ({self.high:g})")
        return self


class IO(Strict):
    # Statement rates are the tables' (reads_per_agent, writes_per_agent); I/O per statement is measured.
    # None: the hit ratio is derived from the hot set against the buffer cache; a value overrides it.
    buffer_cache_hit_ratio: Share | None = None
    hit_ratio_band: HitRatioBand
    cache_share_of_memory: Annotated[float, Field(gt=0, le=1)]
    log_flush_ms: PosFloat


class Pool(Strict):
    min: NonNegInt
    max: PosInt
    replicas: PosInt

    @model_validator(mode="after")
    def _min_le_max(self) -> Pool:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self


class ScalePoint(Strict):
    acu: NonNegFloat
    share: Share
    label: str = ""


class Capacity(Strict):
    min: NonNegFloat
    max: PosFloat
    seconds_until_auto_pause: PosInt
    # An override: ACU per share of the month. Empty: the average follows the requirement along compute.load_profile.
    scale_points: list[ScalePoint] = []


class LoadPoint(Strict):
    """A share of the month spent at a fraction of the peak load."""

    load: Annotated[float, Field(gt=0, le=1)]
    share: Share
    label: str = ""


class Compute(Strict):
    """Assumptions behind the required ACU (the measured figures are in the calibration file)."""

    target_cpu_utilization: Annotated[float, Field(gt=0, le=1)]
    hot_window_hours: PosFloat
    load_profile: Annotated[list[LoadPoint], Field(min_length=1)]

    @model_validator(mode="after")
    def _shares_add_up(self) -> Compute:
        total = sum(p.share for p in self.load_profile)
        if abs(total - 1) > 1e-6:
            raise ValueError(f"load_profile shares add up to {total:g}, not 1")
        if max(p.load for p in self.load_profile) != 1:
            raise ValueError("load_profile needs a point at load 1 (the peak)")
        return self


class Readers(Strict):
    promotion_tiers: list[int]
    independent_average_acu: NonNegFloat | None


class Snapshots(Strict):
    daily: NonNegInt
    weekly: NonNegInt
    monthly: NonNegInt


class Backup(Strict):
    retention_days: int
    window: Annotated[str, Field(pattern=_BACKUP_WINDOW.pattern)]
    snapshots: Snapshots
    # The most frequent snapshot rule copied to dr_region (each less frequent one is copied too); none: no copy.
    cross_region_copy: Literal["daily", "weekly", "monthly", "none"]

    @field_validator("cross_region_copy", mode="before")
    @classmethod
    def _copy_was_a_switch(cls, value: object) -> object:
        # The earlier form, true/false: every rule copied, or none (sizing files written before the schedule).
        return {True: "daily", False: "none"}.get(value, value) if isinstance(value, bool) else value


class SavingsPlan(Strict):
    """A Database Savings Plan over the cluster's compute: a commitment in USD an hour, or a share covered."""

    commitment_usd_per_hour: PosFloat | None = None
    coverage: Annotated[float, Field(gt=0, le=1)] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> SavingsPlan:
        if (self.commitment_usd_per_hour is None) == (self.coverage is None):
            raise ValueError("give exactly one of commitment_usd_per_hour and coverage")
        return self


class Network(Strict):
    vpc_name: Annotated[str, Field(min_length=1)]
    subnet_tier: Annotated[str, Field(min_length=1)]
    allowed_cidr_blocks: list[str]  # private IPv4 blocks: validate.cidr_problem, against the AWS limits file
    allowed_security_group_ids: list[Annotated[str, Field(pattern=r"^sg-[0-9a-f]+$")]]


class Proxy(Strict):
    enabled: bool
    max_connections_percent: int
    max_idle_connections_percent: int
    connection_borrow_timeout: int
    session_pinning_filters: list[str]


class Parameters(Strict):
    statement_timeout_ms: NonNegInt
    idle_in_transaction_session_timeout_ms: NonNegInt
    work_mem_kb: PosInt
    maintenance_work_mem_kb: PosInt


class Limitless(Strict):
    """Settings of an Aurora PostgreSQL Limitless Database sizing (used when the topology is limitless)."""

    # Standbys per shard in other AZs; None: generator/data/limitless-2026-12.yaml's default for the environment.
    compute_redundancy: Literal[0, 1, 2] | None = None

    @field_validator("compute_redundancy", mode="before")
    @classmethod
    def _not_a_switch(cls, value: object) -> object:
        if isinstance(value, bool):  # true == 1 in Python: a switch is not a count of standbys
            raise ValueError(f"must be 0, 1 or 2 standbys per shard (got {str(value).lower()})")
        return value


class Environment(Strict):
    """Everything the model needs about one environment, defaults already merged in."""

    environment: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,30}$")]
    agents: NonNegInt
    tables: dict[str, Table]
    base_storage_gb: NonNegFloat
    storage_headroom: Annotated[float, Field(ge=1)]
    projection_months: Annotated[int, Field(ge=1, le=120)]
    io: IO
    connection_pools: Annotated[dict[str, Pool], Field(min_length=1)]
    direct_connection_reserve: NonNegInt
    acu: Capacity
    compute: Compute
    readers: Readers
    storage_type: Literal["auto", "aurora", "aurora-iopt1"]
    # single: one Serverless v2 writer (a peak past it is refused); limitless: a Limitless shard group;
    # auto: limitless only when one writer cannot hold the peak or the storage passes the cluster limit.
    topology: Literal["auto", "single", "limitless"]
    limitless: Limitless
    backup: Backup
    maintenance_window: Annotated[str, Field(pattern=_MAINT_WINDOW.pattern)]
    region: Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")]
    dr_region: Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")]
    network: Network
    deletion_protection: bool
    skip_final_snapshot: bool
    proxy: Proxy
    parameters: Parameters
    transfer_gb_per_month: NonNegFloat
    budget_usd: PosFloat | None
    savings_plan: SavingsPlan | None

"""The schema of an observation file, envs/<env>/observed.yaml (pydantic: strict types, no unknown keys).

Bounds that are data (the factors') are checked by generator/observe/observed_file.py against
generator/data/observed-model.yaml.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from generator.errors import shown
from generator.inputs.model import Strict

# RDS's DB cluster identifier: 1 to 63 letters, digits or hyphens, starting with a letter.
_CLUSTER_ID = r"^[A-Za-z][A-Za-z0-9-]{0,62}$"
_SOURCE = r"^(cloudwatch|file: [^/\\\x00-\x1f]{1,255})$"
# A window's `days` against its ends: the writer rounds it.
_DAYS_TOLERANCE = 0.01

Figure = Annotated[float, Field(ge=0)] | None


def _utc(value: Any) -> dt.datetime:
    """An ISO 8601 time with its zone (YAML may have parsed it already) as UTC."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{shown(value)} is not an ISO 8601 time (2026-12-04T00:00:00Z)") from None
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{shown(value)} is not an ISO 8601 time (2026-12-04T00:00:00Z)")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{shown(value)} has no time zone: write it in UTC (…Z)")
    return value.astimezone(dt.UTC)


class Window(Strict):
    start: dt.datetime
    end: dt.datetime
    days: Annotated[float, Field(gt=0)]
    points: Annotated[int, Field(ge=0)]

    @field_validator("start", "end", mode="before")
    @classmethod
    def _time(cls, value: Any) -> dt.datetime:
        return _utc(value)

    @model_validator(mode="after")
    def _ends(self) -> Window:
        span = (self.end - self.start).total_seconds() / 86400
        if span <= 0:
            raise ValueError(f"ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})")
        if abs(span - self.days) > _DAYS_TOLERANCE:
            raise ValueError(f"days {self.days:g} does not match its start and end ({span:.2f} days)")
        return self


class Acu(Strict):
    p50: Figure
    p95: Figure
    p99: Figure
    max: Figure


class Observed(Strict):
    acu: Acu
    cache_hit_ratio: Annotated[float, Field(gt=0, le=1)] | None
    storage_gb: Figure
    storage_growth_gb_per_month: float | None  # a volume can shrink
    io_billed_million_per_month: Figure
    connections_max: Annotated[int, Field(ge=0)] | None
    cpu_acu_p95: Figure


class Factors(Strict):
    cpu: Annotated[float, Field(gt=0)] | None
    bytes_per_row: Annotated[float, Field(gt=0)] | None
    io_per_statement: Annotated[float, Field(gt=0)] | None


class Observation(Strict):
    effective: dt.date
    cluster: Annotated[str, Field(pattern=_CLUSTER_ID)]
    source: Annotated[str, Field(pattern=_SOURCE)]
    window: Window
    observed: Observed
    factors: Factors

    @field_validator("effective", mode="before")
    @classmethod
    def _date(cls, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            raise ValueError(f"{shown(value)} is a time: write the date alone (2026-12-04)")
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{shown(value)} is not a date (2026-12-04)") from None
        if not isinstance(value, dt.date):
            raise ValueError(f"{shown(value)} is not a date (2026-12-04)")
        return value

    @model_validator(mode="after")
    def _dated_by_its_window(self) -> Observation:
        if self.effective != self.window.end.date():
            raise ValueError(
                f"effective {self.effective.isoformat()} is not the window's end date ({self.window.end.date()})"
            )
        return self

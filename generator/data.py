"""Reading the package's data files (defaults, dated prices and AWS limits, the design's figures)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
PRICES_FILE = "prices/aurora-postgresql-us-east-1-2026-11.yaml"
LIMITS_FILE = "aws-limits-2025-11.yaml"
# Written by `make calibrate` (aurora-gen calibrate); a new calibration is a new dated file.
CALIBRATION_FILE = "calibration/postgresql-16-2026-11.yaml"


def _load(name: str) -> dict[str, Any]:
    # libyaml's loader when present: a third of the parse time of the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=loader)


@cache
def defaults() -> dict[str, Any]:
    return _load("defaults.yaml")


@cache
def prices() -> dict[str, Any]:
    return _load(PRICES_FILE)


@cache
def limits() -> dict[str, Any]:
    return _load(LIMITS_FILE)


@cache
def seed() -> dict[str, Any]:
    return _load("seed.yaml")


@cache
def calibration() -> dict[str, Any]:
    return _load(CALIBRATION_FILE)


def sources() -> list[dict[str, str]]:
    """Every data file a report's figures come from: path and date."""
    return [{"kind": kind, "path": source_path(name), "date": str(doc["effective"])} for kind, name, doc in (
        ("prices", PRICES_FILE, prices()), ("aws_limits", LIMITS_FILE, limits()),
        ("calibration", CALIBRATION_FILE, calibration()))]


def source_path(name: str) -> str:
    """Repository-relative path of a data file, for headers and messages."""
    return str(Path("generator") / "data" / name)

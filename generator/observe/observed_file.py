"""Reading an environment's observation, envs/<env>/observed.yaml (written by `aurora-gen observe --write`).

Strict as every input: an unknown or missing key, a wrong type, a factor outside the bounds of
generator/data/observed-model.yaml, a cache hit ratio outside (0, 1], a date that is no date, a window that ends
before it starts (or whose days or date disagree with its ends), a link, a folder, a FIFO, text that is not UTF-8
or a file past its size limit: one InputError naming the file and the field. No file: no observation (None), and
the model is exactly what it is without one.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from generator.errors import InputError, shown
from generator.inputs import data

OBSERVED_FILE = "observed.yaml"
FACTORS = ("cpu", "bytes_per_row", "io_per_statement")


def rules() -> dict[str, Any]:
    """generator/data/observed-model.yaml: the factors' bounds, the age, the band an observed hit ratio leaves."""
    return data.observed_model()


def path_beside(sizing: Path) -> Path:
    return Path(sizing).parent / OBSERVED_FILE


def read(path: Path, label: Path | str | None = None) -> str | None:
    """The file's text; None when there is none. A link (even to a file), a folder, a FIFO, a device, a file past
    the size limit or text that is not UTF-8 is an InputError naming `label` (default: the path): the observation
    is generated, never linked."""
    from generator.inputs.files import read_text

    label = path if label is None else label
    if os.path.islink(path):
        raise InputError(label, None, "is a symbolic link, not a regular file (aurora-gen observe --write writes it)")
    if not os.path.lexists(path):
        return None
    try:
        return read_text(path, "observation file", max_bytes=rules()["max_bytes"])
    except InputError as exc:
        raise InputError(label, exc.field, exc.message) from None


def parse(text: str, label: Path | str) -> dict[str, Any]:
    """The observation in `text` (named `label` in errors) as plain data: dates as ISO text, every key kept."""
    from pydantic import ValidationError

    from generator.inputs.files import load_yaml
    from generator.inputs.loader import first_error
    from generator.observe.observed_schema import Observation

    raw = load_yaml(text, label)
    if not isinstance(raw, dict):
        raise InputError(label, None, "expected the mapping aurora-gen observe --write writes")
    try:
        obs = Observation.model_validate(raw)
    except ValidationError as exc:
        field, message = first_error(exc.errors())
        raise InputError(label, field, message) from None
    bounds = rules()["factor_bounds"]
    for name in FACTORS:
        value = getattr(obs.factors, name)
        if value is not None and not bounds["low"] <= value <= bounds["high"]:
            raise InputError(
                label,
                f"factors.{name}",
                f"{shown(value)} is outside {bounds['low']:g}..{bounds['high']:g} "
                f"({data.source_path(data.OBSERVED_MODEL_FILE)}): a misreading, not a correction",
            )
    now = dt.datetime.now(dt.UTC).date()
    if obs.window.end.date() > now + dt.timedelta(days=1):
        raise InputError(label, "window.end", f"{obs.window.end.isoformat()} is in the future (today is {now})")
    doc = obs.model_dump(mode="json")
    doc["window"]["start"] = _zulu(obs.window.start)
    doc["window"]["end"] = _zulu(obs.window.end)
    doc["path"] = str(label)
    return doc


def _zulu(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def load(path: Path, label: str | None = None) -> dict[str, Any] | None:
    """The observation at `path` (named `label` in errors and sources), or None when the file is not there."""
    text = read(path, label)
    if text is None:
        return None
    return parse(text, label or str(path))

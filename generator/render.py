"""Rendering terraform.tfvars through Jinja2, and writing files atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment as Jinja, FileSystemLoader, StrictUndefined

from generator import data
from generator.model import Environment

TFVARS_FILE = "terraform.tfvars"


def hcl(value: Any) -> str:
    """A Python value as an HCL literal (deterministic)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(round(value, 4))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(hcl(v) for v in value) + "]"
    raise TypeError(f"no HCL literal for {type(value).__name__}")


_jinja = Jinja(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"), undefined=StrictUndefined,
               keep_trailing_newline=True, autoescape=False)
_jinja.filters["hcl"] = hcl


def context(env: Environment, rep: Mapping, source: str) -> dict[str, Any]:
    return {
        "env": env.environment,
        "source": source,
        "price_source": data.source_path(data.PRICES_FILE),
        "limits_source": data.source_path(data.LIMITS_FILE),
        "calibration_source": data.source_path(data.CALIBRATION_FILE),
        "region": env.region,
        "dr_region": env.dr_region,
        "network": env.network,
        "acu": env.acu,
        "readers": env.readers,
        "storage_type": rep["cost_usd_month"]["storage_type"],
        "backup": env.backup,
        "maintenance_window": env.maintenance_window,
        "deletion_protection": env.deletion_protection,
        "skip_final_snapshot": env.skip_final_snapshot,
        "proxy": env.proxy,
        "parameters": env.parameters,
        "budget_usd": env.budget_usd,
        "load": {
            "agents": env.agents,
            "pooled_connections": rep["connections"]["pool_max_total"],
            "writer_average_acu": rep["acu"]["average"],
            "independent_reader_average_acu": rep["acu"]["independent_reader_average"],
            "storage_gb": rep["storage_gb"]["steady_state"],
            "io_requests_million_per_month": rep["iops"]["billed_million_per_month"],
            "transfer_gb_per_month": env.transfer_gb_per_month,
        },
    }


def render_tfvars(env: Environment, rep: Mapping, source: str) -> str:
    return _jinja.get_template("terraform.tfvars.j2").render(context(env, rep, source))


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file.

    Text is written as UTF-8 with LF line ends, bytes as they are.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

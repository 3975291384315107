"""Rendering terraform.tfvars through Jinja2, and writing files atomically."""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment as Jinja, FileSystemLoader, StrictUndefined

from generator import data
from generator.model import Environment

TFVARS_FILE = "terraform.tfvars"
# Temporary files of an interrupted write: `.terraform.tfvars.<random>.tmp` (gitignored), removed by the next render.
TMP_PREFIX, TMP_SUFFIX = f".{TFVARS_FILE}.", ".tmp"
TMP_MAX_AGE_S = 60  # younger ones may belong to a render running right now
_TEMPLATE_START = re.compile(r"([$%])\{")


def hcl_string(value: str) -> str:
    """A quoted HCL string that Terraform reads back as `value`, byte for byte.

    Quotes, backslashes and control characters are escaped; `${` and `%{` (interpolation and template
    directives in HCL) are doubled to `$${` and `%%{`, so they reach Terraform as text, never as code.
    """
    text = json.dumps(value, ensure_ascii=False)  # \", \\, \n, \t and \u00XX for control characters
    return _TEMPLATE_START.sub(lambda m: m.group(1) * 2 + "{", text)


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
        return hcl_string(value)
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


def clean_temp_files(folder: Path, now: float | None = None) -> list[Path]:
    """Remove what an interrupted render left in `folder` (temporary files older than TMP_MAX_AGE_S)."""
    now = time.time() if now is None else now
    removed = []
    for tmp in folder.glob(f"{TMP_PREFIX}*{TMP_SUFFIX}"):
        try:
            if tmp.is_file() and not tmp.is_symlink() and now - tmp.stat().st_mtime > TMP_MAX_AGE_S:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue  # not ours to fight over: the write below reports a folder it cannot use
    return removed


def stage(path: Path, text: str) -> Path:
    """Write `text` to a temporary file beside `path` (same folder, so the rename is atomic); return it."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=TMP_SUFFIX, dir=path.parent)
    except OSError as exc:  # name the folder that refuses, not a random temporary name
        raise type(exc)(exc.errno, exc.strerror, str(path.parent)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.is_file() else 0o644)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return Path(tmp)


def write_all(files: list[tuple[Path, str]]) -> None:
    """Write every file or none: all are staged first (an unwritable folder fails before any file
    changes), then each temporary file is renamed over its target. Raises OSError."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files:
            if path.exists() and not path.is_file():
                raise IsADirectoryError(21, "not a regular file", str(path))
            staged.append((stage(path, text), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()

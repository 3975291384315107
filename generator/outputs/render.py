"""Rendering terraform.tfvars through Jinja2 (generator/outputs/writer.py writes it)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment as Jinja
from jinja2 import FileSystemLoader, StrictUndefined

from generator.errors import one_line
from generator.inputs import data
from generator.inputs.files import TFVARS_FILE  # noqa: F401 - re-exported for callers
from generator.inputs.model import Environment
from generator.model.verdicts import recorded

_TEMPLATE_START = re.compile(r"([$%])\{")
# The header line recording the warnings a tfvars was rendered with: `render` compares it with the new ones.
_WARNINGS_LINE = re.compile(r"^# Sizing warnings: (?P<codes>[a-z0-9_., ]*) \(aurora-gen report", re.MULTILINE)


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


_jinja = Jinja(
    loader=FileSystemLoader(Path(__file__).resolve().parents[1] / "templates"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)
_jinja.filters["hcl"] = hcl


def limitless_context(rep: Mapping) -> dict[str, Any] | None:
    """What a Limitless tfvars adds (None for one writer: its tfvars stay as they were). The module's Limitless
    mode sets Enhanced Monitoring, Performance Insights' 31 days and the log export itself."""
    group = rep["topology"].get("shard_group")
    if group is None:
        return None
    return {
        "min_acu": group["min_acu"],
        "max_acu": group["max_acu"],
        "compute_redundancy": group["compute_redundancy"],
        "engine_version": group["engine_version"],
        "average_acu": rep["expected_load"]["shard_group_average_acu"],
    }


def context(env: Environment, rep: Mapping, source: str) -> dict[str, Any]:
    limitless = limitless_context(rep)
    return {
        "limitless": limitless,
        "limitless_source": data.source_path(data.LIMITLESS_FILE),
        # A Limitless cluster has no reader instances, and RDS Proxy cannot front it (limitless-2026-12.yaml).
        "reader_promotion_tiers": [] if limitless else env.readers.promotion_tiers,
        "proxy_enabled": False if limitless else env.proxy.enabled,
        "env": env.environment,
        "source": source,
        "price_source": "; ".join(
            dict.fromkeys(data.source_path(data.prices_file(r)) for r in (env.region, env.dr_region))
        ),
        "limits_source": data.source_path(data.LIMITS_FILE),
        "calibration_source": data.source_path(data.CALIBRATION_FILE),
        "region": env.region,
        "dr_region": env.dr_region,
        "network": env.network,
        "acu": env.acu,
        "readers": env.readers,
        "storage_type": rep["cost_usd_month"]["storage_type"],
        "backup": env.backup,
        "copied_rules": rep["backup"]["copied_rules"],
        "maintenance_window": env.maintenance_window,
        "deletion_protection": env.deletion_protection,
        "skip_final_snapshot": env.skip_final_snapshot,
        "proxy": env.proxy,
        "parameters": env.parameters,
        "budget_usd": env.budget_usd,
        "warning_codes": ", ".join(w["code"] for w in recorded(rep["warnings"])) or "none",
        "observed_header": observed_header(rep),
        "load": {
            "agents": env.agents,
            "pooled_connections": rep["connections"]["pool_max_total"],
            # A shard group has no writer or reader instances: their averages are null (shard_group_average_acu).
            "writer_average_acu": None if limitless else rep["acu"]["average"],
            "independent_reader_average_acu": None if limitless else rep["acu"]["independent_reader_average"],
            # The figures the result prices, not a display rounding: the policy checks price these again and
            # must agree with the report to the cent.
            "storage_gb": rep["storage_gb"]["steady_state"],
            "io_requests_million_per_month": rep["iops"]["billed_million_per_month"],
            "transfer_gb_per_month": env.transfer_gb_per_month,
        },
    }


def observed_header(rep: Mapping) -> str:
    """The header's lines naming the observation and the figures taken from it ("" without one)."""
    p = rep["provenance"]
    if (obs := p["observation"]) is None:
        return ""
    w = obs["window"]
    figures = ", ".join(i["figure"] for i in p["observed"]) or "no figure"
    line = (
        f"# Observed: {obs['path']} ({obs['effective']}; {obs['cluster']}, {obs['source']}, "
        f"{w['start'][:10]} to {w['end'][:10]}): {figures}; the rest measured or assumed (aurora-gen report)."
    )
    return "\n" + one_line(line, limit=None)  # one comment line whatever the file held


def render_tfvars(env: Environment, rep: Mapping, source: str) -> str:
    return _jinja.get_template("terraform.tfvars.j2").render(context(env, rep, source))


def recorded_warnings(text: str) -> list[str] | None:
    """The warning codes a rendered tfvars records in its header; None when it records none (not ours, or older)."""
    found = _WARNINGS_LINE.search(text)
    if found is None:
        return None
    codes = found["codes"].strip()
    return [] if codes == "none" else [c.strip() for c in codes.split(",") if c.strip()]

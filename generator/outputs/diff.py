"""aurora-gen diff: every environment's sizing at a git ref against the working tree (the pull-request comment).

What each side is computed from:
- the working tree: envs/<env>/sizing.yaml merged over the package's generator/data/defaults.yaml, as render does;
- the base: `git show REF:envs/<env>/sizing.yaml`, merged over the base's generator/data/defaults.yaml where the
  ref has one (a change to the defaults is a change to every environment's sizing), with no checkout.
- Both sides are sized by this tree's model with this tree's prices and AWS limits: the model reads data files of
  its own schema, and the question a reviewer asks is what the change in sizing costs at today's prices. A new
  price file therefore shows in `aurora-gen report`, not here.
If this model cannot read the base's defaults (a pull request that changes their schema), the base is sized over
the working tree's defaults and the output says so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.errors import InputError, number
from generator.inputs.files import promotion_order
from generator.inputs.git_ref import base_envs, changed_data, read_blob, resolve_ref
from generator.model.pricing import PART_LABELS, PARTS
from generator.model.sized import Sized, report_of, size_environment
from generator.observe.diff_notes import notes as observation_notes
from generator.outputs.escape import md

DEFAULTS_PATH = "generator/data/defaults.yaml"
ARROW = "->"

# (key, label, path in the report, unit). Figures the report does not have (acu.required before issue 8) are left out.
CAPACITY: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("acu_min", "min ACU", ("acu", "min"), "acu"),
    ("acu_max", "max ACU", ("acu", "max"), "acu"),
    ("acu_average", "average ACU", ("acu", "average"), "acu"),
    ("acu_required_peak", "required ACU at peak", ("acu", "required", "peak"), "acu"),
    ("acu_required_baseline", "required ACU at baseline", ("acu", "required", "baseline"), "acu"),
    ("acu_required_binding", "binding resource", ("acu", "required", "binding"), "text"),
    ("max_connections", "max_connections", ("connections", "max_connections"), "count"),
    ("storage_steady_state", "storage, steady state", ("storage_gb", "steady_state"), "gb"),
    ("storage_12mo", "storage after 12 months", ("storage_gb", "projection_12mo"), "gb"),
    ("io_billed", "billed I/O (million/month)", ("iops", "billed_million_per_month"), "count"),
    ("storage_type", "storage type", ("cost_usd_month", "storage_type"), "text"),
    # One writer or a Limitless shard group (issue 14); the group's figures only where a side has one.
    ("topology", "topology", ("topology", "kind"), "text"),
    ("topology_uncertain", "topology's choice uncertain", ("topology", "flip", "uncertain"), "flag"),
    ("shard_group_max_acu", "shard group max ACU", ("topology", "shard_group", "max_acu"), "acu"),
    ("shard_group_redundancy", "compute redundancy", ("topology", "shard_group", "compute_redundancy"), "count"),
)
# Every part of the bill (pricing.PARTS): they add up to cost_total.
COST_PARTS = tuple(f"cost_{name}" for name, _ in PARTS)
FIGURES = (
    *CAPACITY,
    *((f"cost_{name}", PART_LABELS.get(name, name), ("cost_usd_month", name), "usd") for name, _ in PARTS),
    ("cost_total", "total per month", ("cost_usd_month", "total"), "usd"),
    ("cost_worst_case", "worst case per month", ("cost_usd_month", "worst_case"), "usd"),
    ("budget", "budget", ("budget_usd",), "usd"),
)


# ---------------------------------------------------------------------------
# Sizing both sides
# ---------------------------------------------------------------------------
def size_base(root: Path, ref: str, commit: str) -> tuple[dict[str, Sized], list[str]]:
    """Each environment sized at the commit, and notes on what it was sized over."""
    from generator.inputs.loader import read_yaml

    notes = []
    text = read_blob(root, ref, commit, DEFAULTS_PATH)
    if text is None:
        defaults = None
        notes.append(f"{ref} has no {DEFAULTS_PATH}: its environments are sized over the working tree's defaults")
    else:
        defaults = read_yaml(Path(f"{ref}:{DEFAULTS_PATH}"), text)
    reports, fell_back, first_error = {}, [], None
    for name in base_envs(root, commit):
        label = Path(f"{ref}:envs/{name}/sizing.yaml")
        sizing_text = read_blob(root, ref, commit, f"envs/{name}/sizing.yaml")
        observed = read_blob(root, ref, commit, f"envs/{name}/observed.yaml")  # each side's own observation
        try:
            reports[name] = size_environment(label, name, text=sizing_text, defaults=defaults, observed_text=observed)
        except InputError as exc:
            if defaults is None:
                raise
            # The base's defaults may predate this model's schema: retry over the working tree's, and say so;
            # a sizing.yaml that is bad on its own still fails with the first error.
            try:
                reports[name] = size_environment(label, name, text=sizing_text, observed_text=observed)
            except InputError:
                raise exc from None
            fell_back.append(name)
            first_error = first_error or exc.line()
    if fell_back:
        notes.append(
            f"this model cannot read {ref}'s {DEFAULTS_PATH} ({first_error}): {', '.join(fell_back)} "
            "sized over the working tree's defaults at the base"
        )
    return reports, notes


def sizing_inputs(env: Any) -> dict[str, Any]:
    """An Environment's every setting, defaults merged in, by dotted path (acu.max, tables.metrics.row_bytes):
    what a reviewer compares. A list (compute.load_profile, readers.promotion_tiers) is one setting."""
    flat: dict[str, Any] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        else:
            flat[path] = value

    walk(env.model_dump(exclude={"environment"}), "")
    return flat


def changed_inputs(base: Sized | None, head: Sized | None) -> list[dict[str, Any]]:
    """The settings that differ between both sides, in the model's order ([] where a side is missing)."""
    if base is None or head is None:
        return []
    b, h = sizing_inputs(base.env), sizing_inputs(head.env)
    keys = list(h) + [k for k in b if k not in h]
    return [{"key": k, "base": b.get(k), "head": h.get(k)} for k in keys if b.get(k) != h.get(k)]


# ---------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------
def _get(rep: Mapping | None, path: tuple[str, ...]) -> Any:
    value: Any = rep
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def compare_env(
    name: str, base: Mapping | None, head: Mapping | None, inputs: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """One environment's figures side by side; `inputs`: its changed settings (changed_inputs)."""
    inputs = inputs or []
    figures = {}
    for key, label, path, unit in FIGURES:
        b, h = _get(base, path), _get(head, path)
        if b is None and h is None:
            continue
        entry: dict[str, Any] = {"label": label, "unit": unit, "base": b, "head": h, "delta": None, "percent": None}
        if unit != "flag" and isinstance(b, (int, float)) and isinstance(h, (int, float)):
            entry["delta"] = round(h - b, 2)
            entry["percent"] = round((h - b) / b * 100, 1) if b else None
        entry["changed"] = b != h
        figures[key] = entry
    b_warn, h_warn = (base or {}).get("warnings", []), (head or {}).get("warnings", [])
    b_codes, h_codes = {w["code"] for w in b_warn}, {w["code"] for w in h_warn}
    # By code: a warning's message carries figures that move with the change.
    warnings = {
        "base": b_warn,
        "head": h_warn,
        "added": [w for w in h_warn if w["code"] not in b_codes],
        "removed": [w for w in b_warn if w["code"] not in h_codes],
    }
    if base is None:
        status = "added"
    elif head is None:
        status = "removed"
    else:
        moved = any(f["changed"] for f in figures.values()) or warnings["added"] or warnings["removed"]
        status = "changed" if moved or inputs else "unchanged"
    return {"env": name, "status": status, "inputs": inputs, "figures": figures, "warnings": warnings}


def compare(
    base: Mapping[str, Mapping],
    head: Mapping[str, Mapping],
    inputs: Mapping[str, list[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """Every environment of either side, in promotion order; `inputs`: each one's changed settings."""
    return [
        compare_env(n, base.get(n), head.get(n), (inputs or {}).get(n)) for n in promotion_order(set(base) | set(head))
    ]


def run(root: Path, ref: str) -> dict[str, Any]:
    """The whole diff as data (the JSON format). Raises DiffError or InputError."""
    commit = resolve_ref(root, ref)
    from generator.model.sized import all_sources, size_tree

    base, notes = size_base(root, ref, commit)
    head = size_tree(root)
    sources = all_sources(s.report for s in (*head.values(), *base.values()))
    inputs = {n: changed_inputs(base.get(n), head.get(n)) for n in set(base) | set(head)}
    base_reports = {n: s.report for n, s in base.items()}

    def moved(name: str, base_observation: Mapping | None) -> list[str]:
        without = report_of(head[name].env, base_observation)
        figures = compare_env(name, without, head[name].report)["figures"]
        return [f["label"] for f in figures.values() if f["changed"]]

    notes += observation_notes(base_reports, head, moved)
    return {
        "base": {"ref": ref, "commit": commit},
        "head": "working tree",
        "sources": sources,
        "notes": notes + changed_data(root, ref, commit, sources),
        "cost_parts": list(COST_PARTS),
        "environments": compare(base_reports, {n: s.report for n, s in head.items()}, inputs),
    }


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------
def usd(value: float, cents: bool = True, sign: bool = False) -> str:
    body = f"${abs(value):,.2f}" if cents else f"${abs(value):,.0f}"
    if sign:
        return ("-" if value < 0 else "+") + body
    return ("-" if value < 0 else "") + body


def value_text(value: Any, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "usd":
        return usd(value)
    if unit == "gb":
        return f"{value:,} GB"
    if unit in ("acu", "count"):
        return number(value)
    if unit == "flag":
        return "yes" if value else "no"
    return str(value)


def change_text(f: Mapping) -> str:
    if not f["changed"]:
        return ""
    if f["delta"] is None:
        return f"{value_text(f['base'], f['unit'])} {ARROW} {value_text(f['head'], f['unit'])}"
    delta = usd(f["delta"], sign=True) if f["unit"] == "usd" else ("+" if f["delta"] >= 0 else "") + number(f["delta"])
    return delta + (f" ({f['percent']:+.1f}%)" if f["percent"] is not None else "")


def input_text(value: Any) -> str:
    """A setting as its sizing.yaml spells it, numbers with thousands separators (agents 1,000)."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return number(value)
    if isinstance(value, list):
        return "[" + ", ".join(input_text(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {input_text(v)}" for k, v in value.items()) + "}"
    return str(value) if value else '""'


def input_lines(e: Mapping) -> list[str]:
    """The changed settings, one line each: `- agents 1,000 -> 3,000`."""
    return [
        f"- {md(i['key'])} {md(input_text(i['base']))} {ARROW} {md(input_text(i['head']))}" for i in e.get("inputs", [])
    ]


def _cents(value: float | None) -> int:
    return round((value or 0) * 100)


def _row(label: str, f: Mapping) -> str:
    base, head = md(value_text(f["base"], f["unit"])), md(value_text(f["head"], f["unit"]))
    return f"| {label} | {base} | {head} | {md(change_text(f))} |"


def cost_lines(e: Mapping) -> list[str]:
    """Every part of the month's bill: the changed ones a row each, the unchanged ones one row, then the total.
    The rows add up to the total on both sides."""
    f = e["figures"]
    parts = [f[k] for k in COST_PARTS if k in f]
    changed, same = [p for p in parts if p["changed"]], [p for p in parts if not p["changed"]]
    if not changed:
        return [f"Cost per month unchanged: {md(usd(f['cost_total']['head']))} ({len(parts)} parts)."]
    lines = ["| cost per month | base | head | change |", "| --- | --- | --- | --- |"]
    lines += [_row(md(p["label"]), p) for p in changed]
    if same:
        b, h = (sum(_cents(p[side]) for p in same) / 100 for side in ("base", "head"))
        names = "; ".join(md(p["label"]) for p in same)
        folded = {"unit": "usd", "base": b, "head": h, "changed": False}
        lines.append(_row(f"{len(same)} unchanged part(s): {names}", folded))
    return [*lines, _row("**total**", f["cost_total"])]


def figure_lines(e: Mapping) -> list[str]:
    """The changed capacity figures, worst case and budget; the unchanged ones folded into a count."""
    rest = [v for k, v in e["figures"].items() if k not in COST_PARTS and k != "cost_total"]
    changed = [f for f in rest if f["changed"]]
    lines = [
        "| figure | base | head | change |",
        "| --- | --- | --- | --- |",
        *(_row(md(f["label"]), f) for f in changed),
    ]
    lines = lines if changed else []
    same = [md(f["label"]) for f in rest if not f["changed"]]
    if same:
        lines += ["", f"{len(same)} unchanged figure(s) not shown: {'; '.join(same)}."]
    return lines


def headline(e: Mapping) -> str:
    """One line per environment: the monthly cost change first, then what else a reviewer should see."""
    f, name = e["figures"], md(e["env"])
    if e["status"] == "added":
        return (
            f"**{name}**: new environment, {usd(f['cost_total']['head'])}/month, "
            f"worst case {usd(f['cost_worst_case']['head'], cents=False)}"
        )
    if e["status"] == "removed":
        return f"**{name}**: removed (was {usd(f['cost_total']['base'])}/month)"
    total, worst = f["cost_total"], f["cost_worst_case"]
    pct = f" ({total['percent']:+.1f}%)" if total["percent"] is not None else ""
    parts = [
        f"**{name}**: {usd(total['delta'], sign=True)}/month{pct}, "
        f"worst case {usd(worst['delta'], cents=abs(worst['delta']) < 10, sign=True)}"
    ]
    if f["acu_min"]["changed"] or f["acu_max"]["changed"]:
        parts.append(
            f"ACU {f['acu_min']['base']:g}-{f['acu_max']['base']:g} {ARROW} "
            f"{f['acu_min']['head']:g}-{f['acu_max']['head']:g}"
        )
    if f["storage_type"]["changed"]:
        parts.append(f"storage type {md(f['storage_type']['base'])} {ARROW} {md(f['storage_type']['head'])}")
    for key, label in (("added", "new warning"), ("removed", "resolved")):
        if e["warnings"][key]:
            parts.append(f"{label}: " + ", ".join(md(w["code"]) for w in e["warnings"][key]))
    return "; ".join(parts)


def env_lines(e: Mapping) -> list[str]:
    """One changed environment: what changed in its sizing.yaml, then its bill, then its other figures."""
    lines = []
    if e.get("inputs"):
        lines += ["Changed inputs:", "", *input_lines(e), ""]
    lines += [*cost_lines(e), ""]
    figures = figure_lines(e)
    lines += [*figures, ""] if figures else []
    w = e["warnings"]
    lines += [f"- new warning {md(x['code'])}: {md(x['message'])}" for x in w["added"]]
    lines += [f"- resolved warning {md(x['code'])}: {md(x['message'])}" for x in w["removed"]]
    return lines if lines[-1] else lines[:-1]


def to_markdown(doc: Mapping) -> str:
    base = doc["base"]
    envs = doc["environments"]
    moved = [e for e in envs if e["status"] != "unchanged"]
    lines = [f"## Sizing diff: working tree against {md(base['ref'])} ({md(base['commit'][:12])})", ""]
    if not moved:
        lines.append(f"No sizing change in {len(envs)} environment(s).")
    lines += [f"- {headline(e)}" for e in moved]
    same = [md(e["env"]) for e in envs if e["status"] == "unchanged"]
    if moved and same:
        lines += ["", f"Unchanged: {', '.join(same)}."]
    for e in moved:
        lines += ["", f"### {md(e['env'])} ({e['status']})", "", *env_lines(e)]
    # Each side's observation is its own (generator/observe/diff_notes.py): not among the data both sides share.
    shared = [s for s in doc["sources"] or [] if s["kind"] != "observation"]
    data = ", ".join(f"{md(s['path'])} ({md(s['date'])})" for s in shared)
    lines += [
        "",
        f"Both sides are sized by this tree's model and data ({data}); the base's sizing.yaml files are "
        f"merged over its own {DEFAULTS_PATH}.",
    ]
    lines += [f"Note: {md(n)}." for n in doc.get("notes", [])]
    return "\n".join(lines) + "\n"


def to_json(doc: Mapping) -> str:
    return json.dumps(doc, indent=2) + "\n"


FORMATS = {"markdown": to_markdown, "json": to_json}

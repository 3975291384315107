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
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.escape import md
from generator.sized import size_environment

DEFAULTS_PATH = "generator/data/defaults.yaml"

# (key, label, path in the report, unit). Figures the report does not have (acu.required before issue 8) are left out.
FIGURES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
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
    ("cost_compute", "compute", ("cost_usd_month", "compute"), "usd"),
    ("cost_storage", "storage", ("cost_usd_month", "storage"), "usd"),
    ("cost_io", "I/O", ("cost_usd_month", "io"), "usd"),
    ("cost_backup", "backup", ("cost_usd_month", "backup"), "usd"),
    ("cost_proxy", "RDS Proxy", ("cost_usd_month", "proxy"), "usd"),
    ("cost_transfer", "data transfer", ("cost_usd_month", "transfer"), "usd"),
    ("cost_kms", "KMS keys", ("cost_usd_month", "kms"), "usd"),
    ("cost_secrets", "Secrets Manager", ("cost_usd_month", "secrets"), "usd"),
    ("cost_monitoring", "monitoring", ("cost_usd_month", "monitoring"), "usd"),
    ("cost_global_database", "global database secondary", ("cost_usd_month", "global_database"), "usd"),
    ("cost_extended_support", "RDS Extended Support", ("cost_usd_month", "extended_support"), "usd"),
    ("cost_total", "total per month", ("cost_usd_month", "total"), "usd"),
    ("cost_worst_case", "worst case per month", ("cost_usd_month", "worst_case"), "usd"),
    ("budget", "budget", ("budget_usd",), "usd"),
)


class DiffError(Exception):
    """A bad ref or a git failure: one line, exit 2."""


# ---------------------------------------------------------------------------
# Reading the base from git (no checkout)
# ---------------------------------------------------------------------------
def _git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        if binary:  # file contents: decoded by the same rules as a file in the working tree
            return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
        # errors="replace": git's own messages and the data files compared in changed_data, never parsed.
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, encoding="utf-8", errors="replace", check=False
        )
    except FileNotFoundError:
        raise DiffError("git is not installed") from None


def resolve_ref(root: Path, ref: str) -> str:
    if not root.is_dir():  # git's cwd: a missing one would read as "git is not installed", a file as a traceback
        raise DiffError(f"{root}: not a folder")
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise DiffError(f"{root}: not in a git repository")
    proc = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if proc.returncode != 0 or not proc.stdout.strip():
        raise DiffError(f"--base {ref}: not a commit in this repository")
    return proc.stdout.strip()


def base_envs(root: Path, commit: str) -> list[str]:
    """Environments at the commit: every envs/<env>/sizing.yaml entry (paths relative to root, like discover_envs).

    -z: unquoted paths (git quotes non-ASCII ones otherwise, and such an environment would vanish from the diff).
    Entries that are not regular files are listed too, and read_blob refuses them by name.
    """
    proc = _git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", "envs")
    if proc.returncode != 0:
        raise DiffError(f"git ls-tree {commit[:12]} envs: {proc.stderr.strip() or 'failed'}")
    names = []
    for line in proc.stdout.split("\0"):
        parts = line.split("/")
        if len(parts) == 3 and parts[0] == "envs" and parts[2] == "sizing.yaml":
            names.append(parts[1])
    return sorted(names)


def show(root: Path, commit: str, path: str) -> str | None:
    """The file at the commit (path relative to root), None where it has none (compared, never parsed)."""
    proc = _git(root, "show", f"{commit}:./{path}")
    return proc.stdout if proc.returncode == 0 else None


# ls-tree's modes of what is not a regular file
_NOT_A_FILE = {"120000": "a symbolic link", "160000": "a submodule", "040000": "a directory"}


def read_blob(root: Path, ref: str, commit: str, path: str) -> str | None:
    """The text of `path` at the commit, held to the working tree's rules (inputs.read_text): a regular file of
    at most MAX_BYTES, UTF-8. None where the commit has no such path; InputError naming REF:path otherwise."""
    from generator.inputs import MAX_BYTES, decode

    proc = _git(root, "ls-tree", "-z", "-l", commit, "--", path, binary=True)
    if proc.returncode != 0:
        raise DiffError(f"git ls-tree {commit[:12]} {path}: {proc.stderr.decode(errors='replace').strip() or 'failed'}")
    entry = proc.stdout.split(b"\0")[0].decode("utf-8", errors="replace")
    if not entry:
        return None
    mode, kind, obj, size = entry.split("\t")[0].split()
    label = Path(f"{ref}:{path}")
    if kind != "blob" or mode in _NOT_A_FILE:
        raise InputError(label, None, f"is {_NOT_A_FILE.get(mode, 'a ' + kind)} at {ref}, not a regular file")
    if int(size) > MAX_BYTES:
        raise InputError(label, None, f"is {int(size):,} bytes, above the {MAX_BYTES:,}-byte limit for a sizing file")
    blob = _git(root, "cat-file", "blob", obj, binary=True)
    if blob.returncode != 0:
        raise DiffError(f"git cat-file {obj[:12]}: {blob.stderr.decode(errors='replace').strip() or 'failed'}")
    return decode(blob.stdout, label)


# ---------------------------------------------------------------------------
# Sizing both sides
# ---------------------------------------------------------------------------
def size_base(root: Path, ref: str, commit: str) -> tuple[dict[str, dict], list[str]]:
    """Each environment's report at the commit, and notes on what it was sized over."""
    from generator.loader import read_yaml

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
        try:
            reports[name] = size_environment(label, name, text=sizing_text, defaults=defaults).report
        except InputError as exc:
            if defaults is None:
                raise
            # The base's defaults may predate this model's schema: retry over the working tree's, and say so;
            # a sizing.yaml that is bad on its own still fails with the first error.
            try:
                reports[name] = size_environment(label, name, text=sizing_text).report
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


def size_head(root: Path) -> dict[str, dict]:
    from generator.sized import size_tree

    return {name: sized.report for name, sized in size_tree(root).items()}


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


def compare_env(name: str, base: Mapping | None, head: Mapping | None) -> dict[str, Any]:
    figures = {}
    for key, label, path, unit in FIGURES:
        b, h = _get(base, path), _get(head, path)
        if b is None and h is None:
            continue
        entry: dict[str, Any] = {"label": label, "unit": unit, "base": b, "head": h, "delta": None, "percent": None}
        if isinstance(b, (int, float)) and isinstance(h, (int, float)):
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
        changed = any(f["changed"] for f in figures.values()) or warnings["added"] or warnings["removed"]
        status = "changed" if changed else "unchanged"
    return {"env": name, "status": status, "figures": figures, "warnings": warnings}


def compare(base: Mapping[str, Mapping], head: Mapping[str, Mapping]) -> list[dict[str, Any]]:
    return [compare_env(n, base.get(n), head.get(n)) for n in sorted(set(base) | set(head))]


def changed_data(root: Path, ref: str, commit: str, sources: list[dict[str, str]]) -> list[str]:
    """Notes on the data files (prices, limits, calibration) that differ at the base: the diff prices both sides
    with the working tree's, so their own effect is not in the figures."""
    notes = []
    for src in sources:
        here = root / src["path"]
        if not here.is_file():  # the package's data lives outside this tree
            continue
        before = show(root, commit, src["path"])
        if before != here.read_text(encoding="utf-8", errors="replace"):
            state = "is new" if before is None else "changed"
            notes.append(
                f"{src['kind']} file {src['path']} {state} since {ref}: both sides use the working "
                "tree's, so its own effect on cost is not in these figures (see aurora-gen report)"
            )
    return notes


def run(root: Path, ref: str) -> dict[str, Any]:
    """The whole diff as data (the JSON format). Raises DiffError or InputError."""
    commit = resolve_ref(root, ref)
    base, notes = size_base(root, ref, commit)
    head = size_head(root)
    any_rep = next(iter(head.values()), None) or next(iter(base.values()), None) or {}
    sources = any_rep.get("sources") or []
    return {
        "base": {"ref": ref, "commit": commit},
        "head": "working tree",
        "sources": sources,
        "notes": notes + changed_data(root, ref, commit, sources),
        "environments": compare(base, head),
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
        return f"{value:,g}" if isinstance(value, float) else f"{value:,}"
    return str(value)


def change_text(f: Mapping) -> str:
    if not f["changed"]:
        return ""
    if f["delta"] is None:
        return f"{value_text(f['base'], f['unit'])} → {value_text(f['head'], f['unit'])}"
    delta = usd(f["delta"], sign=True) if f["unit"] == "usd" else f"{f['delta']:+,g}"
    return delta + (f" ({f['percent']:+.1f}%)" if f["percent"] is not None else "")


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
            f"ACU {f['acu_min']['base']:g}-{f['acu_max']['base']:g} → {f['acu_min']['head']:g}-{f['acu_max']['head']:g}"
        )
    if f["storage_type"]["changed"]:
        parts.append(f"storage type {md(f['storage_type']['base'])} → {md(f['storage_type']['head'])}")
    for key, label in (("added", "new warning"), ("removed", "resolved")):
        if e["warnings"][key]:
            parts.append(f"{label}: " + ", ".join(md(w["code"]) for w in e["warnings"][key]))
    return "; ".join(parts)


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
        lines += [
            "",
            f"### {md(e['env'])} ({e['status']})",
            "",
            "| figure | base | head | change |",
            "| --- | --- | --- | --- |",
        ]
        for f in e["figures"].values():
            label = f"**{md(f['label'])}**" if f["changed"] and e["status"] == "changed" else md(f["label"])
            base_cell, head_cell = md(value_text(f["base"], f["unit"])), md(value_text(f["head"], f["unit"]))
            lines.append(f"| {label} | {base_cell} | {head_cell} | {md(change_text(f))} |")
        w = e["warnings"]
        if w["added"] or w["removed"]:
            lines.append("")
            lines += [f"- new warning {md(x['code'])}: {md(x['message'])}" for x in w["added"]]
            lines += [f"- resolved warning {md(x['code'])}: {md(x['message'])}" for x in w["removed"]]
    data = ", ".join(f"{md(s['path'])} ({md(s['date'])})" for s in doc["sources"] or [])
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

"""What `aurora-gen render` (make generate) says about each file it changes: its path and the sizing warnings
it gained or lost.

A rendered tfvars records its warning codes in its header (`# Sizing warnings: ...`, generator/outputs/render.py), so
the warnings before are read from the file being replaced: no git, no second sizing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

WIDTH = 100


def _wrapped(text: str, indent: int) -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + 4), break_on_hyphens=False
    )


def lines(path: str, before: bytes | None, rep: Mapping[str, Any]) -> list[str]:
    """`changed: envs/prod/terraform.tfvars`, then each warning gained (with what to change) and each one lost."""
    from generator.model.verdicts import recorded
    from generator.outputs.render import recorded_warnings

    now = recorded(rep["warnings"])
    if before is None:
        out, old = [f"new: {path}"], None
    else:
        out, old = [f"changed: {path}"], recorded_warnings(before.decode("utf-8", errors="replace"))
    if old is None:  # a new file, or one without the record: every warning is news
        if not now:
            return [*out, "  no warnings"]
        old = []
    gained = [w for w in now if w["code"] not in old]
    lost = [code for code in old if code not in {w["code"] for w in now}]
    for w in gained:
        out += _wrapped(f"new warning {w['code']}: {w['message']}", 2)
        out += _wrapped(f"change: {w['change']}", 4)
    out += [f"  warning gone: {code}" for code in lost]
    if not gained and not lost:
        kept = ", ".join(w["code"] for w in now)
        out.append(f"  warnings unchanged: {kept}" if kept else "  no warnings")
    return out

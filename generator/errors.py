"""The one error type the CLI turns into a one-line message and exit code 2, and how values are shown in it."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

# Shown values longer than this are cut: a message stays one readable line whatever the input holds.
VALUE_LIMIT = 80
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str, limit: int | None = VALUE_LIMIT) -> str:
    """`text` with control characters escaped (\\n, \\x1b, ...) and, past `limit` characters, cut with an ellipsis."""
    text = _CONTROL.sub(
        lambda m: (
            {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m.group(), f"\\x{ord(m.group()):02x}")
            if ord(m.group()) < 0x100
            else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def shown(value: Any) -> str:
    """A value from an input file as its author wrote it: text quoted, dates as text, never a Python repr."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return one_line(f"'{value}'")
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return one_line("[" + ", ".join(shown(v) for v in value) + "]")
    if isinstance(value, dict):
        return one_line("{" + ", ".join(f"{shown(k)}: {shown(v)}" for k, v in value.items()) + "}")
    return one_line(str(value))


class InputError(Exception):
    """Bad input: names the file and, where there is one, the field."""

    def __init__(self, path: str, field: str | None, message: str) -> None:
        self.path, self.field, self.message = str(path), field, message
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.path}: {one_line(self.field)}" if self.field else self.path
        return one_line(f"{where}: {self.message}", limit=None)


def number(value: Any) -> str:
    """A figure in a message: as `:g` writes it below 1,000 (0.995, 193.5), thousands separated with at most two
    decimals from 1,000 (1,159,100; 123,456.5), and never in exponent notation (0.00001, not 1e-05)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    value += 0.0  # -0.0 is written 0
    if abs(value) >= 1000:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if value and abs(value) < 1e-4:
        return f"{value:.12f}".rstrip("0")
    return f"{value:g}"

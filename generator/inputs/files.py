"""Reading input files safely: regular files only, bounded size, UTF-8 text, YAML of bounded shape.

Every input the toolkit reads (sizing.yaml, policies/limits.yaml, the HCL files the policies read)
goes through `read_text`; every YAML input through `load_yaml`. A file that is not what it should be
is an InputError naming the file (and the field), never a traceback, a hang or a crash:

- only regular files are read (a FIFO would block, /dev/zero never ends), at most MAX_BYTES;
- text is UTF-8 (a byte-order mark is accepted, as Terraform accepts it);
- YAML nesting is bounded *before* parsing (libyaml recurses: 50,000 levels crash the interpreter),
  keys are text, a key appears once, numbers are finite and of a size a sizing can hold, and the
  document holds at most MAX_NODES values (aliases count each time they are used).
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from generator.errors import InputError, shown

ENVS_DIR = Path("envs")
SIZING_FILE = "sizing.yaml"
TFVARS_FILE = "terraform.tfvars"
# The order a change is promoted in: every listing of environments follows it, the others after these by name.
PROMOTION_ORDER = ("dev", "staging", "prod")


def promotion_order(names: Iterable[str]) -> list[str]:
    """`names` in promotion order (dev, staging, prod), then the rest by name."""
    rank = {name: i for i, name in enumerate(PROMOTION_ORDER)}
    return sorted(names, key=lambda name: (rank.get(name, len(rank)), name))


def sizing_path(env: str, root: Path = Path(".")) -> Path:
    return root / ENVS_DIR / env / SIZING_FILE


def rel(path: Path, root: Path) -> str:
    """`path` relative to `root` when it lies below it, as given otherwise."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def is_env_root(folder: Path) -> bool:
    """An environment is a Terraform root under envs/: a folder with .tf files, a tfvars or a sizing.yaml
    (present or a broken link). Hidden folders (.terraform, ...) are not environments."""
    if folder.name.startswith(".") or not folder.is_dir():
        return False
    return any(folder.glob("*.tf")) or any(os.path.lexists(folder / name) for name in (SIZING_FILE, TFVARS_FILE))


def discover_envs(root: Path = Path(".")) -> list[str]:
    """Every environment root under envs/, whether or not its sizing.yaml is there: a root without one is
    an error for render, render --check and the policies, never a silently skipped environment. In promotion
    order, as every listing shows them."""
    base = root / ENVS_DIR
    return promotion_order(p.name for p in base.iterdir() if is_env_root(p)) if base.is_dir() else []


MAX_BYTES = 1_000_000  # a sizing.yaml is ~1 kB; limits.yaml ~6 kB; a tfvars ~3 kB
MAX_DEPTH = 32  # nesting levels of a YAML document (sizing.yaml uses 4)
MAX_NODES = 20_000  # values in a YAML document, aliases expanded
MAX_NUMBER = 1e15  # larger magnitudes are no count of agents, bytes or dollars a sizing can use


def read_text(path: Path, what: str = "file", max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of a regular file of at most `max_bytes` (InputError otherwise)."""
    try:
        st = os.stat(path)  # follows links: a broken link is "not found"
    except FileNotFoundError:
        raise InputError(path, None, "is a broken link" if os.path.islink(path) else "file not found") from None
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a directory"
            if stat.S_ISDIR(st.st_mode)
            else "a FIFO"
            if stat.S_ISFIFO(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a special file"
        )
        raise InputError(path, None, f"is {kind}, not a regular file")
    if st.st_size > max_bytes:
        raise InputError(path, None, f"is {st.st_size:,} bytes, above the {max_bytes:,}-byte limit for a {what}")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror}") from None
    if len(raw) > max_bytes:  # grew while we looked
        raise InputError(path, None, f"is above the {max_bytes:,}-byte limit for a {what}")
    return decode(raw, path)


# Byte-order marks of the encodings a Windows editor calls "Unicode" (UTF-32's first: it starts like UTF-16's).
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(raw: bytes, path: Path | str) -> str:
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            raise InputError(path, None, f"is {name} text (byte-order mark): save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            path, None, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {line}, column {column}"
        ) from None


def nesting_bound(text: str) -> int:
    """An upper bound of the nesting depth of a YAML text, without parsing it.

    Flow collections count their open brackets (outside quotes and comments); block collections count
    the indentation levels open at each line plus the `- `/`? ` indicators that start it. Over-counting is
    harmless (the limit is far above real files); under-counting is not, so every opening is counted.
    """
    deepest = flow = 0
    indents: list[int] = []
    for raw in text.splitlines():
        stripped = raw.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(stripped)
        if flow == 0:
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
        block = len(indents)
        i, n = 0, len(stripped)
        while i + 1 < n and stripped[i] in "-?" and stripped[i + 1] == " ":  # "- - - x": one level each
            block += 1
            i += 2
            while i < n and stripped[i] == " ":
                i += 1
        quote = None
        for ch in stripped[i:]:
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "'\"":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                flow += 1
                deepest = max(deepest, block + flow)
            elif ch in "]}":
                flow = max(0, flow - 1)
        deepest = max(deepest, block + flow)
    return deepest


@cache
def _strict_loader() -> type:
    """Safe loader (libyaml's when present): keys are text and appear once. Built on first use: PyYAML is
    not imported by what only reads files (render --check from the cache)."""
    import yaml

    class StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if not isinstance(key, str):
                    what = {"SequenceNode": "a list", "MappingNode": "a mapping"}.get(
                        type(key_node).__name__, shown(key)
                    )
                    raise yaml.constructor.ConstructorError(
                        None, None, f"a key is {what}, not text (write it as a plain name)", key_node.start_mark
                    )
                if key in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
                seen.add(key)
            return super().construct_mapping(node, deep)

    return StrictLoader


def load_yaml(text: str, path: Path | str) -> Any:
    """Parse YAML text into plain values, with the bounds above (InputError naming the field otherwise)."""
    if (depth := nesting_bound(text)) > MAX_DEPTH:
        raise InputError(path, None, f"nested {depth} levels deep, above the limit of {MAX_DEPTH}")
    import yaml

    try:
        doc = yaml.load(text, Loader=_strict_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, None, f"malformed YAML{where}: {problem}") from None
    except RecursionError:  # the pre-scan should make this unreachable; never a traceback if it is not
        raise InputError(path, None, f"nested too deep (limit {MAX_DEPTH} levels)") from None
    except (ValueError, OverflowError) as exc:  # Python reads integers of at most 4,300 digits
        if isinstance(exc, ValueError) and "digits" not in str(exc):  # an unquoted date that is none: 2026-13-01
            raise InputError(path, None, f"malformed YAML: a date or time that is none ({exc})") from None
        raise InputError(path, None, "malformed YAML: a number too large to read (thousands of digits)") from None
    check_values(doc, path)
    return doc


def _field(parts: list) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None


def check_values(doc: Any, path: Path | str) -> None:
    """Every value is a YAML scalar, list or text-keyed mapping; numbers finite and within MAX_NUMBER."""
    stack: list[tuple[Any, list, int]] = [(doc, [], 0)]
    nodes = 0
    while stack:
        value, where, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise InputError(path, None, f"holds more than {MAX_NODES:,} values (aliases counted each time used)")
        if depth > MAX_DEPTH:
            raise InputError(path, _field(where), f"nested more than {MAX_DEPTH} levels deep (a recursive alias?)")
        if isinstance(value, dict):
            stack.extend((v, [*where, k], depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, [*where, i], depth + 1) for i, v in enumerate(value))
        elif isinstance(value, bool) or value is None or isinstance(value, str):
            continue
        elif isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                raise InputError(path, _field(where), f"{shown(value)} is not a finite number")
            if abs(value) > MAX_NUMBER:
                text = f"a {len(str(abs(value)))}-digit number" if isinstance(value, int) else f"{value:g}"
                raise InputError(path, _field(where), f"{text} is above the largest value accepted, {MAX_NUMBER:g}")
        elif type(value).__name__ in ("date", "datetime"):
            continue  # a date where text is expected is reported by the model, shown as text
        else:
            raise InputError(path, _field(where), f"a YAML {type(value).__name__} is not a setting value")

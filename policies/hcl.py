"""Reading HCL: files as Terraform reads them, parsed once per distinct text, with the lines values sit on.

python-hcl2 7.3.1 gives values but no line numbers: lines are found by scanning the text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import InputError, one_line
from generator.inputs.files import read_text
from generator.outputs import cache
from policies.results import MODULE_DIR_REL


# ---------------------------------------------------------------------------
# HCL reading: each distinct text parsed once per process
# ---------------------------------------------------------------------------
class HclError(Exception):
    """A file that cannot be read (kind "unreadable": not a regular file, too big, not UTF-8) or parsed ("malformed")."""

    def __init__(self, message: str, line: int | None, kind: str = "malformed") -> None:
        super().__init__(message)
        self.message, self.line, self.kind = one_line(message, 160), line, kind

    def violation_text(self) -> tuple[str, str]:
        """(rule, message) of the violation this error is."""
        if self.kind == "unreadable":
            return "declarations.unreadable", self.message
        return "declarations.malformed_hcl", f"malformed HCL: {self.message}"


MAX_HCL_DEPTH = 64  # brackets nested in an HCL file; the roots' files use 4
MAX_HCL_BYTES = 256_000  # the module's variables.tf is ~30 kB, a tfvars ~3 kB; the parser takes seconds per MB


def read_hcl_text(path: Path) -> str:
    """A .tf or .tfvars file's text (regular file, bounded size, UTF-8 with an optional BOM, as Terraform reads it).

    Raises HclError with no line when the file cannot be read as such.
    """
    try:
        return read_text(path, "Terraform file", MAX_HCL_BYTES)
    except InputError as exc:
        raise HclError(exc.message, None, "unreadable") from None


def _depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch in "[{(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]})":
            depth -= 1
    return deepest


_PARSED: dict[str, Any] = {}


def parse_hcl(text: str) -> dict[str, Any]:
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()
    if key not in _PARSED:
        if (remembered := _from_disk(text)) is not None:
            _PARSED[key] = remembered
            return remembered
        import hcl2  # lark grammar: loaded only when something is parsed

        if (deep := _depth(text)) > MAX_HCL_DEPTH:  # lark's tree is walked recursively: bound it first
            _PARSED[key] = HclError(f"nested {deep} levels deep, above the limit of {MAX_HCL_DEPTH}", None)
            raise _PARSED[key]
        try:
            _PARSED[key] = hcl2.loads(text)
            _to_disk(text, _PARSED[key])
        except Exception as exc:  # lark's UnexpectedInput family, and anything else the parser raises
            _PARSED[key] = _hcl_error(exc, text)
    result = _PARSED[key]
    if isinstance(result, HclError):
        raise result
    return result


@functools.cache
def _parser_version() -> str:
    """python-hcl2's installed version, from its dist-info folder's name (importlib.metadata costs 30 ms)."""
    for entry in sys.path:
        site = Path(entry or ".")
        if (site / "hcl2").is_dir():
            return ",".join(sorted(p.name for p in site.glob("python_hcl2-*.dist-info"))) or f"hcl2 in {site}"
    return "unknown"


def _disk_key(text: str) -> str:
    return cache.digest("python-hcl2", _parser_version(), text)


def _from_disk(text: str) -> dict[str, Any] | None:
    """The parse of this exact text by this python-hcl2 version, remembered outside the repository
    (generator.outputs.cache: a pull request cannot plant an entry)."""
    if cache.directory() is None:
        return None
    raw = cache.get("hcl", _disk_key(text))
    try:
        return json.loads(raw) if raw is not None else None
    except ValueError:
        return None


def _to_disk(text: str, parsed: dict[str, Any]) -> None:
    if cache.directory() is None:
        return
    try:
        cache.put("hcl", _disk_key(text), json.dumps(parsed))
    except (TypeError, ValueError):
        pass  # a value JSON cannot hold: parsed again next time


def _hcl_error(exc: Exception, text: str) -> HclError:
    """lark's exception in the words of an HCL author: what was unexpected, and where."""
    inner = getattr(exc, "orig_exc", None)  # raised by python-hcl2 while building values: "x already defined"
    if inner is not None:
        m = re.match(r"(\S+) already defined", str(inner))
        if m:
            lines = [n + 1 for n, name in enumerate(_index(text)[0]) if name == m.group(1)]
            where = lines[1] if len(lines) > 1 else None
            return HclError(
                f"{m.group(1)} is set twice (lines {', '.join(map(str, lines))}): Terraform refuses the file", where
            )
        return HclError(one_line(str(inner).splitlines()[0] if str(inner).strip() else "the parser failed", 120), None)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else "the parser failed"
    m = re.search(r"line (\d+)(?:, column (\d+))?", first)
    line = int(m.group(1)) if m else getattr(exc, "line", None)
    token = getattr(exc, "token", None)
    if token is not None:
        near = one_line(str(token).strip().splitlines()[0] if str(token).strip() else str(token), 40)
        col = f", column {m.group(2)}" if m and m.group(2) else ""
        return HclError(f"unexpected '{near}' at line {line}{col}", line)
    if isinstance(exc, RecursionError):
        return HclError("nested too deep to read", None)
    return HclError(re.sub(r"Token\('?\w+'?, ('[^']*')\)", r"\1", first), line)


_ASSIGN = re.compile(r'^\s*"?([\w-]+)"?\s*=')
_VARIABLE = re.compile(r'^\s*variable\s+"?([\w-]+)"?\s*\{')


@functools.lru_cache(maxsize=256)
def _index(text: str) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
    """Per line of `text`: the name assigned on it (`name =`), and the variable block it opens, if any."""
    assigned, variables = [], []
    for line in text.splitlines():
        m = _ASSIGN.match(line)
        assigned.append(m.group(1) if m else None)
        v = _VARIABLE.match(line)
        variables.append(v.group(1) if v else None)
    return tuple(assigned), tuple(variables)


def line_of(text: str, dotted: str, after: int = 0) -> int | None:
    """1-based line of `a = ...` (then `b = ...` after it for `a.b`) in HCL text, below line `after`; None if
    not found.

    python-hcl2 7.x gives no line numbers, so the text is scanned for `^\\s*<name>\\s*=`.
    """
    assigned = _index(text)[0]
    start, found = after, None
    for part in dotted.split("."):
        try:
            n = assigned.index(part, start)
        except ValueError:
            return found
        found, start = n + 1, n + 1
    return found


def block_lines(text: str, kind: str, label: str | None = None) -> list[int]:
    """1-based lines where a top-level block `kind "label" ... {` (or `kind {`) opens, in order."""
    name = rf'\s+"?{re.escape(label)}"?' if label is not None else ""
    pattern = re.compile(rf'^\s*{re.escape(kind)}{name}(\s|\{{|"|$)')
    return [n + 1 for n, line in enumerate(text.splitlines()) if pattern.match(line)]


def variable_line(text: str, name: str, attr: str | None = None) -> int | None:
    assigned, variables = _index(text)
    try:
        n = variables.index(name)
    except ValueError:
        return None
    if attr is None:
        return n + 1
    for m in range(n + 1, len(assigned)):
        if variables[m] is not None:
            break
        if assigned[m] == attr:
            return m + 1
    return n + 1


@dataclass(frozen=True)
class Declaration:
    name: str
    has_default: bool
    default: Any
    nullable: bool
    optional_defaults: Mapping[str, Any]  # object attributes declared optional(type, default)
    line: int | None
    type_expr: Any = None  # the `type` as python-hcl2 renders it ("number", "${list(string)}", ...)


_OPTIONAL_RE = re.compile(r'"(\w+)":\s*"\$\{optional\(')


def _optional_defaults(type_expr: Any) -> dict[str, Any]:
    """Defaults of `optional(type, default)` attributes in an object type as python-hcl2 renders it."""
    if not isinstance(type_expr, str) or "optional(" not in type_expr:
        return {}
    out: dict[str, Any] = {}
    for m in _OPTIONAL_RE.finditer(type_expr):
        i, depth, comma = m.end(), 1, None
        while i < len(type_expr) and depth:
            ch = type_expr[i]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            elif ch == "," and depth == 1 and comma is None:
                comma = i
            elif ch == '"' and depth >= 1:
                j = type_expr.find('"', i + 1)
                i = j if j > 0 else i
            i += 1
        if comma is None:
            out[m.group(1)] = None
            continue
        literal = type_expr[comma + 1 : i - 1].strip()
        try:
            out[m.group(1)] = json.loads(literal)  # numbers, true/false, "strings", [], {}: no grammar needed
        except ValueError:
            try:
                out[m.group(1)] = parse_hcl(f"x = {literal}\n")["x"]
            except HclError:
                out[m.group(1)] = None
    return out


_DECLS: dict[str, dict[str, Declaration]] = {}


def declarations(text: str) -> dict[str, Declaration]:
    """The `variable` blocks of a .tf file (raises HclError when it does not parse)."""
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()
    if key not in _DECLS:
        parsed = parse_hcl(text)
        out: dict[str, Declaration] = {}
        for block in parsed.get("variable", []):
            for name, body in block.items():
                body = body or {}
                out[name] = Declaration(
                    name=name,
                    has_default="default" in body,
                    default=body.get("default"),
                    nullable=body.get("nullable", True) is not False,
                    optional_defaults=_optional_defaults(body.get("type")),
                    line=variable_line(text, name),
                    type_expr=body.get("type"),
                )
        _DECLS[key] = out
    return _DECLS[key]


_VAR_REF = re.compile(r"^\$\{var\.(\w+)\}$")


def module_wiring(tf_texts: Iterable[str]) -> dict[str, str]:
    """env variable -> module input path, from `module` blocks whose source is the module."""
    wiring: dict[str, str] = {}
    for text in tf_texts:
        try:
            parsed = parse_hcl(text)
        except HclError:
            continue
        for block in parsed.get("module", []):
            for body in block.values():
                if MODULE_DIR_REL.rsplit("/", 1)[-1] not in str(body.get("source", "")):
                    continue
                for attr, value in body.items():
                    if isinstance(value, str) and (m := _VAR_REF.match(value)):
                        wiring[m.group(1)] = attr
                    elif isinstance(value, dict):
                        for sub, inner in value.items():
                            if isinstance(inner, str) and (m := _VAR_REF.match(inner)):
                                wiring[m.group(1)] = f"{attr}.{sub}"
    return wiring

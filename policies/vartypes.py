"""Terraform's type constraints and the conversions Terraform makes when it assigns a variable.

`parse_type` reads a `type` as python-hcl2 renders it ("number", "${list(string)}",
'${object({"a": "number", "b": "${optional(bool, true)}"})}'); `convert` checks a tfvars value
against it as Terraform does: "32" becomes 32 for a number, true becomes "true" for a string, an
object must have every attribute that is not optional, nested values included. A value that is an
HCL expression (python-hcl2 gives it back as "${...}") is reported as such: the checks evaluate
literals only, as the generated tfvars holds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<id>[A-Za-z_][\w-]*)|(?P<p>[(){}\[\],:=])|(?P<other>[^\s(){}\[\],:="]+))'
)


@dataclass(frozen=True)
class TfType:
    kind: str  # string number bool any list set map tuple object
    elem: TfType | None = None  # list, set, map
    attrs: dict[str, TfType] = field(default_factory=dict)  # object
    optional: frozenset[str] = frozenset()  # object attributes declared optional(...)
    items: tuple[TfType, ...] = ()  # tuple

    def __str__(self) -> str:
        if self.kind in ("list", "set", "map"):
            return f"{self.kind}({self.elem})"
        if self.kind == "object":
            return "object({" + ", ".join(f"{k} = {v}" for k, v in self.attrs.items()) + "})"
        if self.kind == "tuple":
            return "tuple([" + ", ".join(map(str, self.items)) + "])"
        return self.kind


ANY = TfType("any")


class TypeSyntaxError(ValueError):
    pass


def _unwrap(text: str) -> str:
    text = text.strip()
    return text[2:-1].strip() if text.startswith("${") and text.endswith("}") else text


def parse_type(expr: Any) -> TfType:
    """The TfType of a `type` attribute; `any` when there is none."""
    if expr is None:
        return ANY
    if not isinstance(expr, str):
        raise TypeSyntaxError(f"unexpected type expression {expr!r}")
    tokens = [(m.lastgroup, m.group(m.lastgroup)) for m in _TOKEN.finditer(_unwrap(expr)) if m.lastgroup]
    parser = _Parser(tokens)
    result, _ = parser.type_()
    if parser.i != len(tokens):
        raise TypeSyntaxError(f"trailing text in type {expr!r}")
    return result


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.i = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def take(self, want: str | None = None) -> tuple[str, str]:
        if self.i >= len(self.tokens) or (want is not None and self.tokens[self.i][1] != want):
            raise TypeSyntaxError(f"expected {want or 'more'} in a type expression")
        self.i += 1
        return self.tokens[self.i - 1]

    def type_(self) -> tuple[TfType, bool]:
        """A type and whether it was wrapped in optional()."""
        kind, text = self.take()
        if kind == "str":  # python-hcl2 quotes nested types: "number", "${optional(number, 1)}"
            inner = _Parser(
                [(m.lastgroup, m.group(m.lastgroup)) for m in _TOKEN.finditer(_unwrap(text[1:-1])) if m.lastgroup]
            )
            result = inner.type_()
            return result
        if kind != "id":
            raise TypeSyntaxError(f"unexpected {text!r} in a type expression")
        if text in ("string", "number", "bool", "any"):
            return TfType(text), False
        self.take("(")
        if text == "optional":
            inner, _ = self.type_()
            depth = 0
            while self.peek() is not None and not (depth == 0 and self.peek() == ")"):  # skip the default
                depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(self.peek(), 0)
                self.i += 1
            self.take(")")
            return inner, True
        if text in ("list", "set", "map"):
            elem, _ = self.type_()
            self.take(")")
            return TfType(text, elem=elem), False
        if text == "object":
            self.take("{")
            attrs, optional = {}, set()
            while self.peek() != "}":
                _, name = self.take()
                name = name.strip('"')
                self.take(self.peek() if self.peek() in (":", "=") else ":")
                attrs[name], opt = self.type_()
                if opt:
                    optional.add(name)
                if self.peek() == ",":
                    self.take(",")
            self.take("}")
            self.take(")")
            return TfType("object", attrs=attrs, optional=frozenset(optional)), False
        if text == "tuple":
            self.take("[")
            items = []
            while self.peek() != "]":
                items.append(self.type_()[0])
                if self.peek() == ",":
                    self.take(",")
            self.take("]")
            self.take(")")
            return TfType("tuple", items=tuple(items)), False
        raise TypeSyntaxError(f"unknown type {text}")


def is_expression(value: Any) -> bool:
    """python-hcl2 returns an expression or a template as text holding `${` or `%{` (`$${` is a literal)."""
    return isinstance(value, str) and re.search(r"(?<![$%])[$%]\{", value) is not None


def literal_text(value: str) -> str:
    """A literal HCL string as Terraform reads it: `$${` is `${`, `%%{` is `%{`."""
    return value.replace("$${", "${").replace("%%{", "%{")


@dataclass(frozen=True)
class Problem:
    path: str  # dotted, e.g. db_parameters.work_mem
    message: str
    expression: bool = False


def convert(value: Any, t: TfType, path: str) -> tuple[Any, list[Problem]]:
    """The value Terraform would assign, and what stops it (nested paths named)."""
    problems: list[Problem] = []
    out = _convert(value, t, path, problems)
    return out, problems


def _what(value: Any) -> str:
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _convert(value: Any, t: TfType, path: str, problems: list[Problem]) -> Any:
    if value is None or t.kind == "any":
        return value
    if is_expression(value):
        problems.append(
            Problem(
                path,
                "is an expression: the policy checks read literal values only (write the "
                "value itself, as aurora-gen renders it)",
                expression=True,
            )
        )
        return None
    if isinstance(value, str):
        value = literal_text(value)
    if t.kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _NUMBER.match(value):
            number = float(value)
            return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
        problems.append(Problem(path, f"is {_what(value)}, not a number"))
        return None
    if t.kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, str)):
            return str(value)  # any size: Terraform's numbers are arbitrary precision
        if isinstance(value, float):
            return str(int(value)) if math.isfinite(value) and value.is_integer() else repr(value)
        problems.append(Problem(path, f"is {_what(value)}, not a string"))
        return None
    if t.kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        problems.append(Problem(path, f"is {_what(value)}, not true or false"))
        return None
    if t.kind in ("list", "set", "tuple"):
        if not isinstance(value, list):
            problems.append(Problem(path, f"is {_what(value)}, not a {t.kind}"))
            return None
        if t.kind == "tuple":
            if len(value) != len(t.items):
                problems.append(Problem(path, f"has {len(value)} elements, the tuple type {len(t.items)}"))
                return None
            return [
                _convert(v, it, f"{path}[{i}]", problems) for i, (v, it) in enumerate(zip(value, t.items, strict=True))
            ]
        return [_convert(v, t.elem or ANY, f"{path}[{i}]", problems) for i, v in enumerate(value)]
    if t.kind in ("map", "object"):
        if not isinstance(value, dict):
            problems.append(Problem(path, f"is {_what(value)}, not {'a map' if t.kind == 'map' else 'an object'}"))
            return None
        if t.kind == "map":
            return {k: _convert(v, t.elem or ANY, f"{path}.{k}", problems) for k, v in value.items()}
        out = {}
        for name, attr in t.attrs.items():
            if name in value:
                out[name] = _convert(value[name], attr, f"{path}.{name}", problems)
            elif name not in t.optional:
                problems.append(Problem(f"{path}.{name}", "is required by the variable's type but not set"))
        for name in value:
            if name not in t.attrs:  # Terraform drops it without a word: a typo that silently does nothing
                problems.append(
                    Problem(
                        f"{path}.{name}", f"is not an attribute of the variable's type {t} (Terraform would drop it)"
                    )
                )
        return out
    return value

"""HCL files through python-hcl2's parser, read the way Terraform reads them.

python-hcl2 7.x's dict form loses what the docs need exactly: it renders type expressions as
"${object({...})}" strings, keeps "$${" escapes, drops a heredoc's final newline and leaves `1e3` as
"${1e3}". So this module walks the parse tree that python-hcl2's own Lark parser builds (with source
positions) and evaluates constant expressions itself, as HCL does with no variables and no functions
(Terraform evaluates a variable's `default` that way): terraform-docs shows the resulting value.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from hcl2.parser import parser
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput


class HclError(Exception):
    """Bad input: the message names the file (and line when known)."""


class NotConstant(Exception):
    """An expression that needs variables or functions (Terraform refuses it where a constant is due)."""


@dataclass
class Attribute:
    name: str
    expr: Tree
    line: int


@dataclass
class Block:
    type: str
    labels: list[str]
    line: int
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class HclFile:
    path: Path
    text: str
    body: Block  # the file's top level, as a label-less block

    def source(self, expr: Tree) -> str:
        """The expression's source text exactly as written (how terraform-docs shows a type)."""
        return self.text[expr.meta.start_pos : expr.meta.end_pos]

    def where(self, line: int) -> str:
        return f"{self.path}:{line}"


def parse_file(path: Path) -> HclFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HclError(f"{path}: cannot read: {exc}") from None
    try:
        # The trailing newline is python-hcl2's own workaround (hcl2.api.loads): its grammar has no EOF.
        tree = parser().parse(text + "\n")
    except UnexpectedInput as exc:
        raise HclError(f"{path}:{exc.line}:{exc.column}: malformed HCL ({_unexpected(exc)})") from None
    except LarkError as exc:
        raise HclError(f"{path}: malformed HCL ({_first_line(exc)})") from None
    return HclFile(path, text, _body(tree.children[0], Block("", [], 1)))


def _unexpected(exc: UnexpectedInput) -> str:
    token = getattr(exc, "token", None)
    if token is not None:
        return "unexpected " + (repr(str(token)[:20]) if str(token) else "end of file")
    char = getattr(exc, "char", None)
    return f"unexpected character {char!r}" if char else _first_line(exc)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _body(body: Tree, into: Block) -> Block:
    for child in body.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name = _identifier(child.children[0])
            into.attributes[name] = Attribute(name, child.children[-1], child.meta.line)
        elif child.data == "block":
            kids = [k for k in child.children if isinstance(k, Tree) and k.data != "new_line_or_comment"]
            labels = [_identifier(k) if k.data == "identifier" else _string(k) for k in kids[1:-1]]
            into.blocks.append(_body(kids[-1], Block(_identifier(kids[0]), labels, child.meta.line)))
    return into


def _identifier(node: Tree) -> str:
    return str(node.children[0])


# --------------------------------------------------------------------------------------------------
# Constant evaluation (HCL with an empty evaluation context)
# --------------------------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)


def _unescape(chars: str) -> str:
    def one(m: re.Match) -> str:
        code = m.group(1)
        if code[0] in "uU":
            return chr(int(code[1:], 16))
        if code in _ESCAPES:
            return _ESCAPES[code]
        raise NotConstant(f"invalid escape sequence \\{code}")

    return _ESCAPE_RE.sub(one, chars)


def _template_literal(chars: str) -> str:
    """Literal template text: `$${` and `%%{` are the escapes of `${` and `%{`; a bare `%{` is a directive."""
    if "%{" in chars.replace("%%{", ""):
        raise NotConstant("template directive %{...}")
    return chars.replace("$${", "${").replace("%%{", "%{")


def _string(node: Tree) -> str:
    parts = []
    for part in node.children:
        piece = part.children[0]
        if isinstance(piece, Tree):  # interpolation: "${ expr }"
            parts.append(_to_string(evaluate(piece.children[0])))
        elif piece.type == "ESCAPED_INTERPOLATION":
            parts.append(piece[1:])
        else:
            parts.append(_template_literal(_unescape(str(piece))))
    return "".join(parts)


def _to_string(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str):
        return value
    raise NotConstant("only strings, numbers and bools can be interpolated")


_HEREDOC_RE = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)\n?(.*?)\n[ \t]*\1\n?\Z", re.S)


def _heredoc(token: str, trim: bool) -> str:
    match = _HEREDOC_RE.match(token)
    if not match:
        raise NotConstant("unreadable heredoc")
    lines = match.group(2).split("\n") if match.group(2) else []
    if trim:  # <<-: remove the smallest indentation of the non-blank lines
        indents = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
        cut = min(indents, default=0)
        lines = [ln[cut:] for ln in lines]
    body = "".join(ln + "\n" for ln in lines)  # every heredoc line, the last one too, ends with a newline
    if "${" in body.replace("$${", ""):
        raise NotConstant("interpolation in a heredoc")
    return _template_literal(body)


def format_number(value: int | float) -> str:
    """A number as Go's encoding/json writes a float64 (terraform-docs holds every number as one)."""
    try:
        f = float(value)
    except OverflowError:  # beyond float64: Go would not get here (ctyjson), show the exact integer
        return str(value)
    if f == 0:
        return "0"
    if 1e-6 <= abs(f) < 1e21:
        text = format(Decimal(repr(f)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    text = repr(f)
    return re.sub(r"e-0(\d)$", r"e-\1", text)


_BINARY = [  # HCL's precedence, lowest first
    {"||": lambda a, b: _bool(a) or _bool(b)},
    {"&&": lambda a, b: _bool(a) and _bool(b)},
    {"==": operator.eq, "!=": operator.ne},
    {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le},
    {"+": operator.add, "-": operator.sub},
    {"*": operator.mul, "/": operator.truediv, "%": operator.mod},
]


def _bool(v: object) -> bool:
    if not isinstance(v, bool):
        raise NotConstant("a bool is required")
    return v


def _number(v: object) -> int | float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise NotConstant("a number is required")
    return v


def _flatten(node: Tree) -> list:
    """binary_op trees of python-hcl2 carry no precedence: flatten them into operand, op, operand, ..."""
    if isinstance(node, Tree) and node.data == "binary_op":
        term = node.children[1]
        op = str(term.children[0].children[0])
        return _flatten(node.children[0]) + [op] + _flatten(term.children[-1])
    return [node]


def _reduce(seq: list, level: int = 0) -> object:
    if level == len(_BINARY):
        return evaluate(seq[0])
    ops = _BINARY[level]
    # split on this level's operators (left-associative)
    operands, operators, start = [], [], 0
    for i in range(1, len(seq), 2):
        if seq[i] in ops:
            operands.append(seq[start:i])
            operators.append(seq[i])
            start = i + 1
    operands.append(seq[start:])
    result = _reduce(operands[0], level + 1)
    for op, rhs in zip(operators, operands[1:], strict=True):
        right = _reduce(rhs, level + 1)
        if op not in ("==", "!=", "||", "&&"):
            result, right = _number(result), _number(right)
        if op in ("/", "%") and right == 0:
            raise NotConstant("division by zero")
        result = ops[op](result, right)
    return result


def evaluate(node: Tree | Token) -> object:
    """The value of a constant HCL expression; NotConstant for anything needing variables or functions."""
    kind = node.data if isinstance(node, Tree) else node.type
    kids = [k for k in getattr(node, "children", []) if not (isinstance(k, Tree) and k.data == "new_line_or_comment")]
    if kind == "expr_term":
        inner = [k for k in kids if isinstance(k, Tree)]
        return evaluate(inner[0])
    if kind == "int_lit":
        return int("".join(str(t) for t in kids))
    if kind == "float_lit":
        value = float("".join(str(t) for t in kids))
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if kind == "string":
        return _string(node)
    if kind in ("heredoc_template", "heredoc_template_trim"):
        return _heredoc(str(kids[0]), kind == "heredoc_template_trim")
    if kind == "identifier":
        name = str(kids[0])
        if name in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[name]
        raise NotConstant(f"reference to {name}")
    if kind == "tuple":
        return [evaluate(k) for k in kids if isinstance(k, Tree)]
    if kind == "object":
        return {object_key(e.children[0]): evaluate(e.children[-1]) for e in kids if isinstance(e, Tree)}
    if kind == "unary_op":
        value = evaluate(kids[1])
        return -_number(value) if str(kids[0]) == "-" else not _bool(value)
    if kind == "binary_op":
        return _reduce(_flatten(node))
    if kind == "conditional":
        return evaluate(kids[1]) if _bool(evaluate(kids[0])) else evaluate(kids[2])
    raise NotConstant(kind.replace("_", " "))


def object_key(key: Tree) -> str:
    """An object's key as a string (an identifier, a string, a number or a parenthesized expression)."""
    inner = key.children[0]
    if inner.data == "identifier":
        return _identifier(inner)
    if inner.data == "object_elem_key_expression":
        return _to_string(evaluate(inner.children[1] if len(inner.children) > 1 else inner.children[0]))
    if inner.data == "object_elem_key_dot_accessor":
        raise NotConstant("reference as an object key")
    return _to_string(evaluate(inner))


def traversal(node: Tree) -> list[str] | None:
    """`aws.dr` (or the legacy string "aws.dr") as ["aws", "dr"]; None when it is neither."""
    if node.data == "expr_term":
        return traversal(node.children[0])
    if node.data == "identifier":
        return [_identifier(node)]
    if node.data == "get_attr_expr_term":
        head = traversal(node.children[0])
        return head + [_identifier(node.children[1].children[0])] if head else None
    if node.data == "string":
        try:
            text = _string(node)
        except NotConstant:
            return None
        parts = text.split(".")
        return parts if all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", p) for p in parts) else None
    return None

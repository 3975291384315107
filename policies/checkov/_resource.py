"""A resource as Terraform would build it, from checkov's conf and its graph.

checkov renders a resource's attributes from variable defaults, tfvars and module arguments, but a check's
conf loses what decides the blocks of a `dynamic`: the conf appends the block's unrendered content whatever
its for_each (an empty for_each still adds a block), and renders `x.value.attr` only in some cases. The
graph vertex of the resource still holds `dynamic.<block>` = {content, for_each} with for_each rendered, so
the blocks are built here: one per for_each item, `x.value`/`x.key`, try() and lookup() resolved per item.

A pure variable reference (`var.proxy.max_connections_percent`) is read from the variable's vertex (the
caller's value, tfvars or default) with the `optional()` defaults of its type applied: checkov renders a
missing optional field as `{}` or as the whole object. Anything else checkov left unrendered is UNRESOLVED.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from typing import Any

import hcl2
from _common import UNRESOLVED, scalar, unwrap

_MISSING = object()  # an attribute an object lacks: try() moves on to its next argument
_PATH = r"((?:\.\w+|\[\d+\]|\[\"[^\"]+\"\])*)"
_VAR_REF = re.compile(r"^\$\{var\.(\w+)" + _PATH + r"\}$")


class Resource:
    def __init__(self, check: Any, conf: dict) -> None:
        self.conf = conf
        self.graph = getattr(check, "graph", None)
        # The scanned file relative to checkov's root (/../modules/x/main.tf for a module's resource).
        scanned = getattr(check, "entity_path", "").rsplit(":", 2)[0]
        self.vertex = _vertex(self.graph, conf, scanned.replace("/../", "/").lstrip("/."))

    # --- attributes ------------------------------------------------------------------------
    def attr(self, key: str) -> Any:
        """A top-level attribute: its value, None when unset (AWS's default applies), or UNRESOLVED."""
        if key not in self.conf:
            return None
        raw = self._raw().get(key)
        if self._unknown_variables(raw):
            return UNRESOLVED
        if raw is not None:
            value = self._variable(unwrap(raw))
            if value is not _MISSING:
                return scalar(value)
        return scalar(self.conf[key])

    def blocks(self, name: str) -> list[dict[str, Any]] | Any:
        """Every `name` block, static then dynamic, as {attribute: value | None | UNRESOLVED}; UNRESOLVED when
        how many there are is unknown (a for_each checkov could not render)."""
        if self.vertex is None:  # a plan, or a resource outside the graph: the conf is all there is
            return [self._block(b, {}) for b in self.conf.get(name) or [] if isinstance(b, dict)]
        static_raw = self._raw().get(name) or []
        static = [self._block(b, r) for b, r in zip(self._config().get(name) or [], static_raw, strict=False)]
        dynamic = self.vertex.get(f"dynamic.{name}")
        if not isinstance(dynamic, dict):  # with several dynamic blocks, checkov numbers them: dynamic.<i>.<name>
            numbered = re.compile(rf"dynamic\.\d+\.{re.escape(name)}")
            dynamic = next((v for k, v in self.vertex.items() if numbered.fullmatch(k) and isinstance(v, dict)), None)
        if not isinstance(dynamic, dict):
            return static
        raw_for_each = next(
            (unwrap(d[name].get("for_each")) for d in self._raw().get("dynamic", []) if name in d), None
        )
        if self._unknown_variables(raw_for_each):  # checkov renders a variable without a value as {}
            return UNRESOLVED
        value = self._variable(raw_for_each)
        items = _items(dynamic.get("for_each") if value is _MISSING else value)
        if items is UNRESOLVED:
            return UNRESOLVED
        iterator = dynamic.get("iterator") or name
        content = unwrap(dynamic.get("content")) or {}
        built = [
            {k: scalar(_expression(v, iterator, key, value)) for k, v in content.items() if k != "dynamic"}
            for key, value in items
        ]
        return static + built

    # --- other resources of the same module instance --------------------------------------------
    def siblings(self, resource_type: str) -> list[dict]:
        """The configurations of the other `resource_type` resources in this module instance (count 0 left out)."""
        if self.vertex is None:
            return []
        found = []
        for _, data in self._graph_nodes():
            if data.get("block_type_") != "resource" or not data.get("block_name_", "").startswith(resource_type + "."):
                continue
            if not self._same_module(data):
                continue
            config = next(iter(next(iter(data["config_"].values())).values()))
            if number_of_instances(config) != 0:
                found.append(config)
        return found

    # --- internals ------------------------------------------------------------------------------
    def _config(self) -> dict:
        return next(iter(next(iter(self.vertex["config_"].values())).values()))

    def _raw(self) -> dict:
        """The resource block as written in its file (hcl2), or {} without a graph."""
        if self.vertex is None:
            return {}
        resource_type = self.vertex["block_name_"].split(".")[0]
        start = int(self.vertex["__start_line__"])
        for block in _parsed(self.vertex["file_path_"]).get("resource", []):
            for body in block.get(resource_type, {}).values():
                if body.get("__start_line__") == start:
                    return body
        return {}

    def _block(self, rendered: dict, raw: dict) -> dict[str, Any]:
        block = {}
        for key, value in rendered.items():
            if self._unknown_variables(raw.get(key)):
                block[key] = UNRESOLVED
                continue
            resolved = self._variable(unwrap(raw.get(key))) if key in raw else _MISSING
            block[key] = scalar(value if resolved is _MISSING else resolved)
        return block

    def _variable(self, expression: Any) -> Any:
        """The value of a pure `${var.name.path}` reference, _MISSING when the expression is something else."""
        match = _VAR_REF.match(expression) if isinstance(expression, str) else None
        if not match or self.vertex is None:
            return _MISSING
        data = self._variable_vertex(match.group(1))
        if data is None or "default" not in data:  # no default, no value from tfvars or the caller
            return UNRESOLVED
        result = _walk(_with_optional_defaults(data.get("default"), data.get("type")), match.group(2))
        return UNRESOLVED if result is _MISSING else result

    def _unknown_variables(self, expression: Any) -> bool:
        """Whether the expression reads a variable that has no value here (no default, tfvars or argument)."""
        if self.vertex is None or expression is None:
            return False
        names = re.findall(r"\bvar\.(\w+)", str(expression))
        return any((v := self._variable_vertex(n)) is None or "default" not in v for n in names)

    def _variable_vertex(self, name: str) -> dict | None:
        for _, data in self._graph_nodes():
            if data.get("block_type_") == "variable" and data.get("block_name_") == name and self._same_module(data):
                return data
        return None

    def _same_module(self, data: dict) -> bool:
        """In the same module instance: same directory and same module call (None in a root)."""
        return data.get("source_module_object_") == self.vertex.get("source_module_object_") and _directory(
            data.get("file_path_")
        ) == _directory(self.vertex["file_path_"])

    def _graph_nodes(self) -> list:
        return self.graph.nodes() if self.vertex is not None else []


def number_of_instances(config: dict) -> Any:
    """count as rendered: 0 when the resource is switched off, UNRESOLVED when unknown, 1 when absent."""
    if "count" not in config:
        return 1
    value = scalar(config["count"])
    return value if isinstance(value, int) else UNRESOLVED


def _vertex(graph: Any, conf: dict, scanned_file: str) -> dict | None:
    """The graph vertex whose configuration is this conf: same file, same address and same rendered values
    (the same module in several roots has one vertex per root). None when no single one matches."""
    if graph is None or not hasattr(graph, "nodes"):
        return None
    address = conf.get("__address__")
    candidates = []
    for _, data in graph.nodes():
        file_path = str(data.get("file_path_"))
        if (
            data.get("block_type_") != "resource"
            or not file_path.endswith(".tf")
            or not file_path.endswith(scanned_file)
        ):
            continue
        config = next(iter(next(iter(data.get("config_", {}).values()), {}).values()), {})
        if config.get("__address__") != address:
            continue
        # conf appends the dynamic blocks' content to the static blocks of the same name: compare the rest.
        dynamic_names = {n for d in config.get("dynamic") or [] if isinstance(d, dict) for n in d}
        skip = dynamic_names | {"dynamic"}
        if all(conf.get(k) == v for k, v in config.items() if k not in skip and not k.startswith("__")):
            candidates.append(data)
    return candidates[0] if len(candidates) == 1 else None


@cache
def _parsed(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return hcl2.load(f)
    except Exception:  # OSError or any of hcl2's (lark) parse errors: an unreadable file adds nothing
        return {}


def _directory(path: str | None) -> str:
    return (path or "").rsplit("/", 1)[0]


def _items(for_each: Any) -> list[tuple[Any, Any]] | Any:
    """(key, value) per block of a dynamic, from checkov's rendered for_each."""
    splat = re.match(r"^(.*)\[\"?\*\"?\]$", for_each.strip(), re.S) if isinstance(for_each, str) else None
    if splat:  # `value[*]`, which checkov leaves as text: [] for null, [value] otherwise
        value = _literal(splat.group(1).strip())
        if value is _MISSING:
            return UNRESOLVED
        for_each = [] if value is None else value if isinstance(value, list) else [value]
    if isinstance(for_each, dict):
        return list(for_each.items())
    if isinstance(for_each, list):
        if any(isinstance(v, str) and scalar(v) is UNRESOLVED for v in for_each):
            return UNRESOLVED
        return list(enumerate(for_each))
    return UNRESOLVED


def _walk(value: Any, path: str) -> Any:
    for step in re.findall(r"\.(\w+)|\[(\d+)\]|\[\"([^\"]+)\"\]", path or ""):
        attr, index, quoted = step
        if isinstance(value, str) and scalar(value) is UNRESOLVED:
            return UNRESOLVED
        if index:
            value = value[int(index)] if isinstance(value, list) and int(index) < len(value) else _MISSING
        elif isinstance(value, dict):
            value = value.get(attr or quoted, _MISSING)
        else:
            return UNRESOLVED if value is not None else _MISSING
        if value is _MISSING:
            return _MISSING
    return value


# `try(a, b)`, `lookup(m, "k", d)`, `coalesce(a, b)` in a dynamic block's content (checkov strips the ${}).
_CALL = re.compile(r"^(try|lookup|coalesce)\((.*)\)$", re.S)


def _expression(expression: Any, iterator: str, key: Any, value: Any) -> Any:
    """A dynamic block's content expression for one for_each item."""
    if not isinstance(expression, str):
        return expression
    text = expression.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1].strip()
    call = _CALL.match(text)
    if call:
        args = [_expression(a, iterator, key, value) for a in _arguments(call.group(2))]
        if call.group(1) == "try":
            for arg in args:
                if arg is UNRESOLVED:
                    return UNRESOLVED
                if arg is not _MISSING:
                    return arg
            return UNRESOLVED
        if call.group(1) == "lookup" and len(args) in (2, 3) and isinstance(args[0], dict):
            return args[0].get(args[1], args[2] if len(args) == 3 else UNRESOLVED)
        if call.group(1) == "coalesce":
            return next((a for a in args if a not in (None, "", _MISSING)), None)
        return UNRESOLVED
    ref = re.match(rf"^{re.escape(iterator)}\.(value|key)" + _PATH + "$", text)
    if ref:
        return key if ref.group(1) == "key" else _walk(value, ref.group(2))
    literal = _literal(text)
    return literal if literal is not _MISSING else expression


def _literal(text: str) -> Any:
    if text in ("null", "None"):
        return None
    if text in ("true", "True", "false", "False"):
        return text in ("true", "True")
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return _MISSING


def _arguments(text: str) -> list[str]:
    """Split a call's arguments at top-level commas (not inside brackets or quotes)."""
    args, depth, quote, current = [], 0, None, ""
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(current.strip())
            current = ""
            continue
        current += ch
    return [*args, current.strip()] if current.strip() else args


# `optional(type, default)` fields of an object type as checkov keeps it: "${object({'a': '${optional(number,80)}'})}"
_OPTIONAL = re.compile(r"'(\w+)': '\$\{optional\((?:[^(),]|\([^()]*\))+(?:,\s*([^{}]*?))?\)\}'")


def _with_optional_defaults(value: Any, type_expression: Any) -> Any:
    """A variable's value with the defaults of its type's optional() fields filled in, as Terraform does."""
    value = unwrap(value)
    if not isinstance(value, dict) or not isinstance(type_expression, str):
        return value
    filled = dict(value)
    for field, default in _OPTIONAL.findall(type_expression):
        if field not in filled:  # optional(type) without a default: null
            literal = _literal(default.strip() or "null")
            filled[field] = UNRESOLVED if literal is _MISSING else literal
    return filled

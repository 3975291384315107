"""A Terraform directory read as terraform-docs reads it (through terraform-config-inspect).

Which files: `*.tf` in name order, `override.tf`/`*_override.tf` after the others, hidden, `#...` and
`...~` files skipped. What each item carries follows terraform-config-inspect's tfconfig package (the
terraform-docs fork, 2025-04) and terraform-docs v0.24.0's terraform/load.go: a variable's type is its
source text, its default the constant value, `Required` means "no default"; an empty description falls
back to the `#`/`//` comment lines right above the block (`settings.read-comments`, on by default); a
comment containing `terraform-docs-ignore` hides the item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lark import Tree

from .hcl import Block, HclError, HclFile, NotConstant, evaluate, object_key, parse_file, traversal

_UNSET = object()
# the items terraform-docs lets a `terraform-docs-ignore` comment hide
_IGNORABLE = ("variable", "output", "resource", "data", "module")


@dataclass
class Variable:
    name: str
    type: str
    description: str
    default: object  # _UNSET when the variable has no default (required)

    @property
    def required(self) -> bool:
        return self.default is _UNSET


@dataclass
class Output:
    name: str
    description: str


@dataclass
class Resource:
    mode: str  # "managed" or "data"
    type: str
    name: str
    provider: str
    alias: str


@dataclass
class ModuleCall:
    name: str
    source: str
    version: str


@dataclass
class Module:
    required_core: list[str] = field(default_factory=list)
    # provider name -> {"source": str, "versions": [constraint, ...]}
    required_providers: dict[str, dict] = field(default_factory=dict)
    variables: dict[str, Variable] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    resources: dict[tuple, Resource] = field(default_factory=dict)
    module_calls: dict[str, ModuleCall] = field(default_factory=dict)
    locked_versions: dict[str, str] = field(default_factory=dict)  # provider name -> .terraform.lock.hcl version
    header: str = ""


def tf_files(directory: Path) -> list[Path]:
    files = [
        p
        for p in sorted(directory.iterdir())
        if p.is_file() and p.suffix == ".tf" and not p.name.startswith((".", "#")) and not p.name.endswith("~")
    ]
    if any(p.name.endswith(".tf.json") for p in directory.iterdir()):
        raise HclError(f"{directory}: .tf.json files are not supported by this generator")
    overrides = [p for p in files if p.stem == "override" or p.stem.endswith("_override")]
    return [p for p in files if p not in overrides] + overrides


def load_module(directory: Path) -> Module:
    files = tf_files(directory)
    if not files:
        raise HclError(f"{directory}: no .tf files")
    module = Module()
    for path in files:
        hcl = parse_file(path)
        lines = hcl.text.split("\n")
        for block in hcl.body.blocks:
            if block.type in _IGNORABLE and _ignored(lines, block.line):
                continue
            _READERS.get(block.type, _skip)(module, hcl, lines, block)
    module.locked_versions = _lock_file(directory)
    module.header = _header(directory / "main.tf")
    return module


def _skip(*_args) -> None:
    """Blocks terraform-docs does not show (locals, provider configs, check, ephemeral, moved, ...)."""


def _comments_above(lines: list[str], line: int) -> list[str]:
    """The `#`/`//` lines (at column 0) right above 1-based `line`, as terraform-docs' loadComments."""
    found: list[str] = []
    for raw in lines[: line - 1]:
        if raw.startswith(("#", "//")):
            found.append(raw.strip().removeprefix("#").removeprefix("//").strip())
        else:
            found = []
    return found


def _ignored(lines: list[str], line: int) -> bool:
    return any("terraform-docs-ignore" in c for c in _comments_above(lines, line))


def _const(hcl: HclFile, block: Block, name: str, what: str, kind: type | tuple = str) -> object:
    attr = block.attributes.get(name)
    if attr is None:
        return None
    try:
        value = evaluate(attr.expr)
    except NotConstant as exc:
        raise HclError(f"{hcl.where(attr.line)}: {what}.{name} must be a constant ({exc})") from None
    if value is not None and not isinstance(value, kind):
        raise HclError(f"{hcl.where(attr.line)}: {what}.{name} must be a {getattr(kind, '__name__', kind)}")
    return value


def _description(hcl: HclFile, lines: list[str], block: Block, what: str) -> str:
    text = _const(hcl, block, "description", what) or ""
    text = text.replace("\r\n", "\n")
    return text or " ".join(_comments_above(lines, block.line))


def _label(hcl: HclFile, block: Block, count: int) -> list[str]:
    if len(block.labels) != count:
        raise HclError(f"{hcl.where(block.line)}: a {block.type} block needs {count} label(s)")
    return block.labels


def _variable(module: Module, hcl: HclFile, lines: list[str], block: Block) -> None:
    (name,) = _label(hcl, block, 1)
    what = f'variable "{name}"'
    default = _UNSET
    if "default" in block.attributes:
        default = _const(hcl, block, "default", what, object)
    type_text = ""
    type_attr = block.attributes.get("type")
    if type_attr is not None:
        try:  # legacy quoted types ("string") are taken by value, as tfconfig does
            legacy = evaluate(type_attr.expr)
            type_text = legacy if isinstance(legacy, str) else hcl.source(type_attr.expr)
        except NotConstant:
            type_text = hcl.source(type_attr.expr)
    module.variables[name] = Variable(
        name, type_text or _type_of(default), _description(hcl, lines, block, what), default
    )


def _type_of(default: object) -> str:
    """terraform-docs' types.TypeOf for a variable without `type`."""
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, (int, float)):
        return "number"
    if isinstance(default, str):
        return "string"
    if isinstance(default, list):
        return "list"
    if isinstance(default, dict):
        return "map"
    return "any"


def _output(module: Module, hcl: HclFile, lines: list[str], block: Block) -> None:
    (name,) = _label(hcl, block, 1)
    module.outputs[name] = Output(name, _description(hcl, lines, block, f'output "{name}"'))


def _resource(module: Module, hcl: HclFile, lines: list[str], block: Block) -> None:
    rtype, name = _label(hcl, block, 2)
    mode = "managed" if block.type == "resource" else "data"
    provider, alias = rtype.split("_", 1)[0], ""
    attr = block.attributes.get("provider")
    if attr is not None:
        ref = traversal(attr.expr)
        if not ref or len(ref) > 2:
            raise HclError(f'{hcl.where(attr.line)}: {block.type} "{rtype}" "{name}": provider must be like aws.alias')
        provider, alias = ref[0], ref[1] if len(ref) > 1 else ""
    module.resources[(mode, rtype, name)] = Resource(mode, rtype, name, provider, alias)


def _module_call(module: Module, hcl: HclFile, lines: list[str], block: Block) -> None:
    (name,) = _label(hcl, block, 1)
    what = f'module "{name}"'
    source = _const(hcl, block, "source", what) or ""
    if not source and name in module.module_calls:  # an override file keeps the original source
        source = module.module_calls[name].source
    version = _const(hcl, block, "version", what) or ""
    if not version and "?ref=" in source:  # terraform-docs' formatSource: git refs as the version
        head, _, ref = source.rpartition("?ref=")
        if ref:
            source, version = head, ref
    module.module_calls[name] = ModuleCall(name, source, version)


def _provider_config(module: Module, hcl: HclFile, lines: list[str], block: Block) -> None:
    (name,) = _label(hcl, block, 1)
    entry = module.required_providers.setdefault(name, {"source": "", "versions": []})
    version = _const(hcl, block, "version", f'provider "{name}"')
    if version is not None:
        entry["versions"].append(version)


def _terraform(module: Module, hcl: HclFile, lines: list[str], block: Block) -> None:
    core = _const(hcl, block, "required_version", "terraform")
    if core is not None:
        module.required_core.append(core)
    for inner in block.blocks:
        if inner.type != "required_providers":
            continue
        for name, attr in inner.attributes.items():
            try:
                # configuration_aliases holds references (aws.dr): read source and version one by one
                spec = _required_provider(attr.expr)
            except NotConstant as exc:
                raise HclError(f"{hcl.where(attr.line)}: required_providers.{name}: {exc}") from None
            entry = module.required_providers.setdefault(name, {"source": "", "versions": []})
            if spec.get("source"):
                if entry["source"] and entry["source"] != spec["source"]:
                    raise HclError(f"{hcl.where(attr.line)}: required_providers.{name}: two different sources")
                entry["source"] = spec["source"]
            if spec.get("version"):
                entry["versions"].append(spec["version"])


def _required_provider(expr) -> dict:
    node = expr.children[0] if expr.data == "expr_term" else expr
    if node.data != "object":  # legacy form: aws = "~> 5.0"
        value = evaluate(expr)
        if not isinstance(value, str):
            raise NotConstant("a version string or an object with source/version")
        return {"version": value}
    spec = {}
    for elem in node.children:
        if isinstance(elem, Tree) and elem.data == "object_elem":
            key = object_key(elem.children[0])
            if key in ("source", "version"):
                value = evaluate(elem.children[-1])
                if not isinstance(value, str):
                    raise NotConstant(f"{key} must be a string")
                spec[key] = value
    return spec


def _lock_file(directory: Path) -> dict[str, str]:
    """Provider versions of .terraform.lock.hcl (terraform-docs' `settings.lockfile`, on by default)."""
    path = directory / ".terraform.lock.hcl"
    if not path.is_file():
        return {}
    hcl = parse_file(path)
    versions = {}
    for block in hcl.body.blocks:
        if block.type == "provider" and block.labels:
            version = _const(hcl, block, "version", f'provider "{block.labels[0]}"')
            if version:
                versions[block.labels[0].rsplit("/", 1)[-1]] = version
    return versions


def _header(main_tf: Path) -> str:
    """The /* ... */ comment opening main.tf (terraform-docs' header-from: main.tf), without its markers."""
    if not main_tf.is_file():
        return ""
    found = []
    for line in main_tf.read_text(encoding="utf-8").split("\n"):
        tmp = line.strip()
        if not tmp.startswith(("/*", "*", "*/")):
            break
        if tmp.startswith(("/*", "*/")):
            continue
        found.append("" if tmp == "*" else line.lstrip(" ").rstrip("\r").removeprefix("* "))
    return "\n".join(found)


_READERS = {
    "variable": _variable,
    "output": _output,
    "resource": _resource,
    "data": _resource,
    "module": _module_call,
    "provider": _provider_config,
    "terraform": _terraform,
}

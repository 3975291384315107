"""Reading policies/roots.yaml: what an environment root's Terraform code may say, validated strictly.

Every expression in the file is HCL text, parsed here with the parser that reads the roots (policies/hcl.py),
so the checks compare parsed values with parsed values. A mistake is one RootsError naming the field.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.inputs.files import load_yaml, read_text
from generator.outputs import cache
from policies.hcl import HclError, parse_hcl
from policies.results import REPO

ROOTS_REL = "policies/roots.yaml"


class RootsError(ValueError):
    """policies/roots.yaml cannot be used: one line naming the file and the field."""

    def __init__(self, field_: str, message: str) -> None:
        super().__init__(f"{ROOTS_REL}: {field_ + ': ' if field_ else ''}{message}")


@dataclass(frozen=True)
class Expected:
    """An allowed value: as written in policies/roots.yaml (for messages) and as the HCL parser reads it."""

    written: Any  # HCL text, or a mapping of key: Expected-as-written for an object
    parsed: Any


@dataclass(frozen=True)
class RootSpec:
    reference: str
    blocks: tuple[str, ...]
    data_sources: tuple[str, ...]
    providers: Mapping[str, tuple[Expected, ...]]
    module_name: str
    source: Expected
    arguments: Mapping[str, Expected]
    locals: Mapping[str, Expected]
    backend_override: Any  # the parsed file
    terraform: Any  # the parsed terraform block(s) every root holds, exactly


_TOP = ("reference_root", "blocks", "data_sources", "providers", "module", "locals", "backend_override", "terraform")
_MODULE = ("name", "source", "arguments")


def _names(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RootsError(where, "must be a list of names")
    return tuple(value)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise RootsError(where, "must be one line of HCL")
    return value


class _Leaves:
    """Every HCL leaf of the file, parsed in one document (one parse, remembered by policies/hcl.py)."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []  # (field, HCL text)

    def add(self, value: Any, where: str) -> Any:
        """A placeholder tree for `value`: leaves become their index in self.texts."""
        if isinstance(value, Mapping):
            if not value:
                raise RootsError(where, "must not be empty")
            return {str(k): self.add(v, f"{where}.{k}") for k, v in value.items()}
        self.texts.append((where, _text(value, where)))
        return len(self.texts) - 1

    def parse(self) -> list[Any]:
        doc = "".join(f"e{i} = {text}\n" for i, (_, text) in enumerate(self.texts))
        try:
            parsed = parse_hcl(doc)
        except HclError:
            for where, text in self.texts:  # name the leaf that does not parse
                try:
                    parse_hcl(f"e = {text}\n")
                except HclError as exc:
                    raise RootsError(where, f"not an HCL expression: {exc.message}") from None
            raise RootsError("", "the expressions do not parse together") from None
        if set(parsed) != {f"e{i}" for i in range(len(self.texts))}:
            raise RootsError("", "an expression spans more than one value")
        return [parsed[f"e{i}"] for i in range(len(self.texts))]


def _expected(tree: Any, raw: Any, values: list[Any]) -> Expected:
    if isinstance(tree, dict):
        return Expected(raw, {k: _expected(tree[k], raw[k], values).parsed for k in tree})
    return Expected(raw, values[tree])


def validate_spec(doc: Any) -> RootSpec:
    if not isinstance(doc, Mapping):
        raise RootsError("", f"must be a mapping with {', '.join(_TOP)}")
    for key in doc:
        if key not in _TOP:
            raise RootsError(str(key), f"unknown key (known: {', '.join(_TOP)})")
    for key in _TOP:
        if key not in doc:
            raise RootsError(key, "missing")
    module = doc["module"]
    if not isinstance(module, Mapping) or set(module) != set(_MODULE):
        raise RootsError("module", f"must be a mapping of exactly {', '.join(_MODULE)}")
    for key in ("providers", "locals"):
        if not isinstance(doc[key], Mapping):
            raise RootsError(key, "must be a mapping")
    if not isinstance(module["arguments"], Mapping):
        raise RootsError("module.arguments", "must be a mapping")
    leaves = _Leaves()
    providers_tree = {}
    for name, configs in doc["providers"].items():
        if not isinstance(configs, list) or not configs:
            raise RootsError(f"providers.{name}", "must be a list of provider configurations")
        providers_tree[name] = [leaves.add(c, f"providers.{name}[{i}]") for i, c in enumerate(configs)]
    source = leaves.add(module["source"], "module.source")
    arguments = {k: leaves.add(v, f"module.arguments.{k}") for k, v in module["arguments"].items()}
    locals_ = {k: leaves.add(v, f"locals.{k}") for k, v in doc["locals"].items()}
    values = leaves.parse()
    try:
        backend = parse_hcl(_text(doc["backend_override"], "backend_override") + "\n")
    except HclError as exc:
        raise RootsError("backend_override", f"not HCL: {exc.message}") from None
    try:
        if not isinstance(doc["terraform"], str):
            raise RootsError("terraform", "must be HCL text (a YAML block scalar)")
        terraform = parse_hcl(doc["terraform"] + "\n")
    except HclError as exc:
        raise RootsError("terraform", f"not HCL: {exc.message}") from None
    if list(terraform) != ["terraform"]:
        raise RootsError("terraform", "must be one terraform block")
    if not isinstance(doc["reference_root"], str) or not doc["reference_root"]:
        raise RootsError("reference_root", "must be the name of an environment root")
    return RootSpec(
        reference=doc["reference_root"],
        blocks=_names(doc["blocks"], "blocks"),
        data_sources=_names(doc["data_sources"], "data_sources"),
        providers={
            name: tuple(_expected(t, doc["providers"][name][i], values) for i, t in enumerate(trees))
            for name, trees in providers_tree.items()
        },
        module_name=_text(module["name"], "module.name"),
        source=_expected(source, module["source"], values),
        arguments={k: _expected(t, module["arguments"][k], values) for k, t in arguments.items()},
        locals={k: _expected(t, doc["locals"][k], values) for k, t in locals_.items()},
        backend_override=backend,
        terraform=terraform["terraform"],
    )


_SPEC_CACHE: dict[str, RootSpec] = {}


def load_roots_spec(root: Path) -> RootSpec:
    """policies/roots.yaml of `root` (else the repository's), validated; raises RootsError.

    Under `python -m policies --limits FILE` ($POLICY_LIMITS: the base branch's rules judging a pull request's
    tree) it is the roots.yaml beside FILE: a pull request must not widen the allow-list that judges it."""
    trusted = os.environ.get("POLICY_LIMITS")
    path = Path(trusted).parent / "roots.yaml" if trusted else root / ROOTS_REL
    if not trusted and not os.path.lexists(path):
        path = REPO / ROOTS_REL
    try:
        text = read_text(path, "roots file")
    except InputError as exc:
        raise RootsError("", exc.message) from None
    key = hashlib.sha1(text.encode()).hexdigest()
    if key not in _SPEC_CACHE:
        try:
            doc = cache.remembered_yaml(text, lambda t: load_yaml(t, ROOTS_REL))
        except InputError as exc:
            raise RootsError(exc.field or "", exc.message) from None
        _SPEC_CACHE[key] = validate_spec(doc)
    return _SPEC_CACHE[key]

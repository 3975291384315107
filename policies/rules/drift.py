"""Drift: every environment root holds the reference root's Terraform files and lock file (envs/dev, which the
others link to), byte for byte; only terraform.tfvars and sizing.yaml differ between roots."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError
from generator.inputs.files import is_env_root, read_text
from policies.rootspec import RootSpec
from policies.rules.roots import Fail, is_override

LOCK_FILE = ".terraform.lock.hcl"


def reference_root(root: Path, spec: RootSpec) -> str | None:
    """The root the others must match: policies/roots.yaml's, else the first one (a tree without it)."""
    envs = root / "envs"
    if is_env_root(envs / spec.reference):
        return spec.reference
    names = sorted(p.name for p in envs.iterdir() if is_env_root(p)) if envs.is_dir() else []
    return names[0] if names else None


@dataclass(frozen=True)
class Reference:
    """The reference root and its Terraform files (name -> text, or why it cannot be read), read once."""

    name: str
    files: Mapping[str, str | InputError]


def _root_files(folder: Path) -> list[str]:
    found = {p.name for p in folder.glob("*.tf") if not is_override(p.name)}
    return sorted(found | ({LOCK_FILE} if os.path.lexists(folder / LOCK_FILE) else set()))


def _read(path: Path) -> str | InputError:
    try:
        return read_text(path, "Terraform file")
    except InputError as exc:
        return exc


def read_reference(root: Path, spec: RootSpec) -> Reference | None:
    name = reference_root(root, spec)
    if name is None:
        return None
    folder = root / "envs" / name
    return Reference(name, {f: _read(folder / f) for f in _root_files(folder)})


def check_drift(root: Path, env: str, reference: Reference | None, fail: Fail) -> None:
    """The root holds the reference root's Terraform files and lock file, byte for byte."""
    if reference is None or env == reference.name:
        return
    env_dir, ref = root / "envs" / env, reference.name
    ours, theirs = set(_root_files(env_dir)), set(reference.files)
    why = f"every root holds the Terraform code of envs/{ref} (its files are links to ../{ref}/)"
    for name in sorted(theirs - ours):
        fail(f"envs/{env}/{name}", None, "roots.drift", f"missing: envs/{ref} has it; {why}")
    for name in sorted(ours - theirs):
        fail(f"envs/{env}/{name}", None, "roots.drift", f"not in envs/{ref}: {why}")
    for name in sorted(ours & theirs):
        mine, theirs_text = _read(env_dir / name), reference.files[name]
        if isinstance(mine, InputError) or isinstance(theirs_text, InputError):
            problem = mine if isinstance(mine, InputError) else theirs_text
            fail(f"envs/{env}/{name}", None, "roots.drift", f"cannot be compared with envs/{ref}: {problem.message}")
            continue
        if mine != theirs_text:
            a, b = mine.splitlines(), theirs_text.splitlines()
            line = next((i + 1 for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)) + 1)
            fail(
                f"envs/{env}/{name}",
                line,
                "roots.drift",
                f"differs from envs/{ref}/{name} (from line {line}): {why}",
            )

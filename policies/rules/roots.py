"""Roots: an environment root's Terraform code hands terraform.tfvars to the module untouched.

The checks read an environment's values from its terraform.tfvars; that is what gets deployed only if the
root passes each variable to the module as it is. So, in every root (the reference one included):
- only the block types, data sources and provider configurations policies/roots.yaml lists;
- one module call, to the repository's module, each argument the root's variable of the same name
  (`max_capacity = var.max_capacity`) or the one expression policies/roots.yaml allows for it, every
  variable the module shares with the root passed, and the locals those arguments read exactly as listed;
- scripts/tf-run.sh's backend_override.tf holding only its backend block.
The roots hold the same files as the reference one: policies/rules/drift.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policies.hcl import HclError, block_lines, line_of, parse_hcl, read_hcl_text
from policies.results import Raw, fmt
from policies.rootspec import ROOTS_REL, Expected, RootSpec
from policies.rules.declarations import BACKEND_OVERRIDE, foreign_file

Fail = Callable[[str, "int | None", str, str], None]
NOTE = f"({ROOTS_REL})"


@dataclass(frozen=True)
class TfFile:
    name: str
    rel: str
    text: str
    parsed: Mapping[str, Any]


def is_override(name: str) -> bool:
    """Terraform merges these over the other files (declarations.foreign_file reports them)."""
    return name == "override.tf" or name.endswith("_override.tf")


def read_tf_files(env_dir: Path, env: str, fail: Fail) -> list[TfFile]:
    """Every .tf file of the root but override files, parsed; one violation per file that cannot be."""
    files = []
    for tf in sorted(env_dir.glob("*.tf")):
        if is_override(tf.name):
            continue
        rel = f"envs/{env}/{tf.name}"
        try:
            text = read_hcl_text(tf)
            files.append(TfFile(tf.name, rel, text, parse_hcl(text)))
        except HclError as exc:
            fail(rel, exc.line, *exc.violation_text())
    return files


# ---------------------------------------------------------------------------
# How values are shown: as HCL, the way they are written
# ---------------------------------------------------------------------------
def _hcl(value: Any) -> str:
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}") and value.count("${") == 1:
            return value[2:-1]
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {_hcl(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_hcl(v) for v in value) + "]"
    return fmt(value, None)


def shown(value: Any) -> str:
    return fmt(Raw(_hcl(value)))


def _written(written: Any) -> str:
    if isinstance(written, Mapping):
        return "{" + ", ".join(f"{k} = {_written(v)}" for k, v in written.items()) + "}"
    return str(written)


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------
def check_root(
    env_dir: Path,
    env: str,
    files: list[TfFile],
    spec: RootSpec,
    root_vars: set[str],
    module_vars: set[str] | None,
    fail: Fail,
) -> None:
    _check_blocks(files, spec, fail)
    _check_providers(env, files, spec, fail)
    _check_module_calls(env, files, spec, root_vars, module_vars, fail)
    _check_locals(env, files, spec, fail)
    _check_terraform_block(env, files, spec, fail)
    _check_backend_override(env_dir, env, spec, fail)


def _check_terraform_block(env: str, files: list[TfFile], spec: RootSpec, fail: Fail) -> None:
    """The required providers, Terraform's version and the backend are the spec's: nothing else."""
    found = [(f, block) for f in files for block in f.parsed.get("terraform", [])]
    if [block for _, block in found] == list(spec.terraform):
        return
    if not found:
        fail(f"envs/{env}", None, "roots.terraform", f"no terraform block: it must be the one in {ROOTS_REL}")
        return
    seen: dict[str, int] = {}
    expected = list(spec.terraform)
    for f, block in found:
        index = seen[f.rel] = seen.get(f.rel, -1) + 1  # the file's n-th terraform block, for its line
        if block in expected:  # each allowed block once; any other block, or a second copy, is the violation
            expected.remove(block)
        else:
            lines = block_lines(f.text, "terraform")
            line = lines[index] if index < len(lines) else None
            fail(
                f.rel,
                line,
                "roots.terraform",
                "the terraform block (required providers, version, backend) must be exactly the one in "
                f"{ROOTS_REL}: another provider source or backend runs other code with the plan's credentials",
            )


def _check_blocks(files: list[TfFile], spec: RootSpec, fail: Fail) -> None:
    for f in files:
        for kind in f.parsed:
            if kind not in spec.blocks:
                line = (block_lines(f.text, kind) or [line_of(f.text, kind)])[0]
                fail(
                    f.rel,
                    line,
                    "roots.block",
                    f"a {kind} block: an environment root holds only {', '.join(spec.blocks)} blocks; "
                    f"resources belong in the module {NOTE}",
                )
        for block in f.parsed.get("data", []):
            for kind in block:
                if kind not in spec.data_sources:
                    fail(
                        f.rel,
                        (block_lines(f.text, "data", kind) or [None])[0],
                        "roots.data",
                        f'data "{kind}": a root reads only {", ".join(spec.data_sources)} {NOTE}',
                    )


def _check_providers(env: str, files: list[TfFile], spec: RootSpec, fail: Fail) -> None:
    found: dict[str, list[tuple[Any, TfFile, int | None]]] = {}
    for f in files:
        seen: dict[str, int] = {}
        for block in f.parsed.get("provider", []):
            for name, body in block.items():
                lines = block_lines(f.text, "provider", name)
                n = seen.get(name, 0)
                seen[name] = n + 1
                found.setdefault(name, []).append((body, f, lines[n] if n < len(lines) else None))
    for name, configs in found.items():
        allowed = list(spec.providers.get(name, ()))
        for body, f, line in configs:
            match = next((e for e in allowed if e.parsed == body), None)
            if match is not None:
                allowed.remove(match)
                continue
            if not spec.providers.get(name):
                message = f'provider "{name}": a root configures only {", ".join(spec.providers)} {NOTE}'
            else:
                ways = "; ".join(_written(e.written) for e in spec.providers[name])
                message = f'provider "{name}" {shown(body)} is not one of the allowed configurations: {ways} {NOTE}'
            fail(f.rel, line, "roots.provider", message)
    for name, expected in spec.providers.items():
        missing = len(expected) - len(found.get(name, []))
        if missing > 0:
            fail(
                f"envs/{env}",
                None,
                "roots.provider",
                f'{missing} provider "{name}" configuration(s) missing: '
                f"{'; '.join(_written(e.written) for e in expected)} {NOTE}",
            )


def _check_module_calls(
    env: str,
    files: list[TfFile],
    spec: RootSpec,
    root_vars: set[str],
    module_vars: set[str] | None,
    fail: Fail,
) -> None:
    calls: list[tuple[Any, TfFile, int | None]] = []
    for f in files:
        seen: dict[str, int] = {}
        for block in f.parsed.get("module", []):
            for name, body in block.items():
                lines = block_lines(f.text, "module", name)
                n = seen.get(name, 0)
                seen[name] = n + 1
                line = lines[n] if n < len(lines) else None
                if name != spec.module_name:
                    fail(
                        f.rel,
                        line,
                        "roots.module",
                        f'module "{name}": a root calls only module "{spec.module_name}" {NOTE}',
                    )
                    continue
                calls.append((body, f, line))
    if not calls:
        fail(f"envs/{env}", None, "roots.module", f'the root does not call module "{spec.module_name}" {NOTE}')
        return
    calls.sort(key=lambda c: c[1].name != "main.tf")  # main.tf's call is the one; any other is a second one
    for _, f, line in calls[1:]:
        fail(f.rel, line, "roots.module", f'a second module "{spec.module_name}" block: a root calls it once {NOTE}')
    body, f, line = calls[0]
    _check_call(body if isinstance(body, Mapping) else {}, f, line or 0, spec, root_vars, module_vars, fail)


def _check_call(
    body: Mapping[str, Any],
    f: TfFile,
    line: int,
    spec: RootSpec,
    root_vars: set[str],
    module_vars: set[str] | None,
    fail: Fail,
) -> None:
    def at(dotted: str) -> int | None:
        return line_of(f.text, dotted, line) or line or None

    if body.get("source") != spec.source.parsed:
        fail(
            f.rel,
            at("source"),
            "roots.source",
            f"source = {shown(body.get('source'))}: the root calls the repository's module, "
            f"{_written(spec.source.written)} {NOTE}",
        )
    for arg, value in body.items():
        if arg == "source":
            continue
        if arg in spec.arguments:
            _check_allowed(arg, value, spec.arguments[arg], f, at, fail)
        elif module_vars is not None and arg not in module_vars:
            fail(
                f.rel,
                at(arg),
                "roots.argument",
                f"{arg} = {shown(value)}: {arg} is not a variable of the module; a root passes only "
                f"the module's variables, each as var.<same name> {NOTE}",
            )
        elif value != f"${{var.{arg}}}" or arg not in root_vars:
            fail(
                f.rel,
                at(arg),
                "roots.argument",
                f"{arg} = {shown(value)}: must be var.{arg}, the root's own variable, so that terraform.tfvars "
                f"(what the checks read) is what gets deployed {NOTE}",
            )
    for arg in spec.arguments:
        if arg not in body:
            fail(
                f.rel,
                line or None,
                "roots.argument",
                f"{arg} is not passed to the module: it must be {_written(spec.arguments[arg].written)} {NOTE}",
            )
    for name in sorted(root_vars & (module_vars or set())):
        if name not in body and name not in spec.arguments:
            fail(
                f.rel,
                line or None,
                "roots.argument",
                f"{name} is not passed to the module: the module's default would be deployed instead of "
                f"terraform.tfvars' value (pass {name} = var.{name})",
            )


def _check_allowed(arg: str, value: Any, want: Expected, f: TfFile, at, fail: Fail) -> None:  # noqa: ANN001
    if value == want.parsed:
        return
    if isinstance(want.written, Mapping) and isinstance(value, Mapping):  # name the attribute that differs
        for key in sorted(set(value) | set(want.written), key=str):
            got, expected = value.get(key), want.parsed.get(key)
            if key not in want.written:
                fail(f.rel, at(f"{arg}.{key}"), "roots.argument", f"{arg}.{key} is not allowed {NOTE}")
            elif key not in value:
                fail(
                    f.rel,
                    at(arg),
                    "roots.argument",
                    f"{arg}.{key} is missing: it must be {_written(want.written[key])} {NOTE}",
                )
            elif got != expected:
                fail(
                    f.rel,
                    at(f"{arg}.{key}"),
                    "roots.argument",
                    f"{arg}.{key} = {shown(got)}: must be {_written(want.written[key])} {NOTE}",
                )
        return
    fail(f.rel, at(arg), "roots.argument", f"{arg} = {shown(value)}: must be {_written(want.written)} {NOTE}")


def _check_locals(env: str, files: list[TfFile], spec: RootSpec, fail: Fail) -> None:
    defined: dict[str, tuple[Any, TfFile, int]] = {}
    for f in files:
        headers = block_lines(f.text, "locals")
        for i, block in enumerate(f.parsed.get("locals", [])):
            header = headers[i] if i < len(headers) else 0
            for name, value in (block or {}).items():
                defined.setdefault(name, (value, f, header))
    for name, want in spec.locals.items():
        if name not in defined:
            fail(
                f"envs/{env}", None, "roots.local", f"local.{name} is not defined: it must be {_written(want.written)}"
            )
            continue
        value, f, header = defined[name]
        if value != want.parsed:
            fail(
                f.rel,
                line_of(f.text, name, header) or header or None,
                "roots.local",
                f"local.{name} = {shown(value)}: the module reads it, so it must be {_written(want.written)} {NOTE}",
            )


def _check_backend_override(env_dir: Path, env: str, spec: RootSpec, fail: Fail) -> None:
    """scripts/tf-run.sh's file (declarations.foreign_file accepts it by its first line) holds only the backend."""
    path = env_dir / BACKEND_OVERRIDE
    if not os.path.lexists(path) or foreign_file(env_dir, BACKEND_OVERRIDE) is not None:
        return
    rel = f"envs/{env}/{BACKEND_OVERRIDE}"
    try:
        parsed = parse_hcl(read_hcl_text(path))
    except HclError as exc:
        fail(rel, exc.line, *exc.violation_text())
        return
    if parsed != spec.backend_override:
        fail(
            rel,
            None,
            "roots.override",
            "holds more than the S3 backend block scripts/tf-run.sh writes: an override file changes the "
            f"configuration after everything the checks read {NOTE}",
        )

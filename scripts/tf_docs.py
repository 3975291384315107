#!/usr/bin/env python3
"""Write (or --check) the terraform-docs tables in the README.md of the module and of every example.

    python scripts/tf_docs.py [--check] [DIR ...]

Without DIR: every module under modules/ and every example under modules/*/examples/ (found on each
run, so a new example is picked up without editing anything). The tables are those of terraform-docs
v0.24.0's default `markdown table` format (scripts/tfdocs/render.py), between
<!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS -->; a README without the markers gets the section appended
at its end, and a note says so.

Exit codes: 0 up to date (or written), 1 --check found stale READMEs (each named; nothing written),
2 bad input (malformed HCL, a non-constant default, a broken marker pair): one line naming the file,
nothing written. Files are written atomically, and only when their content changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tfdocs import HclError, inject, load_module, render
from tfdocs.sanitize import vanishing_tags

from generator.outputs.writer import write_all

ROOT = Path(__file__).resolve().parent.parent


def discover(root: Path) -> list[Path]:
    """Every module directory under modules/ and every example of theirs that holds .tf files."""
    candidates = sorted(root.glob("modules/*")) + sorted(root.glob("modules/*/examples/*"))
    return [d for d in candidates if d.is_dir() and any(d.glob("*.tf"))]


def plan(directories: list[Path]) -> tuple[list[tuple[Path, str, str]], list[str]]:
    """(README path, wanted content, note) for each directory, and warnings; raises HclError on bad input."""
    planned, warnings = [], []
    for directory in directories:
        readme = directory / "README.md"
        current = readme.read_text(encoding="utf-8") if readme.is_file() else None
        module = load_module(directory)
        wanted, note = inject(current, render(module), _show(readme))
        planned.append((readme, wanted, note if wanted != current else ""))
        items = [("input", v.name, v.description) for v in module.variables.values()]
        items += [("output", o.name, o.description) for o in module.outputs.values()]
        for kind, name, description in items:
            for tag in vanishing_tags(description):
                warnings.append(
                    f"warning: {_show(directory)}: {kind} {name}: GitHub hides {tag} in the description as an"
                    " HTML tag; put it in backticks"
                )
    return planned, warnings


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a README is stale")
    parser.add_argument("directories", nargs="*", type=Path, help="Terraform directories (default: discovered)")
    args = parser.parse_args(argv)
    directories = args.directories or discover(ROOT)
    for directory in directories:
        if not directory.is_dir():
            print(f"error: {directory}: not a directory", file=sys.stderr)
            return 2
    try:
        planned, warnings = plan(directories)
    except HclError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(warning, file=sys.stderr)
    stale = [(readme, wanted, note) for readme, wanted, note in planned if not _same(readme, wanted)]
    if args.check:
        for readme, _wanted, _note in stale:
            print(f"{_show(readme)}: terraform-docs section is stale (run `make docs`)", file=sys.stderr)
        print(f"tf-docs: {len(planned)} README(s) checked, {len(stale)} stale")
        return 1 if stale else 0
    write_all([(readme, wanted) for readme, wanted, _note in stale])  # all or none, each atomically
    for readme, _wanted, note in stale:
        print(note or f"{_show(readme)}: updated")
    print(f"tf-docs: {len(planned)} README(s) checked, {len(stale)} updated")
    return 0


def _same(path: Path, content: str) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == content


if __name__ == "__main__":
    sys.exit(main())

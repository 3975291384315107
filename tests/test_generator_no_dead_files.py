"""Every data file, template and schema in the generator package is read by the code: a dated file that
nothing reads (an old price list) looks like a source of the figures and is not one. Old lists live in git."""

from __future__ import annotations

from pathlib import Path

import generator

PACKAGE = Path(generator.__file__).resolve().parent
CODE = [*PACKAGE.rglob("*.py"), *(PACKAGE.parent / "policies").rglob("*.py")]


def test_every_packaged_file_is_named_by_the_code():
    code = "\n".join(p.read_text(encoding="utf-8") for p in CODE)
    unread = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or path.suffix == ".py" or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(PACKAGE)
        # named as data.py names it ("prices/....yaml"), or by its file name alone
        if rel.relative_to(rel.parts[0]).as_posix() not in code and path.name not in code:
            unread.append(rel.as_posix())
    assert not unread, f"files nothing reads (remove them, or read them): {unread}"

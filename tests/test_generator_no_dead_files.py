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


def test_every_function_is_called_by_the_code_not_only_by_tests():
    """A function only tests call is dead code with a test pinning it (once the retired row_bytes projection,
    while the report used the measured one; a test helper in module_billing). Decorated validators and
    pytest hooks are called by their frameworks."""
    import re
    from collections import Counter

    sources = {p: p.read_text(encoding="utf-8") for p in CODE if p.name != "conftest.py"}
    scripts = PACKAGE.parent / "scripts"
    used_by = "\n".join([*sources.values(), *(p.read_text(encoding="utf-8") for p in scripts.rglob("*.py"))])
    words = Counter(re.findall(r"\w+", used_by))  # a name's whole-word uses, counted in one pass over the code
    dead = []
    for path, text in sources.items():
        for m in re.finditer(r"^(?P<decorated>[ ]*@.*\n)?[ ]*def (?P<name>\w+)\(", text, re.M):
            if m["decorated"] or m["name"].startswith(("test_", "__")):
                continue
            if words[m["name"]] <= 1:
                dead.append(f"{path.relative_to(PACKAGE.parent)}:{m['name']}")
    assert not dead, f"functions nothing but tests calls: {dead}"


MAX_LINES = 400  # the guide's bound: small modules with one job each


def test_no_python_file_is_over_400_lines():
    root = PACKAGE.parent
    files = [p for d in ("generator", "policies", "tests", "scripts") for p in (root / d).rglob("*.py")]
    long = {
        p.relative_to(root).as_posix(): n for p in files if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_LINES
    }
    assert not long, f"split these (lines): {long}"

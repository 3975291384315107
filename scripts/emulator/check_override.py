"""The emulator override may only switch off what moto lacks: scripts/tf-run.sh refuses any other.

    check_override.py FILE

emulator_override.tf is merged into the module call of every moto plan, and an override can set any module
argument: one that set max_capacity or deletion_protection would hide from the plan checks what main.tf
says. So the file may hold only one `module "aurora"` block setting `create_backup_selection = false`,
`storage_type = null`, `monthly_budget_usd = null` and a `timeouts` map of create/update/delete durations,
with comments and blank lines. Anything else (another block or argument, another value, a heredoc, a
/* comment */, a second module block) is one line naming the file and line, exit 2. The pull-request gate
also uses the base branch's copy (make plan TRUSTED=...), so a pull request's own edit never reaches it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_COMMENT = r"\s*(?:(?:#|//).*)?$"  # a trailing comment; nothing these lines allow holds # or //
_MODULE_ARGS = re.compile(
    r"\s*(?:create_backup_selection\s*=\s*false|storage_type\s*=\s*null|monthly_budget_usd\s*=\s*null)" + _COMMENT
)
_TIMEOUT = re.compile(r'\s*(?:create|update|delete)\s*=\s*"[0-9]{1,3}[smh]"' + _COMMENT)
_OPEN_MODULE = re.compile(r'\s*module\s+"aurora"\s*\{' + _COMMENT)
_OPEN_TIMEOUTS = re.compile(r"\s*timeouts\s*=\s*\{" + _COMMENT)
_CLOSE = re.compile(r"\s*\}" + _COMMENT)
_BLANK = re.compile(_COMMENT)


def problem(text: str) -> tuple[int, str] | None:
    """(line, what is wrong) for the first line the allow-list refuses, None when the file is allowed."""
    state, modules = "top", 0
    for number, line in enumerate(text.splitlines(), 1):
        if _BLANK.fullmatch(line):
            continue
        if state == "top" and _OPEN_MODULE.fullmatch(line):
            modules += 1
            if modules > 1:
                return number, 'a second module "aurora" block'
            state = "module"
        elif state == "module" and _MODULE_ARGS.fullmatch(line):
            pass
        elif state == "module" and _OPEN_TIMEOUTS.fullmatch(line):
            state = "timeouts"
        elif state in ("module", "timeouts") and _CLOSE.fullmatch(line):
            state = "module" if state == "timeouts" else "top"
        elif state == "timeouts" and _TIMEOUT.fullmatch(line):
            pass
        else:
            where = {"top": "outside the module block", "module": "in the module block", "timeouts": "in timeouts"}
            return number, f"{where[state]}: only the emulator's switches are allowed, not {line.strip()[:60]!r}"
    if state != "top":
        return len(text.splitlines()), "the module block is not closed"
    if modules == 0:
        return 1, 'no module "aurora" block'
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: check_override.py FILE", file=sys.stderr)
        return 2
    path = Path(argv[0])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{path}: cannot read the emulator override: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    found = problem(text)
    if found is not None:
        print(f"{path}: line {found[0]}: {found[1]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

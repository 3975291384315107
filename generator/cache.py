"""A small content-addressed cache for the pull-request gate, outside the repository.

`render --check` and the HCL policy checks are run on every pull request and by hand many times a
day, almost always on files that have not changed. Parsing HCL (python-hcl2's grammar) and building the
pydantic model cost most of their time, so their results are remembered under the SHA-256 of
everything that decides them: for a rendered tfvars, the sizing file and every source and data file
of the generator; for parsed HCL, the text and the parser's version.

The cache lives in the user's cache folder ($XDG_CACHE_HOME or ~/.cache, /mistersmith-aurora), never
in the repository: a pull request cannot plant an entry (a committed cache would let a crafted entry
stand in for a file's real content). AURORA_CACHE_DIR moves it; AURORA_CACHE_DIR=off turns it off.
A missing, unreadable or unwritable cache only costs time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_OFF = ("off", "0", "no", "false")


def directory() -> Path | None:
    configured = os.environ.get("AURORA_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in _OFF or not configured.strip() else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mistersmith-aurora"


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def get(kind: str, key: str, max_bytes: int = 4_000_000) -> str | None:
    folder = directory()
    if folder is None:
        return None
    path = folder / kind / key
    try:
        if not path.is_file() or path.stat().st_size > max_bytes:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def put(kind: str, key: str, text: str) -> None:
    folder = directory()
    if folder is None:
        return
    tmp = None
    try:
        target = folder / kind
        target.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target / key)
    except OSError:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


_SOURCES: str | None = None


def generator_sources() -> str:
    """Digest of every file that decides what the generator renders: its code, data files and template,
    and the pinned dependency versions (constraints.txt)."""
    global _SOURCES
    if _SOURCES is None:
        package = Path(__file__).resolve().parent
        files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".j2", ".json")
                       and "__pycache__" not in p.parts)
        constraints = package.parent / "constraints.txt"
        parts: list[bytes | str] = []
        for p in [*files, *([constraints] if constraints.is_file() else [])]:
            parts += [p.relative_to(package.parent).as_posix(), p.read_bytes()]
        _SOURCES = digest(*parts)
    return _SOURCES

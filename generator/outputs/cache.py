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

import datetime as _dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

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


def _sealed(kind: str, key: str, text: str) -> str:
    """An entry's first line is the digest of its kind, key and value: anything else in the file (a partial
    write, another tool, a bit flip, a value from an older layout) is a miss, never an answer."""
    return digest(kind, key, text) + "\n" + text


def get(kind: str, key: str, max_bytes: int = 4_000_000) -> str | None:
    folder = directory()
    if folder is None:
        return None
    path = folder / kind / key
    try:
        if not path.is_file() or path.stat().st_size > max_bytes:
            return None
        seal, _, text = path.read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return text if seal == digest(kind, key, text) else None


def put(kind: str, key: str, text: str) -> None:
    folder = directory()
    if folder is None:
        return
    tmp = None
    try:
        target = folder / kind
        target.mkdir(parents=True, exist_ok=True)
        import tempfile  # 20 ms of imports: only when something is written

        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_sealed(kind, key, text))
        os.replace(tmp, target / key)
    except OSError:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def encode(value: Any) -> str:
    """JSON that keeps what YAML data holds and JSON would lose: non-text keys (1: 189) and dates."""

    def tag(v: Any) -> Any:
        if isinstance(v, dict):
            if all(isinstance(k, str) for k in v):
                return {k: tag(x) for k, x in v.items()}
            return {"__pairs__": [[tag(k), tag(x)] for k, x in v.items()]}
        if isinstance(v, (list, tuple)):
            return [tag(x) for x in v]
        if isinstance(v, (_dt.date, _dt.datetime)):
            return {"__date__": v.isoformat(), "__time__": isinstance(v, _dt.datetime)}
        return v

    return json.dumps(tag(value))


def decode(text: str) -> Any:
    def untag(v: Any) -> Any:
        if isinstance(v, dict):
            if "__pairs__" in v:
                return {untag(k): untag(x) for k, x in v["__pairs__"]}
            if "__date__" in v:
                kind = _dt.datetime if v["__time__"] else _dt.date
                return kind.fromisoformat(v["__date__"])
            return {k: untag(x) for k, x in v.items()}
        if isinstance(v, list):
            return [untag(x) for x in v]
        return v

    return untag(json.loads(text))


def remembered_yaml(text: str, parse) -> Any:  # noqa: ANN001 - parse: str -> value
    """`parse(text)` (a YAML load), remembered by the text's digest so PyYAML is not even imported next time."""
    key = digest("yaml", text)
    if (hit := get("yaml", key)) is not None:
        try:
            return decode(hit)
        except (ValueError, KeyError, TypeError):
            pass
    value = parse(text)
    try:
        put("yaml", key, encode(value))
    except (TypeError, ValueError):
        pass  # a value JSON cannot hold: parsed again next time
    return value


_SOURCES: str | None = None


def generator_sources() -> str:
    """Digest of every file that decides what the generator renders: its code, data files and template,
    and the pinned dependency versions (constraints.txt)."""
    global _SOURCES
    if _SOURCES is None:
        package = Path(__file__).resolve().parents[1]
        files = sorted(
            p
            for p in package.rglob("*")
            if p.is_file() and p.suffix in (".py", ".yaml", ".j2", ".json") and "__pycache__" not in p.parts
        )
        constraints = package.parent / "constraints.txt"
        parts: list[bytes | str] = []
        for p in [*files, *([constraints] if constraints.is_file() else [])]:
            parts += [p.relative_to(package.parent).as_posix(), p.read_bytes()]
        _SOURCES = digest(*parts)
    return _SOURCES

"""Writing the rendered files: all or none, each atomically, and no temporary file left for long."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from generator.inputs.files import TFVARS_FILE

# Temporary files of an interrupted write: `.terraform.tfvars.<random>.tmp` (gitignored), removed by the next render.
TMP_PREFIX, TMP_SUFFIX = f".{TFVARS_FILE}.", ".tmp"
TMP_MAX_AGE_S = 60  # younger ones may belong to a render running right now


def clean_temp_files(folder: Path, now: float | None = None) -> list[Path]:
    """Remove what an interrupted render left in `folder` (temporary files older than TMP_MAX_AGE_S)."""
    now = time.time() if now is None else now
    removed = []
    for tmp in folder.glob(f"{TMP_PREFIX}*{TMP_SUFFIX}"):
        try:
            if tmp.is_file() and not tmp.is_symlink() and now - tmp.stat().st_mtime > TMP_MAX_AGE_S:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue  # not ours to fight over: the write below reports a folder it cannot use
    return removed


def stage(path: Path, content: str | bytes) -> Path:
    """Write `content` (text as UTF-8 with LF line ends, bytes as they are) to a temporary file beside `path`
    (same folder, so the rename is atomic): `.<name>.<random>.tmp`; return it."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    except OSError as exc:  # name the folder that refuses, not a random temporary name
        raise type(exc)(exc.errno, exc.strerror, str(path.parent)) from None
    try:
        binary = isinstance(content, bytes)
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.is_file() else 0o644)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return Path(tmp)


def check_writable(path: Path) -> None:
    """Raise OSError now if `path` could not be written by write_all later (a long run checks before it starts):
    it must be a regular file or absent, in a folder where a temporary file can be made."""
    if path.exists() and not path.is_file():
        raise IsADirectoryError(21, "not a regular file", str(path))
    stage(path, b"").unlink()


def write_all(files: list[tuple[Path, str | bytes]]) -> None:
    """Write every file or none: all are staged first (an unwritable folder fails before any file
    changes), then each temporary file is renamed over its target. Raises OSError."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files:
            if path.exists() and not path.is_file():
                raise IsADirectoryError(21, "not a regular file", str(path))
            staged.append((stage(path, text), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()

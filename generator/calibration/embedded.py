"""The embedded PostgreSQL a calibration runs on when no --dsn is given: pgserver's PostgreSQL 16 in a temporary
folder owned by this process, removed at the end, and reaped by the next run when a killed one left it behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

TMP_PREFIX = "aurora-calibrate-"
OWNER_SUFFIX = ".owner"  # <folder>.owner beside the server's folder: the pid of the aurora-gen process it belongs to


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_orphans(tmp_root: Path | None = None) -> list[Path]:
    """Stop and remove the embedded servers of runs that died without cleaning up (SIGKILL, a power cut):
    their owner process is gone. A live run's server, or a folder without an owner file, is left alone."""
    removed = []
    for owner_file in sorted(Path(tmp_root or tempfile.gettempdir()).glob(f"{TMP_PREFIX}*{OWNER_SUFFIX}")):
        folder = owner_file.with_name(owner_file.name.removesuffix(OWNER_SUFFIX))
        try:
            owner = int(owner_file.read_text().strip())
        except (OSError, ValueError):
            continue
        if owner == os.getpid() or _alive(owner):
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            postmaster = int((folder / "postmaster.pid").read_text().splitlines()[0])
            # Only a postgres serving this very folder (the pid may have been reused since).
            if str(folder) in Path(f"/proc/{postmaster}/cmdline").read_bytes().decode(errors="replace"):
                os.kill(postmaster, signal.SIGQUIT)  # immediate shutdown: the data is thrown away
                deadline = time.monotonic() + 10
                while _alive(postmaster) and time.monotonic() < deadline:
                    time.sleep(0.1)
        shutil.rmtree(folder, ignore_errors=True)
        owner_file.unlink(missing_ok=True)
        removed.append(folder)
    return removed


@contextlib.contextmanager
def embedded_server() -> Iterator[tuple[str, str]]:
    """A PostgreSQL 16 from the pgserver wheel in a temporary directory: (dsn, description); removed at the end.

    <tmp>.owner names this process, so the next run can clean up after a SIGKILL (reap_orphans). The data
    directory is the folder itself: pgserver puts its socket there, and a socket path is at most 107 bytes.
    """
    tmp = tempfile.mkdtemp(prefix=TMP_PREFIX)
    owner_file = Path(tmp + OWNER_SUFFIX)
    owner_file.write_text(f"{os.getpid()}\n")
    server = None
    try:
        # An interrupt while the server starts would leave a postmaster nobody stops: hold SIGINT and SIGTERM
        # until `server` can clean up; a signal that came meanwhile is delivered when they are unblocked.
        held = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            with (
                warnings.catch_warnings()
            ):  # platformdirs warns when XDG_RUNTIME_DIR is unset (CI): not the user's concern
                warnings.simplefilter("ignore")
                import pgserver

                server = pgserver.get_server(tmp, cleanup_mode="delete")
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
        yield server.get_uri(), f"embedded (pgserver {_version('pgserver')})"
    finally:
        signal.pthread_sigmask(
            signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}
        )  # a second ^C must not stop the cleanup
        try:
            if server is not None:
                with contextlib.suppress(Exception):
                    server.cleanup()
            shutil.rmtree(tmp, ignore_errors=True)
            owner_file.unlink(missing_ok=True)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)

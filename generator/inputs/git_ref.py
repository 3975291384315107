"""Reading files at a git ref without a checkout (aurora-gen diff's base side).

A file at the ref is held to the working tree's rules (generator/inputs/files.py): a regular file, bounded, UTF-8.
A bad ref or a git failure is a DiffError: one line, exit 2.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.errors import InputError
from generator.inputs.files import promotion_order


class DiffError(Exception):
    """A bad ref or a git failure: one line, exit 2."""


# ---------------------------------------------------------------------------
# Reading the base from git (no checkout)
# ---------------------------------------------------------------------------
def _git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        if binary:  # file contents: decoded by the same rules as a file in the working tree
            return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
        # errors="replace": git's own messages and the data files compared in changed_data, never parsed.
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, encoding="utf-8", errors="replace", check=False
        )
    except FileNotFoundError:
        raise DiffError("git is not installed") from None


def resolve_ref(root: Path, ref: str) -> str:
    if not root.is_dir():  # git's cwd: a missing one would read as "git is not installed", a file as a traceback
        raise DiffError(f"{root}: not a folder")
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise DiffError(f"{root}: not in a git repository")
    proc = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if proc.returncode != 0 or not proc.stdout.strip():
        raise DiffError(f"--base {ref}: not a commit in this repository")
    return proc.stdout.strip()


def base_envs(root: Path, commit: str) -> list[str]:
    """Environments at the commit: every envs/<env>/sizing.yaml entry (paths relative to root, like discover_envs).

    -z: unquoted paths (git quotes non-ASCII ones otherwise, and such an environment would vanish from the diff).
    Entries that are not regular files are listed too, and read_blob refuses them by name.
    """
    proc = _git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", "envs")
    if proc.returncode != 0:
        raise DiffError(f"git ls-tree {commit[:12]} envs: {proc.stderr.strip() or 'failed'}")
    names = []
    for line in proc.stdout.split("\0"):
        parts = line.split("/")
        if len(parts) == 3 and parts[0] == "envs" and parts[2] == "sizing.yaml":
            names.append(parts[1])
    return promotion_order(names)


def show(root: Path, commit: str, path: str) -> str | None:
    """The file at the commit (path relative to root), None where it has none (compared, never parsed)."""
    proc = _git(root, "show", f"{commit}:./{path}")
    return proc.stdout if proc.returncode == 0 else None


# ls-tree's modes of what is not a regular file
_NOT_A_FILE = {"120000": "a symbolic link", "160000": "a submodule", "040000": "a directory"}


def read_blob(root: Path, ref: str, commit: str, path: str) -> str | None:
    """The text of `path` at the commit, held to the working tree's rules (inputs.read_text): a regular file of
    at most MAX_BYTES, UTF-8. None where the commit has no such path; InputError naming REF:path otherwise."""
    from generator.inputs.files import MAX_BYTES, decode

    proc = _git(root, "ls-tree", "-z", "-l", commit, "--", path, binary=True)
    if proc.returncode != 0:
        raise DiffError(f"git ls-tree {commit[:12]} {path}: {proc.stderr.decode(errors='replace').strip() or 'failed'}")
    entry = proc.stdout.split(b"\0")[0].decode("utf-8", errors="replace")
    if not entry:
        return None
    mode, kind, obj, size = entry.split("\t")[0].split()
    label = Path(f"{ref}:{path}")
    if kind != "blob" or mode in _NOT_A_FILE:
        raise InputError(label, None, f"is {_NOT_A_FILE.get(mode, 'a ' + kind)} at {ref}, not a regular file")
    if int(size) > MAX_BYTES:
        raise InputError(label, None, f"is {int(size):,} bytes, above the {MAX_BYTES:,}-byte limit for a sizing file")
    blob = _git(root, "cat-file", "blob", obj, binary=True)
    if blob.returncode != 0:
        raise DiffError(f"git cat-file {obj[:12]}: {blob.stderr.decode(errors='replace').strip() or 'failed'}")
    return decode(blob.stdout, label)


def changed_data(root: Path, ref: str, commit: str, sources: list[dict[str, str]]) -> list[str]:
    """Notes on the data files (prices, limits, calibration) that differ at the base: the diff prices both sides
    with the working tree's, so their own effect is not in the figures."""
    notes = []
    for src in sources:
        if src["kind"] == "observation":  # each side is sized with its own: generator.observe.diff_notes
            continue
        here = root / src["path"]
        if not here.is_file():  # the package's data lives outside this tree
            continue
        before = show(root, commit, src["path"])
        if before != here.read_text(encoding="utf-8", errors="replace"):
            state = "is new" if before is None else "changed"
            notes.append(
                f"{src['kind']} file {src['path']} {state} since {ref}: both sides use the working "
                "tree's, so its own effect on cost is not in these figures (see aurora-gen report)"
            )
    return notes

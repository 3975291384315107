"""Is a rendered tfvars current? Answered from generator.cache when the generator has rendered this very
sizing text with this very code and data before, so `render --check` on an unchanged tree sizes nothing.

The cache holds, per environment, the digest of the tfvars text rendered from the digest of everything
that decides it (sizing text, its path, the generator's code, data and pinned dependencies): the tfvars is
current iff its bytes have that digest. Anything unknown is a miss, and the caller sizes everything.
"""

from __future__ import annotations

from pathlib import Path

from generator import cache
from generator.errors import InputError
from generator.inputs import MAX_BYTES, TFVARS_FILE, read_text, rel, sizing_path


def render_key(sizing: Path, name: str, root: Path) -> str | None:
    """Cache key of one environment's rendered tfvars: its sizing text, where it lives, and the generator's
    code and data (generator.cache). None when the sizing file cannot be read: the full path reports it."""
    try:
        text = read_text(sizing, "sizing file")
    except InputError:
        return None
    return cache.digest(cache.generator_sources(), name, rel(sizing, root), text)


def remember(sizing: Path, name: str, root: Path, rendered: str) -> None:
    if (key := render_key(sizing, name, root)) is not None:
        cache.put("render", key, cache.digest(rendered))


def check_from_cache(root: Path, names: list[str]) -> list[Path] | None:
    """render --check without sizing anything, when every environment's sizing text was rendered before by
    this very generator code and data: the tfvars is current iff its bytes are what was rendered then.
    None on any cache miss (then everything is sized, as without a cache)."""
    stale = []
    for name in names:
        sizing = sizing_path(name, root)
        key = render_key(sizing, name, root)
        want = cache.get("render", key) if key else None
        if want is None:
            return None
        try:
            current = current_bytes(sizing.parent / TFVARS_FILE)
        except InputError:
            return None
        if current is None or cache.digest(current) != want.strip():
            stale.append(sizing.parent / TFVARS_FILE)
    return stale


def current_bytes(path: Path) -> bytes | None:
    """The bytes of the tfvars there now (None: none, or too big to be ours); InputError when it is no file."""
    if not path.exists():  # absent, or a broken link: render writes a new file
        return None
    if not path.is_file():
        raise InputError(path, None, "is not a regular file: render cannot write the tfvars here")
    return None if path.stat().st_size > MAX_BYTES else path.read_bytes()

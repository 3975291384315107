"""Is a rendered output current?

The tfvars: answered from generator.outputs.cache when the generator has rendered this very
sizing text with this very code and data before, so `render --check` on an unchanged tree sizes nothing.

The cache holds, per environment, the digest of the tfvars text rendered from the digest of everything
that decides it (sizing text, its path, the generator's code, data and pinned dependencies): the tfvars is
current iff its bytes have that digest. Anything unknown is a miss, and the caller sizes everything.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from generator.errors import InputError
from generator.inputs.files import MAX_BYTES, TFVARS_FILE, discover_envs, read_text, rel, sizing_path
from generator.outputs import cache


def render_key(sizing: Path, name: str, root: Path) -> str | None:
    """Cache key of one environment's rendered tfvars: its sizing text, where it lives, its observation (or its
    absence) and the generator's code and data (generator.outputs.cache). None when the sizing file or the observation
    cannot be read: the full path reports it."""
    try:
        text = read_text(sizing, "sizing file")
        observed = _observed_text(sizing)
    except InputError:
        return None
    return cache.digest(cache.generator_sources(), name, rel(sizing, root), text, "observed", observed or "\0none")


def _observed_text(sizing: Path) -> str | None:
    """The text of the observation beside a sizing file (None: there is none); InputError when it is no file."""
    from generator.observe import observed_file

    return observed_file.read(observed_file.path_beside(sizing))


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


# ---------------------------------------------------------------------------
# The sizing page (reports/sizing.html): it records what it describes, the digest of each environment's sizing
# text and of the generator's code and data, so `make policy` can say when the page it links is stale. Digests,
# not file times: a checkout or a copy rewrites times, never content.
# ---------------------------------------------------------------------------
PAGE_STAMP = "aurora-gen-describes"
_PAGE_STAMP = re.compile(rf'<meta name="{PAGE_STAMP}" content="([^"]*)">')
_PAGE_HEAD_BYTES = 65_536  # the stamp is in the page's <head>, before the inlined charts


def _sizing_digest(root: Path, name: str) -> str | None:
    try:
        return cache.digest(read_text(sizing_path(name, root), "sizing file"))
    except InputError:
        return None


def _observed_digest(root: Path, name: str) -> str | None:
    try:
        text = _observed_text(sizing_path(name, root))
    except InputError:
        return "unreadable"
    return None if text is None else cache.digest(text)


def page_stamp(root: Path, names: list[str]) -> str:
    """The <meta> element a sizing page of these environments carries (taken before they are sized)."""
    stamp = {
        "generator": cache.generator_sources(),
        "sizing": {n: _sizing_digest(root, n) for n in names},
        "observed": {n: _observed_digest(root, n) for n in names},
    }
    return f'<meta name="{PAGE_STAMP}" content="{html.escape(json.dumps(stamp, sort_keys=True))}">'


def page_staleness(page: Path, root: Path) -> list[str]:
    """Why the page no longer describes root's environments, one phrase each; empty when it does."""
    try:
        with page.open("rb") as fh:
            head = fh.read(_PAGE_HEAD_BYTES).decode("utf-8", errors="replace")
        found = _PAGE_STAMP.search(head)
        stamp = json.loads(html.unescape(found.group(1))) if found else None
        described = dict(stamp["sizing"]) if stamp else None
        observed = dict(stamp.get("observed") or {}) if stamp else {}  # older pages record none
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        described, observed = None, {}
    if described is None:
        return [f"{page.name} does not say which sizing it describes (written by an older aurora-gen)"]
    now = discover_envs(root)
    why = []
    for name in now:
        where = rel(sizing_path(name, root), root)
        if name not in described:
            why.append(f"{where} is new since the page was written")
        elif _sizing_digest(root, name) != described[name]:
            why.append(f"{where} changed since the page was written")
        elif name in observed and _observed_digest(root, name) != observed[name]:
            why.append(f"envs/{name}/observed.yaml changed since the page was written")
    why += [f"envs/{name}/ is gone since the page was written" for name in described if name not in now]
    if stamp.get("generator") != cache.generator_sources():
        why.append("the generator's code or data changed since the page was written")
    return why

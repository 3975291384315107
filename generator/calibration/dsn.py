"""A DSN's password kept out of messages: libpq and psycopg quote the parts of a DSN they cannot read, and CI
logs keep what calibrate prints.

The password is wherever a reader could mean one, whatever libpq made of it: in a URI, all of the user-info
after the first ":" up to the last "@" (an unencoded "@" or "/" in it leaves a part of it in the host);
after any "password=" (key=value or query string), up to the next "key=" (a space or "&" in it leaves a part
as a bare token), or within its quotes. A message loses every quoted fragment that touches those spans, the
password in each form it takes (as written, percent-decoded), and a URI's user-info.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

MASK = "***"
_QUOTED = re.compile(r"\"([^\"]*)\"|'([^']*)'")
_URI = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*://")
_PASSWORD_KEY = re.compile(r"password\s*=\s*", re.IGNORECASE)
_NEXT_KEY = re.compile(r"[\s&][A-Za-z_][A-Za-z0-9_]*\s*=")
_USERINFO = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_MIN_SHARED = 3  # a quoted fragment that shares this many characters with the password is masked


def password_spans(dsn: str) -> list[tuple[int, int]]:
    """[start, end) of every part of `dsn` that is, or may be meant as, a password."""
    spans = []
    uri = _URI.match(dsn)
    if uri:
        rest = uri.end()
        at = dsn.rfind("@", rest)
        colon = dsn.find(":", rest, at) if at >= 0 else -1
        if colon >= 0:
            spans.append((colon + 1, at))
    for key in _PASSWORD_KEY.finditer(dsn):
        start = key.end()
        if dsn[start : start + 1] == "'":
            close = re.compile(r"(?<!\\)'").search(dsn, start + 1)
            end = close.end() if close else len(dsn)
        else:
            following = _NEXT_KEY.search(dsn, start)
            end = following.start() if following else len(dsn)
        spans.append((start, end))
    return [(a, b) for a, b in spans if b > a]


def _secrets(dsn: str, spans: list[tuple[int, int]]) -> set[str]:
    raw = {dsn[a:b].strip().strip("'") for a, b in spans}
    return {s for s in raw | {unquote(s) for s in raw} if s}


def _touches(fragment: str, dsn: str, spans: list[tuple[int, int]], secrets: set[str]) -> bool:
    """Whether a quoted fragment of a message may hold (a part of) the password."""
    if not fragment:
        return False
    for start in (m.start() for m in re.finditer(re.escape(fragment), dsn)):
        if any(start < b and start + len(fragment) > a for a, b in spans):
            return True
    if fragment in dsn:
        return False  # found only outside the password: the host, the port, an option's name
    n = _MIN_SHARED
    return any(
        fragment in s or s in fragment or any(fragment[i : i + n] in s for i in range(len(fragment) - n + 1))
        for s in secrets
    )


def redact(message: str, dsn: str | None) -> str:
    """`message` with nothing of `dsn`'s password in it."""
    if not dsn:
        return message
    spans = password_spans(dsn)
    if not spans:
        return message
    secrets = _secrets(dsn, spans)

    def mask(m: re.Match) -> str:
        fragment = m.group(1) if m.group(1) is not None else m.group(2)
        quote = m.group()[0]
        return f"{quote}{MASK}{quote}" if _touches(fragment, dsn, spans, secrets) else m.group()

    message = _QUOTED.sub(mask, message)
    for secret in sorted(secrets, key=len, reverse=True):
        message = message.replace(secret, MASK)
    return _USERINFO.sub(lambda m: f"{m.group(1)}{MASK}@", message)

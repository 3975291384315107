"""Text for Markdown table cells, as terraform-docs v0.24.0 writes it (template/sanitizer.go, with its
defaults `settings.escape: true` and `settings.html: true`), plus one fix of ours.

- Underscores outside code spans are escaped (`max\\_connections`), except in URLs and `_emphasis_`.
- Line breaks become `<br/>`; a fenced code block becomes `<pre>...</pre>`; multi-line types and
  defaults are shown that way.
- Pipes are escaped as `\\|`. terraform-docs leaves a pipe inside a code span unescaped, which GitHub
  still reads as a column separator and which breaks the row: `cell()` escapes every pipe not yet
  escaped (GFM turns `\\|` back into `|`, inside code spans too). This is the one place where the
  output can differ from terraform-docs, and only where terraform-docs would break the table.
- Where terraform-docs' underscore escaping reuses stale match offsets (a line with two `_emphasis_`
  spans), this code protects both spans as intended.
"""

from __future__ import annotations

import json
import re

from .hcl import format_number

_WS = "\t\n\f\r "  # Go's RE2 \s
_GO_S = f"[{_WS}]"
_UNDERSCORE_KEEP = [  # (pattern, groups whose underscores stay), terraform-docs' EscapeCharacters
    (re.compile(rf"^({_GO_S}*)(_+)({_GO_S}+)(.*)"), (2,)),
    (re.compile(rf"({_GO_S}+)(_+)([^{_WS}_])(.*)([^{_WS}_])(_+)({_GO_S}+)"), (6, 2)),
]
_MARK = "\x00"  # stands in for an underscore that must stay unescaped
# A URL with a scheme (terraform-docs uses xurls.Strict); only the backslashes inside it matter.
_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s<>\"'`|]+|mailto:[^\s<>\"'`|]+")


# Tags GitHub keeps in rendered Markdown (a subset of its allow-list) and the ones terraform-docs writes itself.
_KNOWN_TAGS = set("a b br code details em i kbd li ol p pre strong sub summary sup table td th tr ul".split())
_TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)[^<>]*>")


def vanishing_tags(text: str) -> list[str]:
    """`<name>`-like text outside code spans: GitHub takes it for an HTML tag and shows nothing."""
    prose = process_segments(text, "`", lambda seg, *_: seg, lambda *_: " ")
    return [m.group(0) for m in _TAG_RE.finditer(prose) if m.group(1).lower() not in _KNOWN_TAGS]


def process_segments(s: str, prefix: str, normal, code) -> str:
    """terraform-docs' processSegments, quirks included (an empty segment does not toggle code/text)."""
    in_code = s.startswith(prefix)
    segments = s.split(prefix)
    out = []
    for i, seg in enumerate(segments):
        if not seg:
            continue
        first = i == 0 or not segments[i - 1].strip()
        last = i == len(segments) - 1 or not segments[i + 1].strip()
        out.append(code(seg, first, last) if in_code else normal(seg, first, last))
        in_code = not in_code
    return "".join(out)


def _escape_underscores_in_line(line: str) -> str:
    for pattern, groups in _UNDERSCORE_KEEP:
        for match in reversed(list(pattern.finditer(line))):  # from the right: offsets stay valid
            for g in groups:  # groups are listed right-most first
                start, end = match.span(g)
                line = line[:start] + match.group(g).replace("_", _MARK) + line[end:]
    return line.replace("_", "\\_").replace(_MARK, "_")


def _code_span(seg: str, *_flags) -> str:
    return f"`{seg}`"


def escape_characters(s: str, escape: bool = True, escape_pipe: bool = True) -> str:
    if escape_pipe:
        s = process_segments(s, "`", lambda seg, *_: seg.replace("|", "\\|"), _code_span)
    if escape:
        s = process_segments(
            s, "`", lambda seg, *_: "\n".join(_escape_underscores_in_line(ln) for ln in seg.split("\n")), _code_span
        )
    return s


def convert_multiline_text(s: str, is_table: bool, is_header: bool = False) -> str:
    if is_table:
        s = s.strip()
    if not is_header:
        s = re.sub(rf"([^{_WS}]*)(\r?\n)({_GO_S}*)([0-9A-Za-z_]+)", r"\1  \2\3\4", s)
        s = s.replace("    \n", "  \n").replace("  \n\n", "\n\n").replace("\n  \n", "\n\n")
    if not is_table:
        return s
    return s.replace("  \n", "<br/>").replace("\n", "<br/>")


def normalize_urls(s: str) -> str:
    return _URL_RE.sub(lambda m: m.group(0).replace("\\", ""), s)


def markdown_table(s: str) -> str:
    """terraform-docs' SanitizeMarkdownTable(s, escape=true, html=true)."""
    if s == "":
        return "n/a"

    def normal(seg: str, *_flags) -> str:
        return normalize_urls(convert_multiline_text(escape_characters(seg), is_table=True))

    def code(seg: str, *_flags) -> str:
        return "<pre>" + seg.strip().replace("\n", "<br/>").replace("\r", "") + "</pre>"

    return process_segments(s, "```", normal, code)


def markdown_section(s: str) -> str:
    """terraform-docs' SanitizeSection (escape=true): the header taken from main.tf."""

    def normal(seg: str, *_flags) -> str:
        return normalize_urls(convert_multiline_text(escape_characters(seg, escape_pipe=False), False, True))

    def code(seg: str, *_flags) -> str:
        lastbreak = "" if seg.endswith("\n") or not seg.split("\n")[-1].strip() else "\n"
        return f"```{seg}{lastbreak}```"

    return process_segments(s, "```", normal, code) if s else ""


def cell(s: str) -> str:
    """A table cell that cannot break its row: every pipe escaped, no line break left."""
    s = re.sub(r"(?<!\\)\|", r"\\|", s)
    return s.replace("\r", "").replace("\n", "<br/>")


def fenced(code: str) -> str:
    """terraform-docs' PrintFencedCodeBlock: a code span, or a fenced block when it spans lines."""
    return f"\n\n```\n{code}\n```\n" if "\n" in code else f"`{code}`"


def go_json(value: object, indent: str = "", step: str = "  ") -> str:
    """json.Encoder with SetIndent("", "  ") and SetEscapeHTML(false), numbers as float64, keys sorted."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    inner = indent + step
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + go_json(v, inner, step) for v in value) + "\n" + indent + "]"
    if not value:
        return "{}"
    items = sorted(value.items())
    return "{\n" + ",\n".join(f"{inner}{go_json(k)}: {go_json(v, inner, step)}" for k, v in items) + "\n" + indent + "}"

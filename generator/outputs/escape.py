"""Text from the inputs (tfvars, sizing.yaml, plans, scanners' JSON) escaped for where it lands: one function each.

- `md`: markdown inline text or a table cell, as GitHub renders a comment, a job summary or a .md file. The text
  cannot add a link, an image, a mention, an issue reference, a heading, a table break, an HTML tag or comment,
  an autolink or a code span: it renders as the characters it holds, on one line.
- `html`: HTML text or a quoted attribute value (also XML: the JUnit file).
- `sarif_text`: a SARIF 2.1.0 plain-text message, whose "[text](target)" is an embedded link (SARIF 3.11.6).

Never put `md`'s result inside backticks: a code span shows its backslashes and entities as they are.
"""

from __future__ import annotations

import html as _html
import re
from typing import Any

from generator.errors import one_line

# CommonMark's backslash escapes for what opens markup inline: code spans, emphasis, links and images, HTML,
# entities, table cells, headings, strikethrough, math ($) and escapes themselves.
_MD_MARKUP = re.compile(r"[\\`*_\[\]<>|#~&$!]")
# GitHub links these in rendered text, after markdown, whatever escaping: @mentions and e-mail addresses
# ("@"), issue references ("#" then digits, escaped above as "\#"), and bare URLs. A zero-width space after
# the sign breaks each one and renders as nothing.
_ZWSP = "&#8203;"
_GITHUB_LINKS = re.compile(r"(@|\\#|:(?=//)|(?i:www)(?=\.))")
_SARIF_MARKUP = re.compile(r"[\\\[\]]")


def md(text: Any) -> str:
    """`text` as markdown that renders as exactly its characters (control characters spelt out: one line)."""
    escaped = _MD_MARKUP.sub(lambda m: "\\" + m.group(), one_line(str(text), limit=None))
    return _GITHUB_LINKS.sub(lambda m: m.group() + _ZWSP, escaped)


def html(text: Any) -> str:
    """`text` as HTML (or XML) text or a double- or single-quoted attribute value."""
    return _html.escape(str(text), quote=True)


def sarif_text(text: Any) -> str:
    """`text` as a SARIF plain-text message: brackets and backslashes escaped, so it holds no embedded link."""
    return _SARIF_MARKUP.sub(lambda m: "\\" + m.group(), one_line(str(text), limit=None))

"""Readable plain text from mail HTML (for HTML-only mail and quote trimming).

Block elements become line breaks so the quote markers of QQ Mail, Foxmail and Outlook,
which are ``<div>`` lines, stay lines of their own; scripts and styles are dropped with
their content by nh3.
"""

from __future__ import annotations

import html
import re

import nh3

_BLOCK_END = re.compile(r"</(p|div|li|tr|h\d|blockquote|table|pre)\s*>|<br\s*/?>|<hr\s*/?>", re.I)
_MANY_BLANKS = re.compile(r"\n[ \t\u00a0]*\n(?:[ \t\u00a0]*\n)+")


def html_to_text(value: str) -> str:
    """The text of an HTML body, one line per block, entities decoded."""
    broken = _BLOCK_END.sub(lambda match: match.group(0) + "\n", value)
    stripped = nh3.clean(broken, tags=set())
    lines = [line.rstrip() for line in html.unescape(stripped).split("\n")]
    return _MANY_BLANKS.sub("\n\n", "\n".join(lines)).strip()

"""Message bodies: sanitised HTML from customer or agent input, and plain text for both."""

from __future__ import annotations

import html
import re

import nh3

_ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan"}, "th": {"colspan"}}
_URL = re.compile(r"(https?://[^\s<>\"']+)")


def sanitize_html(value: str) -> str:
    """Keep only harmless formatting; scripts, styles, events and foreign URLs go."""
    return nh3.clean(
        value,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def text_to_html(text: str) -> str:
    """Render plain text as safe HTML paragraphs with clickable links."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    out = []
    for para in paragraphs:
        escaped = html.escape(para)
        linked = _URL.sub(r'<a href="\1" rel="noopener noreferrer nofollow">\1</a>', escaped)
        out.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return "\n".join(out)


def html_to_text(value: str) -> str:
    """A plain-text rendering of sanitised HTML (for search, email and previews)."""
    stripped = nh3.clean(re.sub(r"<(br|/p|/li|/tr|/h\d)\s*/?>", "\n", value), tags=set())
    return html.unescape(stripped).strip()

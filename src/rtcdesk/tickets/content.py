"""Message bodies: Markdown in, sanitised HTML out, and plain text for search and email.

Every message is written as Markdown (CommonMark with tables, strikethrough and bare
links). It is rendered by markdown-it with raw HTML disabled, fenced code is highlighted by
Pygments with CSS classes (the style sheet is ``web/static/content.css``; the page CSP
forbids inline styles), and the result always goes through the nh3 allow-list below.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

HIGHLIGHT_CLASS = "highlight"
PYGMENTS_STYLE = "default"

_ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
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
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "td": {"colspan"},
    "th": {"colspan"},
}
_ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
# Only the classes the renderer itself writes: Pygments token classes and column alignment,
# so a message cannot borrow the application's own classes to look like part of the page.
_ALLOWED_CLASSES = {
    "pre": {HIGHLIGHT_CLASS},
    "span": {name for name in STANDARD_TYPES.values() if name},
    "td": _ALIGN_CLASSES,
    "th": _ALIGN_CLASSES,
}
_ALIGN_STYLE = re.compile(r"^text-align:(left|center|right)$")


def sanitize_html(value: str) -> str:
    """Keep only harmless formatting; scripts, styles, events and foreign URLs go."""
    return nh3.clean(
        value,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _highlight(code: str, lang: str, _attrs: str) -> str:
    """Fenced code with a known language as Pygments spans; others stay plain."""
    name = lang.strip().split(maxsplit=1)[0] if lang.strip() else ""
    try:
        lexer = get_lexer_by_name(name) if name else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return ""  # markdown-it escapes it into a plain <pre><code>
    spans = pygments_highlight(code, lexer, HtmlFormatter(nowrap=True))
    return f'<pre class="{HIGHLIGHT_CLASS}"><code>{spans}</code></pre>'


def _alignment_as_class(state: StateCore) -> None:
    """Table column alignment as a class: markdown-it writes a style attribute."""
    for token in state.tokens:
        if token.type not in ("th_open", "td_open"):
            continue
        style = token.attrs.pop("style", None)
        match = _ALIGN_STYLE.match(str(style)) if style else None
        if match:
            token.attrSet("class", f"align-{match.group(1)}")


@cache
def _parser() -> MarkdownIt:
    options: dict[str, Any] = {
        "html": False,  # raw HTML in a message is shown as text, never interpreted
        "breaks": True,  # a pasted email or log keeps its line breaks
        "linkify": True,
        "typographer": False,
        "highlight": _highlight,
    }
    md = MarkdownIt("commonmark", options).enable(["table", "strikethrough", "linkify"])
    md.core.ruler.push("alignment_as_class", _alignment_as_class)
    return md


def render_markdown(text: str) -> str:
    """The one renderer of message bodies: Markdown to sanitised HTML."""
    return sanitize_html(_parser().render(text))


def html_to_text(value: str) -> str:
    """A plain-text rendering of sanitised HTML (for search, email and previews)."""
    broken = re.sub(r"<br\s*/?>\n?", "\n", value)
    stripped = nh3.clean(re.sub(r"</(p|li|tr|h\d)\s*>", "\n", broken), tags=set())
    return html.unescape(stripped).strip()


def pygments_css() -> str:
    """The Pygments rules ``web/static/content.css`` carries (for the code-block classes)."""
    formatter = HtmlFormatter(style=PYGMENTS_STYLE)
    rules = formatter.get_style_defs(f".{HIGHLIGHT_CLASS}")  # type: ignore[no-untyped-call]
    scoped = [line for line in str(rules).splitlines() if line.startswith(f".{HIGHLIGHT_CLASS} ")]
    return "\n".join(scoped) + "\n"

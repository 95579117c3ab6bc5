"""Message bodies: the Markdown renderer and the sanitiser behind it."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rtcdesk.demo.content import FOLLOWUP_EN, FOLLOWUP_ZH, PROBLEMS
from rtcdesk.lab.dumpstats import load_dump
from rtcdesk.lab.presets import load_preset
from rtcdesk.lab.summary import render_summary
from rtcdesk.tickets.content import html_to_text, pygments_css, render_markdown, sanitize_html


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def parse(html: str) -> list[tuple[str, dict[str, str]]]:
    """The elements of an HTML fragment with their attributes."""
    parser = _Elements()
    parser.feed(html)
    return parser.found


STATIC = Path(__file__).resolve().parents[3] / "src" / "rtcdesk" / "web" / "static"
LAB = Path(__file__).resolve().parents[2] / "fixtures" / "lab"


def test_fenced_code_is_highlighted_with_classes() -> None:
    html = render_markdown('Try this:\n\n```python\ndef join(channel):\n    return "<ok>"\n```\n')
    assert '<pre class="highlight"><code>' in html
    assert '<span class="k">def</span>' in html
    assert '<span class="nf">join</span>' in html
    assert "&lt;ok&gt;" in html  # code stays text
    assert "style=" not in html


@pytest.mark.parametrize(
    "fence", ["```\nE/rtc: ICE failed\n```", "```no-such-language\nE/rtc: ICE failed\n```"]
)
def test_unknown_or_missing_language_is_a_plain_code_block(fence: str) -> None:
    html = render_markdown(fence)
    assert html.startswith("<pre><code>E/rtc: ICE failed")
    assert "class=" not in html


def test_tables_lists_and_headings() -> None:
    html = render_markdown(
        "## Per phase\n\n| phase | loss % |\n|---|---:|\n| 0-10 s | 0.0 |\n\n"
        "- one\n- two\n\n3. three\n4. four\n\n~~old~~ **new** *it* `x`\n\n> quoted"
    )
    assert "<h2>Per phase</h2>" in html
    assert "<table>" in html
    assert "<th>phase</th>" in html
    assert '<td class="align-right">0.0</td>' in html  # alignment without inline styles
    assert "<ul>\n<li>one</li>" in html
    assert '<ol start="3">' in html
    assert "<s>old</s> <strong>new</strong> <em>it</em> <code>x</code>" in html
    assert "<blockquote>" in html


def test_links_get_rel_and_bare_urls_become_links() -> None:
    html = render_markdown(
        "[docs](https://docs.example.com/a?b=1) and https://status.example.com/x\n"
        "mail <mailto:ops@example.com> see [report](/console/diagnostics/4)"
    )
    assert (
        '<a href="https://docs.example.com/a?b=1" rel="noopener noreferrer nofollow">docs</a>'
        in html
    )
    assert '<a href="https://status.example.com/x" rel="noopener noreferrer nofollow">' in html
    assert 'href="mailto:ops@example.com"' in html
    assert 'href="/console/diagnostics/4"' in html


@pytest.mark.parametrize(
    "dirty",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)">x</a>',
        "<style>body{display:none}</style>",
        '<p style="color:red" onclick="x()">hi</p>',
        "![pixel](https://tracker.example.com/p.gif)",
        '<iframe src="https://evil.example.com"></iframe>',
    ],
)
def test_raw_html_and_dangerous_urls_do_not_pass(dirty: str) -> None:
    elements = parse(render_markdown(dirty))
    assert {tag for tag, _ in elements} <= {"p", "a"}
    for _tag, attrs in elements:
        assert set(attrs) <= {"href", "rel"}
        assert not attrs.get("href", "").lower().startswith(("javascript", "data"))


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown('Our page has <video autoplay muted> and <b onclick="x">')
    assert "&lt;video autoplay muted&gt;" in html
    assert "&lt;b onclick=&quot;x&quot;&gt;" in html or "&lt;b onclick=" in html


def test_classes_are_only_the_renderers_own() -> None:
    html = sanitize_html('<pre class="highlight x"><span class="flash ok k">Saved.</span></pre>')
    assert html == '<pre class="highlight"><span class="k">Saved.</span></pre>'
    elements = parse(render_markdown('<span class="flash ok">Saved.</span>'))
    assert elements == [("p", {})]


def test_plain_text_keeps_its_line_breaks() -> None:
    email = "Hi team,\nthe call drops after 30 s.\nSDK 4.2.0, Android 14\n\nThanks,\nLi"
    html = render_markdown(email)
    assert "Hi team,<br>\nthe call drops after 30 s.<br>\nSDK 4.2.0, Android 14</p>" in html
    assert html.count("<p>") == 2
    log = "12:00:01.120 I [rtc] join ok\n12:00:03.004 W [net] rtt=812ms loss=14%\n"
    rendered = render_markdown(log)
    assert "join ok<br>\n12:00:03.004 W" in rendered
    assert html_to_text(rendered).splitlines() == log.strip().splitlines()


def test_snake_case_and_chinese_text_stay_as_written() -> None:
    html = render_markdown("调用 enable_dual_stream_mode 之后\n大流 1080p，小流 360p。")
    assert "enable_dual_stream_mode" in html
    assert "<em>" not in html
    assert "调用 enable_dual_stream_mode 之后<br>\n大流 1080p，小流 360p。" in html


def test_demo_dataset_renders_as_readable_paragraphs() -> None:
    texts = [FOLLOWUP_EN, FOLLOWUP_ZH]
    for p in PROBLEMS:
        texts += [p.body_en, p.body_zh, p.answer_en, p.answer_zh, p.note]
    for text in texts:
        html = render_markdown(text.format(sdk="4.3.1"))
        assert html.startswith(("<p>", "<ul>", "<ol>", "<pre")), text
        assert html_to_text(html).split() == text.format(sdk="4.3.1").split(), text


def test_lab_summary_renders_as_headings_and_tables() -> None:
    name = "blackout-8s"
    label = json.loads((LAB / f"{name}.label.json").read_text())
    pc = load_dump(LAB / f"{name}.dump.json.gz")["PeerConnections"][label["customer_pc"]]
    summary = render_summary(
        load_preset(name), label, pc, dump_name=f"{name}.dump.json.gz", dump_source="lab"
    )
    html = render_markdown(f"Weak-network lab run: {name}\n\n{summary}")
    assert f"<h1>Lab run: {name}</h1>" in html
    assert "<h2>Per phase (customer side)</h2>" in html
    assert "<th>phase</th>" in html
    assert html.count("<tr>") >= 3
    assert "|---|" not in html
    assert "## " not in html


def test_style_sheet_carries_the_pygments_rules() -> None:
    css = (STATIC / "content.css").read_text()
    assert pygments_css() in css, "regenerate: rtcdesk.tickets.content.pygments_css()"
    assert ".highlight .k " in css

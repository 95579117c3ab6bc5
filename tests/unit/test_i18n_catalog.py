"""Every string a page shows has a Chinese translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_string_is_translated_to_chinese() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_translations_keep_the_placeholders() -> None:
    import string

    from babel.messages.pofile import read_po

    po = ROOT / "src/rtcdesk/web/locale/zh_CN/LC_MESSAGES/messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)

    def fields(text: str) -> set[str]:
        return {f"{name}!{conv}" for _, name, _, conv in string.Formatter().parse(text) if name}

    wrong = [
        (m.id, m.string)
        for m in catalog
        if m.id and m.string and fields(str(m.id)) != fields(str(m.string))
    ]
    assert wrong == []


def test_error_messages_people_read_are_templates_not_fstrings() -> None:
    """An f-string message cannot be extracted into the catalog, so it would stay English."""
    import ast

    errors = {
        "InvalidInput", "TooLarge", "UnsupportedFormat", "NotAuthenticated",
        "PermissionDenied", "NotFound", "Conflict", "TooManyAttempts",
    }  # fmt: skip
    files = sorted((ROOT / "src" / "rtcdesk").rglob("*.py"))
    offenders = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in errors
                and node.args
                and isinstance(node.args[0], ast.JoinedStr)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []

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

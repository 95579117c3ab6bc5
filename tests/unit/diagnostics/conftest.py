"""Make the dump synthesiser in tests/fixtures/diagnostics importable."""

from __future__ import annotations

import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "diagnostics"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

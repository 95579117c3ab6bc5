"""Run inside the network namespace: ``python -m rtcdesk.lab.inner SPEC OUT [getstats]``."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from pathlib import Path

from rtcdesk.lab.browser import run_call
from rtcdesk.lab.scenario import validate_scenario


def main(argv: list[str]) -> int:
    """Run the call described by the scenario JSON and write the outcome JSON."""
    spec, out = Path(argv[0]), Path(argv[1])
    use_internals = argv[2:3] != ["getstats"]
    scenario = validate_scenario(json.loads(spec.read_text(encoding="utf-8")), source=str(spec))
    outcome = asyncio.run(run_call(scenario, use_internals=use_internals))
    out.write_text(json.dumps(dataclasses.asdict(outcome)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A lab run attached to a ticket: internal files, a note, and the dump diagnosed beside
the ground truth (uses a committed lab fixture; no call is run)."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from litestar.testing import TestClient

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.bootstrap import Container
from rtcdesk.cli.lab import attach_results
from rtcdesk.jobs.worker import Worker

Client = TestClient  # type: ignore[type-arg]
LAB = Path(__file__).resolve().parents[2] / "fixtures" / "lab"


def test_lab_results_attach_and_get_diagnosed(
    client: Client, container: Container, tmp_path: Path
) -> None:
    org = fa.organization(container)
    ticket = ft.ticket(container, fa.contact(container, org))
    files = []
    for name in ("blackout-8s.dump.json.gz", "blackout-8s.label.json"):
        files.append(Path(shutil.copy(LAB / name, tmp_path / name)))
    summary = tmp_path / "blackout-8s.summary.md"
    summary.write_text("# blackout-8s\nICE disconnected at 10 s, connected at 18 s\n")
    files.append(summary)
    note_id = attach_results(
        container, ticket.id, scenario="blackout-8s", files=files, summary_text=summary.read_text()
    )
    Worker(container, listen=False).run_pending()
    headers = fa.bearer(fa.agent_token(container, fa.agent(container)))
    messages = client.get(f"/api/v1/tickets/{ticket.id}/messages", headers=headers).json()
    note = next(m for m in messages if m["id"] == note_id)
    assert note["kind"] == "internal"
    assert {a["filename"] for a in note["attachments"]} == {f.name for f in files}
    customer = fa.bearer(fa.org_token(container, org))
    assert client.get(f"/api/v1/tickets/{ticket.id}/attachments", headers=customer).json() == []
    diagnoses = client.get(f"/api/v1/tickets/{ticket.id}/diagnostics", headers=headers).json()
    done = [d for d in diagnoses if d["status"] == "done"]
    assert [d["filename"] for d in done] == ["blackout-8s.dump.json.gz"]
    label = json.loads((LAB / "blackout-8s.label.json").read_text())
    found = {f["code"] for f in done[0]["top_findings"]}
    assert set(label["expected_findings"]) & found
    assert gzip.decompress((LAB / "blackout-8s.dump.json.gz").read_bytes())[:1] == b"{"

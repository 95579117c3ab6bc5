"""The served OpenAPI document says what the API does (web/openapi.py completes it)."""

from __future__ import annotations

import json
from typing import Any

from litestar.testing import TestClient

Client = TestClient  # type: ignore[type-arg]


def _document(client: Client) -> dict[str, Any]:
    answer = client.get("/api/schema/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


def test_every_operation_documents_its_errors_as_problems(client: Client) -> None:
    document = _document(client)
    operations = [
        (path, method, op)
        for path, item in document["paths"].items()
        if path.startswith("/api/")
        for method, op in item.items()
    ]
    assert len(operations) > 20
    for path, method, op in operations:
        for status in ("400", "401", "403", "404"):
            content = op["responses"][status]["content"]
            assert set(content) == {"application/problem+json"}, (method, path, status)
        if "requestBody" in op:
            assert {"409", "413"} <= set(op["responses"]), (method, path)
    patch_agent = document["paths"]["/api/v1/agents/{agent_id}"]["patch"]["responses"]
    assert "429" in patch_agent
    upload = document["paths"]["/api/v1/tickets/{ticket_id}/attachments"]["post"]["responses"]
    assert {"413", "415"} <= set(upload)
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}


def test_unions_are_any_of_and_refused_fields_are_declared(client: Client) -> None:
    document = _document(client)
    assert '"oneOf"' not in json.dumps(document)
    schemas = document["components"]["schemas"]
    for name in ("TicketCreate", "TicketUpdate", "MessageCreate", "AgentUpdate", "TokenCreate"):
        assert schemas[name]["additionalProperties"] is False, name
    tags = schemas["TicketCreate"]["properties"]["tags"]
    assert tags["items"]["maxLength"] == 64
    ticket_id = document["paths"]["/api/v1/tickets/{ticket_id}"]["get"]["parameters"][0]
    assert ticket_id["schema"]["maximum"] == 2**31 - 1


def test_the_yaml_document_is_the_same(client: Client) -> None:
    answer = client.get("/api/schema/openapi.yaml")
    assert answer.status_code == 200
    assert "application/problem+json" in answer.text

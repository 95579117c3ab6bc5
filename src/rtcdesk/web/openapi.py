"""The OpenAPI document as the API really behaves: what Litestar generates, completed once.

- Every operation of ``/api/`` lists each status it can answer, with the problem+json body
  ``web/errors.py`` sends (:data:`COMMON_ERRORS` for all, :data:`BODY_ERRORS` for those
  that take a body, :data:`UPLOAD_ERRORS` for uploads, plus a route's ``opt["errors"]``).
- The schemas of request and response bodies are msgspec's own (``schema_components``):
  every limit of a field, of list items and dict values, and
  ``additionalProperties: false`` wherever a schema refuses unknown fields.
- Unions are ``anyOf``: an answer that is one of several shapes may match more than one.
- Integer path parameters are ids: 1 to ``MAX_ID``, as ``web.requests`` enforces (example 1).

``tests/api/test_schemathesis.py`` runs schemathesis against the served document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import msgspec
from litestar import Litestar, Request
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin

from rtcdesk.core.validation import MAX_ID

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"

COMMON_ERRORS: dict[int, str] = {
    400: "Invalid input: a parameter, the body or a cursor is malformed or out of range",
    401: "Not signed in: no valid API token or session",
    403: "Permission denied: the caller's role may not do this",
    404: "Not found: the object does not exist or the caller may not see it",
}
BODY_ERRORS: dict[int, str] = {
    409: "Conflict: the change does not fit the object's current state",
    413: "Too large: the body is over the request limit",
}
UPLOAD_ERRORS: dict[int, str] = {
    413: "Too large: the file is over the upload limit",
    415: "Unsupported format: a file rtcdesk cannot read",
}
EXTRA_ERRORS: dict[int, str] = {
    429: "Too many attempts: wait for the window to pass",
}
_WRITES = frozenset({"post", "put", "patch", "delete"})


class Problem(msgspec.Struct):
    """An RFC 9457 problem: what every error of the API answers."""

    type: str
    title: str
    status: int
    detail: str
    # Validation errors per field, or facts about the error (e.g. the byte limit).
    errors: list[dict[str, Any]] | dict[str, Any] | msgspec.UnsetType = msgspec.UNSET


def _structs(annotation: Any) -> Iterator[type[msgspec.Struct]]:
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        yield annotation
    for arg in get_args(annotation):
        yield from _structs(arg)


def _handlers(app: Litestar) -> Iterator[tuple[str, str, Any]]:
    """(path, method, handler) of every route the document describes."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods:
                yield route.path_format, method.lower(), handler


def _body_structs(app: Litestar) -> list[type[msgspec.Struct]]:
    found: dict[type[msgspec.Struct], None] = {Problem: None}
    for _path, _method, handler in _handlers(app):
        signature = handler.parsed_fn_signature
        annotations = [signature.return_type.annotation]
        if (data := signature.parameters.get("data")) is not None:
            annotations.append(data.annotation)
        for annotation in annotations:
            found.update(dict.fromkeys(_structs(annotation)))
    return list(found)


def _any_of(node: Any) -> Any:
    """``node`` with every ``oneOf`` as ``anyOf``."""
    if isinstance(node, dict):
        return {("anyOf" if k == "oneOf" else k): _any_of(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_any_of(v) for v in node]
    return node


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }


def _errors_of(method: str, operation: dict[str, Any], handler: Any) -> dict[int, str]:
    errors = dict(COMMON_ERRORS)
    if method in _WRITES or "requestBody" in operation:
        errors |= BODY_ERRORS
    if handler is not None and handler.opt.get("upload"):
        errors |= UPLOAD_ERRORS
    for status in handler.opt.get("errors", ()) if handler is not None else ():
        errors[status] = EXTRA_ERRORS[status]
    return errors


def complete_document(app: Litestar, document: dict[str, Any]) -> dict[str, Any]:
    """Litestar's generated ``document`` completed as the module docstring says."""
    handlers = {(path, method): handler for path, method, handler in _handlers(app)}
    _, components = msgspec.json.schema_components(
        _body_structs(app), ref_template="#/components/schemas/{name}"
    )
    document = _any_of(document)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(components)
    for path, item in document.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and schema.get("type") == "integer":
                    schema.update(minimum=1, maximum=MAX_ID)
                    parameter.setdefault("example", 1)
            handler = handlers.get((path, method))
            for status, description in sorted(_errors_of(method, operation, handler).items()):
                operation["responses"][str(status)] = _problem(description)
    return document


def _document(request: Request[Any, Any, Any], litestar_document: dict[str, Any]) -> Any:
    state = request.app.state
    if "api_document" not in state:
        state["api_document"] = complete_document(request.app, litestar_document)
    return state["api_document"]


class ApiJsonRenderPlugin(JsonRenderPlugin):
    """Serves the completed document as JSON (``/api/schema/openapi.json``)."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        """The completed document as JSON."""
        return super().render(request, _document(request, openapi_schema))


class ApiYamlRenderPlugin(YamlRenderPlugin):
    """Serves the completed document as YAML (``/api/schema/openapi.yaml``)."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        """The completed document as YAML."""
        return super().render(request, _document(request, openapi_schema))

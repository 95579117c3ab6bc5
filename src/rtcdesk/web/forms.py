"""HTML form posts: reading them (url-encoded or multipart) and handling them (CSRF check,
one unit of work in a worker thread, redirect after post, or the page again with what the
person typed and the message next to the field when they made a mistake)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO, cast
from urllib.parse import quote

import anyio.to_thread
from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.response import Redirect
from litestar.utils.scope.state import ScopeState
from markupsafe import Markup

from rtcdesk.core.errors import InvalidInput, RtcdeskError
from rtcdesk.web.body_limits import FormItems, FormLimits, parse_multipart, parse_url_encoded
from rtcdesk.web.context import CSRF_FIELD, Area, RequestContext, check_csrf, page_context
from rtcdesk.web.flash import FlashCode
from rtcdesk.web.i18n import translator
from rtcdesk.web.requests import nul_refused

KEPT_SCOPE_KEY = "rtcdesk.kept_form"


@dataclass
class FormData:
    """Fields (last value wins, lists kept separately) and uploaded files of a form post."""

    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    files: list[tuple[str, Any]] = field(default_factory=list)
    file_fields: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)

    def get(self, key: str, default: str = "") -> str:
        """A trimmed field value."""
        return self.values.get(key, default).strip()

    def get_list(self, key: str) -> list[str]:
        """Every value of a repeated field (checkboxes, multi-selects)."""
        return [v for v in self.lists.get(key, []) if v]

    @property
    def csrf(self) -> str:
        """The CSRF token the form carried."""
        return self.values.get(CSRF_FIELD, "")


def _form_limits(request: Request[Any, Any, Any]) -> FormLimits:
    settings = request.app.state.container.settings
    return FormLimits(
        field_bytes=settings.max_form_field_bytes,
        text_bytes=settings.max_request_bytes,
        file_bytes=settings.max_upload_bytes,
        max_parts=request.app.multipart_form_part_limit,
    )


async def _form_items(request: Request[Any, Any, Any]) -> FormItems:
    """The posted fields and files, each bounded while it is read (``web.body_limits``)."""
    content_type, options = request.content_type
    if content_type == "multipart/form-data":
        boundary = options.get("boundary")
        if not boundary:
            raise InvalidInput("the multipart form has no boundary")
        items = await parse_multipart(request.stream(), boundary, _form_limits(request))
    elif content_type == "application/x-www-form-urlencoded":
        items = parse_url_encoded(await request.body(), _form_limits(request))
    else:
        return []
    # Kept where Litestar keeps a parsed form: it closes the spooled files after the
    # response, and a later request.form() gets these instead of a consumed stream.
    parsed: dict[str, list[str | UploadFile]] = {}
    for key, value in items:
        parsed.setdefault(key, []).append(value)
    state = ScopeState.from_scope(request.scope)
    state.form = cast(Any, {k: v if len(v) > 1 else v[0] for k, v in parsed.items()})
    # After the files are kept above, so they are closed with the response even when refused.
    if any(not isinstance(v, UploadFile) and "\x00" in v for _k, v in items):
        raise nul_refused()  # one answer for NUL in every text input (web/requests.py)
    return items


async def read_form(request: Request[Any, Any, Any]) -> FormData:
    """Parse the posted form; files are kept as spooled file objects with their names."""
    data = FormData()
    for key, value in await _form_items(request):
        data.fields.add(key)
        if isinstance(value, UploadFile):
            if value.filename:
                data.files.append((value.filename, value.file))
                data.file_fields.add(key)
            continue
        text = str(value)
        data.values[key] = text
        data.lists.setdefault(key, []).append(text)
    return data


async def read_upload(request: Request[Any, Any, Any]) -> tuple[str, BinaryIO]:
    """An API upload: multipart field 'file', or the raw body with ?filename=NAME."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        items = await _form_items(request)
        upload = next((value for key, value in items if key == "file"), None)
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput("send the file in a form field named 'file'")
        return upload.filename, cast(BinaryIO, upload.file)
    filename = request.query_params.get("filename") or ""
    if not filename:
        raise InvalidInput("give the file name as ?filename=NAME, or use multipart")
    return filename, io.BytesIO(await request.body())


Action = Callable[[RequestContext, FormData], str]

# Fields never sent back to the browser: secrets stay with the person who typed them.
_NEVER_KEPT = ("password", CSRF_FIELD)


@dataclass(frozen=True)
class KeptForm:
    """A form post that failed, as the page shows it again: what the person typed (files and
    passwords excepted) and the message, keyed by the field it is about ("" = the whole form).

    Templates get it through ``kept(action)``: the form whose ``action`` is the path that was
    posted to gets this, every other form on the page an empty one (its defaults).
    """

    action: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    lists: Mapping[str, list[str]] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    fields: frozenset[str] = frozenset()
    file_fields: frozenset[str] = frozenset()
    # Fields whose message the page has placed; the rest go to the top of the page.
    shown: set[str] = field(default_factory=set, compare=False, repr=False)

    @property
    def active(self) -> bool:
        """Whether this is the form that came back."""
        return bool(self.action)

    def value(self, name: str, default: object = "") -> str:
        """What the person typed in ``name``, else the page's own value."""
        if self.active:
            return self.values.get(name, "")
        return "" if default is None else str(default)

    def chosen(self, name: str, default: Iterable[object] = ()) -> list[str]:
        """The options picked in a repeated field (checkbox group, multi-select)."""
        if self.active:
            return list(self.lists.get(name, []))
        return [str(getattr(v, "value", v)) for v in default]

    def checked(self, name: str, default: bool = False) -> bool:
        """Whether a single checkbox was ticked (an unticked box sends nothing)."""
        return name in self.values if self.active else default

    def lost_files(self, name: str) -> bool:
        """Whether the person had chosen files in ``name``: a page cannot hand them back."""
        return name in self.file_fields

    def error(self, name: str) -> Markup:
        """The message about field ``name``, to place next to it."""
        message = self.errors.get(name)
        if not message:
            return Markup("")
        self.shown.add(name)
        return Markup('<span class="error field-error" role="alert">{0}</span>').format(message)

    def form_error(self) -> Markup:
        """The message about the form as a whole (or about a field this form does not have),
        to place at the top of the form."""
        about_form = {f: m for f, m in self.errors.items() if not f or f not in self.fields}
        if not about_form:
            return Markup("")
        self.shown.update(about_form)
        return Markup('<p class="error form-error" role="alert">{0}</p>').format(
            " ".join(about_form.values())
        )

    def unshown(self) -> str:
        """The messages a page did not place (it no longer has the form, say)."""
        return " ".join(m for f, m in self.errors.items() if f not in self.shown)


NO_FORM = KeptForm()


def keep_form(action: str, form: FormData, message: str, field_name: str | None) -> KeptForm:
    """The ``KeptForm`` for a post to ``action`` that failed with ``message``."""

    def shown(name: str) -> bool:
        return not any(secret in name for secret in _NEVER_KEPT)

    return KeptForm(
        action=action,
        values={k: v for k, v in form.values.items() if shown(k)},
        lists={k: v for k, v in form.lists.items() if shown(k)},
        errors={field_name or "": message},
        fields=frozenset(form.fields),
        file_fields=frozenset(form.file_fields),
    )


def kept_form_of(request: Request[Any, Any, Any]) -> KeptForm:
    """The failed form a page is being shown again for, if any."""
    kept = cast(dict[str, Any], request.scope).get(KEPT_SCOPE_KEY)
    return kept if isinstance(kept, KeptForm) else NO_FORM


def with_flash(path: str, code: FlashCode) -> str:
    """``path`` with the code of a notice for the next page to show (see ``web.flash``)."""
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}flash={quote(code)}"


async def show_page_again(
    request: Request[Any, Any, Any], page: str, kept: KeptForm, status_code: int
) -> Response[Any]:
    """The page at ``page`` (a GET through the whole app, so exactly what the person saw,
    with its permission checks), rendered with ``kept`` filled into its form.

    The answer carries ``status_code`` when the page itself renders; a page that fails
    (gone, no longer visible, signed out) answers as it would on its own.
    """
    path, _, query = page.partition("#")[0].partition("?")
    original = cast(dict[str, Any], request.scope)
    scope: dict[str, Any] = {
        key: original[key]
        for key in ("asgi", "http_version", "scheme", "server", "client", "root_path")
        if key in original
    }
    scope.update(
        type="http",
        method="GET",
        path=path,
        raw_path=path.encode(),
        query_string=query.encode(),
        headers=[
            (name, value)
            for name, value in original["headers"]
            if name not in (b"content-type", b"content-length")
        ],
        state={},
    )
    scope[KEPT_SCOPE_KEY] = kept
    start: dict[str, Any] = {}
    body = bytearray()
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if received:
            return {"type": "http.disconnect"}
        received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Mapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await request.app(cast(Any, scope), cast(Any, receive), cast(Any, send))
    status = int(start.get("status", 500))
    headers = {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in start.get("headers", [])
        if name.lower() not in (b"content-length", b"content-type")
    }
    media_type = next(
        (v.decode("latin-1") for n, v in start.get("headers", []) if n.lower() == b"content-type"),
        "text/html; charset=utf-8",
    )
    return Response(
        content=bytes(body),
        status_code=status_code if status == 200 else status,
        headers=headers,
        media_type=media_type,
    )


async def form_action(
    request: Request[Any, Any, Any],
    area: Area,
    action: Action,
    *,
    back: str | Callable[[FormData], str] | None = None,
) -> Response[Any]:
    """Handle a form post: read it, check its CSRF token, run ``action`` in a worker thread
    inside one write unit of work, commit, and redirect (303) to the path it returns.

    A person's mistake (any ``RtcdeskError`` but "please sign in") rolls the work back and
    shows ``back``, the page the form lives on, again: with what they typed and the message
    in their language next to the field it is about (``exc.field``), status of the error.
    Without ``back`` it becomes an error page.
    """
    form = await read_form(request)

    def run() -> str | tuple[str, KeptForm, int]:
        with page_context(request, area, write=True) as ctx:
            try:
                check_csrf(ctx.web_session, form.csrf)
                target = action(ctx, form)
            except RtcdeskError as exc:
                if back is None or exc.status_code == 401:
                    raise
                message = exc.translated(translator(ctx.language))
                kept = keep_form(request.url.path, form, message, exc.field)
                page = back(form) if callable(back) else back
                return page, kept, exc.status_code
            ctx.uow.commit()
            return target

    outcome = await anyio.to_thread.run_sync(run)
    if isinstance(outcome, str):
        return Redirect(path=outcome, status_code=303)
    page, kept, status_code = outcome
    return await show_page_again(request, page, kept, status_code)


async def in_thread(render: Callable[..., Response[Any]], *args: Any) -> Response[Any]:
    """Run a blocking page renderer in the thread pool.

    Used for GET pages whose path also has an async POST handler: Litestar mishandles
    ``sync_to_thread`` there, so those pages offload by hand.
    """
    return await anyio.to_thread.run_sync(render, *args)

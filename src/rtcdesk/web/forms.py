"""HTML form posts: reading them (url-encoded or multipart) and handling them (CSRF check,
one unit of work in a worker thread, redirect after post)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO, cast
from urllib.parse import quote

import anyio.to_thread
from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.response import Redirect

from rtcdesk.core.errors import InvalidInput, RtcdeskError
from rtcdesk.web.context import CSRF_FIELD, Area, RequestContext, check_csrf, page_context
from rtcdesk.web.i18n import translator


@dataclass
class FormData:
    """Fields (last value wins, lists kept separately) and uploaded files of a form post."""

    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    files: list[tuple[str, Any]] = field(default_factory=list)

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


async def read_form(request: Request[Any, Any, Any]) -> FormData:
    """Parse the posted form; files are kept as spooled file objects with their names."""
    form = await request.form()
    data = FormData()
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if value.filename:
                data.files.append((value.filename, value.file))
            continue
        text = str(value)
        data.values[key] = text
        data.lists.setdefault(key, []).append(text)
    return data


async def read_upload(request: Request[Any, Any, Any]) -> tuple[str, BinaryIO]:
    """An API upload: multipart field 'file', or the raw body with ?filename=NAME."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput("send the file in a form field named 'file'")
        return upload.filename, cast(BinaryIO, upload.file)
    filename = request.query_params.get("filename") or ""
    if not filename:
        raise InvalidInput("give the file name as ?filename=NAME, or use multipart")
    return filename, io.BytesIO(await request.body())


Action = Callable[[RequestContext, FormData], str]


def with_flash(path: str, message: str) -> str:
    """``path`` with a message for the next page to show."""
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}flash={quote(message)}"


async def form_action(
    request: Request[Any, Any, Any],
    area: Area,
    action: Action,
    *,
    back: str | Callable[[FormData], str] | None = None,
) -> Response[Any]:
    """Handle a form post: read it, check its CSRF token, run ``action`` in a worker thread
    inside one write unit of work, commit, and redirect (303) to the path it returns.

    A person's mistake (any ``RtcdeskError`` but "please sign in") sends them back to
    ``back`` with the message in their language; without ``back`` it becomes an error page.
    """
    form = await read_form(request)

    def run() -> str:
        with page_context(request, area, write=True) as ctx:
            try:
                check_csrf(ctx.web_session, form.csrf)
                target = action(ctx, form)
            except RtcdeskError as exc:
                if back is None or exc.status_code == 401:
                    raise
                path = back(form) if callable(back) else back
                return with_flash(path, exc.translated(translator(ctx.language)))
            ctx.uow.commit()
            return target

    return Redirect(path=await anyio.to_thread.run_sync(run), status_code=303)


async def in_thread(render: Callable[..., Response[Any]], *args: Any) -> Response[Any]:
    """Run a blocking page renderer in the thread pool.

    Used for GET pages whose path also has an async POST handler: Litestar mishandles
    ``sync_to_thread`` there, so those pages offload by hand.
    """
    return await anyio.to_thread.run_sync(render, *args)

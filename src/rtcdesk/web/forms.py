"""Reading HTML form posts: url-encoded or multipart, with the CSRF check built in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile

from rtcdesk.web.context import CSRF_FIELD


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

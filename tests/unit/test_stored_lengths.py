"""Every stored string has a validated length at the edge that fits its column.

Walks every table of ``Base.metadata`` and every msgspec input schema of the package (each
Struct that refuses unknown fields, which every request body of the app must be), so new
domains are held to it as they land:

- every text in an input schema has a ``max_length`` (lists and dicts too: bounded sizes);
- a field stored in a column names it (``core.validation.stored("table.column", ...)``)
  and may not allow more than the column holds;
- every sized text column is filled from such a field, or says how rtcdesk bounds what it
  writes there (``db.types.bounded_by``, with the bounding constant when there is one);
- every enum column holds its longest value.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, get_args

import msgspec
import msgspec.inspect as mi
from msgspec import Meta
from sqlalchemy import Column, Enum, MetaData, String, Table, Text

import rtcdesk
from rtcdesk.app import create_app
from rtcdesk.config import Settings
from rtcdesk.core.validation import stored
from rtcdesk.db import registry
from rtcdesk.db.base import Base
from rtcdesk.db.types import bounded_by

# Entry points run a program when imported; migration scripts only describe the schema.
SKIPPED_MODULES = ("__main__", ".migrations.")


def _modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(rtcdesk.__path__, "rtcdesk."):
        if not any(part in info.name + "." for part in SKIPPED_MODULES):
            yield importlib.import_module(info.name)


def input_schemas() -> list[type[msgspec.Struct]]:
    """Every msgspec Struct of the package that refuses unknown fields: the input schemas."""
    found: dict[str, type[msgspec.Struct]] = {}
    for module in _modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, msgspec.Struct)
                and value.__module__.startswith("rtcdesk.")
                and value.__struct_config__.forbid_unknown_fields
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


def _structs_in(annotation: Any) -> Iterator[type[msgspec.Struct]]:
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        yield annotation
    for arg in get_args(annotation):
        yield from _structs_in(arg)


def request_body_structs(tmp_path: Path) -> set[type[msgspec.Struct]]:
    """The Struct types the app's routes decode request bodies into."""
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.db"))
    bodies: set[type[msgspec.Struct]] = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is not None:
                bodies.update(_structs_in(data.annotation))
    return bodies


class TextSlot:
    """A text slot of an input schema: where it is, its limit, its column if it names one."""

    def __init__(self, where: str, max_length: int | None, column: str | None) -> None:
        self.where, self.max_length, self.column = where, max_length, column


def walk(info: mi.Type, where: str, column: str | None, out: list[Any]) -> None:
    """Collect the text slots and unbounded collections of a type (``out`` gets both)."""
    if isinstance(info, mi.Metadata):
        extra = info.extra or {}
        walk(info.type, where, extra.get("column", column), out)
    elif isinstance(info, mi.StrType):
        out.append(TextSlot(where, info.max_length, column))
    elif isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        if info.max_length is None:
            out.append(f"{where} is a list without a max_length")
        walk(info.item_type, f"{where}[]", column, out)
    elif isinstance(info, mi.DictType):
        if info.max_length is None:
            out.append(f"{where} is a dict without a max_length")
        walk(info.key_type, f"{where}{{key}}", None, out)
        walk(info.value_type, f"{where}{{}}", column, out)
    elif isinstance(info, mi.UnionType):
        for member in info.types:
            walk(member, where, column, out)
    elif isinstance(info, mi.StructType):
        for field in info.fields:
            walk(field.type, f"{info.cls.__name__}.{field.name}", None, out)


def sized_columns() -> Iterator[tuple[str, Column[Any]]]:
    """Every column of every table (all models are imported by ``db.registry``)."""
    assert registry is not None
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            yield f"{table.name}.{column.name}", column


def test_request_bodies_are_input_schemas(tmp_path: Path) -> None:
    """Every request body refuses unknown fields, so the walk below covers it."""
    bodies = request_body_structs(tmp_path)
    assert bodies, "no request bodies found: the walk lost the routes"
    loose = {b.__qualname__ for b in bodies if not b.__struct_config__.forbid_unknown_fields}
    assert not loose, f"request bodies must set forbid_unknown_fields=True: {sorted(loose)}"
    assert bodies <= set(input_schemas())


def length_problems(
    schemas: list[type[msgspec.Struct]], columns: dict[str, Column[Any]]
) -> list[str]:
    """What is wrong with these schemas against these columns (nothing, one hopes)."""
    claimed: set[str] = set()
    problems: list[str] = []
    for schema in schemas:
        found: list[Any] = []
        walk(mi.type_info(schema), schema.__qualname__, None, found)
        for slot in found:
            if isinstance(slot, str):
                problems.append(slot)
                continue
            if slot.max_length is None:
                problems.append(f"{slot.where} is text without a max_length")
            if slot.column is None:
                continue
            column = columns.get(slot.column)
            if column is None:
                problems.append(f"{slot.where} names {slot.column}, which is no column")
                continue
            claimed.add(slot.column)
            length = getattr(column.type, "length", None)
            too_long = slot.max_length is not None and length is not None
            if too_long and isinstance(column.type, String) and slot.max_length > length:
                problems.append(
                    f"{slot.where} allows {slot.max_length} characters, "
                    f"{slot.column} holds {length}"
                )
    for name, column in columns.items():
        kind = column.type
        if isinstance(kind, Enum):
            longest = max((len(v) for v in kind.enums), default=0)
            if kind.length is not None and longest > kind.length:
                problems.append(f"{name}: an enum value of {longest} characters > {kind.length}")
            continue
        if not isinstance(kind, String) or kind.length is None or name in claimed:
            continue
        if "bounded_by" not in column.info:
            problems.append(
                f"{name} (String({kind.length})) has no bounded input: name it in an input "
                "schema with core.validation.stored(), or give the column "
                "info=db.types.bounded_by(...) saying how rtcdesk bounds what it writes"
            )
        elif (bound := column.info.get("max_length")) is not None and bound > kind.length:
            problems.append(f"{name} holds {kind.length}, its writer may write {bound}")
    return problems


def test_stored_strings_fit_their_columns() -> None:
    problems = length_problems(input_schemas(), dict(sized_columns()))
    assert not problems, "\n".join(problems)


class _Loose(msgspec.Struct, forbid_unknown_fields=True):
    long: Annotated[str, stored("t.short", max_length=50)]
    unbounded: str
    many: list[Annotated[str, Meta(max_length=3)]]
    typo: Annotated[str, stored("t.nothing", max_length=5)]


def test_the_walk_finds_every_kind_of_mistake() -> None:
    table = Table(
        "t",
        MetaData(),
        Column("short", String(10)),
        Column("orphan", String(20)),
        Column("derived", String(20), info=bounded_by("a constant", max_length=30)),
        Column("free", Text),
    )
    problems = length_problems([_Loose], {f"t.{c.name}": c for c in table.columns})
    assert problems == [
        "_Loose.long allows 50 characters, t.short holds 10",
        "_Loose.unbounded is text without a max_length",
        "_Loose.many is a list without a max_length",
        "_Loose.typo names t.nothing, which is no column",
        "t.orphan (String(20)) has no bounded input: name it in an input schema with "
        "core.validation.stored(), or give the column info=db.types.bounded_by(...) saying "
        "how rtcdesk bounds what it writes",
        "t.derived holds 20, its writer may write 30",
    ]

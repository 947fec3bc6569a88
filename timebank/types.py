"""Annotated column types shared by every feature's models, and the limit on ids."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import sqlalchemy as sa
from sqlalchemy.orm import mapped_column


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A moment in time, always timezone-aware UTC in Python, on every database. (SQLite stores no
    offset and hands back naive values; this puts UTC back, so no caller has to.)"""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


intpk = Annotated[int, mapped_column(primary_key=True)]
#: Ids are 32-bit integers in the database; anything larger is refused (a form, a file, a URL, the API)
#: before a query sees it.
MAX_ID = 2**31 - 1
#: The URL converter for an id in a path: out-of-range ids are a plain 404, never a database error.
ID_CONVERTER = f"int(min=1, max={MAX_ID})"

#: A whole number of minutes. Hours are never stored as floats.
Minutes = Annotated[int, mapped_column(sa.Integer, nullable=False)]

created_at = Annotated[
    dt.datetime,
    mapped_column(UTCDateTime(), nullable=False, server_default=sa.func.now()),
]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def str_enum(enum_cls: type[enum.StrEnum], name: str) -> sa.Enum:
    """A portable enum column: a VARCHAR with a named CHECK constraint, on every database."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )

"""Schemas and fields every API feature shares: the problem document, the base for request bodies, and
fields whose error messages are translatable (marshmallow's own are English only).

Request schemas only check shape and type; the rules (how many minutes, which dates, who may do what)
stay in the services, which name the field they refuse.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from timebank.errors import DomainError
from timebank.pagination import MAX_PER_PAGE

#: Ids are 32-bit integers in the database; anything larger is refused before a query sees it.
MAX_ID = 2**31 - 1
#: The URL converter for an id in a path: out-of-range ids are a plain 404, never a database error.
ID_CONVERTER = f"int(min=1, max={MAX_ID})"

_REQUIRED = {
    "required": _l("This field is required."),
    "null": _l("This field cannot be null."),
}


class Problem(ma.Schema):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type = fields.String(metadata={"description": "Always about:blank: the status and code say what happened."})
    title = fields.String(metadata={"description": "What went wrong, in the caller's language."})
    status = fields.Integer()
    detail = fields.String()
    code = fields.String(metadata={"description": "A stable, machine-readable name for the error."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Messages per request field."},
    )


class InputSchema(ma.Schema):
    """Base of every request body and query. Unknown fields are refused, not silently dropped, so a
    misspelt field name is reported instead of ignored."""

    class Meta:
        unknown = ma.RAISE

    error_messages = {
        "unknown": _l("This field is not accepted here."),
        "type": _l("Send a JSON object."),
    }


def whole_number(*, strict: bool = True, error: Any = None, **kwargs: Any) -> fields.Integer:
    """An integer field. ``strict`` (for JSON bodies) refuses ``"60"``, ``1.5`` and ``true``; query
    strings are text, so they are parsed."""
    return fields.Integer(
        strict=strict,
        error_messages={**_REQUIRED, "invalid": error or _l("Enter a whole number.")},
        **kwargs,
    )


def record_id(**kwargs: Any) -> fields.Integer:
    message = _l("Enter the id of a record: a whole number of 1 or more.")
    return whole_number(error=message, validate=validate.Range(min=1, max=MAX_ID, error=message), **kwargs)


def text(*, min_length: int | None = None, max_length: int | None = None, **kwargs: Any) -> fields.String:
    length = None
    if min_length is not None or max_length is not None:
        length = validate.Length(min=min_length, max=max_length, error=_l("This is too long or too short."))
    return fields.String(error_messages={**_REQUIRED, "invalid": _l("Enter text.")}, validate=length, **kwargs)


def date(**kwargs: Any) -> fields.Date:
    return fields.Date(error_messages={**_REQUIRED, "invalid": _l("Enter a date as YYYY-MM-DD.")}, **kwargs)


def choice(enum: type, message: Any, **kwargs: Any) -> fields.Enum:
    return fields.Enum(enum, by_value=True, error_messages={**_REQUIRED, "unknown": message}, **kwargs)


class _JsonBoolean(fields.Boolean):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def boolean(*, strict: bool = True, **kwargs: Any) -> fields.Boolean:
    """A true/false field. ``strict`` (for JSON bodies) takes only ``true`` and ``false`` (marshmallow's
    own also takes ``1``, ``"yes"`` and ``"on"``); query strings are text, so they are parsed."""
    field = _JsonBoolean if strict else fields.Boolean
    return field(error_messages={**_REQUIRED, "invalid": _l("Send true or false.")}, **kwargs)


class PageArgs(InputSchema):
    """The page of a list to return, in a query string."""

    page = whole_number(strict=False, load_default=1,
                        validate=validate.Range(min=1, max=1_000_000, error=_l("Enter a page number of 1 or more.")))
    per_page = whole_number(strict=False, load_default=20,
                            validate=validate.Range(min=1, max=MAX_PER_PAGE, error=_l("Enter 1 to 100.")))


class PageOut(ma.Schema):
    """One page of a list; each list's schema adds its ``items``."""

    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer(metadata={"description": "Items on every page together."})


@contextmanager
def fields_named_as_in_request(names: Mapping[str, str]) -> Iterator[None]:
    """Services name the field they refuse as the pages' forms do; where a request body names it
    differently, say the request's name (``names``: service field → request field)."""
    try:
        yield
    except DomainError as error:
        error.field = names.get(error.field or "", error.field)
        raise

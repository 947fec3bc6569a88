"""Schemas and fields every API feature shares: the problem document, the base for request bodies, and
fields whose error messages are translatable (marshmallow's own are English only).

Request schemas only check shape and type; the rules (how many minutes, which dates, who may do what)
stay in the services, which name the field they refuse.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

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


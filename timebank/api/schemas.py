"""Schemas and fields every API feature shares: the problem document, the base for request bodies, and
fields whose error messages are translatable (marshmallow's own are English only).

Request schemas check shape, type and size: every text has a maximum length and every number a range,
taken from the constant the service itself enforces (never a second literal), so the OpenAPI document
states exactly what the API accepts (``tests/api/test_openapi.py`` walks it). The rules beyond size (which
dates, which category, who may do what) stay in the services, which name the field they refuse.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from timebank.dates import TIME_FORMAT
from timebank.errors import DomainError
from timebank.pagination import COUNT_CAP, MAX_PER_PAGE, Page
from timebank.types import MAX_ID

#: The last page number a list accepts (far beyond any real list: it only keeps the offset sane).
MAX_PAGE = 1_000_000
#: The longest list a request may send (codes, districts, partners): more than any real profile, role
#: or activity names; a longer one is refused before a service looks at it.
MAX_ITEMS = 100

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
    code = fields.String(metadata={"description": (
        "A stable, machine-readable name for the error: one of the enum, each listed with its status, title "
        "and meaning in components.x-error-codes.")})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Messages per request field."},
    )
    request_id = fields.String(metadata={"description": (
        "The request's id (as in the X-Request-ID header): quote it when reporting a problem.")})


class InputSchema(ma.Schema):
    """Base of every request body and query. Unknown fields are refused, not silently dropped, so a
    misspelt field name is reported instead of ignored."""

    class Meta:
        unknown = ma.RAISE

    error_messages = {
        "unknown": _l("This field is not accepted here."),
        "type": _l("Send a JSON object."),
    }


def whole_number(*, minimum: int, maximum: int, strict: bool = True, error: Any = None,
                 **kwargs: Any) -> fields.Integer:
    """An integer field from ``minimum`` to ``maximum`` (both documented). ``strict`` (for JSON bodies)
    refuses ``"60"``, ``1.5`` and ``true``; query strings are text, so they are parsed. ``error``, if
    given, is the one message for anything but a whole number in range."""
    return fields.Integer(
        strict=strict,
        error_messages={**_REQUIRED, "invalid": error or _l("Enter a whole number.")},
        validate=validate.Range(min=minimum, max=maximum,
                                error=error or _l("Enter a whole number from {min} to {max}.")),
        **kwargs,
    )


def record_id(**kwargs: Any) -> fields.Integer:
    return whole_number(minimum=1, maximum=MAX_ID, error=_l("Enter the id of a record: a whole number of 1 or more."),
                        **kwargs)


def text(*, max_length: int, min_length: int | None = None, **kwargs: Any) -> fields.String:
    """A text field of at most ``max_length`` characters (and at least ``min_length``), both documented."""
    message = _l("Use at most {max} characters.") if min_length is None else _l("Use {min} to {max} characters.")
    return fields.String(error_messages={**_REQUIRED, "invalid": _l("Enter text.")},
                         validate=validate.Length(min=min_length, max=max_length, error=message), **kwargs)


def items(item: fields.Field, *, max_items: int = MAX_ITEMS, **kwargs: Any) -> fields.List:
    """A list of at most ``max_items`` (documented as ``maxItems``)."""
    return fields.List(item, validate=validate.Length(max=max_items, error=_l("Send {max} items or fewer.")),
                       **kwargs)


def time_of_day(**kwargs: Any) -> fields.Time:
    """A time of day as HH:MM, local to the time bank: no seconds, no time zone. Documented with the
    pattern it must match (Python's ``%H:%M`` takes one or two digits each side)."""
    return fields.Time(format=TIME_FORMAT, error_messages={**_REQUIRED, "invalid": _l("Enter a time as HH:MM, for "
                                                                                   "example 09:30.")},
                       metadata={"pattern": r"^[0-9]{1,2}:[0-9]{1,2}$", "maxLength": 5, **kwargs.pop("metadata", {})},
                       **kwargs)


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

    page = whole_number(minimum=1, maximum=MAX_PAGE, strict=False, load_default=1,
                        error=_l("Enter a page number of 1 or more."))
    per_page = whole_number(minimum=1, maximum=MAX_PER_PAGE, strict=False, load_default=20,
                            error=_l("Enter 1 to 100."))


class PageOut(ma.Schema):
    """One page of a list; each list's schema adds its ``items``."""

    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer(metadata={"description": "Items on every page together; when ``total_is_lower_bound``, "
                                                    "how many there are at least (lists are counted up to "
                                                    f"{COUNT_CAP:,} items, or to the end of the page asked for)."})
    total_is_lower_bound = fields.Boolean(metadata={
        "description": "True when the list is longer than ``total``: too long to count. Keep following pages "
                       "while the page is full."})


def page_fields(page: Page[Any]) -> dict[str, Any]:
    """The ``PageOut`` fields of one page of a list (each list adds its ``items``)."""
    return {"page": page.page, "per_page": page.per_page, "total": page.total,
            "total_is_lower_bound": page.total_is_lower_bound}


@contextmanager
def fields_named_as_in_request(names: Mapping[str, str]) -> Iterator[None]:
    """Services name the field they refuse as the pages' forms do; where a request body names it
    differently, say the request's name (``names``: service field → request field)."""
    try:
        yield
    except DomainError as error:
        error.field = names.get(error.field or "", error.field)
        raise

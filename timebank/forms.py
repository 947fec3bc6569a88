"""What every page shares for input: whole-number query parameters, and putting a service's refusal
next to the field it names."""

from __future__ import annotations

from typing import Any, ClassVar

from flask import abort, request
from flask_babel import gettext
from flask_wtf import FlaskForm

from timebank.db import db
from timebank.errors import DomainError, Forbidden, NotFound
from timebank.types import MAX_ID


def int_arg(name: str, *, default: int | None = None) -> int | None:
    """A whole-number query parameter from 1 to the largest id; anything else is a 400 page, never a 500."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        abort(400, description=gettext("That page address has a value we do not understand."))
    return int(raw)


class ServiceForm(FlaskForm):
    """A form whose service errors (``DomainError.field``) are shown next to the matching field.

    ``SERVICE_FIELDS`` maps a service's field name to the form's, where they differ. An error for a
    field the form does not show (or shows hidden) goes at the top of the form."""

    SERVICE_FIELDS: ClassVar[dict[str, str]] = {}

    def add_service_error(self, field: str | None, message: Any) -> None:
        name = self.SERVICE_FIELDS.get(field or "", field or "")
        if name in self._fields and getattr(self[name].widget, "input_type", None) != "hidden":
            self[name].errors.append(message)
        else:
            self.form_errors.append(message)


def refuse(form: ServiceForm, error: DomainError) -> None:
    """Undo the request's work and put the service's refusal next to the field it names. A refusal
    that is not about what was typed (no such thing, not allowed) becomes its 404 or 403 page."""
    db.session.rollback()
    if isinstance(error, NotFound | Forbidden):
        raise error
    form.add_service_error(error.field, error.message)

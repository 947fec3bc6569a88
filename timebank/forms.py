"""What every page form shares: putting a service's refusal next to the field it names."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_wtf import FlaskForm


class ServiceForm(FlaskForm):
    """A form whose service errors (``DomainError.field``) are shown next to the matching field.

    ``SERVICE_FIELDS`` maps a service's field name to the form's, where they differ. An error for a
    field the form does not show (or shows hidden) goes at the top of the form."""

    SERVICE_FIELDS: ClassVar[dict[str, str]] = {}

    def add_service_error(self, field: str | None, message: Any) -> None:
        name = self.SERVICE_FIELDS.get(field or "", field or "")
        if name in self._fields and self[name].widget.input_type != "hidden":
            self[name].errors.append(message)
        else:
            self.form_errors.append(message)

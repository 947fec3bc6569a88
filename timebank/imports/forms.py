"""Forms for importing timesheets: choose the bank and the file; then Apply. The file itself is checked
by ``imports.service``, whose refusals of the whole file come back next to the file field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from timebank.forms import ServiceForm


def _optional_int(value: Any) -> int | None:
    """Coerce a select's value; the empty "choose…" option is ``None``."""
    if value is None or value == "":
        return None
    return int(value)


class UploadForm(ServiceForm):
    time_bank_id = SelectField(
        _l("Which time bank is the timesheet for?"),
        coerce=_optional_int,
        validators=[DataRequired(_l("Choose the time bank"))],
        invalid_value_message=_l("Choose the time bank from the list"),
        invalid_choice_message=_l("Choose the time bank from the list"),
    )
    file = FileField(_l("Timesheet file (CSV)"), validators=[FileRequired(_l("Choose the CSV file to check"))],
                     render_kw={"accept": ".csv,text/csv"})

    def set_banks(self, banks: list[tuple[int, str]]) -> None:
        choices = [SelectChoice(str(bank_id), name) for bank_id, name in banks]
        self.time_bank_id.choices = choices if len(choices) == 1 else [SelectChoice("", _l("Choose…")), *choices]


class ApplyForm(ServiceForm):
    """Apply: nothing to fill in but the CSRF token. Pressing it twice gives the same job (its key is
    the import's), and the job records the file once, so it needs no idempotency key."""

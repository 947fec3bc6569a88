"""Forms for the safeguarding record: a DBS check and a note. They check the shape of what was typed;
the rules (no future dates, a 12-digit certificate number, barred lists only for an enhanced check
with barred lists) are ``safeguarding.service``'s, and its errors come back next to the field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from timebank.forms import DayMonthYearField, ServiceForm
from timebank.safeguarding.models import MAX_NOTE, DbsLevel, Workforce
from timebank.safeguarding.service import DbsCheckInput


def _none_if_blank(value: Any) -> str | None:
    return value if value not in (None, "") else None


class _RecordForm(ServiceForm):
    #: The bank whose record the broker is looking at, carried from the page.
    time_bank_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class DbsCheckForm(_RecordForm):
    level = RadioField(
        _l("Level of the check"),
        choices=[
            SelectChoice(DbsLevel.NONE.value, _l("No check")),
            SelectChoice(DbsLevel.BASIC.value, _l("Basic")),
            SelectChoice(DbsLevel.STANDARD.value, _l("Standard")),
            SelectChoice(DbsLevel.ENHANCED.value, _l("Enhanced")),
            SelectChoice(DbsLevel.ENHANCED_BARRED.value, _l("Enhanced with barred lists")),
        ],
        invalid_choice_message=_l("Choose the level of the check"),
    )
    workforce = RadioField(
        _l("Which barred lists were checked?"),
        choices=[
            SelectChoice(Workforce.CHILDREN.value, _l("Children's barred list")),
            SelectChoice(Workforce.ADULTS.value, _l("Adults' barred list")),
            SelectChoice(Workforce.BOTH.value, _l("Both")),
        ],
        coerce=_none_if_blank,
        validators=[Optional()],
        invalid_choice_message=_l("Choose which barred lists were checked"),
    )
    certificate_number = StringField(_l("Certificate number (optional)"), validators=[Length(max=20)],
                                     render_kw={"inputmode": "numeric", "autocomplete": "off"})
    issued_on = DayMonthYearField(
        _l("Date on the certificate"),
        validators=[InputRequired(_l("Enter the date on the certificate"))],
    )
    update_service = RadioField(
        _l("Does the person use the DBS update service?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        default="no",
        invalid_choice_message=_l("Say whether they use the update service"),
    )
    status_checked_on = DayMonthYearField(
        _l("When did you last check their status online? (optional)"),
        validators=[Optional()],
    )

    @property
    def check(self) -> DbsCheckInput:
        return DbsCheckInput(
            level=DbsLevel(self.level.data),
            issued_on=self.issued_on.data,
            workforce=Workforce(self.workforce.data) if self.workforce.data else None,
            certificate_number=self.certificate_number.data or None,
            update_service=self.update_service.data == "yes",
            status_checked_on=self.status_checked_on.data,
        )


class NoteForm(_RecordForm):
    body = TextAreaField(
        _l("Note"),
        validators=[InputRequired(_l("Write the note")),
                    Length(max=MAX_NOTE, message=_l("Keep the note to 4,000 characters or fewer"))],
    )

"""The report's period, chosen by month in the address (selects that work without JavaScript), and the
words other features give the codes a report counts by (a core module may not import their fronts)."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from timebank.activities.forms import FORM_LABELS, PARTY_LABELS
from timebank.benefits.forms import SEVERITY_LABELS
from timebank.feedback.forms import AGAIN_LABELS, HOW_IT_WENT_LABELS
from timebank.forms import ServiceForm
from timebank.members.forms import CONTRIBUTION_KIND_LABELS
from timebank.profiles.forms import AGE_BAND_LABELS
from timebank.reports import labels
from timebank.reports.errors import ReportPeriodRefused
from timebank.reports.figures import Period, Report
from timebank.reports.subjects import Subject, chosen_period, month_code, months_between


class PeriodForm(ServiceForm):
    """From and to months, sent in the address (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    start = SelectField(_l("From"), name="from", validators=[DataRequired()])
    end = SelectField(_l("To"), name="to", validators=[DataRequired()])

    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"from": "start", "to": "end"}

    def __init__(self, *args: Any, subject: Subject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.start.choices = self.end.choices = [SelectChoice(code, labels.month_words(code))
                                                 for code in months_between(subject.earliest, subject.latest)]
        if not self.start.raw_data:
            self.start.data = month_code(subject.default.first)
        if not self.end.raw_data:
            self.end.data = month_code(subject.default.last)

    def chosen(self) -> Period | None:
        """The period, or ``None`` with the refusal next to its field."""
        if not self.validate():
            return None
        try:
            return chosen_period(self.subject, self.start.data, self.end.data)
        except ReportPeriodRefused as error:
            self.add_service_error(error.field, error.message)
            return None


#: The words other features' forms give the codes a report counts by (``labels.Words.shared``).
SHARED = {"forms": FORM_LABELS, "parties": PARTY_LABELS, "contribution_kinds": CONTRIBUTION_KIND_LABELS,
          "severities": SEVERITY_LABELS, "age_bands": AGE_BAND_LABELS, "again": AGAIN_LABELS,
          "how_it_went": {str(value): label for value, label in HOW_IT_WENT_LABELS.items()}}


def words(session: Session, report: Report) -> labels.Words:
    return labels.Words(
        shared=SHARED,
        outcomes=labels.outcome_names(session, report),
        filters=labels.filter_words(session, report),
    )

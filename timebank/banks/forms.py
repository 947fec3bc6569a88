"""Forms for a bank's settings and its staff. The ranges and who may be given a role are
``banks.service``'s rules; its errors come back next to the field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from timebank.banks.models import MAX_DBS_RENEWAL_MONTHS, MAX_VOUCHES, MIN_DBS_RENEWAL_MONTHS, MIN_VOUCHES
from timebank.banks.service import BankSettings
from timebank.forms import DayMonthYearField, ServiceForm
from timebank.members.models import BankRoleName


class SettingsForm(ServiceForm):
    vouching_enabled = BooleanField(_l("Members can vouch for people who apply"))
    vouches_needed = IntegerField(
        _l("Vouches needed before a broker signs an application off"),
        validators=[InputRequired(_l("Enter how many vouches are needed"))],
        invalid_value_message=_l("Enter a whole number, like 3"),
        render_kw={"inputmode": "numeric", "min": MIN_VOUCHES, "max": MAX_VOUCHES, "step": 1},
    )
    dbs_renewal_months = IntegerField(
        _l("How many months a DBS certificate counts for"),
        validators=[InputRequired(_l("Enter a number of months"))],
        invalid_value_message=_l("Enter a whole number of months, like 36"),
        render_kw={"inputmode": "numeric", "min": MIN_DBS_RENEWAL_MONTHS, "max": MAX_DBS_RENEWAL_MONTHS, "step": 1},
    )
    attendance_without_clearance = BooleanField(
        _l("Organisers can record that someone without the clearance came, with no credits")
    )

    #: Left blank, the day stays as it is (as the API's ``opened_on`` left out).
    opened_on = DayMonthYearField(
        _l("The day the time bank's records start"),
        validators=[Optional()],
    )

    @property
    def settings(self) -> BankSettings:
        return BankSettings(vouching_enabled=bool(self.vouching_enabled.data),
                            vouches_needed=self.vouches_needed.data,
                            dbs_renewal_months=self.dbs_renewal_months.data,
                            attendance_without_clearance=bool(self.attendance_without_clearance.data),
                            opened_on=self.opened_on.data)


ROLE_CHOICES = [
    SelectChoice(BankRoleName.BROKER.value, _l("Broker: runs the time bank and reviews applications")),
    SelectChoice(BankRoleName.FUNDER.value, _l("Funder: sees the time bank's reports, never anyone's details")),
]


class StaffForm(ServiceForm):
    email = EmailField(_l("Their email address"),
                       validators=[DataRequired(_l("Enter their email address")), Length(max=254)],
                       render_kw={"spellcheck": "false"})
    role = RadioField(_l("Role"), choices=ROLE_CHOICES, invalid_choice_message=_l("Choose a role"))

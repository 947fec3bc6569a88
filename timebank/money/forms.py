"""Forms for recording expenses, payments and redemptions. They check the shape of what was typed
(and turn pounds and miles into whole pence and tenths); the rules are ``money.service``'s, and its
errors come back next to the matching field."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from timebank.clock import uk_today
from timebank.errors import DomainError
from timebank.forms import Choices, DayMonthYearField, MemberPickerField, ServiceForm, fill_pickers
from timebank.i18n import local_text
from timebank.ledger.models import Account
from timebank.ledger.service import MAX_IDEMPOTENCY_KEY
from timebank.money import service
from timebank.money.models import MAX_ITEM, MAX_NOTE, ExpenseKind, PaymentKind
from timebank.money.service import (
    ExpenseInput,
    PaymentInput,
    RecordingChoices,
    RedemptionInput,
    parse_miles,
    parse_pounds,
)
from timebank.receipts import RedeemedFor

EXPENSE_KINDS = {
    ExpenseKind.MILEAGE: _l("Mileage"),
    ExpenseKind.TRAVEL: _l("Bus, train or taxi fares"),
    ExpenseKind.MEALS: _l("Meals and drinks"),
    ExpenseKind.CARE: _l("Care for a child or an adult while volunteering"),
    ExpenseKind.OTHER: _l("Something else"),
}
PAYMENT_KINDS = {
    PaymentKind.FEE: _l("A fee"),
    PaymentKind.HONORARIUM: _l("An honorarium (a thank-you payment)"),
    PaymentKind.GIFT: _l("A gift"),
    PaymentKind.VOUCHER: _l("A voucher"),
    PaymentKind.STIPEND: _l("A stipend (a regular allowance)"),
}
RECEIVED = {
    RedeemedFor.TIME_BASED_ACTIVITY: _l("A place on an activity, like a swim, a class or a seat"),
    RedeemedFor.TIME_EXCHANGE: _l("Someone's time"),
    RedeemedFor.GOODS: _l("Goods"),
    RedeemedFor.VOUCHER_FIXED_VALUE: _l("A voucher worth a set amount"),
    RedeemedFor.GIFT_CARD: _l("A gift card"),
    RedeemedFor.CASH: _l("Cash"),
}
YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


def _optional_int(value: Any) -> int | None:
    """Coerce a select's value; the empty "none" option is ``None``."""
    if value is None or value == "":
        return None
    return int(value)


def _new_key() -> str:
    return uuid.uuid4().hex


class ParsedField(StringField):
    """Text a service function reads (pounds, miles); ``value`` holds what it read once valid."""

    def __init__(self, label: Any = None, validators: Any = None, *, parse: Callable[[str], int],
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.parse = parse
        self.value: int | None = None

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        self.value = None
        if validation_stopped or not (self.data or "").strip():
            return
        try:
            self.value = self.parse(self.data)
        except DomainError as error:
            raise ValidationError(str(error.message)) from error


def pounds(label: Any, *, required: bool, message: Any = None) -> ParsedField:
    check = InputRequired(message) if required else Optional()
    return ParsedField(label, [check, Length(max=20, message=_l("Enter an amount like 12.50"))],
                       parse=parse_pounds, render_kw={"inputmode": "decimal", "autocomplete": "off"})


def _date(label: Any, message: Any) -> DayMonthYearField:
    return DayMonthYearField(label, default=uk_today, validators=[InputRequired(message)])


class _RecordForm(ServiceForm):
    """What every money form shares: the organisation chosen on the first step, the member, and the
    key that makes sending it twice record it once."""

    #: Chosen before the form is shown; kept here so the answer travels with the form.
    organisation = IntegerField(widget=HiddenInput())
    member = MemberPickerField(
        _l("Which member?"),
        validators=[DataRequired(_l("Choose the member"))],
        invalid_choice_message=_l("Choose the member from the list"),
    )
    idempotency_key = HiddenField(
        default=_new_key,
        validators=[DataRequired(_l("This form is out of date. Please start again.")),
                    Length(max=MAX_IDEMPOTENCY_KEY)],
    )

    def set_choices(self, choices: RecordingChoices) -> None:
        self.organisation.data = choices.organisation.id

    def set_members(self, members: Choices) -> None:
        """``members``: the rule for whom the actor may record (``service.member_choices``)."""
        fill_pickers([self.member], members)

    @property
    def member_account(self) -> Account:
        """The chosen member's account (the form has been validated, so there is one)."""
        chosen = self.member.chosen
        assert chosen is not None and chosen.item is not None
        return chosen.item


class _OrganisationMoneyForm(_RecordForm):
    """An expense or a payment: money an organisation paid, perhaps for one of its activities."""

    activity = SelectField(
        _l("For which activity? (optional)"),
        coerce=_optional_int,
        validators=[Optional()],
        invalid_value_message=_l("Choose an activity from the list"),
        invalid_choice_message=_l("Choose an activity from the list"),
    )
    paid_on = _date(_l("Date paid"), _l("Enter the date it was paid"))
    note = TextAreaField(_l("Note (optional)"),
                         validators=[Length(max=MAX_NOTE, message=_l("Keep the note under 1,000 characters."))])

    def set_choices(self, choices: RecordingChoices) -> None:
        super().set_choices(choices)
        self.paid_on.render_kw = {"max": uk_today().isoformat()}
        self.activity.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(a.id), local_text(a.title, a.title_cy)) for a in choices.activities
        ]


class ExpenseForm(_OrganisationMoneyForm):
    kind = RadioField(
        _l("What was it for?"),
        choices=[SelectChoice(kind.value, label) for kind, label in EXPENSE_KINDS.items()],
        invalid_choice_message=_l("Choose what the expense was for"),
    )
    miles = ParsedField(_l("Miles (mileage only)"), [Optional(), Length(max=12)], parse=parse_miles,
                        render_kw={"inputmode": "decimal", "autocomplete": "off"})
    rate_per_mile = IntegerField(
        _l("Rate per mile, in pence (mileage only)"),
        default=service.SUGGESTED_RATE_PER_MILE_PENCE,
        validators=[Optional(), NumberRange(min=0, max=service.MAX_RATE_PER_MILE_PENCE,
                                            message=_l("Enter the rate as whole pence, from 0 to 1,000."))],
        invalid_value_message=_l("Enter the rate as whole pence, like 45"),
        render_kw={"inputmode": "numeric"},
    )
    amount_paid = pounds(_l("Amount paid to the member, in pounds"), required=True,
                         message=_l("Enter the amount paid"))
    amount_receipted = pounds(_l("Amount the receipts show, in pounds"), required=True,
                              message=_l("Enter the amount the receipts show; 0 if there are none"))
    receipts_count = IntegerField(
        _l("Number of receipts"),
        validators=[InputRequired(_l("Enter the number of receipts; 0 if there are none")),
                    NumberRange(min=0, max=service.MAX_RECEIPTS,
                                message=_l("Enter the number of receipts as a whole number from 0 to 1,000."))],
        invalid_value_message=_l("Enter the number of receipts as a whole number, like 2"),
        render_kw={"inputmode": "numeric"},
    )
    flat_rate = RadioField(_l("Was it a fixed sum rather than the actual costs?"), choices=YES_NO, default="no",
                           invalid_choice_message=_l("Say whether it was a fixed sum"))

    def expense(self) -> ExpenseInput:
        account = self.member_account
        is_mileage = self.kind.data == ExpenseKind.MILEAGE
        return ExpenseInput(
            organisation_id=self.organisation.data, time_bank_id=account.time_bank_id,
            person_id=account.holder_id, paid_on=self.paid_on.data, kind=ExpenseKind(self.kind.data),
            amount_paid_pence=self.amount_paid.value, amount_receipted_pence=self.amount_receipted.value,
            receipts_count=self.receipts_count.data, idempotency_key=self.idempotency_key.data,
            flat_rate=self.flat_rate.data == "yes", activity_id=self.activity.data,
            # The rate is filled in for everyone; only mileage keeps it.
            miles_tenths=self.miles.value if is_mileage else None,
            rate_per_mile_pence=self.rate_per_mile.data if is_mileage else None,
            note=self.note.data or "",
        )


class PaymentForm(_OrganisationMoneyForm):
    kind = RadioField(
        _l("What kind of payment or gift?"),
        choices=[SelectChoice(kind.value, label) for kind, label in PAYMENT_KINDS.items()],
        invalid_choice_message=_l("Choose the kind of payment or gift"),
    )
    amount = pounds(_l("Amount or value, in pounds"), required=True, message=_l("Enter the amount"))

    def payment(self) -> PaymentInput:
        account = self.member_account
        return PaymentInput(
            organisation_id=self.organisation.data, time_bank_id=account.time_bank_id,
            person_id=account.holder_id, paid_on=self.paid_on.data, kind=PaymentKind(self.kind.data),
            amount_pence=self.amount.value, idempotency_key=self.idempotency_key.data,
            activity_id=self.activity.data, note=self.note.data or "",
        )


class RedemptionForm(_RecordForm):
    listing = SelectField(
        _l("Which of your offers did they take up? (optional)"),
        coerce=_optional_int,
        validators=[Optional()],
        invalid_value_message=_l("Choose an offer from the list"),
        invalid_choice_message=_l("Choose an offer from the list"),
    )
    item = StringField(_l("What did they receive?"),
                       validators=[InputRequired(_l("Say what they received")),
                                   Length(max=MAX_ITEM, message=_l("Say what was received, in up to 200 characters."))])
    redeemed_for = RadioField(
        _l("What kind of thing was it?"),
        choices=[SelectChoice(kind.value, label) for kind, label in RECEIVED.items()],
        default=RedeemedFor.TIME_BASED_ACTIVITY.value,
        invalid_choice_message=_l("Choose what kind of thing it was"),
    )
    hours = IntegerField(
        _l("Hours"),
        validators=[Optional(), NumberRange(min=0, max=24, message=_l("Enter hours as a whole number from 0 to 24"))],
        invalid_value_message=_l("Enter hours as a whole number, like 2"),
        render_kw={"inputmode": "numeric", "min": 0, "max": 24, "step": 1},
    )
    minutes = IntegerField(
        _l("Minutes"),
        validators=[Optional(), NumberRange(min=0, max=59, message=_l("Enter minutes as a whole number from 0 to 59"))],
        invalid_value_message=_l("Enter minutes as a whole number, like 30"),
        render_kw={"inputmode": "numeric", "min": 0, "max": 59, "step": 1},
    )
    face_value = pounds(_l("Value in pounds (for goods, vouchers, gift cards and cash)"), required=False)
    occurred_on = _date(_l("Date"), _l("Enter the date they received it"))

    SERVICE_FIELDS = {"credits": "hours", "minutes": "hours"}

    def set_choices(self, choices: RecordingChoices) -> None:
        super().set_choices(choices)
        self.occurred_on.render_kw = {"max": uk_today().isoformat()}
        self.listing.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(listing.id), listing.title) for listing in choices.listings
        ]
        self.offers = {listing.id: listing for listing in choices.listings}

    def prefill(self, listing_id: int) -> None:
        """Start from a spend offer: its title, what it gives and its price in credits."""
        listing = self.offers[listing_id]
        self.listing.data = listing.id
        self.item.data = listing.title
        if listing.receives is not None:
            self.redeemed_for.data = listing.receives.value
        self.hours.data, self.minutes.data = divmod(listing.price_minutes or 0, 60)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not self.hours.errors and not self.minutes.errors and self.hours.data is None and self.minutes.data is None:
            self.hours.errors.append(_l("Enter the credits they spent"))
            valid = False
        return valid

    def redemption(self) -> RedemptionInput:
        account = self.member_account
        return RedemptionInput(
            partner_id=self.organisation.data, time_bank_id=account.time_bank_id,
            person_id=account.holder_id, item=self.item.data or "",
            redeemed_for=RedeemedFor(self.redeemed_for.data),
            credit_minutes=(self.hours.data or 0) * 60 + (self.minutes.data or 0),
            occurred_on=self.occurred_on.data, idempotency_key=self.idempotency_key.data,
            face_value_pence=self.face_value.value, listing_id=self.listing.data,
        )


class FilterForm(ServiceForm):
    """The filters above a list of records, sent in the address (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    bank = SelectField(_l("Time bank"), coerce=_optional_int, validators=[Optional()],
                       invalid_choice_message=_l("Choose a time bank from the list"),
                       invalid_value_message=_l("Choose a time bank from the list"))
    organisation = SelectField(_l("Organisation"), coerce=_optional_int, validators=[Optional()],
                               invalid_choice_message=_l("Choose an organisation from the list"),
                               invalid_value_message=_l("Choose an organisation from the list"))
    member = SelectField(_l("Member"), coerce=_optional_int, validators=[Optional()],
                         invalid_choice_message=_l("Choose a member from the list"),
                         invalid_value_message=_l("Choose a member from the list"))
    kind = SelectField(_l("Kind"), validators=[Optional()],
                       invalid_choice_message=_l("Choose a kind from the list"))
    date_from = DayMonthYearField(_l("From"), validators=[Optional()])
    date_to = DayMonthYearField(_l("To"), validators=[Optional()])

    def set_choices(self, choices: service.FilterChoices, kinds: dict[Any, Any]) -> None:
        everything = SelectChoice("", _l("All"))
        self.bank.choices = [everything] + [SelectChoice(str(i), name) for i, name in choices.banks]
        self.organisation.choices = [everything] + [SelectChoice(str(i), name) for i, name in choices.organisations]
        self.member.choices = [everything] + [SelectChoice(str(i), name) for i, name in choices.members]
        self.kind.choices = [everything] + [SelectChoice(kind.value, label) for kind, label in kinds.items()]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.date_from.data and self.date_to.data and self.date_from.data > self.date_to.data:
            self.date_to.errors.append(_l("The end date must be on or after the start date"))
            valid = False
        return valid

    def filters(self) -> service.RecordFilters:
        return service.RecordFilters(
            time_bank_id=self.bank.data, organisation_id=self.organisation.data, person_id=self.member.data,
            kind=self.kind.data or None, date_from=self.date_from.data, date_to=self.date_to.data,
        )

    def query(self) -> dict[str, str]:
        """The filters as they appear in the address, for the page links."""
        chosen = {name: str(self[name].raw_data[0]) for name in ("bank", "organisation", "member", "kind")
                  if self[name].raw_data and self[name].raw_data[0]}
        return chosen | self.date_from.query() | self.date_to.query()

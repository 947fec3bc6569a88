"""Forms for the exchange pages. They check the shape of what was typed; the rules (limits, dates, who
may act for whom) are the service's, and its errors are put back next to the matching field."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from timebank.categories.models import Category
from timebank.clock import uk_today
from timebank.dates import DateRange
from timebank.exchanges.disputes import Outcome
from timebank.exchanges.models import MAX_REASON
from timebank.exchanges.service import ActableAccount, Side
from timebank.forms import Choices, DayMonthYearField, MemberPickerField, ServiceForm, fill_pickers
from timebank.ledger import errors as ledger_errors
from timebank.ledger.models import MAX_EXCHANGE_MINUTES, Account, FamilyTie, HolderKind
from timebank.ledger.service import MAX_DESCRIPTION


def _optional_int(value: Any) -> int | None:
    """Coerce a select's value; the empty "choose…" option is ``None``."""
    if value is None or value == "":
        return None
    return int(value)


class _InRange(NumberRange):
    """A range check that keeps quiet when the value was not a number (that error is already shown)."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is not None:
            super().__call__(form, field)


def _new_key() -> str:
    return uuid.uuid4().hex


#: The family question's "No": stored as nothing said, like a form left blank (``FamilyTie`` has no "none").
NOT_FAMILY = "no"


class ExchangeForm(ServiceForm):
    #: Chosen before the form is shown (see the view); kept here so the answer travels with the form.
    account = IntegerField(widget=HiddenInput())
    side = RadioField(
        _l("What happened?"),
        choices=[SelectChoice(Side.GIVER.value, _l("I gave help")),
                 SelectChoice(Side.RECEIVER.value, _l("I received help"))],
        invalid_choice_message=_l("Say whether help was given or received"),
    )
    counterpart = MemberPickerField(
        _l("Who was the other person or group?"),
        validators=[DataRequired(_l("Choose who the exchange was with"))],
        invalid_choice_message=_l("Choose who the exchange was with from the list"),
    )
    hours = IntegerField(
        _l("Hours"),
        validators=[Optional(), _InRange(min=0, message=_l("Enter hours as a whole number, 0 or more"))],
        invalid_value_message=_l("Enter hours as a whole number, like 2"),
        render_kw={"inputmode": "numeric", "min": 0, "max": 24, "step": 1},
    )
    minutes = IntegerField(
        _l("Minutes"),
        validators=[Optional(), _InRange(min=0, max=59, message=_l("Enter minutes as a whole number from 0 to 59"))],
        invalid_value_message=_l("Enter minutes as a whole number, like 30"),
        render_kw={"inputmode": "numeric", "min": 0, "max": 59, "step": 1},
    )
    occurred_on = DayMonthYearField(
        _l("When did it happen?"),
        default=uk_today,
        validators=[InputRequired(_l("Enter the date the help happened"))],
    )
    category = SelectField(
        _l("What kind of help was it?"),
        validators=[DataRequired(_l("Choose a category"))],
        invalid_choice_message=_l("Choose a category from the list"),
    )
    description = TextAreaField(
        _l("Describe the help (optional)"),
        validators=[Length(max=MAX_DESCRIPTION, message=ledger_errors.DescriptionTooLong.title)],
    )
    #: TB-09's fact, optional: the answer travels to the ledger as ``Exchange.family_tie``.
    family_tie = RadioField(
        _l("Is the other person someone you live with, or a close relative? (optional)"),
        choices=[SelectChoice(NOT_FAMILY, _l("No")),
                 SelectChoice(FamilyTie.HOUSEHOLD.value, _l("Someone I live with")),
                 SelectChoice(FamilyTie.CLOSE_RELATIVE.value, _l("A close relative"))],
        validators=[Optional()],
        invalid_choice_message=_l("Choose no, someone you live with or a close relative"),
    )
    #: Chosen when the form is first shown, so sending it twice records one exchange.
    idempotency_key = HiddenField(
        default=_new_key,
        validators=[DataRequired(_l("This form is out of date. Please start again.")), Length(max=100)],
    )

    #: Where each service error field belongs on this form.
    SERVICE_FIELDS = {
        "minutes": "hours",
        "occurred_on": "occurred_on",
        "category": "category",
        "description": "description",
        "counterpart": "counterpart",
        "account": "account",
        "idempotency_key": "idempotency_key",
    }

    def set_choices(
        self, chosen: ActableAccount, counterparts: Choices, categories: Sequence[Category], days: DateRange,
    ) -> None:
        """``counterparts`` is the rule for who the other side may be (``service.counterpart_choices``);
        ``days`` are those the ledger accepts for the chosen account's bank (``dates.happened``)."""
        self.account.data = chosen.account.id
        self.days = days
        if chosen.on_behalf or chosen.account.holder_kind is not HolderKind.RESIDENT:
            self.side.choices = [
                SelectChoice(Side.GIVER.value, _l("%(name)s gave help", name=chosen.name)),
                SelectChoice(Side.RECEIVER.value, _l("%(name)s received help", name=chosen.name)),
            ]
            self.family_tie.label.text = _l(
                "Is the other person someone %(name)s lives with, or a close relative of theirs? (optional)",
                name=chosen.name)
            self.family_tie.choices = [
                SelectChoice(NOT_FAMILY, _l("No")),
                SelectChoice(FamilyTie.HOUSEHOLD.value, _l("Someone they live with")),
                SelectChoice(FamilyTie.CLOSE_RELATIVE.value, _l("A close relative")),
            ]
        fill_pickers([self.counterpart], counterparts)
        self.category.choices = [SelectChoice("", _l("Choose…")), *_grouped_categories(categories)]

    @property
    def family_tie_answer(self) -> FamilyTie | None:
        """The answer as the ledger keeps it: ``None`` for "No" and for no answer."""
        value = self.family_tie.data
        return FamilyTie(value) if value and value != NOT_FAMILY else None

    @property
    def total_minutes(self) -> int:
        return (self.hours.data or 0) * 60 + (self.minutes.data or 0)

    def validate(self, extra_validators: Any = None) -> bool:
        """Check what the ledger would refuse here too, so every problem shows in one round."""
        valid = super().validate(extra_validators)
        if not self.hours.errors and not self.minutes.errors:
            if self.hours.data is None and self.minutes.data is None:
                self.hours.errors.append(_l("Enter how long the help took"))
                valid = False
            elif not 1 <= self.total_minutes <= MAX_EXCHANGE_MINUTES:
                self.hours.errors.append(ledger_errors.InvalidAmount.title)
                valid = False
        if not self.occurred_on.errors and self.occurred_on.data and self.occurred_on.data not in self.days:
            self.occurred_on.errors.append(self.days.message())
            valid = False
        return valid


def _grouped_categories(categories: Sequence[Category]) -> list[SelectChoice]:
    """Each top-level category becomes an ``<optgroup>`` of its children; one without children is a
    plain option at the end."""
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    grouped: list[SelectChoice] = []
    single: list[SelectChoice] = []
    for top in (c for c in categories if c.parent_id is None):
        kids = children.get(top.id, [])
        if kids:
            grouped += [SelectChoice(k.code, k.label, optgroup=top.label) for k in kids]
        else:
            single.append(SelectChoice(top.code, top.label))
    return grouped + single


class ActionForm(ServiceForm):
    """Confirm or cancel: nothing to fill in but the CSRF token."""

    #: "pending" sends the person back to the list they pressed the button on.
    return_to = HiddenField()


class DeclineForm(ActionForm):
    note = TextAreaField(
        _l("Say why (optional)"),
        id="decline-note",
        validators=[Length(max=MAX_DESCRIPTION, message=_l("Keep the note under 1,000 characters"))],
    )


class ReverseForm(ActionForm):
    reason = TextAreaField(
        _l("Why is this exchange being reversed?"),
        id="reversal-reason",
        validators=[
            DataRequired(_l("Say why this exchange is being reversed")),
            Length(max=MAX_DESCRIPTION, message=_l("Keep the reason under 1,000 characters")),
        ],
    )


class DisputeForm(ServiceForm):
    """"Something wrong with this exchange?": a reason, and whose side it is for when the person speaks for
    both (an organisation's admin who took part themselves). Its ids are its own: the exchange page shows
    it beside the other forms."""

    account = SelectField(
        _l("Whose side are you raising this for?"),
        id="dispute-account",
        coerce=_optional_int,
        validators=[Optional()],
        invalid_value_message=_l("Choose whose side you are raising this for"),
        invalid_choice_message=_l("Choose whose side you are raising this for"),
    )
    reason = TextAreaField(
        _l("What is wrong with this exchange?"),
        id="dispute-reason",
        validators=[
            DataRequired(_l("Say what is wrong with this exchange")),
            Length(max=MAX_REASON, message=_l("Keep the reason under 1,000 characters")),
        ],
    )

    SERVICE_FIELDS = {"account": "account", "reason": "reason"}

    def set_sides(self, sides: Sequence[Account], names: dict[int, str]) -> None:
        self.account.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(account.id), names.get(account.id) or str(_l("Community pot"))) for account in sides
        ]

    @property
    def asks_side(self) -> bool:
        return len(self.account.choices or []) > 2


class ResolveForm(ServiceForm):
    outcome = RadioField(
        _l("How was it dealt with?"),
        choices=[
            SelectChoice(Outcome.REVERSE.value, _l("Reverse the exchange: the hours go back")),
            SelectChoice(Outcome.NOTE.value, _l("The exchange stands: explain why in the note")),
        ],
        invalid_choice_message=_l("Choose whether to reverse the exchange or let it stand"),
    )
    note = TextAreaField(
        _l("Note"),
        validators=[
            DataRequired(_l("Write a note saying how the dispute was dealt with")),
            Length(max=MAX_REASON, message=_l("Keep the note under 1,000 characters")),
        ],
    )

    #: A reversal's refusals name the reason (our note) or the minutes (a balance limit, which is about
    #: the choice to reverse).
    SERVICE_FIELDS = {"reason": "note", "note": "note", "minutes": "outcome"}

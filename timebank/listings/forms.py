"""Forms for listing and finding offers, requests and spend offers, and the words the pages use for
their kinds and what a spend offer gives.

The forms check the shape of what was typed (a date that is a date, a choice from the list); the rules
(an offer from the person's own abilities, a request not in the past, review dates) are
``listings.service``'s, and its errors come back next to the matching field. A request asks for help
on one occasion: nothing here asks about needs, conditions or problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from timebank.categories.models import Category
from timebank.dates import TIME_FORMAT
from timebank.forms import DayMonthYearField, ServiceForm
from timebank.i18n import format_minutes
from timebank.listings.models import MAX_PLACE, MAX_TITLE, Listing, ListingKind
from timebank.listings.service import (
    DEFAULT_SPEND_CATEGORY,
    ESTIMATE_CHOICES,
    MAX_DETAILS,
    MAX_QUERY,
    Criteria,
    ListingDetails,
)
from timebank.profiles.forms import category_tree
from timebank.receipts import RedeemedFor

KIND_LABELS = {
    ListingKind.OFFER: _l("Offer of help"),
    ListingKind.REQUEST: _l("Request for help"),
    ListingKind.SPEND: _l("Spend offer"),
}

#: What a member receives for a spend offer, the time-based activity first: it is what spend offers are for.
RECEIVES_LABELS = {
    RedeemedFor.TIME_BASED_ACTIVITY: _l("An activity, such as a swim, a class or a seat at an event"),
    RedeemedFor.TIME_EXCHANGE: _l("Time: help from someone at the organisation"),
    RedeemedFor.GOODS: _l("Goods"),
    RedeemedFor.VOUCHER_FIXED_VALUE: _l("A voucher worth a set amount of money"),
    RedeemedFor.GIFT_CARD: _l("A gift card"),
    RedeemedFor.CASH: _l("Cash"),
}


def category_choices(categories: Sequence[Category], *, whole_branches: bool = False) -> list[SelectChoice]:
    """Each top-level category is an ``<optgroup>`` of its children; childless ones are plain options
    at the end. With ``whole_branches`` (for filters) each group starts with the whole branch."""
    grouped: list[SelectChoice] = []
    single: list[SelectChoice] = []
    for top, kids in category_tree(categories):
        if not kids:
            single.append(SelectChoice(top.code, top.label))
            continue
        if whole_branches:
            grouped.append(SelectChoice(top.code, _l("%(category)s: all", category=top.label), optgroup=top.label))
        grouped += [SelectChoice(c.code, c.label, optgroup=top.label) for c in kids]
    return grouped + single


def _optional_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


class _InRange(NumberRange):
    """A range check that keeps quiet when the value was not a number (that error is already shown)."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is not None:
            super().__call__(form, field)


class ListingForm(ServiceForm):
    """One form for every kind; the fields a kind does not have are removed when it is made."""

    title = StringField(_l("Title"), validators=[
        InputRequired(_l("Give a short title")),
        Length(max=MAX_TITLE, message=_l("Keep the title to 200 characters or fewer"))])
    details = TextAreaField(_l("Details (optional)"), validators=[
        Length(max=MAX_DETAILS, message=_l("Keep the details to 2,000 characters or fewer"))])
    # Any value is passed on: the service says why a category cannot be used (not one of your abilities).
    category = SelectField(_l("What kind of help is it?"), validate_choice=False,
                           validators=[DataRequired(_l("Choose a category"))])
    place = StringField(_l("Place (optional)"), validators=[
        Length(max=MAX_PLACE, message=_l("Keep the place to 200 characters or fewer"))])
    is_remote = BooleanField(_l("This can be done by phone or online"))
    needed_on = DayMonthYearField(_l("Which day?"),
                                  validators=[InputRequired(_l("Enter the day you would like the help"))])
    needed_at = TimeField(_l("What time? (optional)"), format=[TIME_FORMAT, f"{TIME_FORMAT}:%S"],
                          invalid_value_message=_l("Enter a time like 14:30"), validators=[Optional()])
    estimated_minutes = SelectField(_l("Roughly how long will it take?"), coerce=_optional_int,
                                    invalid_value_message=_l("Choose roughly how long it will take from the list"),
                                    invalid_choice_message=_l("Choose roughly how long it will take from the list"))
    price_hours = IntegerField(
        _l("Hours"), validators=[Optional(), _InRange(min=0, max=24, message=_l("Enter hours from 0 to 24"))],
        invalid_value_message=_l("Enter hours as a whole number, like 1"),
        render_kw={"inputmode": "numeric", "min": 0, "max": 24, "step": 1})
    price_minutes = IntegerField(
        _l("Minutes"), validators=[Optional(), _InRange(min=0, max=59, message=_l("Enter minutes from 0 to 59"))],
        invalid_value_message=_l("Enter minutes as a whole number, like 30"),
        render_kw={"inputmode": "numeric", "min": 0, "max": 59, "step": 1})
    receives = RadioField(
        _l("What does the member receive?"),
        choices=[SelectChoice(value.value, label) for value, label in RECEIVES_LABELS.items()],
        default=RedeemedFor.TIME_BASED_ACTIVITY.value,
        invalid_choice_message=_l("Choose what the member receives"),
    )
    #: Left blank, it is the default for the kind (see ``listings.service.default_review_on``).
    review_on = DayMonthYearField(_l("Review date"), validators=[Optional()])

    SERVICE_FIELDS = {"price_minutes": "price_hours"}

    #: The fields each kind has, besides those every kind has.
    KIND_FIELDS = {
        ListingKind.OFFER: (),
        ListingKind.REQUEST: ("needed_on", "needed_at", "estimated_minutes"),
        ListingKind.SPEND: ("price_hours", "price_minutes", "receives"),
    }

    def __init__(self, *args: Any, kind: ListingKind, categories: Sequence[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for kind_, names in self.KIND_FIELDS.items():
            if kind_ is not kind:
                for name in names:
                    delattr(self, name)
        choose = SelectChoice("", _l("Choose…"))
        if kind is ListingKind.OFFER:
            # An offer is one of the person's own abilities, nothing else.
            self.category.choices = [choose, *(SelectChoice(c.code, c.label) for c in categories)]
        else:
            self.category.choices = [choose, *category_choices(categories)]
        if kind is ListingKind.REQUEST:
            self.title.label.text = _l("What would you like help with?")
            self.estimated_minutes.choices = [SelectChoice("", _l("Not sure")),
                                              *(SelectChoice(str(m), format_minutes(m)) for m in ESTIMATE_CHOICES)]
        if kind is ListingKind.SPEND and not self.is_submitted() and not self.category.data:
            self.category.data = DEFAULT_SPEND_CATEGORY

    @property
    def total_price(self) -> int | None:
        if self.price_hours.data is None and self.price_minutes.data is None:
            return None
        return (self.price_hours.data or 0) * 60 + (self.price_minutes.data or 0)

    def listing_details(self) -> ListingDetails:
        request = self.kind is ListingKind.REQUEST
        spend = self.kind is ListingKind.SPEND
        return ListingDetails(
            title=self.title.data or "",
            category=self.category.data or "",
            details=self.details.data or "",
            place=self.place.data or "",
            is_remote=bool(self.is_remote.data),
            review_on=self.review_on.data,
            needed_on=self.needed_on.data if request else None,
            needed_at=self.needed_at.data if request else None,
            estimated_minutes=self.estimated_minutes.data if request else None,
            price_minutes=self.total_price if spend else None,
            receives=RedeemedFor(self.receives.data) if spend else None,
        )

    @staticmethod
    def initial(listing: Listing, details: ListingDetails) -> dict[str, Any]:
        """What the edit form shows before anything is changed."""
        data: dict[str, Any] = {
            "title": details.title, "category": details.category, "details": details.details,
            "place": details.place, "is_remote": details.is_remote, "review_on": details.review_on,
        }
        if listing.kind is ListingKind.REQUEST:
            data.update(needed_on=details.needed_on, needed_at=details.needed_at,
                        estimated_minutes=details.estimated_minutes)
        if listing.kind is ListingKind.SPEND and details.price_minutes is not None:
            hours, minutes = divmod(details.price_minutes, 60)
            data.update(price_hours=hours, price_minutes=minutes,
                        receives=(details.receives or RedeemedFor.TIME_BASED_ACTIVITY).value)
        return data


class ActionForm(ServiceForm):
    """Renew or close: nothing to fill in but the CSRF token."""


class BrowseForm(ServiceForm):
    """The filters for finding listings. Sent by GET, so no CSRF token; every field is optional."""

    class Meta:
        csrf = False

    kind = HiddenField(validators=[Optional(), AnyOf([k.value for k in ListingKind],
                                                     message=_l("Choose offers, requests or spend offers"))])
    q = StringField(_l("Words"), validators=[
        Length(max=MAX_QUERY, message=_l("Keep the search to 200 characters or fewer"))])
    category = SelectField(_l("Kind of help"), default="", invalid_choice_message=_l("Choose a category from the list"))
    district = StringField(_l("Area (postcode district)"), validators=[
        Length(max=8, message=_l("Enter a postcode district like HB3"))])
    remote = BooleanField(_l("Only help by phone or online"))
    bank = SelectField(_l("Time bank"), default="", invalid_choice_message=_l("Choose one of your time banks"))
    expired = BooleanField(_l("Only listings past their review date (yours, or in time banks you run)"))

    SERVICE_FIELDS = {"time_bank_id": "bank"}

    def __init__(self, *args: Any, categories: Sequence[Category], banks: Sequence[tuple[int, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", _l("Any")), *category_choices(categories, whole_branches=True)]
        self.bank.choices = [SelectChoice("", _l("All your time banks")),
                             *(SelectChoice(str(bank_id), name) for bank_id, name in banks)]

    def criteria(self) -> Criteria:
        return Criteria(
            kind=ListingKind(self.kind.data) if self.kind.data else None,
            category=self.category.data or None,
            q=self.q.data or "",
            district=(self.district.data or "").strip() or None,
            remote_only=bool(self.remote.data),
            time_bank_id=int(self.bank.data) if self.bank.data else None,
            expired=bool(self.expired.data),
        )

    def filters(self, *, without: str = "") -> dict[str, str]:
        """The filters in use, to keep them in the page and tab links."""
        return {name: "y" if field.data is True else str(field.data)
                for name, field in self._fields.items() if field.data and name != without}

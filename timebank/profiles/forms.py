"""Forms for the profile pages, and the words they share with them (days, parts of the day, kinds of
contribution, abilities grouped under their top-level category).

The forms check the shape of what was sent (a choice from the list, a whole number); the rules are
``profiles.service``'s, whose errors go back next to the matching field. Nothing here asks about needs,
conditions or problems: a profile is what someone can do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from timebank.categories.models import Category
from timebank.categories.taxonomy import codes as category_codes
from timebank.categories.taxonomy import label_for
from timebank.forms import ServiceForm
from timebank.members.models import Holder, Organisation
from timebank.profiles.languages import LANGUAGES
from timebank.profiles.models import MAX_PROFILE_TEXT, AgeBand, Period, Profile
from timebank.profiles.search import MAX_QUERY, Criteria
from timebank.profiles.service import TEXT_FIELDS, ProfileUpdate

WEEKDAYS = range(7)
#: The heading for top-level categories without children, on the form and on the profile.
ANYTHING_ELSE = _l("Anything else")

PERIOD_LABELS = {
    Period.MORNING: _l("Morning"),
    Period.AFTERNOON: _l("Afternoon"),
    Period.EVENING: _l("Evening"),
}

#: One cell of the weekly grid, read out on its own ("Monday morning"); translators may reorder.
SLOT_LABELS = {
    Period.MORNING: _l("%(day)s morning"),
    Period.AFTERNOON: _l("%(day)s afternoon"),
    Period.EVENING: _l("%(day)s evening"),
}

#: The profile's texts as a person describes themselves, and as an organisation does.
TEXT_LABELS = {
    "person": {
        "about": _l("What I can do, in my own words"),
        "learn_or_share": _l("What I would like to learn or share"),
        "experience": _l("My experience"),
        "enjoys": _l("What I would enjoy doing"),
    },
    "organisation": {
        "about": _l("What we can do, in our own words"),
        "learn_or_share": _l("What we would like to learn or share"),
        "experience": _l("Our experience"),
        "enjoys": _l("What we would enjoy doing together"),
    },
}


def day_names(width: str = "wide") -> dict[int, str]:
    """Monday (0) to Sunday (6) in the page's language, from the locale data (so Welsh comes free)."""
    names = get_day_names(width, locale=get_locale())
    return {day: str(names[day]) for day in WEEKDAYS}


def week_rows() -> list[tuple[int, str, str]]:
    """(weekday, full name, short name) for each row of a weekly grid."""
    wide, short = day_names(), day_names("abbreviated")
    return [(day, wide[day], short[day]) for day in WEEKDAYS]


def slot_value(weekday: int, period: Period) -> str:
    return f"{weekday}-{period.value}"


def grouped_labels(codes: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Ability labels under their top-level category's label, in the order given; top-level categories
    chosen themselves (such as "Something else") come last, under "Anything else", as on the form."""
    parent_of = dict(category_codes())
    groups: dict[str | None, list[str]] = {}
    for code in codes:
        groups.setdefault(parent_of.get(code), []).append(label_for(code))
    loose = groups.pop(None, [])
    grouped = [(label_for(top), labels) for top, labels in groups.items() if top is not None]
    return [*grouped, (str(ANYTHING_ELSE), loose)] if loose else grouped


def category_tree(categories: Sequence[Category]) -> list[tuple[Category, list[Category]]]:
    """(top-level category, its children) in the order given."""
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    return [(top, children.get(top.id, [])) for top in categories if top.parent_id is None]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes. Rendered by hand in the templates, inside a fieldset."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# --- editing a profile -----------------------------------------------------------------------------


def _text_field(name: str) -> TextAreaField:
    return TextAreaField(
        TEXT_LABELS["person"][name],
        validators=[Length(max=MAX_PROFILE_TEXT, message=_l("Keep this to 2,000 characters or fewer"))],
    )


#: The age bands reports use, in words.
AGE_BAND_LABELS = {AgeBand.UNDER_25: _l("Under 25"), AgeBand.FROM_25_TO_34: _l("25 to 34"),
                   AgeBand.FROM_35_TO_49: _l("35 to 49"), AgeBand.FROM_50_TO_64: _l("50 to 64"),
                   AgeBand.FROM_65_TO_74: _l("65 to 74"), AgeBand.FROM_75: _l("75 or over")}


def _optional_age_band(value: Any) -> AgeBand | None:
    return None if value in (None, "") else AgeBand(value)


class ProfileForm(ServiceForm):
    abilities = CheckboxesField(_l("What you can do"), invalid_choice_message=_l("Choose abilities from the list"))
    about = _text_field("about")
    learn_or_share = _text_field("learn_or_share")
    experience = _text_field("experience")
    enjoys = _text_field("enjoys")
    languages = CheckboxesField(_l("Languages spoken or signed"),
                                invalid_choice_message=_l("Choose languages from the list"))
    availability = CheckboxesField(_l("When you are usually free"),
                                   invalid_choice_message=_l("Choose times from the weekly grid"))
    can_travel = RadioField(
        _l("How far can you travel?"),
        choices=[SelectChoice("yes", _l("I can travel")),
                 SelectChoice("no", _l("Not at all: I help from home or by phone"))],
        default="yes",
        invalid_choice_message=_l("Say whether you can travel"),
    )
    travel_districts = StringField(
        _l("Postcode districts you can travel to, besides your own (optional)"),
        validators=[Length(max=200, message=_l("Name 12 districts or fewer"))],
    )
    show_name = BooleanField(_l("Name"))
    show_area = BooleanField(_l("Area (the first half of the postcode)"))
    show_abilities = BooleanField(_l("What you can do, and the rest of this profile"))
    show_contact = BooleanField(_l("Contact details"))
    open_to_introductions = BooleanField(_l("My broker may suggest me for requests for help and roles"))
    age_band = SelectField(_l("Age (optional)"), coerce=_optional_age_band, validate_choice=False,
                           choices=[SelectChoice("", _l("I'd rather not say")),
                                    *(SelectChoice(band.value, label) for band, label in AGE_BAND_LABELS.items())])
    in_reports = BooleanField(_l("Count my age band and postcode district (never my name) in reports to funders"))

    def __init__(self, *args: Any, holder: Holder, categories: Sequence[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_organisation = isinstance(holder, Organisation)
        for name in TEXT_FIELDS:
            self[name].label.text = TEXT_LABELS["organisation" if self.is_organisation else "person"][name]
        if self.is_organisation:
            del self.show_name  # an organisation's name is always shown
            del self.open_to_introductions  # only people are introduced
            del self.age_band, self.in_reports  # only people are counted by age and area
        self._set_ability_choices(categories)
        self.languages.choices = [SelectChoice(code, label) for code, label in LANGUAGES.items()]
        self.availability.choices = [
            SelectChoice(slot_value(day, period), SLOT_LABELS[period] % {"day": name})
            for day, name, _short in week_rows() for period in Period
        ]
        self.period_labels = list(PERIOD_LABELS.values())

    def _set_ability_choices(self, categories: Sequence[Category]) -> None:
        """Each top-level category with children is a group of its children; the childless ones (such
        as "Something else") are gathered in one last group."""
        tree = category_tree(categories)
        groups = [(top.label, kids) for top, kids in tree if kids]
        loose = [top for top, kids in tree if not kids]
        if loose:
            groups.append((str(ANYTHING_ELSE), loose))
        self.abilities.choices = [SelectChoice(c.code, c.label) for _, members in groups for c in members]
        self._ability_legends = [(legend, [c.code for c in members]) for legend, members in groups]

    def ability_groups(self) -> list[tuple[str, list[Any]]]:
        """(legend, checkbox subfields) for each fieldset of abilities."""
        options = {option.data: option for option in self.abilities}
        return [(legend, [options[code] for code in codes]) for legend, codes in self._ability_legends]

    def availability_rows(self) -> list[tuple[str, str, list[Any]]]:
        """(day name, short name, [morning, afternoon, evening checkboxes]) for each row of the grid."""
        options = list(self.availability)
        per_day = len(Period)
        return [(name, short, options[day * per_day:(day + 1) * per_day]) for day, name, short in week_rows()]

    @staticmethod
    def initial(profile: Profile, categories: Sequence[Category]) -> dict[str, Any]:
        """What the form shows before anything is changed."""
        codes = {c.id: c.code for c in categories}
        return {
            "abilities": [codes[a.category_id] for a in profile.abilities if a.category_id in codes],
            **{name: getattr(profile, name) for name in TEXT_FIELDS},
            "languages": [language.code for language in profile.languages],
            "availability": [slot_value(slot.weekday, slot.period) for slot in profile.availability],
            "can_travel": "yes" if profile.can_travel else "no",
            "travel_districts": ", ".join(d.district for d in profile.travel_districts),
            "show_name": profile.show_name,
            "show_area": profile.show_area,
            "show_abilities": profile.show_abilities,
            "show_contact": profile.show_contact,
            "open_to_introductions": profile.open_to_introductions,
            "age_band": profile.age_band,
            "in_reports": profile.in_reports_at is not None,
        }

    def update(self) -> ProfileUpdate:
        slots = []
        for value in self.availability.data or []:
            weekday, period = value.split("-", 1)
            slots.append((int(weekday), Period(period)))
        return ProfileUpdate(
            abilities=tuple(self.abilities.data or ()),
            **{name: self[name].data or "" for name in TEXT_FIELDS},
            languages=tuple(self.languages.data or ()),
            availability=tuple(slots),
            can_travel=self.can_travel.data == "yes",
            travel_districts=tuple((self.travel_districts.data or "").replace(",", " ").split()),
            show_name=self.show_name.data if not self.is_organisation else True,
            show_area=self.show_area.data,
            show_abilities=self.show_abilities.data,
            show_contact=self.show_contact.data,
            open_to_introductions=self.open_to_introductions.data if not self.is_organisation else True,
            age_band=None if self.is_organisation else self.age_band.data,
            in_reports=False if self.is_organisation else bool(self.in_reports.data),
        )


# --- finding people --------------------------------------------------------------------------------


def ability_search_choices(categories: Sequence[Category]) -> list[SelectChoice]:
    """Each top-level category is an ``<optgroup>``: first the whole category (searching for it finds
    all of its children), then each child. Childless ones are plain options at the end."""
    grouped: list[SelectChoice] = []
    single: list[SelectChoice] = []
    for top, kids in category_tree(categories):
        if kids:
            grouped.append(SelectChoice(top.code, _l("%(category)s: all", category=top.label), optgroup=top.label))
            grouped += [SelectChoice(c.code, c.label, optgroup=top.label) for c in kids]
        else:
            single.append(SelectChoice(top.code, top.label))
    return grouped + single


class SearchForm(ServiceForm):
    """The "find people" filters. Sent by GET, so no CSRF token; every field is optional."""

    class Meta:
        csrf = False

    q = StringField(_l("Words"), validators=[
        Length(max=MAX_QUERY, message=_l("Keep the search to 200 characters or fewer"))])
    ability = SelectField(_l("What they can do"), default="",
                          invalid_choice_message=_l("Choose an ability from the list"))
    language = SelectField(_l("Language"), default="", invalid_choice_message=_l("Choose a language from the list"))
    district = StringField(_l("Area (postcode district)"), validators=[
        Length(max=8, message=_l("Enter a postcode district like HB3"))])
    weekday = SelectField(_l("Day"), default="", invalid_choice_message=_l("Choose a day from the list"))
    period = SelectField(_l("Time of day"), default="",
                         invalid_choice_message=_l("Choose a time of day from the list"))
    bank = SelectField(_l("Time bank"), default="", invalid_choice_message=_l("Choose one of your time banks"))

    #: The service's names for the fields whose names differ here.
    SERVICE_FIELDS = {"time_bank_id": "bank"}

    def __init__(self, *args: Any, categories: Sequence[Category], banks: Sequence[tuple[int, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = SelectChoice("", _l("Any"))
        self.ability.choices = [anything, *ability_search_choices(categories)]
        self.language.choices = [anything, *(SelectChoice(code, label) for code, label in LANGUAGES.items())]
        days = day_names()
        self.weekday.choices = [anything, *(SelectChoice(str(day), days[day]) for day in WEEKDAYS)]
        self.period.choices = [anything, *(SelectChoice(p.value, label) for p, label in PERIOD_LABELS.items())]
        self.bank.choices = [SelectChoice("", _l("All your time banks")),
                             *(SelectChoice(str(bank_id), name) for bank_id, name in banks)]

    def criteria(self) -> Criteria:
        return Criteria(
            q=self.q.data or "",
            ability=self.ability.data or None,
            language=self.language.data or None,
            district=(self.district.data or "").strip() or None,
            weekday=int(self.weekday.data) if self.weekday.data else None,
            period=Period(self.period.data) if self.period.data else None,
            time_bank_id=int(self.bank.data) if self.bank.data else None,
        )

    def filters(self) -> dict[str, str]:
        """The filters in use, to keep them in the page links."""
        return {name: str(field.data) for name, field in self._fields.items() if field.data}

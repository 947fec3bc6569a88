"""Forms for funders, programmes, their scopes and outcomes, outcome tags and in-kind records. They check
shape; the rules (periods, ranges, who may scope what, which outcomes cover an activity) are
``programmes.service``'s, and its refusals come back next to the field they name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, Field, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from timebank.activities.models import MAX_IN_KIND_DESCRIPTION, InKindContribution
from timebank.forms import DayMonthYearField, ServiceForm, declared_fields
from timebank.members.forms import CONTRIBUTION_KIND_LABELS
from timebank.members.models import MAX_EMAIL
from timebank.money.forms import pounds
from timebank.money.service import pounds_text
from timebank.profiles.models import ContributionKind
from timebank.programmes import service
from timebank.programmes.models import MAX_DESCRIPTION, MAX_NAME, MAX_SOURCE, Programme
from timebank.programmes.outcome_sets import OUTCOME_SETS, OutcomeSet
from timebank.types import MAX_ID

_LONG_NAME = _l("Keep it to 200 characters or fewer")
_FROM_LIST = _l("Choose one from the list")


def _optional_int(value: Any) -> int | None:
    """A select's value; the empty "none" option is ``None``."""
    if value is None or value == "":
        return None
    return int(value)


def _select(label: Any, *, required: Any = None) -> SelectField:
    return SelectField(label, coerce=_optional_int, validators=[DataRequired(required)] if required else [],
                       invalid_choice_message=_FROM_LIST, invalid_value_message=_FROM_LIST)


def _choices(options: Sequence[tuple[int, str]], empty: Any) -> list[SelectChoice]:
    return [SelectChoice("", empty), *(SelectChoice(str(i), name) for i, name in options)]


def _name(label: Any, message: Any) -> StringField:
    return StringField(label, validators=[InputRequired(message), Length(max=MAX_NAME, message=_LONG_NAME)])


def _welsh_name(label: Any) -> StringField:
    return StringField(label, validators=[Length(max=MAX_NAME, message=_LONG_NAME)])


# --- funders ---------------------------------------------------------------------------------------


class FunderForm(ServiceForm):
    name = _name(_l("Name in English"), _l("Enter the funder's name"))
    name_cy = _welsh_name(_l("Name in Welsh (optional)"))


class FunderMemberForm(ServiceForm):
    email = EmailField(_l("Their email address"), validators=[
        InputRequired(_l("Enter their email address")),
        Length(max=MAX_EMAIL, message=_l("Keep it to 254 characters or fewer"))])



# --- programmes ------------------------------------------------------------------------------------


class ScopeForm(ServiceForm):
    time_bank_id = _select(_l("Time bank"), required=_l("Choose a time bank"))
    organisation_id = _select(_l("Only one organisation's work there (optional)"))
    activity_id = _select(_l("Or only one activity (optional)"))

    def set_scope_choices(self, banks: Sequence[tuple[int, str]], organisations: Sequence[tuple[int, str]],
                          activities: Sequence[tuple[int, str]]) -> None:
        self.time_bank_id.choices = _choices(banks, _l("Choose…"))
        self.organisation_id.choices = _choices(organisations, _l("No: the whole time bank, or one activity"))
        self.activity_id.choices = _choices(activities, _l("No"))
        if len(banks) == 1 and not self.is_submitted():
            self.time_bank_id.data = banks[0][0]

    def scope(self) -> service.ScopeDetails:
        return service.ScopeDetails(time_bank_id=self.time_bank_id.data, organisation_id=self.organisation_id.data,
                                    activity_id=self.activity_id.data)


def _day(label: Any, message: Any) -> DayMonthYearField:
    return DayMonthYearField(label, validators=[InputRequired(message)])


class ProgrammeForm(ServiceForm):
    SERVICE_FIELDS = {"value_per_hour_pence": "value_per_hour"}

    name = _name(_l("Name in English"), _l("Enter the programme's name"))
    name_cy = _welsh_name(_l("Name in Welsh (optional)"))
    description = TextAreaField(_l("What it funds (optional)"), validators=[
        Length(max=MAX_DESCRIPTION, message=_l("Keep it to 4,000 characters or fewer"))])
    starts_on = _day(_l("First day"), _l("Enter the programme's first day"))
    ends_on = _day(_l("Last day"), _l("Enter the programme's last day"))
    value_per_hour = pounds(_l("Value of an hour, in pounds"), required=True, message=_l("Enter the value of an hour"))
    value_source = StringField(_l("Where the value comes from"), validators=[
        Length(max=MAX_SOURCE, message=_l("Keep it to 300 characters or fewer"))])
    value_source_cy = StringField(_l("Where the value comes from, in Welsh (optional)"), validators=[
        Length(max=MAX_SOURCE, message=_l("Keep it to 300 characters or fewer"))])
    value_year = IntegerField(_l("The year of the value"), validators=[
        Optional(), NumberRange(min=service.EARLIEST_VALUE_YEAR, max=service.LATEST_VALUE_YEAR,
                                message=_l("Enter a year like 2025"))],
        invalid_value_message=_l("Enter a year like 2025"), render_kw={"inputmode": "numeric"})
    suppress_below = IntegerField(_l("Show counts of people below this as “fewer than”"), validators=[
        InputRequired(_l("Enter the threshold")),
        NumberRange(min=service.MIN_SUPPRESS_BELOW, max=service.MAX_SUPPRESS_BELOW,
                    message=_l("Enter a whole number from 5 to 100"))],
        invalid_value_message=_l("Enter a whole number from 5 to 100"),
        render_kw={"inputmode": "numeric", "min": service.MIN_SUPPRESS_BELOW, "max": service.MAX_SUPPRESS_BELOW})

    @staticmethod
    def initial(programme: Programme | None = None) -> dict[str, Any]:
        """What the form shows first: the programme's details, or for a new one the suggested value."""
        if programme is None:
            return {"value_per_hour": pounds_text(service.SUGGESTED_VALUE_PENCE),
                    "value_source": service.SUGGESTED_VALUE_SOURCE,
                    "value_source_cy": service.SUGGESTED_VALUE_SOURCE_CY, "value_year": service.SUGGESTED_VALUE_YEAR,
                    "suppress_below": service.MIN_SUPPRESS_BELOW}
        return {"name": programme.name, "name_cy": programme.name_cy, "description": programme.description,
                "starts_on": programme.starts_on, "ends_on": programme.ends_on,
                "value_per_hour": pounds_text(programme.value_per_hour_pence), "value_source": programme.value_source,
                "value_source_cy": programme.value_source_cy or "", "value_year": programme.value_year,
                "suppress_below": programme.suppress_below}

    def details(self) -> service.ProgrammeDetails:
        return service.ProgrammeDetails(
            name=self.name.data or "", name_cy=self.name_cy.data or "", description=self.description.data or "",
            starts_on=self.starts_on.data, ends_on=self.ends_on.data,
            value_per_hour_pence=self.value_per_hour.value or 0, value_source=self.value_source.data or "",
            value_source_cy=self.value_source_cy.data or "", value_year=self.value_year.data,
            suppress_below=self.suppress_below.data)


class NewProgrammeForm(ProgrammeForm, ScopeForm):
    FIELD_ORDER = ("funder_id", *declared_fields(ProgrammeForm), *declared_fields(ScopeForm))

    funder_id = _select(_l("Funder"), required=_l("Choose the funder"))

    def set_funders(self, funders: Sequence[tuple[int, str]]) -> None:
        self.funder_id.choices = _choices(funders, _l("Choose…"))


class OutcomeForm(ServiceForm):
    name = _name(_l("Outcome, in English"), _l("Enter the outcome"))
    name_cy = _welsh_name(_l("Outcome, in Welsh (optional)"))


class OutcomeSetForm(ServiceForm):
    set_code = SelectField(_l("Ready-made outcomes"), invalid_choice_message=_FROM_LIST)

    def set_choices(self, name: Callable[[OutcomeSet], str]) -> None:
        """Each ready-made set, by its name in the reader's language."""
        self.set_code.choices = [SelectChoice(code, name(outcome_set)) for code, outcome_set in OUTCOME_SETS.items()]


# --- outcome tags ----------------------------------------------------------------------------------


class OutcomeIdsField(Field):
    """The ticked outcomes (checkboxes sharing one name)."""

    data: list[int]

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = []
        for raw in valuelist:
            if not str(raw).isdigit() or not 1 <= int(raw) <= MAX_ID:
                raise ValueError(_l("Choose outcomes from the list"))
            self.data.append(int(raw))

    def _value(self) -> str:
        return ""


class TagsForm(ServiceForm):
    outcome_ids = OutcomeIdsField(_l("Outcomes it works towards"), default=list)


# --- in-kind contributions ---------------------------------------------------------------------------


class InKindForm(ServiceForm):
    SERVICE_FIELDS = {"value_pence": "value"}

    time_bank_id = _select(_l("Time bank"), required=_l("Choose a time bank"))
    kind = SelectField(_l("What was given"), choices=[SelectChoice(kind.value, label)
                                                      for kind, label in CONTRIBUTION_KIND_LABELS.items()],
                       invalid_choice_message=_FROM_LIST)
    description = TextAreaField(_l("What it was"), validators=[
        InputRequired(_l("Say what was given")),
        Length(max=MAX_IN_KIND_DESCRIPTION, message=_l("Keep it to 500 characters or fewer"))])
    given_on = _day(_l("Day it was given"), _l("Enter the day it was given"))
    activity_id = _select(_l("For which activity (optional)"))
    minutes = IntegerField(_l("How long, in minutes (optional: staff time, a room's use)"), validators=[
        Optional(), NumberRange(min=1, max=service.MAX_IN_KIND_MINUTES,
                                message=_l("Enter a whole number of minutes, up to a week"))],
        invalid_value_message=_l("Enter a whole number of minutes"), render_kw={"inputmode": "numeric"})
    value = pounds(_l("What it is worth, in pounds (optional; funds: the amount)"), required=False)

    def set_choices(self, banks: Sequence[tuple[int, str]], activities: Sequence[tuple[int, str]]) -> None:
        self.time_bank_id.choices = _choices(banks, _l("Choose…"))
        self.activity_id.choices = _choices(activities, _l("None in particular"))
        if len(banks) == 1 and not self.is_submitted():
            self.time_bank_id.data = banks[0][0]

    @staticmethod
    def initial(record: InKindContribution) -> dict[str, Any]:
        return {"time_bank_id": record.time_bank_id, "kind": record.kind.value, "description": record.description,
                "given_on": record.given_on, "activity_id": record.activity_id, "minutes": record.minutes,
                "value": pounds_text(record.value_pence) if record.value_pence is not None else ""}

    def details(self) -> service.InKindDetails:
        return service.InKindDetails(
            time_bank_id=self.time_bank_id.data, kind=ContributionKind(self.kind.data),
            description=self.description.data or "", given_on=self.given_on.data, activity_id=self.activity_id.data,
            minutes=self.minutes.data, value_pence=self.value.value)

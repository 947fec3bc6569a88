"""Forms for publishing and running activities, and the plain words the pages use for forms of
co-production, the matrix and the benefit-rule questions.

The forms check the shape of what was typed; the rules (which organisation, dates, places, categories)
are ``activities.service``'s, whose errors come back next to the matching field.
"""

from __future__ import annotations

import uuid
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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from timebank.activities.models import (
    MAX_PLACE,
    MAX_PLACES,
    MAX_RELEASE_NOTICE_HOURS,
    MAX_TITLE,
    Activity,
    ActivityStatus,
    CoProductionForm,
    Party,
    Role,
    RoleDirection,
)
from timebank.activities.service import (
    MAX_TEXT,
    MAX_WEEKS,
    ActivityDetails,
    Filters,
    NewActivity,
    NewSessions,
    RoleDetails,
)
from timebank.categories.models import Category
from timebank.forms import DayMonthYearField, ServiceForm
from timebank.profiles.forms import ANYTHING_ELSE, CheckboxesField, ability_search_choices, category_tree
from timebank.safeguarding.clearances import LABELS as CLEARANCE_LABELS
from timebank.safeguarding.clearances import Clearance

FORM_LABELS = {
    CoProductionForm.CO_PLANNING: _l("Co-planning"),
    CoProductionForm.CO_DESIGN: _l("Co-design"),
    CoProductionForm.CO_COMMISSIONING: _l("Co-commissioning"),
    CoProductionForm.CO_MANAGING: _l("Co-managing"),
    CoProductionForm.CO_DELIVERING: _l("Co-delivering"),
    CoProductionForm.CO_MONITORING: _l("Co-monitoring"),
    CoProductionForm.CO_EVALUATING: _l("Co-evaluating"),
}

FORM_EXPLANATIONS = {
    CoProductionForm.CO_PLANNING: _l("Residents and staff decide together what is needed and what comes first."),
    CoProductionForm.CO_DESIGN: _l("Residents and staff shape the service or activity together."),
    CoProductionForm.CO_COMMISSIONING: _l("Residents help decide what is paid for, and from whom."),
    CoProductionForm.CO_MANAGING: _l("Residents share in running it from day to day."),
    CoProductionForm.CO_DELIVERING: _l("Residents help do the work: driving, gardening, running a group."),
    CoProductionForm.CO_MONITORING: _l("Residents help keep an eye on how well it is going."),
    CoProductionForm.CO_EVALUATING: _l("Residents help judge whether it worked and what to change."),
}

PARTY_LABELS = {
    Party.PROFESSIONALS: _l("Professionals"),
    Party.SHARED: _l("Professionals with residents"),
    Party.COMMUNITY: _l("Residents"),
}

#: The nine cells of the co-production matrix (Carnegie Trust, 2006), by (who designs, who delivers).
CELL_NAMES = {
    (Party.PROFESSIONALS, Party.PROFESSIONALS): _l("Traditional professional service"),
    (Party.SHARED, Party.PROFESSIONALS): _l("Professionals deliver what all designed (participation)"),
    (Party.COMMUNITY, Party.PROFESSIONALS): _l("Residents design, professionals deliver"),
    (Party.PROFESSIONALS, Party.SHARED): _l("Professionals design, shared delivery"),
    (Party.SHARED, Party.SHARED): _l("Full co-production"),
    (Party.COMMUNITY, Party.SHARED): _l("Residents design, shared delivery"),
    (Party.PROFESSIONALS, Party.COMMUNITY): _l("Professionals design, residents deliver"),
    (Party.SHARED, Party.COMMUNITY): _l("Shared design, residents deliver"),
    (Party.COMMUNITY, Party.COMMUNITY): _l("Self-organised community provision"),
}

STATUS_LABELS = {
    ActivityStatus.DRAFT: _l("Draft"),
    ActivityStatus.PUBLISHED: _l("Published"),
    ActivityStatus.CLOSED: _l("Closed"),
}

DIRECTION_LABELS = {
    RoleDirection.GIVES: _l("Residents give their time and earn credits"),
    RoleDirection.SPENDS: _l("Residents spend credits to take part (a swim, a class, a seat)"),
}

#: The notice choices offered, in hours; anything else is typed in.
NOTICE_CHOICES = {0: _l("None"), 24: _l("24 hours"), 48: _l("48 hours"), 168: _l("1 week")}
OTHER_NOTICE = "other"

YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


def cell_value(designed_by: Party, delivered_by: Party) -> str:
    return f"{designed_by.value}.{delivered_by.value}"


def _new_key() -> str:
    return uuid.uuid4().hex


def _optional_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


def _yes_no(label: Any, message: Any) -> RadioField:
    return RadioField(label, choices=YES_NO, default="no", invalid_choice_message=message)


def _idempotency_key() -> HiddenField:
    """Chosen when the form is first shown, so sending it twice makes one thing."""
    return HiddenField(default=_new_key, validators=[
        DataRequired(_l("This form is out of date. Please start again.")), Length(max=100)])


def _welsh_title(label: Any) -> StringField:
    return StringField(label, validators=[
        Length(max=MAX_TITLE, message=_l("Keep the title to 200 characters or fewer"))])


def _welsh_text() -> TextAreaField:
    return TextAreaField(_l("Description in Welsh (optional)"), validators=[
        Length(max=MAX_TEXT, message=_l("Keep this to 4,000 characters or fewer"))])


def _enum_radio(label: Any, labels: dict[Any, Any], message: Any, default: Any = None) -> RadioField:
    return RadioField(label, choices=[SelectChoice(key.value, text) for key, text in labels.items()],
                      default=default, invalid_choice_message=message)


class _InRange(NumberRange):
    """A range check that keeps quiet when the value was not a number (that error is already shown)."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is not None:
            super().__call__(form, field)


def _grouped_categories(categories: Sequence[Category]) -> list[tuple[str, list[Category]]]:
    """(group label, categories) as profiles show them: each top-level category's children, then the
    childless top-level ones under "Anything else"."""
    tree = category_tree(categories)
    groups = [(str(top.label), kids) for top, kids in tree if kids]
    loose = [top for top, kids in tree if not kids]
    return [*groups, (str(ANYTHING_ELSE), loose)] if loose else groups


# --- activities ------------------------------------------------------------------------------------


class ActivityDetailsForm(ServiceForm):
    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Give the activity a title")),
        Length(max=MAX_TITLE, message=_l("Keep the title to 200 characters or fewer"))])
    title_cy = _welsh_title(_l("Title in Welsh (optional)"))
    summary = TextAreaField(_l("What is it, and what difference does it make? (optional)"), validators=[
        Length(max=MAX_TEXT, message=_l("Keep this to 4,000 characters or fewer"))])
    summary_cy = _welsh_text()
    place = StringField(_l("Where does it usually happen? (optional)"), validators=[
        Length(max=MAX_PLACE, message=_l("Keep the place to 200 characters or fewer"))])
    coproduction_form = _enum_radio(_l("Which form of co-production is it?"), FORM_LABELS,
                                    _l("Choose a form of co-production"))
    designed_by = _enum_radio(_l("Who designs it?"), PARTY_LABELS, _l("Say who designs it"))
    delivered_by = _enum_radio(_l("Who delivers it?"), PARTY_LABELS, _l("Say who delivers it"))

    SERVICE_FIELDS = {"form": "coproduction_form"}

    def form_options(self) -> list[tuple[Any, Any]]:
        """(radio, one-line explanation) for each form of co-production."""
        return [(option, FORM_EXPLANATIONS[CoProductionForm(option.data)]) for option in self.coproduction_form]

    def details(self) -> dict[str, Any]:
        return {
            "title": self.title.data or "",
            "title_cy": self.title_cy.data or "",
            "summary": self.summary.data or "",
            "summary_cy": self.summary_cy.data or "",
            "place": self.place.data or "",
            "form": CoProductionForm(self.coproduction_form.data),
            "designed_by": Party(self.designed_by.data),
            "delivered_by": Party(self.delivered_by.data),
        }

    def to_details(self) -> ActivityDetails:
        return ActivityDetails(**self.details())

    @staticmethod
    def initial(activity: Activity) -> dict[str, Any]:
        return {"title": activity.title, "title_cy": activity.title_cy or "", "summary": activity.summary,
                "summary_cy": activity.summary_cy or "", "place": activity.place,
                "coproduction_form": activity.form.value, "designed_by": activity.designed_by.value,
                "delivered_by": activity.delivered_by.value}


class NewActivityForm(ActivityDetailsForm):
    time_bank_id = SelectField(_l("Which time bank?"), coerce=_optional_int,
                               validators=[DataRequired(_l("Choose a time bank"))],
                               invalid_choice_message=_l("Choose a time bank from the list"),
                               invalid_value_message=_l("Choose a time bank from the list"))
    organisation_id = SelectField(_l("Which organisation runs it?"), coerce=_optional_int,
                                  validators=[DataRequired(_l("Choose the organisation that runs it"))],
                                  invalid_choice_message=_l("Choose an organisation from the list"),
                                  invalid_value_message=_l("Choose an organisation from the list"))
    idempotency_key = _idempotency_key()

    def set_choices(self, banks: Sequence[tuple[int, str]], organisations: Sequence[tuple[int, str]]) -> None:
        self.time_bank_id.choices = [SelectChoice("", _l("Choose…")),
                                     *(SelectChoice(str(i), name) for i, name in banks)]
        self.organisation_id.choices = [SelectChoice("", _l("Choose…")),
                                        *(SelectChoice(str(i), name) for i, name in organisations)]
        if len(banks) == 1 and not self.is_submitted():
            self.time_bank_id.data = banks[0][0]
        if len(organisations) == 1 and not self.is_submitted():
            self.organisation_id.data = organisations[0][0]

    def to_new(self) -> NewActivity:
        return NewActivity(time_bank_id=self.time_bank_id.data, organisation_id=self.organisation_id.data,
                           **self.details())


class PartnerForm(ServiceForm):
    organisation_id = SelectField(_l("Partner organisation"), coerce=_optional_int,
                                  validators=[DataRequired(_l("Choose a partner organisation"))],
                                  invalid_choice_message=_l("Choose an organisation from the list"),
                                  invalid_value_message=_l("Choose an organisation from the list"))

    def set_choices(self, organisations: Sequence[tuple[int, str]]) -> None:
        self.organisation_id.choices = [SelectChoice("", _l("Choose…")),
                                        *(SelectChoice(str(i), name) for i, name in organisations)]



class CloseActivityForm(ServiceForm):
    confirm = BooleanField(
        _l("Yes, close this activity"),
        validators=[DataRequired(_l("Tick the box to say you are sure"))],
    )


# --- roles -----------------------------------------------------------------------------------------


class RoleForm(ServiceForm):
    title = StringField(_l("Role"), validators=[
        DataRequired(_l("Give the role a name")),
        Length(max=MAX_TITLE, message=_l("Keep the name to 200 characters or fewer"))])
    title_cy = _welsh_title(_l("Role in Welsh (optional)"))
    description = TextAreaField(_l("What would someone do? (optional)"), validators=[
        Length(max=MAX_TEXT, message=_l("Keep this to 4,000 characters or fewer"))])
    description_cy = _welsh_text()
    category = SelectField(_l("What kind of help is it?"), validators=[DataRequired(_l("Choose a category"))],
                           invalid_choice_message=_l("Choose a category from the list"))
    abilities = CheckboxesField(_l("Abilities wanted"), invalid_choice_message=_l("Choose abilities from the list"))
    direction = _enum_radio(_l("Do residents earn or spend credits?"), DIRECTION_LABELS,
                            _l("Say whether residents earn or spend credits"), default=RoleDirection.GIVES.value)
    places = IntegerField(_l("Places in each session"), default=1, validators=[
        InputRequired(_l("Enter the number of places")),
        _InRange(min=1, max=MAX_PLACES, message=_l("Enter a number of places from 1 to 500"))],
        invalid_value_message=_l("Enter the number of places as a whole number, like 8"),
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_PLACES})
    credit_hours = IntegerField(_l("Hours"), validators=[
        Optional(), _InRange(min=0, max=24, message=_l("Enter hours from 0 to 24"))],
        invalid_value_message=_l("Enter hours as a whole number, like 2"),
        render_kw={"inputmode": "numeric", "min": 0, "max": 24})
    credit_minutes = IntegerField(_l("Minutes"), validators=[
        Optional(), _InRange(min=0, max=59, message=_l("Enter minutes from 0 to 59"))],
        invalid_value_message=_l("Enter minutes as a whole number, like 30"),
        render_kw={"inputmode": "numeric", "min": 0, "max": 59})
    clearance = RadioField(
        _l("What safeguarding clearance is needed?"),
        choices=[SelectChoice("", _l("None")),
                 *(SelectChoice(c.value, label) for c, label in CLEARANCE_LABELS.items())],
        default="", validators=[Optional()], invalid_choice_message=_l("Choose a clearance from the list"))
    normally_paid = _yes_no(_l("Would you normally pay someone to do this?"),
                            _l("Say whether you would normally pay someone to do this"))
    service_user_involvement = _yes_no(_l("Is this people who use the service helping to shape it?"),
                                       _l("Say whether this is people who use the service helping to shape it"))
    release_notice = RadioField(
        _l("How much notice must a volunteer give to drop a session?"),
        choices=[*(SelectChoice(str(hours), label) for hours, label in NOTICE_CHOICES.items()),
                 SelectChoice(OTHER_NOTICE, _l("A number of hours"))],
        default="0", invalid_choice_message=_l("Choose how much notice is needed"))
    release_notice_hours = IntegerField(_l("Hours of notice"), validators=[
        Optional(), _InRange(min=0, max=MAX_RELEASE_NOTICE_HOURS,
                             message=_l("Enter the notice as a whole number of hours, from 0 to 1,440 (60 days)"))],
        invalid_value_message=_l("Enter hours as a whole number, like 72"),
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_RELEASE_NOTICE_HOURS})
    away_overnight = _yes_no(_l("Does it involve nights away from home?"),
                             _l("Say whether it involves nights away from home"))

    SERVICE_FIELDS = {"credit_minutes": "credit_hours"}

    def __init__(self, *args: Any, categories: Sequence[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = _grouped_categories(categories)
        self.category.choices = [SelectChoice("", _l("Choose…")), *(
            SelectChoice(c.code, c.label, optgroup=label) for label, members in groups for c in members)]
        self.abilities.choices = [SelectChoice(c.code, c.label) for _, members in groups for c in members]
        self._ability_legends = [(label, [c.code for c in members]) for label, members in groups]

    def ability_groups(self) -> list[tuple[str, list[Any]]]:
        """(legend, checkbox subfields) for each fieldset of abilities."""
        options = {option.data: option for option in self.abilities}
        return [(legend, [options[code] for code in codes]) for legend, codes in self._ability_legends]

    @property
    def credit_total(self) -> int | None:
        if self.credit_hours.data is None and self.credit_minutes.data is None:
            return None
        return (self.credit_hours.data or 0) * 60 + (self.credit_minutes.data or 0)

    @property
    def notice_hours(self) -> int:
        if self.release_notice.data == OTHER_NOTICE:
            return self.release_notice_hours.data or 0
        return int(self.release_notice.data)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.release_notice.data == OTHER_NOTICE and self.release_notice_hours.data is None \
                and not self.release_notice_hours.errors:
            self.release_notice_hours.errors.append(_l("Enter the hours of notice needed"))
            valid = False
        return valid

    def to_details(self) -> RoleDetails:
        return RoleDetails(
            title=self.title.data or "",
            title_cy=self.title_cy.data or "",
            description=self.description.data or "",
            description_cy=self.description_cy.data or "",
            category=self.category.data or "",
            abilities=tuple(self.abilities.data or ()),
            direction=RoleDirection(self.direction.data),
            places=self.places.data,
            credit_minutes=self.credit_total,
            clearance=Clearance(self.clearance.data) if self.clearance.data else None,
            normally_paid=self.normally_paid.data == "yes",
            service_user_involvement=self.service_user_involvement.data == "yes",
            release_notice_hours=self.notice_hours,
            away_overnight=self.away_overnight.data == "yes",
        )

    @staticmethod
    def initial(role: Role, codes: dict[int, str]) -> dict[str, Any]:
        notice = role.release_notice_hours
        hours, minutes = divmod(role.credit_minutes, 60) if role.credit_minutes is not None else (None, None)
        return {
            "title": role.title, "title_cy": role.title_cy or "", "description": role.description,
            "description_cy": role.description_cy or "", "category": codes.get(role.category_id),
            "abilities": [codes[a.category_id] for a in role.abilities if a.category_id in codes],
            "direction": role.direction.value, "places": role.places,
            "credit_hours": hours, "credit_minutes": minutes,
            "clearance": role.clearance.value if role.clearance else "",
            "normally_paid": "yes" if role.normally_paid else "no",
            "service_user_involvement": "yes" if role.service_user_involvement else "no",
            "release_notice": str(notice) if notice in NOTICE_CHOICES else OTHER_NOTICE,
            "release_notice_hours": None if notice in NOTICE_CHOICES else notice,
            "away_overnight": "yes" if role.away_overnight else "no",
        }


class NewRoleForm(RoleForm):
    idempotency_key = _idempotency_key()


# --- sessions --------------------------------------------------------------------------------------


class SessionTimesForm(ServiceForm):
    """When and where a session is: adding sessions, and moving one (``attendance``)."""

    on = DayMonthYearField(_l("Date"), validators=[InputRequired(_l("Enter the date"))])
    start_time = TimeField(_l("Start time"), validators=[InputRequired(_l("Enter the start time"))],
                           invalid_value_message=_l("Enter a time like 09:30 or 14:00"))
    end_time = TimeField(_l("End time"), validators=[InputRequired(_l("Enter the end time"))],
                         invalid_value_message=_l("Enter a time like 11:00 or 16:30"))
    place = StringField(_l("Where? (optional)"), validators=[
        Length(max=MAX_PLACE, message=_l("Keep the place to 200 characters or fewer"))])
    is_remote = BooleanField(_l("It happens remotely (by phone or online)"))


class SessionForm(SessionTimesForm):
    places = IntegerField(_l("Places (optional)"), validators=[
        Optional(), _InRange(min=1, max=MAX_PLACES, message=_l("Enter a number of places from 1 to 500"))],
        invalid_value_message=_l("Enter the number of places as a whole number, like 8"),
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_PLACES})
    weeks = IntegerField(_l("How many weeks in a row?"), default=1, validators=[
        InputRequired(_l("Enter how many weeks")),
        _InRange(min=1, max=MAX_WEEKS, message=_l("Repeat for 1 to 26 weeks"))],
        invalid_value_message=_l("Enter the number of weeks as a whole number, like 6"),
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_WEEKS})
    idempotency_key = _idempotency_key()

    def to_new(self) -> NewSessions:
        return NewSessions(on=self.on.data, start_time=self.start_time.data, end_time=self.end_time.data,
                           place=self.place.data or "", is_remote=bool(self.is_remote.data),
                           places=self.places.data, weeks=self.weeks.data)


# --- browsing --------------------------------------------------------------------------------------


class FilterForm(ServiceForm):
    """The list's filters. Sent by GET, so no CSRF token; every field is optional."""

    class Meta:
        csrf = False

    bank = SelectField(_l("Time bank"), default="", invalid_choice_message=_l("Choose one of your time banks"))
    form = SelectField(_l("Form of co-production"), default="",
                       invalid_choice_message=_l("Choose a form of co-production from the list"))
    cell = SelectField(_l("Who designs and delivers it"), default="",
                       invalid_choice_message=_l("Choose from the list"))
    ability = SelectField(_l("Ability wanted"), default="",
                          invalid_choice_message=_l("Choose an ability from the list"))
    status = SelectField(_l("Status"), default="", invalid_choice_message=_l("Choose a status from the list"))
    upcoming = BooleanField(_l("Only those with sessions coming up"))

    def __init__(self, *args: Any, banks: Sequence[tuple[int, str]], categories: Sequence[Category],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = SelectChoice("", _l("Any"))
        self.bank.choices = [SelectChoice("", _l("All your time banks")),
                             *(SelectChoice(str(i), name) for i, name in banks)]
        self.form.choices = [anything, *(SelectChoice(f.value, label) for f, label in FORM_LABELS.items())]
        self.cell.choices = [anything, *(SelectChoice(cell_value(*cell), name) for cell, name in CELL_NAMES.items())]
        # As on "find people": a whole top-level category, or one of its children.
        self.ability.choices = [anything, *ability_search_choices(categories)]
        self.status.choices = [anything, *(SelectChoice(s.value, label) for s, label in STATUS_LABELS.items())]

    def filters(self) -> Filters:
        designed_by = delivered_by = None
        if self.cell.data:
            designed, delivered = self.cell.data.split(".")
            designed_by, delivered_by = Party(designed), Party(delivered)
        return Filters(
            time_bank_id=int(self.bank.data) if self.bank.data else None,
            form=CoProductionForm(self.form.data) if self.form.data else None,
            designed_by=designed_by,
            delivered_by=delivered_by,
            ability=self.ability.data or None,
            upcoming=bool(self.upcoming.data),
            status=ActivityStatus(self.status.data) if self.status.data else None,
        )

    def in_use(self) -> dict[str, str]:
        """The filters in use, to keep them in the page links."""
        return {name: ("1" if field.data is True else str(field.data))
                for name, field in self._fields.items() if field.data}

"""Forms for taking part. They check the shape of what was sent; the rules (who may sign up, when,
whose hours can be recorded) are ``attendance.service``'s, and its refusals come back next to the field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, IntegerField
from wtforms.validators import AnyOf, DataRequired, InputRequired, NumberRange, Optional
from wtforms.widgets import HiddenInput

from timebank.activities.forms import SessionTimesForm
from timebank.activities.models import MAX_PLACES, ActivitySession
from timebank.attendance.errors import AttendeeNotRecorded
from timebank.attendance.service import Mark, SessionMove
from timebank.clock import UK
from timebank.errors import DomainError
from timebank.forms import Choices, MemberPickerField, ServiceForm, fill_pickers
from timebank.ledger.models import MAX_EXCHANGE_MINUTES

#: Walk-in rows offered at first (and added by "Show more rows"), and the most one form may hold.
WALK_IN_ROWS = 3
MAX_WALK_IN_ROWS = 50
#: The name of the attendance form's "Show more rows" button: sent, it asks for the form back with more rows.
MORE_ROWS = "more_walk_ins"

_MINUTES_MESSAGE = _l("Enter the time as whole minutes from 1 to 1440 (24 hours)")


def _minutes_field(label: Any) -> IntegerField:
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(min=1, max=MAX_EXCHANGE_MINUTES, message=_MINUTES_MESSAGE)],
        invalid_value_message=_MINUTES_MESSAGE,
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_EXCHANGE_MINUTES, "step": 1},
    )


class SignUpForm(ServiceForm):
    """Signing oneself up: the button alone."""


class MemberSignUpForm(ServiceForm):
    """A broker signs up a member who is not online."""

    person_id = MemberPickerField(
        _l("Member to sign up"),
        validate_choice=False,  # the service says whether the person can be signed up, by name
        validators=[InputRequired(_l("Choose a member from the list"))],
        invalid_choice_message=_l("Choose a member from the list"),
    )

    def set_members(self, members: Choices) -> None:
        """``members``: the rule for who may be signed up (``service.member_choices``)."""
        fill_pickers([self.person_id], members)


class CancelSignUpForm(ServiceForm):
    #: Blank for one's own place; a broker cancelling for a member names them.
    person_id = IntegerField(widget=HiddenInput(), validators=[Optional()])


class CancelSessionForm(ServiceForm):
    confirm = BooleanField(
        _l("Yes, cancel this session for everyone"),
        validators=[DataRequired(_l("Tick the box to say you are sure"))],
    )


class MoveSessionForm(SessionTimesForm):
    """A session's new day, times and place, shown with what it has now."""

    @classmethod
    def initial(cls, activity_session: ActivitySession) -> dict[str, Any]:
        starts, ends = activity_session.starts_at.astimezone(UK), activity_session.ends_at.astimezone(UK)
        return {"on": starts.date(), "start_time": starts.time(), "end_time": ends.time(),
                "place": activity_session.place, "is_remote": activity_session.is_remote}

    def to_move(self) -> SessionMove:
        return SessionMove(on=self.on.data, start_time=self.start_time.data, end_time=self.end_time.data,
                           place=self.place.data or "", is_remote=bool(self.is_remote.data))


class AttendeeRow(Form):
    """One person with a place: ticked as having come unless the organiser unticks them."""

    person_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    attended = BooleanField(_l("Came"))
    minutes = _minutes_field(_l("Minutes of credit"))


class WalkInRow(Form):
    person_id = MemberPickerField(
        _l("Who came"),
        validate_choice=False,  # the service says whether they can be recorded, by name
        validators=[Optional()],
        invalid_choice_message=_l("Choose a member from the list"),
    )
    minutes = _minutes_field(_l("Minutes of credit"))


class AttendanceForm(ServiceForm):
    #: Refusals about the list as a whole go at the top of the form.
    SERVICE_FIELDS = {"attendees": ""}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The service's refusals about one person, which already name them.
        self._named: list[Any] = []

    attendees = FieldList(FormField(AttendeeRow), max_entries=MAX_PLACES)
    walk_ins = FieldList(FormField(WalkInRow), max_entries=MAX_WALK_IN_ROWS)

    def start(self, booked: Sequence[tuple[int, str]], usual_minutes: int, walk_in_rows: int) -> None:
        """Fill the form for its first showing: everyone booked ticked, with the usual credit."""
        for person_id, _name in booked:
            self.attendees.append_entry({"person_id": person_id, "attended": True, "minutes": usual_minutes})
        self.add_walk_in_rows(usual_minutes, walk_in_rows)

    def add_walk_in_rows(self, usual_minutes: int, rows: int) -> None:
        """Add empty rows for walk-ins, with the usual credit, up to the most one form may hold."""
        for _ in range(min(rows, MAX_WALK_IN_ROWS - len(self.walk_ins))):
            self.walk_ins.append_entry({"person_id": None, "minutes": usual_minutes})

    @property
    def may_add_rows(self) -> bool:
        return len(self.walk_ins) < MAX_WALK_IN_ROWS

    def set_members(self, members: Choices) -> None:
        """``members``: the rule for who may come as a walk-in (``service.member_choices``)."""
        fill_pickers([row.form.person_id for row in self.walk_ins], members)

    @property
    def walk_in_names(self) -> dict[int, str]:
        """Person id → name of each walk-in chosen."""
        return {c.value: c.name for c in (row.form.person_id.chosen for row in self.walk_ins) if c is not None}

    @property
    def marks(self) -> list[Mark]:
        """The list the service marks: everyone booked (came or not), then each walk-in chosen."""
        marks = [Mark(row.form.person_id.data, bool(row.form.attended.data), row.form.minutes.data)
                 for row in self.attendees]
        marks += [Mark(row.form.person_id.data, True, row.form.minutes.data)
                  for row in self.walk_ins if row.form.person_id.data is not None]
        return marks

    def show_refusal(self, error: DomainError) -> bool:
        """Put a refusal about one person next to their row's minutes box, or, when it is about who they
        are (a clearance), next to the person: a walk-in's chooser, or a booked person's "came" box. Any
        other refusal (or one about a person not in the list) goes at the top of the form."""
        if isinstance(error, AttendeeNotRecorded):
            for rows in (self.attendees, self.walk_ins):
                for row in rows:
                    if row.form.person_id.data == error.person_id:
                        if not error.about_the_person:
                            box = row.form.minutes
                        else:
                            box = row.form.person_id if rows is self.walk_ins else row.form.attended
                        box.errors = [*box.errors, error.message]
                        self._named.append(error.message)
                        return True
        return super().show_refusal(error)

    def error_summary(self, names: Mapping[int, str]) -> list[tuple[str, Any]]:
        """Every message with the id of the box it belongs to (``""``: the form as a whole), in order. In
        the summary a row's message starts with whose row it is (by ``names``, person id → name)."""
        found: list[tuple[str, Any]] = [("", message) for message in self.form_errors]
        csrf = self._fields.get("csrf_token")  # absent when CSRF protection is off (tests)
        if csrf is not None:
            found += [("", message) for message in csrf.errors]
        for rows in (self.attendees, self.walk_ins):
            for number, row in enumerate(rows, start=1):
                person_id = row.form.person_id.data
                who = names.get(person_id) if person_id is not None else None
                if who is None:
                    who = _l("Walk-in %(number)d", number=number) if rows is self.walk_ins else _l(
                        "Member %(id)s", id=person_id)
                for field in row.form:
                    found += [(field.id, message if message in self._named else _l(
                        "%(name)s: %(message)s", name=who, message=message)) for message in field.errors]
        return found


class FeedForm(ServiceForm):
    #: "new" makes a new calendar address (the old one stops working); "stop" stops it.
    action = HiddenField(
        validators=[AnyOf(("new", "stop"), message=_l("This form is out of date. Please start again."))]
    )

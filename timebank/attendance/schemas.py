"""What the taking-part API reads (``…In``) and returns (``…Out``).

Input schemas check shape, type and size; the service decides who may sign up, when, and whose hours
can be recorded, and names the field it refuses.
"""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from timebank.activities.models import MAX_PLACES, RoleDirection, SignUpStatus
from timebank.api.schemas import InputSchema, PageOut, boolean, record_id, whole_number
from timebank.ledger.models import MAX_EXCHANGE_MINUTES
from timebank.safeguarding.clearances import Clearance


class SessionSignUpIn(InputSchema):
    person_id = record_id(load_default=None, metadata={
        "description": "Brokers only: the member to sign up or cancel for. Leave it out for yourself."})


class AttendeeIn(InputSchema):
    person_id = record_id(required=True)
    attended = boolean(required=True, metadata={"description": "false: had a place but did not come."})
    minutes = whole_number(minimum=1, maximum=MAX_EXCHANGE_MINUTES, load_default=None, allow_none=True, metadata={
        "description": "Credit in whole minutes; leave it out for the role's usual amount."})


class AttendanceIn(InputSchema):
    attendees = fields.List(
        fields.Nested(AttendeeIn), required=True,
        validate=validate.Length(max=MAX_PLACES * 2, error=_l("That is more people than a session can hold.")),
        error_messages={"required": _l("This field is required."), "invalid": _l("Send a list.")},
        metadata={"description": "Everyone with a place (came or not), plus anyone who came without one."},
    )


class ClearanceWarningOut(ma.Schema):
    clearance = fields.Enum(Clearance, by_value=True)
    day = fields.Date(metadata={"description": "The session's date, when the clearance must hold."})
    runs_out_on = fields.Date(allow_none=True, metadata={
        "description": "When it holds today but not then: the last day the DBS check that gives it counts."})
    reason = fields.String(metadata={"description": "Why, in plain words, in the caller's language."})


class SessionSignUpOut(ma.Schema):
    id = fields.Integer()
    session_id = fields.Integer()
    person_id = fields.Integer()
    person_name = fields.String()
    status = fields.Enum(SignUpStatus, by_value=True)
    waiting_position = fields.Integer(allow_none=True, metadata={"description": "1 is next in line."})
    signed_up_by_id = fields.Integer(metadata={"description": "Someone else's id when a broker signed them up."})
    cancelled_at = fields.DateTime(allow_none=True)
    cancelled_late = fields.Boolean(metadata={"description": "Cancelled with less notice than the role asks."})
    exchange_id = fields.Integer(allow_none=True, metadata={"description": "The exchange that credited attendance."})
    without_credits = fields.Boolean(metadata={
        "description": "Came, but recorded with no credits: no clearance for the role on the day."})
    clearance_warning = fields.Nested(ClearanceWarningOut, allow_none=True, metadata={
        "description": "Only in a session's sign-ups, for those who run it and the bank's brokers: this place or "
                       "waiting-list entry needs a clearance the person will not hold on the session's date. "
                       "Null otherwise, and always for everyone else."})
    created_at = fields.DateTime()


class SignedUpSessionOut(ma.Schema):
    id = fields.Integer()
    activity_id = fields.Integer()
    activity_title = fields.String()
    activity_title_cy = fields.String(allow_none=True, metadata={"description": "In Welsh; null: none given."})
    role_id = fields.Integer()
    role_title = fields.String()
    role_title_cy = fields.String(allow_none=True, metadata={"description": "In Welsh; null: none given."})
    organisation_id = fields.Integer()
    organisation_name = fields.String()
    time_bank_id = fields.Integer()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    place = fields.String(metadata={"description": "The session's place, or else the activity's."})
    is_remote = fields.Boolean()


class SessionDetailOut(SignedUpSessionOut):
    places = fields.Integer()
    places_left = fields.Integer()
    direction = fields.Enum(RoleDirection, by_value=True, metadata={
        "description": "gives: attendees earn credits; spends: attendees spend credits to take part."})
    credit_minutes = fields.Integer(metadata={"description": "The usual credit for attending."})
    clearance = fields.Enum(Clearance, by_value=True, allow_none=True)
    release_notice_hours = fields.Integer(metadata={"description": "Notice asked for to drop a place."})
    away_overnight = fields.Boolean()
    cancelled_at = fields.DateTime(allow_none=True)
    attendance_marked_at = fields.DateTime(allow_none=True)
    my_sign_up = fields.Nested(SessionSignUpOut, allow_none=True, metadata={"description": "Your own live sign-up."})
    may_run = fields.Boolean(metadata={"description": "You run this activity (mark attendance, cancel)."})
    sign_ups = fields.List(fields.Nested(SessionSignUpOut), allow_none=True, metadata={
        "description": "Everyone's sign-ups, for those who run the activity and the bank's brokers; else null."})


class CancellationOut(ma.Schema):
    sign_up = fields.Nested(SessionSignUpOut)
    late = fields.Boolean(metadata={"description": "Less notice than the role asks for; the organiser sees this."})
    promoted = fields.List(fields.Nested(SessionSignUpOut), metadata={
        "description": "Who the waiting list moved onto the session (each is told)."})


class AttendanceOut(ma.Schema):
    session_id = fields.Integer()
    attended = fields.Integer(metadata={"description": "Everyone who came, with credits or without."})
    absent = fields.Integer()
    total_minutes = fields.Integer()
    exchange_ids = fields.List(fields.Integer(), metadata={"description": "One confirmed exchange per attendee."})
    without_credits = fields.List(fields.Integer(), metadata={
        "description": "The people recorded as having come with no credits: they did not hold the clearance the "
                       "role needs on the day, and the bank lets organisers record that."})
    marked_at = fields.DateTime()


class UpcomingSignUpOut(ma.Schema):
    sign_up = fields.Nested(SessionSignUpOut)
    session = fields.Nested(SignedUpSessionOut)


class UpcomingPageOut(PageOut):
    items = fields.List(fields.Nested(UpcomingSignUpOut))


class CalendarFeedOut(ma.Schema):
    url = fields.String(metadata={"description": "The private iCalendar address. Shown once: keep it safe."})
    created_at = fields.DateTime()

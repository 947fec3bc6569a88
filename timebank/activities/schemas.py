"""What the activities API reads (``…In``, ``…Args``) and returns (``…Out``).

Input schemas check shape, type and size (with the service's own limits); ``activities.service`` decides
what else is allowed (which organisation and bank, dates, categories) and names the field it refuses, as
these schemas do.
"""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.activities.models import (
    MAX_IDEMPOTENCY_KEY,
    MAX_PLACE,
    MAX_PLACES,
    MAX_RELEASE_NOTICE_HOURS,
    MAX_TITLE,
    ActivityStatus,
    CoProductionForm,
    Party,
    RoleDirection,
)
from timebank.activities.service import MAX_CREDIT_MINUTES, MAX_TEXT, MAX_WEEKS
from timebank.api.schemas import (
    InputSchema,
    PageArgs,
    PageOut,
    boolean,
    choice,
    date,
    items,
    record_id,
    text,
    time_of_day,
    whole_number,
)
from timebank.categories.models import MAX_CODE
from timebank.dates import PLANNING_HORIZON_MONTHS
from timebank.safeguarding.clearances import Clearance

FORM_MESSAGE = _l("Choose co_planning, co_design, co_commissioning, co_managing, co_delivering, co_monitoring "
                  "or co_evaluating.")
PARTY_MESSAGE = _l("Choose professionals, shared or community.")
STATUS_MESSAGE = _l("Choose draft, published or closed.")


def _in_welsh(max_length: int) -> fields.String:
    return text(load_default="", max_length=max_length, metadata={
        "description": "The same in Welsh (optional): Welsh pages show it; blank, they show the English."})


def _idempotency_key(what: str) -> fields.String:
    return text(required=True, min_length=1, max_length=MAX_IDEMPOTENCY_KEY, metadata={
        "description": f"Chosen by the client, unique per {what}: resending the same request returns the first "
                       "result (200) instead of making it twice."})


class ActivityDetailsIn(InputSchema):
    title = text(required=True, max_length=MAX_TITLE)
    title_cy = _in_welsh(MAX_TITLE)
    summary = text(load_default="", max_length=MAX_TEXT,
                   metadata={"description": "What it is and what difference it makes."})
    summary_cy = _in_welsh(MAX_TEXT)
    place = text(load_default="", max_length=MAX_PLACE, metadata={"description": "Where it usually happens."})
    form = choice(CoProductionForm, FORM_MESSAGE, required=True,
                  metadata={"description": "The form of co-production."})
    designed_by = choice(Party, PARTY_MESSAGE, required=True, metadata={
        "description": "The matrix's design axis: professionals alone, shared (professionals with residents), "
                       "or community (residents alone)."})
    delivered_by = choice(Party, PARTY_MESSAGE, required=True, metadata={"description": "The delivery axis."})


class ActivityIn(ActivityDetailsIn):
    time_bank_id = record_id(required=True)
    organisation_id = record_id(required=True, metadata={
        "description": "The organisation that runs it: one you act for, or (brokers) any in the bank. It needs a "
                       "time account in the bank."})
    partner_ids = items(record_id(), load_default=list, metadata={
        "description": "Partner organisations, each with a time account in the same bank."})
    idempotency_key = _idempotency_key("activity")


class ActivityListArgs(PageArgs):
    time_bank_id = record_id(strict=False, load_default=None)
    form = choice(CoProductionForm, FORM_MESSAGE, load_default=None)
    designed_by = choice(Party, PARTY_MESSAGE, load_default=None)
    delivered_by = choice(Party, PARTY_MESSAGE, load_default=None)
    ability = text(load_default=None, max_length=MAX_CODE, metadata={
        "description": "A category code a role wants; a top-level code finds its children too."})
    upcoming = boolean(strict=False, load_default=False, metadata={"description": "Only those with sessions to come."})
    status = choice(ActivityStatus, STATUS_MESSAGE, load_default=None, metadata={
        "description": "Without it: published ones, and drafts and closed ones you run."})


class RoleIn(InputSchema):
    title = text(required=True, max_length=MAX_TITLE)
    title_cy = _in_welsh(MAX_TITLE)
    description = text(load_default="", max_length=MAX_TEXT)
    description_cy = _in_welsh(MAX_TEXT)
    category = text(required=True, max_length=MAX_CODE, metadata={
        "description": "The category code every attendance is recorded under."})
    abilities = items(text(max_length=MAX_CODE), load_default=list, metadata={
        "description": "Category codes of the abilities wanted."})
    direction = choice(RoleDirection, _l("Choose gives or spends."), load_default=RoleDirection.GIVES, metadata={
        "description": "gives: residents give time and earn credits; spends: they spend credits to take part."})
    places = whole_number(minimum=1, maximum=MAX_PLACES, required=True,
                          metadata={"description": "Places in each new session."})
    credit_minutes = whole_number(minimum=1, maximum=MAX_CREDIT_MINUTES, load_default=None, allow_none=True,
                                  metadata={"description": "Credits per session in minutes; null: each session's "
                                                           "length."})
    clearance = choice(Clearance, _l("Choose home_visits, children or adults_at_risk, or null."), load_default=None,
                       allow_none=True)
    normally_paid = boolean(load_default=False, metadata={"description": "Would you normally pay someone to do this?"})
    service_user_involvement = boolean(load_default=False, metadata={
        "description": "Is this people who use the service helping to shape it?"})
    release_notice_hours = whole_number(minimum=0, maximum=MAX_RELEASE_NOTICE_HOURS, load_default=0, metadata={
        "description": "Hours of notice a volunteer must give to drop a session."})
    away_overnight = boolean(load_default=False, metadata={"description": "Does it involve nights away from home?"})


class NewRoleIn(RoleIn):
    idempotency_key = _idempotency_key("role")


class SessionTimesIn(InputSchema):
    """When and where a session is: adding sessions, and moving one (``PUT /sessions/<id>``)."""

    on = date(required=True, metadata={
        "description": f"The (first) day, from today to {PLANNING_HORIZON_MONTHS // 12} years ahead (every "
                       "session of a series too)."})
    start_time = time_of_day(required=True, metadata={"description": "UK local time."})
    end_time = time_of_day(required=True, metadata={"description": "UK local time, after the start."})
    place = text(load_default="", max_length=MAX_PLACE, metadata={"description": "Blank: the activity's usual place."})
    is_remote = boolean(load_default=False)


class SessionsIn(SessionTimesIn):
    places = whole_number(minimum=1, maximum=MAX_PLACES, load_default=None, allow_none=True,
                          metadata={"description": "null: the role's places."})
    weeks = whole_number(minimum=1, maximum=MAX_WEEKS, load_default=1, metadata={
        "description": "1 for a single session; more for one a week on the same weekday and local time."})
    idempotency_key = _idempotency_key("series")


class RoleSessionOut(ma.Schema):
    id = fields.Integer()
    role_id = fields.Integer()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    place = fields.String(metadata={"description": "Where it happens (the activity's usual place if not its own)."})
    is_remote = fields.Boolean()
    places = fields.Integer()
    booked = fields.Integer(metadata={"description": "Places taken."})
    places_left = fields.Integer()
    waiting = fields.Integer(metadata={"description": "People on the waiting list."})
    cancelled = fields.Boolean()


class SessionListOut(ma.Schema):
    items = fields.List(fields.Nested(RoleSessionOut))


class RoleOut(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    title_cy = fields.String(allow_none=True, metadata={"description": "In Welsh; null: none given."})
    description = fields.String()
    description_cy = fields.String(allow_none=True, metadata={"description": "In Welsh; null: none given."})
    category = fields.String()
    abilities = fields.List(fields.String())
    direction = fields.Enum(RoleDirection, by_value=True)
    places = fields.Integer()
    credit_minutes = fields.Integer(allow_none=True)
    clearance = fields.Enum(Clearance, by_value=True, allow_none=True)
    normally_paid = fields.Boolean()
    service_user_involvement = fields.Boolean()
    release_notice_hours = fields.Integer()
    away_overnight = fields.Boolean()
    upcoming_sessions = fields.List(fields.Nested(RoleSessionOut))


class PartnerOut(ma.Schema):
    organisation_id = fields.Integer()
    name = fields.String()


class ActivityOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    organisation_id = fields.Integer()
    organisation_name = fields.String()
    title = fields.String()
    title_cy = fields.String(allow_none=True, metadata={"description": "In Welsh; null: none given."})
    summary = fields.String()
    summary_cy = fields.String(allow_none=True, metadata={"description": "In Welsh; null: none given."})
    place = fields.String()
    form = fields.Enum(CoProductionForm, by_value=True)
    designed_by = fields.Enum(Party, by_value=True)
    delivered_by = fields.Enum(Party, by_value=True)
    cell = fields.String(metadata={"description": "The matrix cell's name, in the caller's language."})
    status = fields.Enum(ActivityStatus, by_value=True)
    published_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    partners = fields.List(fields.Nested(PartnerOut))
    roles = fields.List(fields.Nested(RoleOut))
    may_run = fields.Boolean(metadata={"description": "You may edit it, add roles and sessions, publish and close."})


class ActivityPageOut(PageOut):
    items = fields.List(fields.Nested(ActivityOut))

"""What the safeguarding API reads (``…In``, ``…Args``) and returns (``…Out``). Brokers only.

There is no field for a clearance in any request: clearances are derived from the recorded checks and
references, and only ever shown.
"""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.activities.models import SignUpStatus
from timebank.api.schemas import InputSchema, boolean, choice, date, record_id, text
from timebank.dates import FIRST_DBS_CERTIFICATE, FIRST_UPDATE_SERVICE_CHECK
from timebank.safeguarding.clearances import Clearance
from timebank.safeguarding.models import DbsLevel, Workforce


class RecordArgs(InputSchema):
    time_bank_id = record_id(strict=False, required=True,
                             metadata={"description": "The bank you broker that the person belongs or applied to."})


class DbsCheckIn(InputSchema):
    time_bank_id = record_id(required=True, metadata={"description": "The bank whose broker saw the certificate."})
    level = choice(DbsLevel, _l("Choose none, basic, standard, enhanced or enhanced_barred."), required=True)
    workforce = choice(Workforce, _l("Choose children, adults or both."), load_default=None, allow_none=True,
                       metadata={"description": "The barred lists checked: for enhanced_barred only."})
    certificate_number = text(load_default=None, allow_none=True, max_length=100,
                              metadata={"description": "12 digits, so the update service can be checked."})
    issued_on = date(required=True, metadata={
        "description": f"The date on the certificate: from {FIRST_DBS_CERTIFICATE} (the first DBS "
                       "certificate) to today."})
    update_service = boolean(load_default=False,
                             metadata={"description": "The person subscribes to the DBS update service."})
    status_checked_on = date(load_default=None, allow_none=True, metadata={
        "description": f"When you last checked the update service: from {FIRST_UPDATE_SERVICE_CHECK} "
                       "(when it began), and not before the certificate, to today."})


class DbsCheckOut(ma.Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    time_bank_id = fields.Integer()
    level = fields.Enum(DbsLevel, by_value=True)
    workforce = fields.Enum(Workforce, by_value=True, allow_none=True)
    certificate_number = fields.String(allow_none=True)
    issued_on = fields.Date()
    update_service = fields.Boolean()
    status_checked_on = fields.Date(allow_none=True)
    recorded_by_id = fields.Integer()
    created_at = fields.DateTime()


class RecordedCheckOut(DbsCheckOut):
    valid_until = fields.Date(metadata={"description": "The last day it counts in this bank."})


class NoteIn(InputSchema):
    time_bank_id = record_id(required=True)
    body = text(required=True, max_length=10_000)


class NoteOut(ma.Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    time_bank_id = fields.Integer()
    author_id = fields.Integer()
    body = fields.String()
    created_at = fields.DateTime()


class ClearanceOut(ma.Schema):
    clearance = fields.Enum(Clearance, by_value=True)
    label = fields.String(metadata={"description": "In the caller's language."})
    granted = fields.Boolean()
    valid_until = fields.Date(allow_none=True, metadata={"description": "The last day it holds, when granted."})
    expiring_soon = fields.Boolean(metadata={"description": "It ends within 30 days."})
    missing = fields.List(fields.String(), metadata={"description": "What it still needs, when not granted."})


class SafeguardingRecordOut(ma.Schema):
    person_id = fields.Integer(attribute="person.id")
    name = fields.String(attribute="person.display_name")
    time_bank_id = fields.Integer(attribute="time_bank.id")
    checks = fields.List(fields.Nested(RecordedCheckOut), metadata={"description": "Newest first."})
    notes = fields.List(fields.Nested(NoteOut), metadata={"description": "This bank's notes, newest first."})
    clearances = fields.List(fields.Nested(ClearanceOut), metadata={"description": "Derived; never typed in."})


class ExpiringCheckOut(ma.Schema):
    person_id = fields.Integer(attribute="person.id")
    name = fields.String(attribute="person.display_name")
    check_id = fields.Integer(attribute="check.id")
    level = fields.Enum(DbsLevel, by_value=True, attribute="check.level")
    issued_on = fields.Date(attribute="check.issued_on")
    valid_until = fields.Date()


class LapsingBookingOut(ma.Schema):
    sign_up_id = fields.Integer()
    status = fields.Enum(SignUpStatus, by_value=True, metadata={"description": "booked or waiting."})
    person_id = fields.Integer()
    name = fields.String()
    session_id = fields.Integer()
    activity_title = fields.String()
    activity_title_cy = fields.String(allow_none=True, metadata={"description": "In Welsh; null: none given."})
    role_title = fields.String()
    role_title_cy = fields.String(allow_none=True, metadata={"description": "In Welsh; null: none given."})
    starts_at = fields.DateTime()
    clearance = fields.Enum(Clearance, by_value=True, metadata={"description": "What the role needs."})
    day = fields.Date(metadata={"description": "The session's date, when the clearance must hold."})
    runs_out_on = fields.Date(allow_none=True, metadata={
        "description": "When it holds today but not then: the last day the DBS check that gives it counts."})
    reason = fields.String(metadata={"description": "Why, in plain words, in the caller's language."})

"""What the banks API reads (``…In``) and returns (``…Out``)."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import InputSchema, boolean, choice, date, text, whole_number
from timebank.banks.models import MAX_DBS_RENEWAL_MONTHS, MAX_VOUCHES, MIN_DBS_RENEWAL_MONTHS, MIN_VOUCHES
from timebank.members.models import MAX_EMAIL, BankRoleName

_WITHOUT_CLEARANCE = (
    "When someone without the clearance a session's role needs on its date comes anyway, organisers may "
    "record that they came, with no credits. When false, they cannot be marked as having come."
)


class BankOut(ma.Schema):
    id = fields.Integer()
    slug = fields.String(metadata={"description": "Short and unique, e.g. hollinbridge."})
    name = fields.String()
    agency_name = fields.String(metadata={"description": "The local agency that runs the time bank."})
    vouching_enabled = fields.Boolean(
        metadata={"description": "Members vouch for people who apply, before a broker signs them off."}
    )
    opened_on = fields.Date(metadata={"description": "The day the bank's books opened: nothing that happened in "
                                                     "it is dated earlier."})


class BankSettingsIn(InputSchema):
    vouching_enabled = boolean(required=True)
    vouches_needed = whole_number(minimum=MIN_VOUCHES, maximum=MAX_VOUCHES, required=True,
                                  metadata={"description": "Vouches that send an application to a broker."})
    dbs_renewal_months = whole_number(minimum=MIN_DBS_RENEWAL_MONTHS, maximum=MAX_DBS_RENEWAL_MONTHS, required=True,
                                      metadata={"description": "How long a DBS certificate counts, in months from "
                                                               "its date of issue."})
    opened_on = date(load_default=None, metadata={
        "description": "The day the bank's records start: nothing that happened in it may be dated earlier. "
                       "It may move earlier, for a bank that ran on paper before (not before 1980), but never "
                       "later than the earliest record in its books or today. Leave it out to keep it."})
    attendance_without_clearance = boolean(required=True, metadata={"description": _WITHOUT_CLEARANCE})


class BankSettingsOut(ma.Schema):
    time_bank_id = fields.Integer(attribute="id")
    vouching_enabled = fields.Boolean()
    vouches_needed = fields.Integer()
    dbs_renewal_months = fields.Integer()
    attendance_without_clearance = fields.Boolean(metadata={"description": _WITHOUT_CLEARANCE})
    opened_on = fields.Date(metadata={"description": "The day the bank's records start."})


class StaffIn(InputSchema):
    email = text(required=True, max_length=MAX_EMAIL, metadata={"description": "Of someone who has already joined."})
    role = choice(BankRoleName, _l("Choose broker or funder."), required=True)


class StaffOut(ma.Schema):
    id = fields.Integer(metadata={"description": "The role's id: DELETE it to take the role away."})
    time_bank_id = fields.Integer()
    person_id = fields.Integer()
    name = fields.String(attribute="person.display_name")
    email = fields.String(attribute="person.email", allow_none=True)
    role = fields.Enum(BankRoleName, by_value=True)
    created_at = fields.DateTime()

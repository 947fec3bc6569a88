"""What the banks API reads (``…In``) and returns (``…Out``)."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import InputSchema, boolean, choice, text, whole_number
from timebank.members.models import BankRoleName

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


class BankSettingsIn(InputSchema):
    vouching_enabled = boolean(required=True)
    vouches_needed = whole_number(
        required=True, metadata={"description": "Vouches that send an application to a broker: 1 to 20."}
    )
    dbs_renewal_months = whole_number(
        required=True, metadata={"description": "How long a DBS certificate counts, from its date of issue: 6 to 120."}
    )
    attendance_without_clearance = boolean(required=True, metadata={"description": _WITHOUT_CLEARANCE})


class BankSettingsOut(ma.Schema):
    time_bank_id = fields.Integer(attribute="id")
    vouching_enabled = fields.Boolean()
    vouches_needed = fields.Integer()
    dbs_renewal_months = fields.Integer()
    attendance_without_clearance = fields.Boolean(metadata={"description": _WITHOUT_CLEARANCE})


class StaffIn(InputSchema):
    email = text(required=True, max_length=254, metadata={"description": "Of someone who has already joined."})
    role = choice(BankRoleName, _l("Choose broker or funder."), required=True)


class StaffOut(ma.Schema):
    id = fields.Integer(metadata={"description": "The role's id: DELETE it to take the role away."})
    time_bank_id = fields.Integer()
    person_id = fields.Integer()
    name = fields.String(attribute="person.display_name")
    email = fields.String(attribute="person.email", allow_none=True)
    role = fields.Enum(BankRoleName, by_value=True)
    created_at = fields.DateTime()

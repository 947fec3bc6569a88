"""What the statement API returns."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields


class StatementLineOut(ma.Schema):
    exchange_id = fields.Integer()
    occurred_on = fields.Date()
    with_name = fields.String(metadata={"description": "The other side's name."})
    category = fields.String(metadata={"description": "The kind of help, in the caller's language."})
    description = fields.String()
    minutes = fields.Integer()
    credited = fields.Boolean(metadata={
        "description": "True when the hours came into this account (help given, or a reversal giving hours back)."})
    is_reversal = fields.Boolean()


class StatementOut(ma.Schema):
    account_id = fields.Integer(metadata={"description": "The member number printed on statements."})
    name = fields.String()
    time_bank_id = fields.Integer()
    bank_name = fields.String()
    made_on = fields.Date()
    given_minutes = fields.Integer(metadata={"description": "Help given, net of reversals."})
    received_minutes = fields.Integer(metadata={"description": "Help received, net of reversals."})
    balance_minutes = fields.Integer()
    pending_in_minutes = fields.Integer(metadata={"description": "Recorded, not yet confirmed, coming in."})
    pending_out_minutes = fields.Integer(metadata={"description": "Recorded, not yet confirmed, going out."})
    since = fields.Date(metadata={"description": "The lines cover the three months from here, or the last 30."})
    shortened = fields.Boolean(metadata={"description": "True when older lines were left out (200 at most)."})
    lines = fields.List(fields.Nested(StatementLineOut), metadata={"description": "Newest first."})

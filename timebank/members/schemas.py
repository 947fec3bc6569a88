"""What the API shows of a person and their accounts (output only: the API does not edit members)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from timebank.ledger.models import HolderKind
from timebank.members.models import BankRoleName, Language


class AccountOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    holder_id = fields.Integer(allow_none=True)
    holder_kind = fields.Enum(HolderKind, by_value=True)
    balance_minutes = fields.Integer(metadata={"description": "Posted credits less posted debits."})
    available_minutes = fields.Integer(metadata={"description": "The balance less pending debits."})
    given_minutes = fields.Integer(metadata={"description": "Help given, net of reversals."})
    received_minutes = fields.Integer(metadata={"description": "Help received, net of reversals."})
    debits_pending_minutes = fields.Integer()
    credits_pending_minutes = fields.Integer()


class BankRoleOut(ma.Schema):
    time_bank_id = fields.Integer()
    role = fields.Enum(BankRoleName, by_value=True)


class MeOut(ma.Schema):
    id = fields.Integer()
    display_name = fields.String()
    email = fields.String(allow_none=True)
    preferred_language = fields.Enum(Language, by_value=True)
    is_admin = fields.Boolean()
    roles = fields.List(fields.Nested(BankRoleOut), attribute="bank_roles",
                        metadata={"description": "Broker and funder roles, per bank."})
    accounts = fields.List(fields.Nested(AccountOut),
                           metadata={"description": "The person's own accounts and their organisations'."})

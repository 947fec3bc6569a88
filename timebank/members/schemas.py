"""What the members API reads (``…In``) and returns (``…Out``): the signed-in person, their accounts,
contact details, and the organisations people act for."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import InputSchema, choice, text
from timebank.ledger.models import HolderKind
from timebank.members.models import MAX_EMAIL, BankRoleName, ContactMethod, Language, OrganisationType
from timebank.members.service import MAX_NAME
from timebank.profiles.models import ContributionKind

CONTACT_BY = _l("Choose email, phone, text or broker.")


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


class HolderRefOut(ma.Schema):
    """A person or organisation, named."""

    id = fields.Integer()
    name = fields.String(attribute="display_name")


class MeOut(ma.Schema):
    id = fields.Integer()
    display_name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    contact_by = fields.Enum(ContactMethod, by_value=True)
    preferred_language = fields.Enum(Language, by_value=True)
    is_admin = fields.Boolean()
    roles = fields.List(fields.Nested(BankRoleOut), attribute="bank_roles",
                        metadata={"description": "Broker and funder roles, per bank."})
    organisations = fields.List(fields.Nested(HolderRefOut),
                                metadata={"description": "The organisations the person acts for."})
    accounts = fields.List(fields.Nested(AccountOut),
                           metadata={"description": "The person's own accounts and their organisations'."})


class ContactIn(InputSchema):
    display_name = text(required=True, max_length=MAX_NAME)
    email = text(load_default=None, allow_none=True, max_length=MAX_EMAIL,
                 metadata={"description": "Needed by anyone who signs in; null for members who are not online."})
    phone = text(load_default=None, allow_none=True, max_length=1000)
    postcode = text(load_default=None, allow_none=True, max_length=1000)
    contact_by = choice(ContactMethod, CONTACT_BY, required=True,
                        metadata={"description": "broker: the time bank passes messages on."})
    preferred_language = choice(Language, _l("Choose en (English) or cy (Welsh)."), required=True)


class ContactOut(ma.Schema):
    id = fields.Integer()
    display_name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    contact_by = fields.Enum(ContactMethod, by_value=True)
    preferred_language = fields.Enum(Language, by_value=True)


class OrganisationIn(InputSchema):
    display_name = text(required=True, max_length=MAX_NAME)
    organisation_type = choice(OrganisationType, _l("Choose a kind of organisation from the list."), required=True)
    charity_number = text(load_default=None, allow_none=True, max_length=100,
                          metadata={"description": "Required for a charity."})
    contact_email = text(load_default=None, allow_none=True, max_length=MAX_EMAIL)
    phone = text(load_default=None, allow_none=True, max_length=1000)
    postcode = text(load_default=None, allow_none=True, max_length=1000)


class AdminIn(InputSchema):
    email = text(required=True, max_length=MAX_EMAIL, metadata={"description": "Of someone who has already joined."})


class AdminOut(HolderRefOut):
    email = fields.String(allow_none=True)


class ContributionOut(ma.Schema):
    id = fields.Integer()
    kind = fields.Enum(ContributionKind, by_value=True)
    description = fields.String()
    created_at = fields.DateTime()


class OrganisationOut(ma.Schema):
    id = fields.Integer()
    display_name = fields.String()
    organisation_type = fields.Enum(OrganisationType, by_value=True)
    holder_kind = fields.Enum(HolderKind, by_value=True)
    charity_number = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    admins = fields.List(fields.Nested(AdminOut), metadata={"description": "The people who act for it."})
    contributions = fields.List(fields.Nested(ContributionOut),
                                metadata={"description": "What it offers besides hours."})

"""What the token and password endpoints read and return."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from timebank.api.schemas import InputSchema, text
from timebank.auth.models import PasswordLinkPurpose
from timebank.auth.passwords import MAX_LENGTH


class TokenIn(InputSchema):
    email = text(required=True, max_length=254)
    password = text(required=True, max_length=MAX_LENGTH, load_only=True)


class TokenOut(ma.Schema):
    #: Shown once; only its hash is stored.
    token = ma.fields.String(metadata={"description": "Send as Authorization: Bearer <token>. Shown once."})
    expires_at = fields.DateTime()


class PasswordChangeIn(InputSchema):
    current_password = text(required=True, max_length=MAX_LENGTH, load_only=True)
    new_password = text(required=True, max_length=MAX_LENGTH, load_only=True, metadata={
        "description": "At least 10 characters, and not your email address."})


class PasswordLinkOut(ma.Schema):
    url = fields.String(metadata={"description": "The link to pass on to the person. Shown once; only its hash is "
                                                 "stored."})
    purpose = fields.Enum(PasswordLinkPurpose, by_value=True, metadata={
        "description": "set_up: they have never had a password; reset: they have forgotten theirs."})
    expires_at = fields.DateTime()

"""What the token endpoint reads and returns."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from timebank.api.schemas import InputSchema, text
from timebank.members.models import MAX_EMAIL
from timebank.members.service import MAX_PASSWORD


class TokenIn(InputSchema):
    email = text(required=True, max_length=MAX_EMAIL)
    password = text(required=True, max_length=MAX_PASSWORD, load_only=True)


class TokenOut(ma.Schema):
    #: Shown once; only its hash is stored.
    token = ma.fields.String(metadata={"description": "Send as Authorization: Bearer <token>. Shown once."})
    expires_at = fields.DateTime()

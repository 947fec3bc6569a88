"""What the token endpoint reads and returns."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from timebank.api.schemas import InputSchema, text


class TokenIn(InputSchema):
    email = text(required=True, max_length=254)
    password = text(required=True, max_length=1000, load_only=True)


class TokenOut(ma.Schema):
    #: Shown once; only its hash is stored.
    token = ma.fields.String(metadata={"description": "Send as Authorization: Bearer <token>. Shown once."})
    expires_at = fields.DateTime()

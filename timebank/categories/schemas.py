"""How the API lists categories of help."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields


class CategoryOut(ma.Schema):
    code = fields.String(metadata={"description": "Stable; send it as an exchange's category."})
    label = fields.String(metadata={"description": "In the caller's language."})
    parent_code = fields.String(allow_none=True, metadata={"description": "null for a top-level category."})

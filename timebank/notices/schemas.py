"""What the notices API reads (``…Args``) and returns (``…Out``)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from timebank.api.schemas import PageArgs, PageOut, boolean
from timebank.notices.models import NoticeKind


class NoticeListArgs(PageArgs):
    unread = boolean(strict=False, load_default=False, metadata={"description": "true: unread notices only."})


class NoticeOut(ma.Schema):
    id = fields.Integer()
    kind = fields.Enum(NoticeKind, by_value=True)
    subject_id = fields.Integer(metadata={
        "description": "The exchange, listing, sign-up, dispute or person it is about."})
    text = fields.String(metadata={"description": "The notice in the caller's language."})
    url = fields.String(allow_none=True, metadata={"description": "The page about its subject, if it still exists."})
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NoticePageOut(PageOut):
    items = fields.List(fields.Nested(NoticeOut))
    unread = fields.Integer(metadata={"description": "How many of the caller's notices are unread."})


class ReadAllOut(ma.Schema):
    marked = fields.Integer(metadata={"description": "How many notices were marked read now."})

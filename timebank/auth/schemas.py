"""What the token and password endpoints read (``…In``, ``…Args``) and return (``…Out``)."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import InputSchema, PageOut, choice, text, whole_number
from timebank.auth.models import MAX_NAME_LENGTH, PasswordLinkPurpose, TokenScope
from timebank.auth.passwords import MAX_LENGTH
from timebank.auth.tokens import MAX_DAYS, MIN_DAYS
from timebank.members.models import MAX_EMAIL


class TokenIn(InputSchema):
    email = text(required=True, max_length=MAX_EMAIL)
    password = text(required=True, max_length=MAX_LENGTH, load_only=True)
    name = text(max_length=MAX_NAME_LENGTH, metadata={
        "description": "To tell your tokens apart in the list. Default: API token."})
    scope = choice(TokenScope, _l("Choose read or write."), load_default=TokenScope.WRITE, metadata={
        "description": "read: GET requests only. write (the default, as before scopes existed): "
                       "anything you may do."})
    expires_in_days = whole_number(
        minimum=MIN_DAYS, maximum=MAX_DAYS,
        error=_l("Choose from %(low)d to %(high)d days.", low=MIN_DAYS, high=MAX_DAYS),
        metadata={"description": "How long until it stops working. Default: the time bank's setting (30 days "
                                 "unless changed)."})


class TokenOut(ma.Schema):
    """A token as its owner sees it in the list: never the token itself, nor its hash."""

    id = fields.Integer()
    name = fields.String()
    scope = fields.Enum(TokenScope, by_value=True)
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True, metadata={"description": "When it was revoked; null if not."})
    works = fields.Boolean(metadata={"description": "Neither revoked nor expired."})


class TokenMadeOut(TokenOut):
    #: Shown once; only its hash is stored.
    token = fields.String(metadata={"description": "Send as Authorization: Bearer <token>. Shown only this once."})


class TokenPageOut(PageOut):
    items = fields.List(fields.Nested(TokenOut))


class PasswordChangeIn(InputSchema):
    current_password = text(required=True, max_length=MAX_LENGTH, load_only=True)
    new_password = text(required=True, max_length=MAX_LENGTH, load_only=True, metadata={
        "description": "At least 10 characters, and not your email address."})


class PasswordLinkOut(ma.Schema):
    url = fields.String(allow_none=True, metadata={
        "description": "The link to pass on to the person, for someone who hears through their broker. Shown "
                       "once; only its hash is stored. Null when it was emailed to them (`sent_to`)."})
    sent_to = fields.String(allow_none=True, metadata={
        "description": "The address the link is emailed to (made as the email is sent, so nobody else ever "
                       "sees it); null when `url` is given instead."})
    purpose = fields.Enum(PasswordLinkPurpose, by_value=True, metadata={
        "description": "set_up: they have never had a password; reset: they have forgotten theirs."})
    expires_at = fields.DateTime(allow_none=True, metadata={
        "description": "Until when the link works; null when it is emailed (the email says)."})

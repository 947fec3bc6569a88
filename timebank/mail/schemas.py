"""What the mail API reads (``…In``, ``…Args``) and returns (``…Out``)."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from timebank.api.schemas import InputSchema, PageOut, boolean, choice
from timebank.mail.kinds import CHOICES
from timebank.mail.models import EmailKind, EmailStatus
from timebank.members.models import ContactMethod

#: Every kind a person may turn off, once each at most in one request.
CHOOSABLE = len([kind for c in CHOICES for kind in c.kinds])


class KindWantedIn(InputSchema):
    kind = choice(EmailKind, _l("Choose one of the kinds of email listed in the document."), required=True,
                  metadata={"description": "A kind of email (those always sent, the password links, are ignored)."})
    wanted = boolean(required=True)


class PreferencesIn(InputSchema):
    kinds = fields.List(fields.Nested(KindWantedIn), required=True,
                        validate=validate.Length(max=CHOOSABLE, error=_l("Send each kind once at most.")),
                        metadata={"description": "The kinds to turn on or off; kinds left out stay as they are."})


class KindWantedOut(ma.Schema):
    kind = fields.Enum(EmailKind, by_value=True)
    group = fields.String(metadata={"description": "The plain choice it belongs to on the settings page: "
                                                   + ", ".join(c.code for c in CHOICES) + "."})
    wanted = fields.Boolean()


class PreferencesOut(ma.Schema):
    contact_by = fields.Enum(ContactMethod, by_value=True, metadata={
        "description": "How you like to be contacted; `broker`: no email reaches you, your broker passes "
                       "things on."})
    emailed = fields.Boolean(metadata={"description": "Whether emails reach you (an address, and not `broker`)."})
    kinds = fields.List(fields.Nested(KindWantedOut))


class OutboxEmailOut(ma.Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    kind = fields.Enum(EmailKind, by_value=True)
    status = fields.Enum(EmailStatus, by_value=True)
    language = fields.String()
    to_address = fields.String(allow_none=True, metadata={"description": "Null once its person has left."})
    subject_line = fields.String(allow_none=True)
    text_body = fields.String(allow_none=True, metadata={"description": "The email as plain text."})
    html_body = fields.String(allow_none=True, metadata={"description": "The email as HTML."})
    sent_at = fields.DateTime(allow_none=True, metadata={"description": "When it was kept in the outbox."})


class OutboxPageOut(PageOut):
    items = fields.List(fields.Nested(OutboxEmailOut))

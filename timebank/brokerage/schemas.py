"""What the brokerage API reads (``…In``, ``…Args``) and returns (``…Out``): introductions, answers,
contact notes, messages and the dashboard's figures. Every limit here is the one the service enforces."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import InputSchema, PageArgs, PageOut, choice, date, items, record_id, text
from timebank.benefits.facts import Severity
from timebank.brokerage.models import MAX_MESSAGE, MAX_NOTE, MAX_REASON, Answer, IntroductionState
from timebank.brokerage.service import MAX_CANDIDATES, MAX_EXPIRY_DAYS, Side
from timebank.dates import HAPPENED_IN_BANK
from timebank.members.models import ContactMethod


class IntroduceIn(InputSchema):
    candidate_ids = items(record_id(), max_items=MAX_CANDIDATES, required=True, metadata={
        "description": "The members to introduce, each to the same thing: all are introduced, or none."})
    listing_id = record_id(load_default=None, allow_none=True,
                           metadata={"description": "An open request (a listing of kind request) ..."})
    role_id = record_id(load_default=None, allow_none=True,
                        metadata={"description": "... or a role of a published activity: exactly one of the two."})
    session_id = record_id(load_default=None, allow_none=True,
                           metadata={"description": "For a role: one of its sessions still to come (optional)."})
    message = text(max_length=MAX_MESSAGE, load_default="", metadata={"description": "Shown to both sides."})
    expires_on = date(load_default=None, allow_none=True, metadata={
        "description": f"The last day to answer: from today to {MAX_EXPIRY_DAYS} days ahead; 14 days if left out."})


class AnswerIn(InputSchema):
    side = fields.String(required=True, validate=ma.validate.OneOf(Side.ALL), metadata={
        "description": "candidate, or other (the requester or the organisation). A broker may answer for either "
                       "side; it is then recorded as answered on their behalf.", "enum": list(Side.ALL)})
    answer = choice(Answer, _l("Send accepted or declined."), required=True)
    reason = text(max_length=MAX_REASON, load_default="")


class IntroductionListArgs(PageArgs):
    state = choice(IntroductionState, _l("Send proposed, accepted, declined, expired or withdrawn."),
                   load_default=None)


class IntroductionOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    candidate_id = fields.Integer()
    listing_id = fields.Integer(allow_none=True)
    role_id = fields.Integer(allow_none=True)
    session_id = fields.Integer(allow_none=True)
    state = fields.Enum(IntroductionState, by_value=True)
    message = fields.String()
    introduced_by_id = fields.Integer()
    created_at = fields.DateTime()
    expires_on = fields.Date()
    candidate_answer = fields.Enum(Answer, by_value=True, allow_none=True)
    candidate_reason = fields.String()
    candidate_answered_at = fields.DateTime(allow_none=True)
    candidate_on_behalf = fields.Boolean(metadata={"description": "A broker answered for the candidate."})
    other_answer = fields.Enum(Answer, by_value=True, allow_none=True)
    other_reason = fields.String()
    other_answered_at = fields.DateTime(allow_none=True)
    other_on_behalf = fields.Boolean(metadata={"description": "A broker answered for the other side."})
    settled_at = fields.DateTime(allow_none=True)
    exchange_id = fields.Integer(allow_none=True, metadata={"description": "The pending exchange it led to."})
    sign_up_id = fields.Integer(allow_none=True, metadata={"description": "The sign-up it led to."})


class IntroductionPageOut(PageOut):
    items = fields.List(fields.Nested(IntroductionOut))


class ConversionArgs(InputSchema):
    first = date(required=True, metadata={"description": "The first UK day of the period."})
    last = date(required=True, metadata={"description": "The last UK day of the period (included), not before first."})

    @ma.validates_schema
    def _in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["last"] < data["first"]:
            raise ma.ValidationError(_l("The last day cannot be before the first."), "last")


class ConversionOut(ma.Schema):
    first = fields.Date()
    last = fields.Date()
    made = fields.Integer(metadata={"description": "Introductions made in the period."})
    accepted = fields.Integer(metadata={"description": "Of those, accepted by both sides."})
    led_to_exchange = fields.Integer()
    led_to_sign_up = fields.Integer()


class BankArgs(InputSchema):
    time_bank_id = record_id(strict=False, required=True, metadata={"description": "The bank, which you broker."})


class ContactNoteListArgs(PageArgs, BankArgs):
    pass


class ContactNoteIn(InputSchema):
    time_bank_id = record_id(required=True)
    contacted_on = date(required=True, metadata={"description": f"The day of the contact. {HAPPENED_IN_BANK}"})
    body = text(max_length=MAX_NOTE, required=True, metadata={
        "description": "Never health or benefit details. Notes are never changed afterwards."})


class ContactNoteOut(ma.Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    time_bank_id = fields.Integer()
    author_id = fields.Integer()
    contacted_on = fields.Date()
    body = fields.String()
    created_at = fields.DateTime()


class ContactNotePageOut(PageOut):
    items = fields.List(fields.Nested(ContactNoteOut))


class MessageIn(InputSchema):
    body = text(max_length=MAX_MESSAGE, required=True)


class MyMessageIn(MessageIn):
    time_bank_id = record_id(required=True, metadata={"description": "A bank you belong to."})


class MessageListArgs(PageArgs, BankArgs):
    pass


class MessageOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    person_id = fields.Integer(metadata={"description": "The member the conversation is with."})
    author_id = fields.Integer()
    author_is_broker = fields.Boolean()
    body = fields.String()
    created_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)
    read_at = fields.DateTime(allow_none=True)


class MessagePageOut(PageOut):
    items = fields.List(fields.Nested(MessageOut))


class SectionOut(ma.Schema):
    total = fields.Integer()
    total_is_lower_bound = fields.Boolean()
    ids = fields.List(fields.Integer(), metadata={"description": "The first page's ids, in the section's order."})


class SeverityCountOut(ma.Schema):
    severity = fields.Enum(Severity, by_value=True)
    count = fields.Integer()


class QuietMemberOut(ma.Schema):
    person_id = fields.Integer(attribute="id")
    name = fields.String(attribute="display_name")
    contact_by = fields.Enum(ContactMethod, by_value=True)


class DashboardOut(ma.Schema):
    time_bank_id = fields.Integer()
    sections = fields.Dict(keys=fields.String(), values=fields.Nested(SectionOut), metadata={
        "description": "applications, requests, sessions, introductions, messages, to-pass-on (emails not sent "
                       "to members who hear through their broker), pending-exchanges, disputes, quiet-members, "
                       "recent: each counted (up to 1,000) with its first page's ids."})
    quiet_members = fields.List(fields.Nested(QuietMemberOut), metadata={
        "description": "The first page of members with no exchange for 60 days, with how they like to be "
                       "contacted."})
    expiring_checks = fields.Integer(metadata={"description": "DBS checks running out within 30 days."})
    waiting_flags = fields.List(fields.Nested(SeverityCountOut), allow_none=True, metadata={
        "description": "Benefit-safe flags waiting for a broker, counted by severity; null unless you are a "
                       "broker of the bank by role."})
    conversion = fields.Nested(ConversionOut, metadata={"description": "The last 90 days."})


class PassedOnOut(ma.Schema):
    id = fields.Integer(metadata={"description": "The email not sent, now marked as passed on."})
    person_id = fields.Integer()
    kind = fields.String()
    status = fields.String(metadata={"description": "passed_on"})
    passed_on_at = fields.DateTime()

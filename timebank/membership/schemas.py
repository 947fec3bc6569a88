"""What the membership API reads (``…In``, ``…Args``) and returns (``…Out``): signing up, applications,
references, vouches and decisions.

An application is shown to each audience with its own field set (``APPLICATION_FIELDS``): brokers see
everything; the applicant sees its progress, their referees and the decision; a member asked to vouch
sees the name and statement only.
"""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from timebank.api.schemas import InputSchema, PageArgs, PageOut, boolean, choice, date, record_id, text
from timebank.auth import passwords
from timebank.dates import HAPPENED_IN_BANK, PLANNING_HORIZON_MONTHS
from timebank.members.models import MAX_EMAIL, ContactMethod, Language
from timebank.members.schemas import CONTACT_BY
from timebank.members.service import MAX_NAME
from timebank.membership.models import (
    MAX_DECISION_NOTE,
    MAX_KNOWN_HOW,
    MAX_REFEREE_CONTACT,
    MAX_REFEREE_NAME,
    MAX_REFERENCES,
    MAX_STATEMENT,
    ApplicationStatus,
    ReferenceOutcome,
)


class RefereeIn(InputSchema):
    name = text(required=True, max_length=MAX_REFEREE_NAME)
    contact = text(required=True, max_length=MAX_REFEREE_CONTACT,
                   metadata={"description": "An email address or phone number."})
    known_how = text(load_default="", max_length=MAX_KNOWN_HOW,
                     metadata={"description": "e.g. neighbour for 10 years."})


def _referees() -> fields.List:
    return fields.List(
        fields.Nested(RefereeIn), load_default=list,
        validate=validate.Length(max=MAX_REFERENCES, error=_l("Name up to 4 referees")),
        metadata={"description": "People who know the applicant; two satisfactory references are needed."},
    )


class EnrolIn(InputSchema):
    """A broker enrols someone who is not online: no password, and no email needed."""

    display_name = text(required=True, max_length=MAX_NAME)
    email = text(load_default=None, allow_none=True, max_length=MAX_EMAIL)
    phone = text(load_default=None, allow_none=True, max_length=1000)
    postcode = text(required=True, max_length=1000)
    preferred_language = choice(Language, _l("Choose en (English) or cy (Welsh)."), load_default=Language.ENGLISH)
    contact_by = choice(ContactMethod, CONTACT_BY, required=True,
                        metadata={"description": "broker: for people with no email or phone of their own."})
    time_bank_id = record_id(required=True)
    statement = text(load_default="", max_length=MAX_STATEMENT,
                     metadata={"description": "What they would like to do in the time bank."})
    referees = _referees()


class SignUpIn(EnrolIn):
    """A resident joins: their details and their first application, in one go."""

    email = text(required=True, max_length=MAX_EMAIL, metadata={"description": "You sign in with it."})
    password = text(required=True, min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH, load_only=True)


class SignedUpOut(ma.Schema):
    person_id = fields.Integer()
    application_id = fields.Integer()


class ApplicationIn(InputSchema):
    holder_id = record_id(required=True, metadata={
        "description": "Who is joining: you, an organisation you act for, or (brokers) anyone."})
    time_bank_id = record_id(required=True)
    statement = text(load_default="", max_length=MAX_STATEMENT)
    referees = _referees()


class ApplicationListArgs(PageArgs):
    time_bank_id = record_id(strict=False, load_default=None)
    status = choice(ApplicationStatus, _l("Choose submitted, in_review, vouched, approved, declined or withdrawn."),
                    load_default=None)
    to_vouch = boolean(strict=False, load_default=False, metadata={
        "description": "true: open applications in your banks that use community vouching, not your own."})


class ApplicationSummaryOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    name = fields.String(metadata={"description": "Who is applying."})
    status = fields.Enum(ApplicationStatus, by_value=True)
    submitted_at = fields.DateTime()


class ApplicationPageOut(PageOut):
    items = fields.List(fields.Nested(ApplicationSummaryOut))


class ReferenceOut(ma.Schema):
    id = fields.Integer()
    name = fields.String(attribute="referee_name")
    contact = fields.String(attribute="referee_contact")
    known_how = fields.String()
    outcome = fields.Enum(ReferenceOutcome, by_value=True)
    outcome_on = fields.Date(allow_none=True)
    recorded_by_id = fields.Integer(allow_none=True)


class MissingCheckOut(ma.Schema):
    code = fields.String(metadata={"description": "interview, references or dbs-check."})
    words = fields.String(metadata={"description": "What is still needed, in words."})


class AccessOut(ma.Schema):
    is_broker = fields.Boolean(metadata={"description": "You review and decide it."})
    is_applicant = fields.Boolean(metadata={"description": "It is yours, or you filled it in."})
    may_vouch = fields.Boolean()


class ApplicationOut(ma.Schema):
    """An application; fields you may not see are left out (see ``access``)."""

    id = fields.Integer()
    time_bank_id = fields.Integer()
    holder_id = fields.Integer()
    name = fields.String(metadata={"description": "Who is applying."})
    statement = fields.String()
    status = fields.Enum(ApplicationStatus, by_value=True)
    submitted_at = fields.DateTime()
    submitted_by_id = fields.Integer(metadata={"description": "Who filled it in."})
    interview_on = fields.Date(allow_none=True)
    interviewed_by_id = fields.Integer(allow_none=True)
    references = fields.List(fields.Nested(ReferenceOut))
    vouches = fields.Integer(metadata={"description": "How many members have vouched."})
    vouches_needed = fields.Integer(allow_none=True, metadata={"description": "null: the bank does not use vouching."})
    decided_by_id = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_note = fields.String()
    missing_checks = fields.List(fields.Nested(MissingCheckOut), metadata={
        "description": "Brokers, while it is open: what approving it now would go ahead without."})
    access = fields.Nested(AccessOut)


#: What each audience sees of an application.
APPLICATION_FIELDS = {
    "broker": frozenset(ApplicationOut().fields),
    "applicant": frozenset({
        "id", "time_bank_id", "holder_id", "name", "statement", "status", "submitted_at", "interview_on",
        "references", "decided_at", "decision_note", "access",
    }),
    "voucher": frozenset({"id", "time_bank_id", "name", "statement", "access"}),
}


class InterviewIn(InputSchema):
    interview_on = date(required=True, metadata={
        "description": f"From the day the bank's books opened (it may be recorded afterwards) to "
                       f"{PLANNING_HORIZON_MONTHS // 12} years ahead."})


class ReferenceOutcomeIn(InputSchema):
    outcome = choice(ReferenceOutcome, _l("Choose awaited, satisfactory, unsatisfactory or no_reply."),
                     required=True)
    outcome_on = date(required=True, metadata={"description": f"When the referee answered. {HAPPENED_IN_BANK}"})


class VouchOut(ma.Schema):
    id = fields.Integer()
    application_id = fields.Integer()
    voucher_id = fields.Integer()
    created_at = fields.DateTime()


class ApplicationApproveIn(InputSchema):
    note = text(load_default="", max_length=MAX_DECISION_NOTE,
                metadata={"description": "Anything to keep on record about the approval."})
    approve_anyway = boolean(load_default=False, metadata={
        "description": "true: approve although checks are not done yet (the application's missing_checks); "
                       "the audit log records it. Without it such an approval is refused (checks-missing)."})


class ApplicationDeclineIn(InputSchema):
    note = text(required=True, max_length=MAX_DECISION_NOTE,
                metadata={"description": "Why, so the applicant can be told."})

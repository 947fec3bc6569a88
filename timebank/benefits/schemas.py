"""What the benefit-safe API reads (``…In``, ``…Args``) and returns (``…Out``).

Input schemas check shape, type and size with the core's own limits (hours a week up to
``profiles.MAX_WEEKLY_HOURS``, a note up to ``models.MAX_NOTE``); the core decides the rest (a work group only
with Universal Credit, no date in the future, a snooze after today) and names the field it refuses, with its
own problem code.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from timebank.api.schemas import InputSchema, PageArgs, PageOut, boolean, choice, date, record_id, text, whole_number
from timebank.benefits.facts import Benefit, Jurisdiction, Severity, UcWorkGroup
from timebank.benefits.models import (
    BROKER_RESOLUTIONS,
    MAX_NOTE,
    AccessKind,
    FlagAction,
    FlagState,
    Resolution,
    Subject,
)
from timebank.benefits.profiles import MAX_WEEKLY_HOURS, WORDING_VERSION

#: The longest rule id (``benefit_flags.rule_id``).
MAX_RULE_ID = 8
_NOTE = {"description": "Optional. Never anything about health or disability: only what was done."}


# --- consent -----------------------------------------------------------------------------------------


class BenefitConsentIn(InputSchema):
    wording_version = fields.String(required=True, validate=[validate.Length(max=20), validate.OneOf(
        [WORDING_VERSION], error=_l("Show the current wording and send its version."))],
        error_messages={"required": _l("This field is required."), "invalid": _l("Enter text.")}, metadata={
        "description": "The version of the wording the member was shown and agreed to: the current one, as "
                       "GET …/consent gives it."})
    agree = boolean(required=True, validate=validate.Equal(True, error=_l("Consent is given only by agreeing.")),
                    metadata={"description": "Must be true: the member explicitly agrees."})


class BenefitConsentOut(Schema):
    state = fields.String(metadata={"enum": ["never_given", "given", "withdrawn"],
                                    "description": "Whether checks are on (given), were switched off, or never on."})
    wording_version = fields.String(allow_none=True, metadata={"description": "The version agreed to."})
    given_at = fields.DateTime(allow_none=True)
    on_behalf = fields.Boolean(allow_none=True, metadata={
        "description": "A broker recorded it for a member who is not online."})
    withdrawn_at = fields.DateTime(allow_none=True)
    current_wording_version = fields.String()
    wording = fields.List(fields.String(), metadata={
        "description": "The current wording, paragraph by paragraph, in the caller's language."})


# --- the profile -------------------------------------------------------------------------------------

_BENEFIT = _l("Choose benefits from the list.")


class BenefitProfileIn(InputSchema):
    benefits = fields.List(choice(Benefit, _BENEFIT), required=True, error_messages={
                               "required": _l("This field is required."), "invalid": _l("Send a list.")},
                           validate=validate.Length(min=1, max=len(Benefit), error=_l("Send 1 to {max} benefits.")))
    jurisdiction = choice(Jurisdiction, _l("Choose england, wales, scotland or northern_ireland."), required=True)
    uc_work_group = choice(UcWorkGroup, _l("Choose a work group from the list."), load_default=None, allow_none=True,
                           metadata={"description": "Only with Universal Credit."})
    uc_expected_hours = whole_number(minimum=0, maximum=MAX_WEEKLY_HOURS, load_default=None, allow_none=True,
                                     metadata={"description": "Work-search hours a week in the Claimant Commitment."})
    agreed_voluntary_hours = whole_number(minimum=0, maximum=MAX_WEEKLY_HOURS, load_default=None, allow_none=True,
                                          metadata={"description": "Volunteering hours a week agreed in the "
                                                                   "Claimant Commitment, if any."})
    couple = boolean(required=True)
    last_told_on = date(load_default=None, allow_none=True, metadata={
        "description": "When the member last told DWP or the council about their volunteering; not in the future."})
    benefit_week_starts = whole_number(minimum=0, maximum=6, load_default=0,
                                       metadata={"description": "0 Monday … 6 Sunday."})
    uc_assessment_day = whole_number(minimum=1, maximum=31, load_default=None, allow_none=True,
                                     metadata={"description": "The day of the month a UC assessment period starts."})


class BenefitProfileFieldsOut(Schema):
    benefits = fields.List(fields.String(metadata={"enum": [b.value for b in Benefit]}))
    jurisdiction = fields.String(metadata={"enum": [j.value for j in Jurisdiction]})
    uc_work_group = fields.String(allow_none=True, metadata={"enum": [g.value for g in UcWorkGroup]})
    uc_expected_hours = fields.Integer(allow_none=True)
    agreed_voluntary_hours = fields.Integer(allow_none=True)
    couple = fields.Boolean()
    last_told_on = fields.Date(allow_none=True)
    benefit_week_starts = fields.Integer()
    uc_assessment_day = fields.Integer(allow_none=True)


class BenefitProfileOut(Schema):
    consented = fields.Boolean(metadata={"description": "Whether checks are on: without consent no profile is kept."})
    profile = fields.Nested(BenefitProfileFieldsOut, allow_none=True,
                            metadata={"description": "None until one is saved."})


# --- flags -------------------------------------------------------------------------------------------


class FlagThresholdOut(Schema):
    name = fields.String()
    value = fields.String(metadata={"description": "A decimal, as text."})
    unit = fields.String()
    effective_from = fields.Date()
    tax_year = fields.String(metadata={"description": "2026/27"})
    kind = fields.String(metadata={"enum": ["statutory", "heuristic"], "description": (
        "statutory: set by the benefit rules; heuristic: a rule of thumb this service uses, never a legal limit.")})
    source = fields.String()
    verified = fields.Boolean(metadata={"description": "False while the figure is still being checked."})
    text = fields.String(metadata={"description": "The figure in words, e.g. £20.00 a week."})
    notes = fields.List(fields.String(), metadata={"description": "What a reader is told about the figure."})


class FlagReferenceOut(Schema):
    kind = fields.String(metadata={"enum": ["exchange", "redemption", "expense", "payment", "sign_up"]})
    id = fields.Integer()


class FlagComputedOut(Schema):
    name = fields.String()
    label = fields.String()
    value = fields.String()


class _FlagBaseOut(Schema):
    id = fields.Integer()
    rule_id = fields.String()
    rule_title = fields.String()
    severity = fields.Enum(Severity, by_value=True)
    state = fields.Enum(FlagState, by_value=True)
    window_start = fields.Date()
    window_end = fields.Date()
    raised_at = fields.DateTime()
    thresholds = fields.List(fields.Nested(FlagThresholdOut))


class BenefitSignpostOut(Schema):
    name = fields.String()
    url = fields.String(allow_none=True)
    about = fields.String()


class MemberFlagOut(_FlagBaseOut):
    text = fields.String(metadata={"description": "What the check found, in the member's words."})
    prompt = fields.String(metadata={"description": "That it is a reminder, not a decision."})
    next_steps = fields.List(fields.String())
    signposts = fields.List(fields.Nested(BenefitSignpostOut))


class MemberFlagsOut(Schema):
    consented = fields.Boolean()
    items = fields.List(fields.Nested(MemberFlagOut))


class FlagOut(_FlagBaseOut):
    person_id = fields.Integer()
    person_name = fields.String()
    time_bank_id = fields.Integer()
    updated_at = fields.DateTime()
    snoozed_until = fields.Date(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    resolution = fields.Enum(Resolution, by_value=True, allow_none=True)
    resolution_note = fields.String(allow_none=True)
    text = fields.String(metadata={"description": "What the check found, in a broker's words."})
    prompt = fields.String(metadata={"description": "The standard footer: a prompt to check, not a decision."})
    references = fields.List(fields.Nested(FlagReferenceOut), metadata={"description": "The records behind it."})
    computed = fields.List(fields.Nested(FlagComputedOut), metadata={"description": "The figures it worked out."})


class FlagEventOut(Schema):
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True, metadata={"description": "None: the checks themselves."})
    actor_name = fields.String(allow_none=True)
    action = fields.Enum(FlagAction, by_value=True)
    note = fields.String(allow_none=True)


class FlagDetailOut(FlagOut):
    history = fields.List(fields.Nested(FlagEventOut))


class FlagPageOut(PageOut):
    items = fields.List(fields.Nested(FlagOut))


class FlagQueueArgs(PageArgs):
    severity = choice(Severity, _l("Choose high, medium, low or info."), load_default=None)
    rule = text(max_length=MAX_RULE_ID, load_default=None, metadata={"description": "A rule id, e.g. TB-01."})
    state = choice(FlagState, _l("Choose open, acknowledged, snoozed or resolved."), load_default=None, metadata={
        "description": "Without it: every flag a broker still has to look at (not resolved)."})
    person_id = record_id(strict=False, load_default=None)


class FlagAcknowledgeIn(InputSchema):
    note = text(max_length=MAX_NOTE, load_default="", metadata=_NOTE)


class FlagResolveIn(InputSchema):
    resolution = choice(Resolution, _l("Choose told_dwp, receipts_seen, not_applicable or referred_to_advice."),
                        required=True, validate=validate.OneOf(BROKER_RESOLUTIONS),
                        metadata={"enum": [r.value for r in BROKER_RESOLUTIONS]})
    note = text(max_length=MAX_NOTE, load_default="", metadata=_NOTE)


class FlagSnoozeIn(InputSchema):
    until = date(required=True, metadata={"description": "A day after today: the flag is back in the queue then."})
    note = text(max_length=MAX_NOTE, load_default="", metadata=_NOTE)


# --- the access log ----------------------------------------------------------------------------------


class BenefitAccessLogArgs(PageArgs):
    person_id = record_id(strict=False, load_default=None, metadata={"description": "Whose data: one member only."})


class BenefitAccessOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True, metadata={"description": "None: the checks themselves."})
    actor_name = fields.String(allow_none=True)
    person_id = fields.Integer()
    person_name = fields.String()
    subject = fields.Enum(Subject, by_value=True)
    kind = fields.Enum(AccessKind, by_value=True)
    reason = fields.String()
    flag_id = fields.Integer(allow_none=True)


class BenefitAccessLogPageOut(PageOut):
    items = fields.List(fields.Nested(BenefitAccessOut))


class FlagCountOut(Schema):
    rule = fields.String(metadata={"description": "The rule's id, e.g. TB-04."})
    title = fields.String(metadata={"description": "What the rule checks, in words."})
    severity = fields.String(metadata={"enum": [severity.value for severity in Severity]})
    count = fields.Integer(allow_none=True, metadata={
        "description": "How many flags; null when there are 1 to 4 (not shown: small numbers could point to "
                       "people)."})


class FlagCountsOut(Schema):
    tax_year = fields.String(metadata={"description": "The tax year counted, e.g. 2026/27 (to today)."})
    suppressed_below = fields.Integer(metadata={"description": "Counts from 1 up to this are not shown."})
    counts = fields.List(fields.Nested(FlagCountOut), metadata={
        "description": "Flags raised in the bank this tax year by rule and severity: never whose."})

"""What the programmes API reads (``…In``, ``…Args``) and returns (``…Out``): funders and their members,
programmes with their scopes and outcomes, outcome tags, and in-kind records. Every limit here is the one
the service or the table enforces."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.activities.models import MAX_IN_KIND_DESCRIPTION
from timebank.api.schemas import InputSchema, PageArgs, PageOut, choice, date, items, record_id, text, whole_number
from timebank.dates import HAPPENED_IN_BANK
from timebank.members.models import MAX_EMAIL
from timebank.profiles.models import ContributionKind
from timebank.programmes import service
from timebank.programmes.models import MAX_DESCRIPTION, MAX_NAME, MAX_SOURCE
from timebank.programmes.outcome_sets import OUTCOME_SETS

_PERIOD = ("From 1 January 1980 (a programme may be recorded after it began) to two years ahead, in the UK.")


class FunderIn(InputSchema):
    name = text(min_length=1, max_length=MAX_NAME, required=True, metadata={"description": "In English."})
    name_cy = text(max_length=MAX_NAME, load_default="", metadata={"description": "In Welsh (optional)."})


class FunderOut(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    name_cy = fields.String()
    created_at = fields.DateTime()


class FunderMemberIn(InputSchema):
    email = text(min_length=1, max_length=MAX_EMAIL, required=True, metadata={
        "description": "The email address someone already signed up with."})


class FunderMemberOut(ma.Schema):
    person_id = fields.Integer(attribute="id")
    display_name = fields.String()
    email = fields.String()


class FunderDetailOut(FunderOut):
    members = fields.List(fields.Nested(FunderMemberOut), metadata={"description": "Who reads its reports."})


class ScopeIn(InputSchema):
    time_bank_id = record_id(required=True, metadata={"description": "A bank (a broker: one they broker)."})
    organisation_id = record_id(load_default=None, allow_none=True, metadata={
        "description": "One organisation's work in the bank (it holds an account there) ..."})
    activity_id = record_id(load_default=None, allow_none=True, metadata={
        "description": "... or one activity of the bank; neither for the whole bank."})


class ScopeOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    organisation_id = fields.Integer(allow_none=True)
    activity_id = fields.Integer(allow_none=True)


class OutcomeIn(InputSchema):
    name = text(min_length=1, max_length=MAX_NAME, required=True, metadata={"description": "In English."})
    name_cy = text(max_length=MAX_NAME, load_default="", metadata={"description": "In Welsh (optional)."})


class OutcomeSetIn(InputSchema):
    set_code = fields.String(required=True, validate=ma.validate.OneOf(list(OUTCOME_SETS)), metadata={
        "description": "A ready-made set: its outcomes the programme lacks are copied.", "enum": list(OUTCOME_SETS),
        "maxLength": max(len(code) for code in OUTCOME_SETS)})


class OutcomeOut(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    name_cy = fields.String()
    set_code = fields.String(allow_none=True, metadata={"description": "The ready-made set it came from."})
    code = fields.String(allow_none=True)
    position = fields.Integer()


class ProgrammeDetailsIn(InputSchema):
    name = text(min_length=1, max_length=MAX_NAME, required=True, metadata={"description": "In English."})
    name_cy = text(max_length=MAX_NAME, load_default="", metadata={"description": "In Welsh (optional)."})
    description = text(max_length=MAX_DESCRIPTION, load_default="")
    starts_on = date(required=True, metadata={"description": _PERIOD})
    ends_on = date(required=True, metadata={"description": f"Not before starts_on. {_PERIOD}"})
    value_per_hour_pence = whole_number(minimum=0, maximum=service.MAX_VALUE_PENCE,
                                        load_default=service.SUGGESTED_VALUE_PENCE, metadata={
                                            "description": "The social-value estimate's value of an hour, in pence "
                                                           "(suggested: the National Living Wage, April 2025)."})
    value_source = text(max_length=MAX_SOURCE, load_default=service.SUGGESTED_VALUE_SOURCE)
    value_source_cy = text(max_length=MAX_SOURCE, load_default="", metadata={
        "description": "In Welsh (optional): the Welsh report shows value_source where it is empty."})
    value_year = whole_number(minimum=service.EARLIEST_VALUE_YEAR, maximum=service.LATEST_VALUE_YEAR,
                              load_default=service.SUGGESTED_VALUE_YEAR, allow_none=True,
                              metadata={"description": "The year the value is for."})
    suppress_below = whole_number(minimum=service.MIN_SUPPRESS_BELOW, maximum=service.MAX_SUPPRESS_BELOW,
                                  load_default=service.MIN_SUPPRESS_BELOW, metadata={
                                      "description": "Counts of people below this show as \"fewer than\" it."})

    @ma.post_load
    def details(self, data: dict[str, Any], **_: Any) -> service.ProgrammeDetails:
        return service.ProgrammeDetails(**data)


class ProgrammeIn(ProgrammeDetailsIn):
    funder_id = record_id(required=True)
    scope = fields.Nested(ScopeIn, required=True, metadata={"description": "What it covers first."})

    @ma.post_load
    def details(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:  # type: ignore[override]
        funder_id, scope = data.pop("funder_id"), data.pop("scope")
        return {"funder_id": funder_id, "scope": service.ScopeDetails(**scope),
                "details": service.ProgrammeDetails(**data)}


class ProgrammeOut(ma.Schema):
    id = fields.Integer()
    funder_id = fields.Integer()
    name = fields.String()
    name_cy = fields.String()
    description = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    value_per_hour_pence = fields.Integer()
    value_source = fields.String()
    value_source_cy = fields.String(allow_none=True)
    value_year = fields.Integer(allow_none=True)
    suppress_below = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ProgrammeDetailOut(ProgrammeOut):
    scopes = fields.List(fields.Nested(ScopeOut))
    outcomes = fields.List(fields.Nested(OutcomeOut))


class TagsIn(InputSchema):
    outcome_ids = items(record_id(), required=True, metadata={
        "description": "Exactly the outcomes to tag it with (replacing any before): outcomes of programmes that "
                       "cover the activity."})


class TagsOut(ma.Schema):
    outcome_ids = fields.List(fields.Integer())
    available = fields.List(fields.Nested(OutcomeOut), metadata={
        "description": "The outcomes it may be tagged with: those of the programmes covering its activity."})


class InKindIn(InputSchema):
    time_bank_id = record_id(required=True, metadata={"description": "A bank the organisation holds an account in."})
    kind = choice(ContributionKind, _l("Choose room, equipment, training, staff_time, funds or other."), required=True)
    description = text(min_length=1, max_length=MAX_IN_KIND_DESCRIPTION, required=True)
    given_on = date(required=True, metadata={"description": HAPPENED_IN_BANK})
    activity_id = record_id(load_default=None, allow_none=True, metadata={
        "description": "One of the organisation's activities in the bank (optional)."})
    minutes = whole_number(minimum=1, maximum=service.MAX_IN_KIND_MINUTES, load_default=None, allow_none=True,
                           metadata={"description": "Staff time or a room's use, where the kind has a duration."})
    value_pence = whole_number(minimum=0, maximum=service.MAX_IN_KIND_PENCE, load_default=None, allow_none=True,
                               metadata={"description": "What the organisation says it is worth (funds: the amount)."})

    @ma.post_load
    def details(self, data: dict[str, Any], **_: Any) -> service.InKindDetails:
        return service.InKindDetails(**data)


class InKindArgs(PageArgs):
    time_bank_id = record_id(strict=False, load_default=None, metadata={
        "description": "The bank whose records to list; the first the caller keeps records in if left out."})


class InKindOut(ma.Schema):
    id = fields.Integer()
    organisation_id = fields.Integer()
    time_bank_id = fields.Integer()
    activity_id = fields.Integer(allow_none=True)
    kind = fields.Enum(ContributionKind, by_value=True)
    description = fields.String()
    given_on = fields.Date()
    minutes = fields.Integer(allow_none=True)
    value_pence = fields.Integer(allow_none=True)
    recorded_by_id = fields.Integer()
    created_at = fields.DateTime()


class InKindPageOut(PageOut):
    items = fields.List(fields.Nested(InKindOut))

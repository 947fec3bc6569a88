"""What the matching API reads (``…Args``, ``…In``) and returns (``…Out``)."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import InputSchema, PageOut, whole_number
from timebank.brokerage.models import DEFAULT_WEIGHTS, MAX_WEIGHT, WEIGHT_NAMES
from timebank.matching import engine, for_me
from timebank.safeguarding.clearances import Clearance


class MatchArgs(InputSchema):
    page = whole_number(minimum=1, maximum=engine.MAX_PAGE, strict=False, load_default=1,
                        error=_l("Enter a page number from 1 to {max}."),
                        metadata={"description": f"Pages of {engine.PER_PAGE}, best first; the best "
                                                 f"{engine.MAX_PAGE * engine.PER_PAGE:,} can be read."})


class ForMeArgs(InputSchema):
    page = whole_number(minimum=1, maximum=for_me.POOL * 2, strict=False, load_default=1,
                        error=_l("Enter a page number of 1 or more."))


def _weights_schema(name: str, *, required: bool) -> type[ma.Schema]:
    base = InputSchema if required else ma.Schema
    attrs = {
        weight: (whole_number(minimum=0, maximum=MAX_WEIGHT, required=True,
                              error=_l("Give each weight as a whole number from 0 to 100"),
                              metadata={"description": f"Default {DEFAULT_WEIGHTS[weight]}."})
                 if required else fields.Integer(metadata={"description": f"Default {DEFAULT_WEIGHTS[weight]}."}))
        for weight in WEIGHT_NAMES
    }
    return type(name, (base,), attrs)


#: Every weight, each a whole number from 0 (not counted) to 100.
WeightsIn = _weights_schema("WeightsIn", required=True)
WeightsOut = _weights_schema("WeightsOut", required=False)


class ComponentOut(ma.Schema):
    name = fields.String(metadata={"description": "One of " + ", ".join(WEIGHT_NAMES) + "."})
    score = fields.Float(metadata={"description": "0 to 1 (for declined: 1 when they declined this before)."})
    weight = fields.Integer()
    points = fields.Float(metadata={"description": "score × weight; negative for declined."})
    reason = fields.String()


class CandidateOut(ma.Schema):
    person_id = fields.Integer()
    name = fields.String()
    district = fields.String(allow_none=True)
    total = fields.Float()
    components = fields.List(fields.Nested(ComponentOut))


class LeftOutOut(ma.Schema):
    """How many of the bank's members were not listed, each under the first reason that applies."""

    asking = fields.Integer()
    left = fields.Integer()
    opted_out = fields.Integer()
    already_involved = fields.Integer()
    no_clearance = fields.Integer(metadata={"description": "Without the clearance the role needs on the day "
                                                           f"of the thing, counted up to {engine.LISTED_CAP:,}."})
    no_clearance_is_lower_bound = fields.Boolean(metadata={"description": "True when there are more than "
                                                                          "``no_clearance``."})


class ThingOut(ma.Schema):
    kind = fields.Enum(engine.ThingKind, by_value=True)
    id = fields.Integer()
    time_bank_id = fields.Integer()
    title = fields.String()
    day = fields.Date(metadata={"description": "The day a clearance must hold on."})
    clearance = fields.Enum(Clearance, by_value=True, allow_none=True)
    is_remote = fields.Boolean()
    district = fields.String(allow_none=True)


class MatchesOut(PageOut):
    thing = fields.Nested(ThingOut)
    weights = fields.Nested(WeightsOut)
    left_out = fields.Nested(LeftOutOut)
    items = fields.List(fields.Nested(CandidateOut))


class SuggestionOut(ma.Schema):
    kind = fields.String(metadata={"description": "request or session."})
    id = fields.Integer()
    title = fields.String()
    day = fields.Date()
    starts_at = fields.DateTime(allow_none=True)
    time_bank_id = fields.Integer()
    score = fields.Float()
    reasons = fields.List(fields.String())


class SuggestionsOut(PageOut):
    items = fields.List(fields.Nested(SuggestionOut))

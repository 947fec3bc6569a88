"""What the profiles API reads (``…In``, ``…Args``) and returns (``…Out``).

A profile says what someone can do, would like to learn or share and would enjoy: there is no field for
needs, conditions or problems, here or anywhere.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import InputSchema, PageArgs, PageOut, boolean, choice, items, record_id, text, whole_number
from timebank.categories.models import MAX_CODE
from timebank.members.models import ContactMethod
from timebank.members.schemas import ContributionOut, HolderRefOut
from timebank.profiles.models import MAX_PROFILE_TEXT, AgeBand, ContributionKind, Period
from timebank.profiles.search import MAX_QUERY
from timebank.profiles.service import MAX_CONTRIBUTION, MAX_TRAVEL_DISTRICTS

PERIOD = _l("Choose morning, afternoon or evening.")
WEEKDAY = _l("Enter a weekday from 0 (Monday) to 6 (Sunday).")


def _list(item: fields.Field, **kwargs: Any) -> fields.List:
    return items(item, load_default=list, **kwargs)


class SearchArgs(PageArgs):
    q = text(load_default="", max_length=MAX_QUERY, metadata={"description": "Words in abilities and profile text."})
    ability = text(load_default=None, max_length=MAX_CODE,
                   metadata={"description": "A category code; its sub-categories match too."})
    language = text(load_default=None, max_length=8, metadata={"description": "A language code, e.g. cy or bfi."})
    district = text(load_default=None, max_length=10,
                    metadata={"description": "A postcode district (HB3): people who live there or travel there."})
    weekday = whole_number(minimum=0, maximum=6, strict=False, load_default=None, error=WEEKDAY)
    period = choice(Period, PERIOD, load_default=None)
    time_bank_id = record_id(strict=False, load_default=None)


class ProfileCardOut(ma.Schema):
    holder_id = fields.Integer()
    is_organisation = fields.Boolean()
    name = fields.String(allow_none=True, metadata={"description": "null if the member shows it to brokers only."})
    district = fields.String(allow_none=True, metadata={"description": "null if the member keeps their area private."})
    abilities = fields.List(fields.String(), metadata={"description": "Category codes."})
    languages = fields.List(fields.String(), metadata={"description": "Language codes."})
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    contact_by = fields.Enum(ContactMethod, by_value=True, allow_none=True)
    full = fields.Boolean(metadata={"description": "You broker this member, so see everything."})


class ProfileCardPageOut(PageOut):
    items = fields.List(fields.Nested(ProfileCardOut))


class SlotIn(InputSchema):
    weekday = whole_number(minimum=0, maximum=6, required=True, error=WEEKDAY,
                           metadata={"description": "0 is Monday, 6 is Sunday."})
    period = choice(Period, PERIOD, required=True)


class SlotOut(ma.Schema):
    weekday = fields.Integer()
    period = fields.Enum(Period, by_value=True)


class ProfileIn(InputSchema):
    """The whole profile: a part left out is cleared (or set back to its default)."""

    abilities = _list(text(max_length=MAX_CODE), metadata={"description": "Category codes: what you can do."})
    about = text(load_default="", max_length=MAX_PROFILE_TEXT,
                 metadata={"description": "What you can do, in your own words."})
    learn_or_share = text(load_default="", max_length=MAX_PROFILE_TEXT,
                          metadata={"description": "What you would like to learn or share."})
    experience = text(load_default="", max_length=MAX_PROFILE_TEXT)
    enjoys = text(load_default="", max_length=MAX_PROFILE_TEXT,
                  metadata={"description": "What you would enjoy doing."})
    languages = _list(text(max_length=8), metadata={"description": "Language codes you speak or sign."})
    availability = _list(fields.Nested(SlotIn), metadata={"description": "Cells of the weekly grid."})
    can_travel = boolean(load_default=True, metadata={"description": "false: from home or by phone only."})
    travel_districts = _list(text(max_length=10), max_items=MAX_TRAVEL_DISTRICTS,
                             metadata={"description": "Postcode districts you will travel to, besides your own."})
    show_name = boolean(load_default=True, metadata={"description": "Other members see your name."})
    show_area = boolean(load_default=True, metadata={"description": "Other members see your postcode district."})
    show_abilities = boolean(load_default=True,
                             metadata={"description": "Other members see what you can do, and can find you."})
    show_contact = boolean(load_default=False, metadata={"description": "Other members see how to contact you."})
    open_to_introductions = boolean(load_default=True, metadata={
        "description": "false: brokers are not to suggest you for requests and roles."})
    age_band = choice(AgeBand, _l("Send under_25, 25_34, 35_49, 50_64, 65_74 or 75_plus."), load_default=None,
                      allow_none=True, metadata={"description": "People only, optional: your age band."})
    in_reports = boolean(load_default=False, metadata={
        "description": "true: reports to funders may count your age band and postcode district (never your "
                       "name), only in groups of 5 or more people. People only."})


class AbilityOut(ma.Schema):
    code = fields.String()
    label = fields.String(metadata={"description": "In the caller's language."})


class ProfileContactOut(ma.Schema):
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    contact_by = fields.Enum(ContactMethod, by_value=True, allow_none=True)


class VisibilityOut(ma.Schema):
    show_name = fields.Boolean()
    show_area = fields.Boolean()
    show_abilities = fields.Boolean()
    show_contact = fields.Boolean()
    open_to_introductions = fields.Boolean()
    age_band = fields.Enum(AgeBand, by_value=True, allow_none=True)
    in_reports_at = fields.DateTime(allow_none=True, metadata={
        "description": "Since when reports may count your age band and district; null: they may not."})


class ProfileOut(ma.Schema):
    """A profile as you may see it: null marks a part the member shows to brokers only."""

    holder_id = fields.Integer()
    is_organisation = fields.Boolean()
    full = fields.Boolean(metadata={"description": "You see everything: it is yours, your organisation's, or "
                                                   "you broker this member."})
    name = fields.String(allow_none=True)
    district = fields.String(allow_none=True)
    abilities = fields.List(fields.Nested(AbilityOut), allow_none=True)
    about = fields.String(allow_none=True)
    learn_or_share = fields.String(allow_none=True)
    experience = fields.String(allow_none=True)
    enjoys = fields.String(allow_none=True)
    languages = fields.List(fields.String(), allow_none=True)
    availability = fields.List(fields.Nested(SlotOut), allow_none=True)
    can_travel = fields.Boolean()
    travel_districts = fields.List(fields.String(), allow_none=True)
    contact = fields.Nested(ProfileContactOut, allow_none=True)
    contributions = fields.List(fields.Nested(ContributionOut), metadata={"description": "Organisations only."})
    admins = fields.List(fields.Nested(HolderRefOut),
                         metadata={"description": "Organisations only; shown to those who see everything."})
    visibility = fields.Nested(VisibilityOut, allow_none=True,
                               metadata={"description": "The member's choices; shown to those who see everything."})


class ContributionIn(InputSchema):
    kind = choice(ContributionKind, _l("Choose room, equipment, training, staff_time, funds or other."), required=True)
    description = text(required=True, max_length=MAX_CONTRIBUTION)

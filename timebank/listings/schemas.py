"""What the listings API reads (``…In``, ``…Args``) and returns (``…Out``).

Input schemas check shape, type and size (with the service's own limits); ``listings.service`` decides
what else is allowed (which kind a holder may list, an offer from the holder's abilities, dates, which
fields go with which kind) and names the field it refuses.
"""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import (
    InputSchema,
    PageArgs,
    PageOut,
    boolean,
    choice,
    date,
    record_id,
    text,
    time_of_day,
    whole_number,
)
from timebank.categories.models import MAX_CODE
from timebank.dates import TIME_FORMAT
from timebank.listings.models import MAX_PLACE, MAX_REVIEW_DAYS, MAX_TITLE, ListingKind, ListingStatus
from timebank.listings.service import ESTIMATE_CHOICES, MAX_DETAILS, MAX_PRICE_MINUTES, MAX_QUERY
from timebank.receipts import RedeemedFor

_KIND_MESSAGE = _l("Choose offer, request or spend.")
_RECEIVES_MESSAGE = _l("Choose time_based_activity, time_exchange, goods, voucher_fixed_value, gift_card or cash.")


class _ListingFields(InputSchema):
    """What a listing says, as sent to list or change one."""

    title = text(max_length=MAX_TITLE)
    details = text(max_length=MAX_DETAILS)
    category = text(max_length=MAX_CODE, metadata={"description": "A category code (GET /categories). An offer's "
                                                            "must be one of the holder's profile abilities."})
    place = text(max_length=MAX_PLACE, metadata={"description": "Where, in words; empty for to be agreed."})
    is_remote = boolean(metadata={"description": "Can be done by phone or online."})
    review_on = date(allow_none=True, metadata={
        "description": f"Hidden after this day until renewed: today to {MAX_REVIEW_DAYS} days ahead. Defaults to "
                       "90 days ahead, or for a request the day after its occasion."})
    needed_on = date(allow_none=True, metadata={"description": "Requests only: the day help is wanted, from "
                                                               f"today to {MAX_REVIEW_DAYS} days ahead."})
    needed_at = time_of_day(allow_none=True, metadata={"description": "Requests only, optional: the time, HH:MM."})
    estimated_minutes = whole_number(minimum=min(ESTIMATE_CHOICES), maximum=max(ESTIMATE_CHOICES), allow_none=True,
                                     metadata={"description": "Requests only, optional: roughly how long, in minutes.",
                                               "enum": list(ESTIMATE_CHOICES)})
    price_minutes = whole_number(minimum=1, maximum=MAX_PRICE_MINUTES, allow_none=True, metadata={
        "description": "Spend offers only: the credits a member spends, in minutes."})
    receives = choice(RedeemedFor, _RECEIVES_MESSAGE, allow_none=True, metadata={
        "description": "Spend offers only: what the member receives; defaults to time_based_activity. Goods, "
                       "vouchers, gift cards and cash may affect members' benefits and are discouraged."})


class ListingIn(_ListingFields):
    time_bank_id = record_id(required=True, metadata={"description": "The bank to list it in."})
    holder_id = record_id(load_default=None, metadata={
        "description": "Whose listing it is: you (the default), an organisation you act for, or — for a "
                       "broker — a member of the bank."})
    kind = choice(ListingKind, _KIND_MESSAGE, required=True, metadata={
        "description": "offer: residents, from their abilities; request: help wanted on one occasion; "
                       "spend: an organisation's time-for-time activity."})
    title = text(required=True, max_length=MAX_TITLE)
    category = text(required=True, max_length=MAX_CODE, metadata={
        "description": "A category code (GET /categories). An offer's must be one of the holder's profile abilities."})


class ListingUpdateIn(_ListingFields):
    """Only the fields sent are changed; kind, owner and bank never change."""


class RenewIn(InputSchema):
    review_on = date(load_default=None, allow_none=True, metadata={
        "description": "The new review date; by default 90 days from today (a request: the day after its "
                       "occasion)."})


class ListingArgs(PageArgs):
    kind = choice(ListingKind, _KIND_MESSAGE)
    category = text(max_length=MAX_CODE, metadata={"description": "A category code; a top-level one includes its "
                                                            "children."})
    q = text(max_length=MAX_QUERY, load_default="", metadata={"description": "Words in the title or details."})
    district = text(max_length=8, metadata={"description": "The owner's postcode district, such as HB3."})
    remote = boolean(strict=False, load_default=False, metadata={"description": "Only help by phone or online."})
    time_bank_id = record_id(strict=False)
    expired = boolean(strict=False, load_default=False, metadata={
        "description": "Instead: open listings past their review date that you own or broker."})


class ListingOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    holder_id = fields.Integer()
    owner_name = fields.String(allow_none=True, metadata={"description": "null where the owner keeps it to "
                                                                         "brokers."})
    area = fields.String(allow_none=True, metadata={"description": "The owner's postcode district, where shown."})
    kind = fields.Enum(ListingKind, by_value=True)
    status = fields.Enum(ListingStatus, by_value=True)
    expired = fields.Boolean(metadata={"description": "Open, but past its review date: members do not see it."})
    title = fields.String()
    details = fields.String()
    category = fields.String(metadata={"description": "Category code."})
    category_label = fields.String(metadata={"description": "In the caller's language."})
    place = fields.String()
    is_remote = fields.Boolean()
    needed_on = fields.Date(allow_none=True)
    needed_at = fields.Time(format=TIME_FORMAT, allow_none=True)
    estimated_minutes = fields.Integer(allow_none=True)
    price_minutes = fields.Integer(allow_none=True)
    receives = fields.Enum(RedeemedFor, by_value=True, allow_none=True)
    review_on = fields.Date()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ListingPageOut(PageOut):
    items = fields.List(fields.Nested(ListingOut))

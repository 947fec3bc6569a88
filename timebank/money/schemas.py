"""What the money API reads (``…In``, ``…Args``) and returns (``…Out``). Amounts are whole pence, miles
are tenths of a mile, credits are minutes: always integers, never floats.

Input schemas check shape, type and size (with the service's own limits); the service decides what else
is allowed (dates, which fields go together, who may record for which organisation and member) and names
the field it refuses.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import InputSchema, PageArgs, PageOut, boolean, choice, date, record_id, text, whole_number
from timebank.dates import HAPPENED_IN_BANK
from timebank.ledger.models import MAX_EXCHANGE_MINUTES
from timebank.money.models import (
    MAX_IDEMPOTENCY_KEY,
    MAX_ITEM,
    MAX_NOTE,
    MAX_PENCE,
    ExpenseKind,
    PaymentKind,
)
from timebank.money.service import MAX_MILES_TENTHS, MAX_RATE_PER_MILE_PENCE, MAX_RECEIPTS
from timebank.receipts import RedeemedFor

_KEY = {"description": "Chosen by the client, unique per record: resending the same request returns the first "
                       "result (200) instead of recording it twice."}
EXPENSE_KIND = _l("Choose mileage, travel, meals, care or other.")
PAYMENT_KIND = _l("Choose fee, honorarium, gift, voucher or stipend.")
REDEEMED_FOR = _l("Choose time_based_activity, time_exchange, goods, voucher_fixed_value, gift_card or cash.")


class _PaidIn(InputSchema):
    organisation_id = record_id(required=True, metadata={"description": "The organisation that paid."})
    time_bank_id = record_id(required=True, metadata={"description": "The bank both belong to."})
    person_id = record_id(required=True, metadata={"description": "The member it was paid to."})
    activity_id = record_id(load_default=None, allow_none=True,
                            metadata={"description": "One of the organisation's activities in the bank, if any."})
    paid_on = date(required=True, metadata={"description": HAPPENED_IN_BANK})
    note = text(load_default="", max_length=MAX_NOTE)
    idempotency_key = text(required=True, min_length=1, max_length=MAX_IDEMPOTENCY_KEY, metadata=_KEY)


class ExpenseIn(_PaidIn):
    kind = choice(ExpenseKind, EXPENSE_KIND, required=True)
    amount_paid_pence = whole_number(minimum=1, maximum=MAX_PENCE, required=True,
                                     metadata={"description": "Pence paid to the member."})
    amount_receipted_pence = whole_number(minimum=0, maximum=MAX_PENCE, required=True,
                                          metadata={"description": "Pence the receipts show; may be less than was "
                                                                   "paid."})
    receipts_count = whole_number(minimum=0, maximum=MAX_RECEIPTS, required=True)
    flat_rate = boolean(load_default=False, metadata={"description": "A fixed sum rather than the actual costs."})
    miles_tenths = whole_number(minimum=1, maximum=MAX_MILES_TENTHS, load_default=None, allow_none=True,
                                metadata={"description": "Mileage only, and required for it: 12.5 miles is 125."})
    rate_per_mile_pence = whole_number(minimum=0, maximum=MAX_RATE_PER_MILE_PENCE, load_default=None,
                                       allow_none=True, metadata={"description": "Mileage only, and required for it."})


class PaymentIn(_PaidIn):
    kind = choice(PaymentKind, PAYMENT_KIND, required=True)
    amount_pence = whole_number(minimum=1, maximum=MAX_PENCE, required=True, metadata={"description": "Pence."})


class RedemptionIn(InputSchema):
    partner_id = record_id(required=True, metadata={"description": "The spend partner organisation."})
    time_bank_id = record_id(required=True)
    person_id = record_id(required=True, metadata={"description": "The member who spent the credits."})
    listing_id = record_id(load_default=None, allow_none=True,
                           metadata={"description": "The partner's spend offer taken up, if any."})
    item = text(required=True, max_length=MAX_ITEM, metadata={"description": "What was received, in words."})
    redeemed_for = choice(RedeemedFor, REDEEMED_FOR, load_default=RedeemedFor.TIME_BASED_ACTIVITY)
    credit_minutes = whole_number(minimum=1, maximum=MAX_EXCHANGE_MINUTES, required=True,
                                  metadata={"description": "Credits spent, in minutes."})
    face_value_pence = whole_number(
        minimum=0, maximum=MAX_PENCE, load_default=None, allow_none=True,
        metadata={"description": "Required for voucher_fixed_value, gift_card and cash; optional for goods."})
    occurred_on = date(required=True, metadata={"description": HAPPENED_IN_BANK})
    idempotency_key = text(required=True, min_length=1, max_length=MAX_IDEMPOTENCY_KEY, metadata=_KEY)


class _ListArgs(PageArgs):
    time_bank_id = record_id(strict=False)
    person_id = record_id(strict=False)
    date_from = date(metadata={"description": "On or after this day."})
    date_to = date(metadata={"description": "On or before this day."})

    @ma.validates_schema
    def _dates_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ma.ValidationError(_l("The end date must be on or after the start date"), "date_to")


class ExpenseListArgs(_ListArgs):
    organisation_id = record_id(strict=False)
    kind = choice(ExpenseKind, EXPENSE_KIND)


class PaymentListArgs(_ListArgs):
    organisation_id = record_id(strict=False)
    kind = choice(PaymentKind, PAYMENT_KIND)


class RedemptionListArgs(_ListArgs):
    partner_id = record_id(strict=False)
    redeemed_for = choice(RedeemedFor, REDEEMED_FOR)


class _RecordOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    person_id = fields.Integer()
    person_name = fields.String()
    recorded_by_id = fields.Integer()
    created_at = fields.DateTime()


class _PaidOut(_RecordOut):
    organisation_id = fields.Integer()
    organisation_name = fields.String()
    activity_id = fields.Integer(allow_none=True)
    paid_on = fields.Date()
    note = fields.String()


class ExpenseOut(_PaidOut):
    kind = fields.Enum(ExpenseKind, by_value=True)
    amount_paid_pence = fields.Integer()
    amount_receipted_pence = fields.Integer()
    receipts_count = fields.Integer()
    flat_rate = fields.Boolean()
    miles_tenths = fields.Integer(allow_none=True)
    rate_per_mile_pence = fields.Integer(allow_none=True)
    warnings = fields.List(fields.String(), metadata={
        "description": "What the benefit rules may look at (paid more than receipted, a fixed sum, no receipts)."})


class PaymentOut(_PaidOut):
    kind = fields.Enum(PaymentKind, by_value=True)
    amount_pence = fields.Integer()


class RedemptionOut(_RecordOut):
    partner_id = fields.Integer()
    partner_name = fields.String()
    listing_id = fields.Integer(allow_none=True)
    exchange_id = fields.Integer(metadata={"description": "The confirmed exchange that moved the credits."})
    credit_minutes = fields.Integer()
    redeemed_for = fields.Enum(RedeemedFor, by_value=True)
    item = fields.String()
    face_value_pence = fields.Integer(allow_none=True)
    occurred_on = fields.Date()


class ExpenseTotalsOut(ma.Schema):
    amount_paid_pence = fields.Integer()
    amount_receipted_pence = fields.Integer()


class PaymentTotalsOut(ma.Schema):
    amount_pence = fields.Integer()


class RedemptionTotalsOut(ma.Schema):
    credit_minutes = fields.Integer()
    face_value_pence = fields.Integer()


_TOTALS = {"description": "Sums over every record the filters match, not just this page."}


class ExpensePageOut(PageOut):
    items = fields.List(fields.Nested(ExpenseOut))
    totals = fields.Nested(ExpenseTotalsOut, metadata=_TOTALS)


class PaymentPageOut(PageOut):
    items = fields.List(fields.Nested(PaymentOut))
    totals = fields.Nested(PaymentTotalsOut, metadata=_TOTALS)


class RedemptionPageOut(PageOut):
    items = fields.List(fields.Nested(RedemptionOut))
    totals = fields.Nested(RedemptionTotalsOut, metadata=_TOTALS)

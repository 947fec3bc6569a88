"""What a member may receive for time credits: one list for what a spend offer gives (``listings``) and
what a redemption records (``money``), which the benefit rules (roadmap 2) will read. It lives below both
features so that neither imports the other's models for it."""

from __future__ import annotations

import enum


class RedeemedFor(enum.StrEnum):
    TIME_EXCHANGE = "time_exchange"
    TIME_BASED_ACTIVITY = "time_based_activity"
    GOODS = "goods"
    VOUCHER_FIXED_VALUE = "voucher_fixed_value"
    GIFT_CARD = "gift_card"
    CASH = "cash"

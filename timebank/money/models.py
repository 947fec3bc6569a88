"""Money and value records: expenses, payments and redemptions.

Design note — these are kept apart from the hour ledger on purpose. Time credits stay outside the
benefit and tax systems only while they stay time, so anything with a cash value is recorded here, in
pence, where the benefit rules (roadmap 2) read it:

* An **expense** is a reimbursement an organisation paid a member: amount paid, amount receipted,
  number of receipts, kind (mileage with miles and rate), flat-rate or not.
* A **payment** is any money or gift an organisation gave a member: fee, honorarium, gift, voucher or
  stipend.
* A **redemption** records what a member received for credits they spent with a spend partner. The
  credits themselves move through ``ledger.service`` as an ordinary confirmed exchange, which the
  redemption names (UNIQUE); the redemption adds what was received and its face value. Cash, gift
  cards and vouchers can be recorded because the rules must see them, never because they are offered.

Records are never edited or deleted: what was paid was paid. Amounts are whole pence. Expenses and
payments carry the form's or client's idempotency key (UNIQUE per recorder) and a fingerprint of the
request, like exchanges, so a double submit records once and a reused key with other facts is refused.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.receipts import RedeemedFor
from timebank.types import created_at, intpk, str_enum

MAX_ITEM = 200
MAX_NOTE = 1000
#: £100,000 in pence: far above anything a time bank should record, low enough to catch a typo in pounds.
MAX_PENCE = 10_000_000
MAX_IDEMPOTENCY_KEY = 100


#: What has a face value in pounds; recording one of these needs it.
CASH_LIKE = (RedeemedFor.VOUCHER_FIXED_VALUE, RedeemedFor.GIFT_CARD, RedeemedFor.CASH)


class ExpenseKind(enum.StrEnum):
    MILEAGE = "mileage"
    TRAVEL = "travel"
    MEALS = "meals"
    CARE = "care"
    OTHER = "other"


class PaymentKind(enum.StrEnum):
    FEE = "fee"
    HONORARIUM = "honorarium"
    GIFT = "gift"
    VOUCHER = "voucher"
    STIPEND = "stipend"


class Redemption(Base):
    __tablename__ = "redemptions"
    __table_args__ = (
        sa.UniqueConstraint("exchange_id"),
        sa.CheckConstraint("credit_minutes > 0", name="credits_positive"),
        sa.CheckConstraint(
            f"face_value_pence IS NULL OR face_value_pence BETWEEN 0 AND {MAX_PENCE}", name="face_value_in_range"
        ),
        sa.CheckConstraint(
            "redeemed_for NOT IN ('voucher_fixed_value', 'gift_card', 'cash') OR face_value_pence IS NOT NULL",
            name="cash_like_has_value",
        ),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), index=True)
    #: The member who spent the credits.
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    #: The spend partner who received them.
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    #: The spend offer taken up, if it came from one.
    listing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("listings.id"))
    #: The confirmed exchange that moved the credits (member → partner).
    exchange_id: Mapped[int] = mapped_column(sa.ForeignKey("exchanges.id"))
    credit_minutes: Mapped[int]
    redeemed_for: Mapped[RedeemedFor] = mapped_column(str_enum(RedeemedFor, "redeemed_for"))
    #: What was received, in words ("Swim at Hollinbridge Leisure Centre").
    item: Mapped[str] = mapped_column(sa.String(MAX_ITEM))
    face_value_pence: Mapped[int | None]
    occurred_on: Mapped[dt.date]
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[created_at]


class Expense(Base):
    __tablename__ = "expenses"
    __table_args__ = (
        sa.CheckConstraint(f"amount_paid_pence BETWEEN 0 AND {MAX_PENCE}", name="paid_in_range"),
        sa.CheckConstraint(f"amount_receipted_pence BETWEEN 0 AND {MAX_PENCE}", name="receipted_in_range"),
        sa.CheckConstraint("receipts_count BETWEEN 0 AND 1000", name="receipts_in_range"),
        sa.CheckConstraint(
            "(kind = 'mileage') = (miles_tenths IS NOT NULL AND rate_per_mile_pence IS NOT NULL)",
            name="mileage_has_miles_and_rate",
        ),
        sa.CheckConstraint("miles_tenths IS NULL OR miles_tenths BETWEEN 1 AND 1000000", name="miles_in_range"),
        sa.CheckConstraint(
            "rate_per_mile_pence IS NULL OR rate_per_mile_pence BETWEEN 0 AND 1000", name="rate_in_range"
        ),
        sa.UniqueConstraint("recorded_by_id", "idempotency_key"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), index=True)
    #: The organisation that paid.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    #: The member it was paid to.
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activities.id"), index=True)
    paid_on: Mapped[dt.date]
    kind: Mapped[ExpenseKind] = mapped_column(str_enum(ExpenseKind, "expense_kind"))
    amount_paid_pence: Mapped[int]
    amount_receipted_pence: Mapped[int]
    receipts_count: Mapped[int]
    #: Mileage only: miles in tenths (12.5 miles is 125), and the rate paid per mile in pence.
    miles_tenths: Mapped[int | None]
    rate_per_mile_pence: Mapped[int | None]
    #: A fixed sum rather than actual costs (benefit rule TB-03 reads this).
    flat_rate: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    note: Mapped[str] = mapped_column(sa.String(MAX_NOTE), default="", server_default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    idempotency_key: Mapped[str] = mapped_column(sa.String(MAX_IDEMPOTENCY_KEY))
    request_fingerprint: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[created_at]


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        sa.CheckConstraint(f"amount_pence BETWEEN 1 AND {MAX_PENCE}", name="amount_in_range"),
        sa.UniqueConstraint("recorded_by_id", "idempotency_key"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activities.id"), index=True)
    paid_on: Mapped[dt.date]
    kind: Mapped[PaymentKind] = mapped_column(str_enum(PaymentKind, "payment_kind"))
    amount_pence: Mapped[int]
    note: Mapped[str] = mapped_column(sa.String(MAX_NOTE), default="", server_default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    idempotency_key: Mapped[str] = mapped_column(sa.String(MAX_IDEMPOTENCY_KEY))
    request_fingerprint: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[created_at]

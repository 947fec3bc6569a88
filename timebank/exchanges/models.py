"""Disputes: a member's route to question a confirmed exchange.

Design note: a party (or a broker for them) disputes a confirmed exchange with a reason; the bank's
brokers see it and end it either with a **reversal** (through ``ledger.service``, so the books stay
whole) or with a **note** saying why the exchange stands. One open dispute per exchange (partial UNIQUE
index). Disputes are never deleted; how each ended is on the row and in the audit log.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import UTCDateTime, created_at, intpk, str_enum

MAX_REASON = 1000


class DisputeStatus(enum.StrEnum):
    OPEN = "open"
    #: Ended by reversing the exchange.
    REVERSED = "reversed"
    #: Ended with a note: the exchange stands.
    NOTED = "noted"


class Dispute(Base):
    __tablename__ = "disputes"
    __table_args__ = (
        # The brokers' queue: a bank's open (or closed) disputes oldest first, read along the index a page at a time.
        sa.Index("ix_disputes_bank_status_id", "time_bank_id", "status", "id"),
        sa.Index(
            "ux_disputes_one_open", "exchange_id", unique=True,
            sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"),
        ),
        sa.CheckConstraint("(status = 'reversed') = (reversal_id IS NOT NULL)", name="reversed_iff_reversal"),
        sa.CheckConstraint(
            "(status = 'open') = (resolved_by_id IS NULL AND resolved_at IS NULL)", name="resolved_iff_closed"
        ),
    )

    id: Mapped[intpk]
    exchange_id: Mapped[int] = mapped_column(sa.ForeignKey("exchanges.id"), index=True)
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), index=True)
    #: Who raised it: a party, or a broker for a member who is not online.
    raised_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    #: The side it was raised for.
    raised_for_account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"))
    reason: Mapped[str] = mapped_column(sa.String(MAX_REASON))
    status: Mapped[DisputeStatus] = mapped_column(str_enum(DisputeStatus, "dispute_status"), default=DisputeStatus.OPEN)
    resolution_note: Mapped[str] = mapped_column(sa.String(MAX_REASON), default="", server_default="")
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    reversal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exchanges.id"))
    created_at: Mapped[created_at]

"""Time banks.

Design note: one install hosts several time banks, each run by an intermediary agency. A bank owns its
ledger (accounts, exchanges, chain head), its default balance limits, and its staff roles. A bank is
never deleted: its books must stay verifiable.

``opened_on`` is the day the bank's books open: nothing that happened in the bank (an exchange, an
expense, a referee's reply) is dated earlier (``timebank.dates``). It starts as the day the bank is made;
its brokers may move it earlier for a bank that ran on paper before, never later than the earliest
record already in its books and never before 1980 (``dates.opening_days``).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import created_at, intpk

#: How many vouches a bank may ask for, and how many months it may count a DBS certificate for.
MIN_VOUCHES, MAX_VOUCHES = 1, 20
MIN_DBS_RENEWAL_MONTHS, MAX_DBS_RENEWAL_MONTHS = 6, 120


class TimeBank(Base):
    __tablename__ = "time_banks"
    __table_args__ = (
        sa.CheckConstraint(f"vouches_needed BETWEEN {MIN_VOUCHES} AND {MAX_VOUCHES}", name="vouches_needed_range"),
        sa.CheckConstraint(f"dbs_renewal_months BETWEEN {MIN_DBS_RENEWAL_MONTHS} AND {MAX_DBS_RENEWAL_MONTHS}",
                           name="dbs_renewal_months_range"),
    )

    id: Mapped[intpk]
    #: Short, URL-safe and unique, e.g. ``hollinbridge``.
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: The intermediary agency that runs the bank.
    agency_name: Mapped[str] = mapped_column(sa.String(200))
    #: Community vouching: approved members vouch for an applicant, and ``vouches_needed`` vouches send
    #: the application to a broker for sign-off.
    vouching_enabled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    vouches_needed: Mapped[int] = mapped_column(default=3, server_default="3")
    #: How long a DBS certificate counts as current in this bank, from its date of issue. (A check on
    #: the DBS update service is current for a year from the last status check instead.)
    dbs_renewal_months: Mapped[int] = mapped_column(default=36, server_default="36")
    #: When someone without the clearance a role needs comes to a session anyway, the organiser may
    #: record that they came, with no credits. Off: such a person cannot be marked as having come.
    attendance_without_clearance: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The day the bank's books open: the earliest day anything that happened in it may be dated.
    opened_on: Mapped[dt.date]
    created_at: Mapped[created_at]

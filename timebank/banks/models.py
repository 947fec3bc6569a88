"""Time banks.

Design note: one install hosts several time banks, each run by an intermediary agency. A bank owns its
ledger (accounts, exchanges, chain head), its default balance limits, and its staff roles. A bank is
never deleted: its books must stay verifiable.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import created_at, intpk


class TimeBank(Base):
    __tablename__ = "time_banks"

    id: Mapped[intpk]
    #: Short, URL-safe and unique, e.g. ``hollinbridge``.
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: The intermediary agency that runs the bank.
    agency_name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[created_at]

"""Safeguarding records: DBS checks and broker-only notes. Broker-only, always.

Design note:

* A DBS check belongs to the person (a certificate is theirs, whichever bank saw it); the bank that
  recorded it is kept. Checks are added, never edited: a renewal is a new row, so the history of who
  was cleared when stays visible.
* **Clearances are derived, never typed in** (``safeguarding.clearances``): from the checks, their
  expiry and the person's references. Nothing stores "cleared for children".
* Notes are appended by brokers and never edited; only brokers of the note's bank read them. They are
  not shown to the member, to organisations or to funders, and are kept when a member leaves.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import created_at, intpk, str_enum

MAX_NOTE = 4000


class DbsLevel(enum.StrEnum):
    NONE = "none"
    BASIC = "basic"
    STANDARD = "standard"
    ENHANCED = "enhanced"
    ENHANCED_BARRED = "enhanced_barred"


#: Levels in increasing order of what they disclose.
DBS_ORDER = tuple(DbsLevel)


class Workforce(enum.StrEnum):
    """Which barred lists an enhanced check covered (the DBS "workforce")."""

    CHILDREN = "children"
    ADULTS = "adults"
    BOTH = "both"


class DbsCheck(Base):
    __tablename__ = "dbs_checks"
    __table_args__ = (
        sa.CheckConstraint(
            "(level = 'enhanced_barred') = (workforce IS NOT NULL)", name="workforce_iff_barred_lists"
        ),
        sa.CheckConstraint(
            "status_checked_on IS NULL OR update_service", name="status_check_needs_update_service"
        ),
    )

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    #: The bank whose broker saw the certificate.
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    level: Mapped[DbsLevel] = mapped_column(str_enum(DbsLevel, "dbs_level"))
    workforce: Mapped[Workforce | None] = mapped_column(str_enum(Workforce, "dbs_workforce"))
    #: The 12-digit certificate number, so the update service can be checked. Wiped if the person leaves.
    certificate_number: Mapped[str | None] = mapped_column(sa.String(12))
    #: Indexed, like ``status_checked_on``: the checks ending soon are found by their dates.
    issued_on: Mapped[dt.date] = mapped_column(index=True)
    #: The person subscribes to the DBS update service, so the broker can check the status online.
    update_service: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: When the broker last checked the status on the update service.
    status_checked_on: Mapped[dt.date | None] = mapped_column(index=True)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[created_at]


class SafeguardingNote(Base):
    __tablename__ = "safeguarding_notes"

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[created_at]

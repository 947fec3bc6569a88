"""Participants' voice (co-evaluation, issue 14): after a session or an exchange, the people who took part
may answer a few optional questions.

Design note:

* An **answer** is about exactly one thing: an activity session the person signed up to (and came to), or
  a confirmed exchange they were a side of (CHECK: exactly one of ``session_id`` and ``exchange_id``). One
  answer per person per thing (UNIQUE); answering again changes it (answers are opinions, not books).
* Every question is optional: **how it went** on a five-point scale (1 very poorly … 5 very well),
  **would you do it again** (yes, no, not sure), and a **free comment**. The comment is for the bank's
  brokers and the organisation that ran the session, never shown to funders nor in any report or export
  of the report: reports show only suppressed aggregates of the first two.
* It comes in on the page, through a signed link in the confirmation email (``channel = email``), or on
  paper through a broker who types it in (``channel = paper``, ``recorded_by`` the broker).
* ``time_bank_id`` and ``organisation_id`` (the activity's organisation for a session; for an exchange,
  the organisation the ledger attributes it to, if any) are copied at answering so a report filters along
  an index without joining back to the thing.
* When a person leaves, their answers stay in the counts but lose the person and the comment.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import UTCDateTime, created_at, intpk, str_enum

MAX_COMMENT = 2000


class Again(enum.StrEnum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


class Channel(enum.StrEnum):
    PAGE = "page"
    EMAIL = "email"
    PAPER = "paper"


class FeedbackAnswer(Base):
    __tablename__ = "feedback_answers"
    __table_args__ = (
        sa.CheckConstraint("(session_id IS NULL) <> (exchange_id IS NULL)", name="feedback_one_thing"),
        sa.CheckConstraint("how_it_went IS NULL OR how_it_went BETWEEN 1 AND 5", name="feedback_scale"),
        sa.UniqueConstraint("person_id", "session_id"),
        sa.UniqueConstraint("person_id", "exchange_id"),
        sa.Index("ix_feedback_answers_bank_on", "time_bank_id", "answered_on"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activities.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activity_sessions.id"), index=True)
    exchange_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exchanges.id"), index=True)
    #: NULL once the person has left: the answer still counts, it no longer says whose it was.
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    how_it_went: Mapped[int | None] = mapped_column(sa.SmallInteger)
    again: Mapped[Again | None] = mapped_column(str_enum(Again, "feedback_again"))
    comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "feedback_channel"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    #: The UK day of the thing answered about (the session's day, the exchange's date): reports group by it.
    answered_on: Mapped[dt.date]
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=sa.func.now())

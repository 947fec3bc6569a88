"""Notices: reminders and news a member sees when they sign in (and, with roadmap 1, by email).

Design note: a notice names its kind and subject, not its words, so it is shown in the reader's
language at the time they read it. ``key`` makes sending idempotent — the daily ``flask notices send``
can run any number of times and each reminder is made once (UNIQUE per person and key).
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import UTCDateTime, created_at, intpk, str_enum


class NoticeKind(enum.StrEnum):
    #: An exchange waits for this person (or someone they act for) to confirm it.
    EXCHANGE_PENDING = "exchange_pending"
    #: A listing's review date is near.
    LISTING_REVIEW = "listing_review"
    #: A place came free and the waiting list moved them onto a session.
    SESSION_PLACE = "session_place"
    #: The organiser cancelled a session they had a place on (subject: their sign-up).
    SESSION_CANCELLED = "session_cancelled"
    #: A place came free but the waiting list passed them over: the role needs a clearance their record
    #: will not show on the session's date (subject: their sign-up, still waiting).
    PLACE_NEEDS_CLEARANCE = "place_needs_clearance"
    #: Someone dropped a session with less notice than the role asks (to the organisers; subject: the sign-up).
    SIGN_UP_CANCELLED_LATE = "sign_up_cancelled_late"
    #: A dispute was raised in a bank this broker looks after.
    DISPUTE_RAISED = "dispute_raised"
    #: A dispute this person raised has been dealt with.
    DISPUTE_RESOLVED = "dispute_resolved"
    #: A member of a bank this broker looks after asked for a new password (subject: the person).
    PASSWORD_HELP = "password_help"
    #: A broker introduced this person (or their organisation) to a request or role (subject: the introduction).
    INTRODUCTION_MADE = "introduction_made"
    #: One side answered an introduction this person made or is part of (subject: the introduction).
    INTRODUCTION_ANSWERED = "introduction_answered"
    #: This person's DBS check stops counting soon, or just has (subject: the check).
    DBS_EXPIRING = "dbs_expiring"
    #: The organiser moved a session they have a place on to another time or place (subject: their sign-up).
    SESSION_CHANGED = "session_changed"
    #: The other side confirmed an exchange this person recorded: how did it go? (subject: the exchange).
    EXCHANGE_CONFIRMED = "exchange_confirmed"
    #: The organiser marked that this person came to a session: how did it go? (subject: the session).
    SESSION_ATTENDED = "session_attended"


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "key"),
        sa.Index("ix_notices_person_unread", "person_id", "read_at"),
    )

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind, "notice_kind"))
    #: The id of the exchange, listing, sign-up, dispute or person it is about.
    subject_id: Mapped[int]
    key: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[created_at]
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

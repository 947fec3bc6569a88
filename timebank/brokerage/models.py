"""Brokerage: what a broker does between people, kept so it can be seen, answered and counted.

Design note:

* An **introduction** puts one candidate (a resident) in front of one thing: a request (a listing of kind
  request) or a role of an activity, optionally one session of it. Exactly one of ``listing_id`` and
  ``role_id`` is set (CHECK). Both sides answer: the candidate, and the other side (the requester, or one
  of the organisation's admins): each answer is ``accepted`` or ``declined`` with an optional reason, by
  whom and whether a broker answered for them (``*_on_behalf``). The state follows the answers:
  ``proposed`` until both accept (``accepted``, then the exchange or sign-up it led to is named) or one
  declines (``declined``); ``expired`` when nobody answered by ``expires_on``; ``withdrawn`` by a
  broker. Never deleted; a live one (proposed or accepted) is unique per candidate and thing (partial
  UNIQUE), so a broker cannot introduce the same person twice while the first is open.
* Whether someone may be put in front of others is decided by ``safeguarding.service.require_clearance``
  **as of the date of the thing** (the session's UK date, the request's ``needed_on``, or today when
  the thing has no date), when the introduction is made and again when it is accepted.
* **Broker notes** are dated, broker-only, appended, never edited; the page warns not to record health or
  benefit details. **Messages** run between a member and their bank's brokers: a member writes, a broker
  replies (``author_is_broker``); both are the member's to read and in their data export.
* **Match weights** are a bank's own settings for ranking candidates (``brokerage.matching``); a bank
  without a row uses the documented defaults (``DEFAULT_WEIGHTS``). Benefit-safe flags are never read
  by matching.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import UTCDateTime, created_at, intpk, str_enum

#: The longest note, message or answer reason, in characters.
MAX_NOTE = 4000
MAX_MESSAGE = 4000
MAX_REASON = 500
#: Days an introduction waits for its answers before it expires, unless the broker chose otherwise.
DEFAULT_EXPIRY_DAYS = 14


class IntroductionState(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


#: The states in which an introduction is still live (one per candidate and thing).
LIVE_STATES = (IntroductionState.PROPOSED, IntroductionState.ACCEPTED)


class Answer(enum.StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Introduction(Base):
    __tablename__ = "introductions"
    __table_args__ = (
        sa.CheckConstraint("(listing_id IS NULL) <> (role_id IS NULL)", name="one_thing"),
        sa.CheckConstraint("session_id IS NULL OR role_id IS NOT NULL", name="session_of_role"),
        sa.CheckConstraint("(candidate_answer IS NULL) = (candidate_answered_at IS NULL)",
                           name="candidate_answer_dated"),
        sa.CheckConstraint("(other_answer IS NULL) = (other_answered_at IS NULL)", name="other_answer_dated"),
        sa.CheckConstraint("exchange_id IS NULL OR listing_id IS NOT NULL", name="exchange_for_request"),
        sa.CheckConstraint("sign_up_id IS NULL OR role_id IS NOT NULL", name="sign_up_for_role"),
        # One live introduction per candidate and thing.
        sa.Index("uq_introductions_live_listing", "candidate_id", "listing_id", unique=True,
                 postgresql_where=sa.text("state IN ('proposed', 'accepted') AND listing_id IS NOT NULL"),
                 sqlite_where=sa.text("state IN ('proposed', 'accepted') AND listing_id IS NOT NULL")),
        sa.Index("uq_introductions_live_role", "candidate_id", "role_id", unique=True,
                 postgresql_where=sa.text("state IN ('proposed', 'accepted') AND role_id IS NOT NULL"),
                 sqlite_where=sa.text("state IN ('proposed', 'accepted') AND role_id IS NOT NULL")),
        # The broker dashboard's "awaiting an answer", oldest first, and the expiry job.
        sa.Index("ix_introductions_bank_state", "time_bank_id", "state", "created_at", "id"),
        # "Time since last asked" and "already declined this" for a candidate.
        sa.Index("ix_introductions_candidate", "candidate_id", "created_at"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    candidate_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    #: A request (a listing of kind request) …
    listing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("listings.id"), index=True)
    #: … or a role, perhaps one session of it.
    role_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roles.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activity_sessions.id"))
    state: Mapped[IntroductionState] = mapped_column(
        str_enum(IntroductionState, "introduction_state"), default=IntroductionState.PROPOSED)
    #: What the broker said to both when introducing them (optional).
    message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    introduced_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[created_at]
    #: The UK day after which an unanswered introduction expires.
    expires_on: Mapped[dt.date]
    candidate_answer: Mapped[Answer | None] = mapped_column(str_enum(Answer, "candidate_answer"))
    candidate_reason: Mapped[str] = mapped_column(sa.String(MAX_REASON), default="", server_default="")
    candidate_answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    candidate_answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    #: A broker answered for the candidate (who is not online).
    candidate_on_behalf: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The requester's answer, or the organisation's (one of its admins').
    other_answer: Mapped[Answer | None] = mapped_column(str_enum(Answer, "other_answer"))
    other_reason: Mapped[str] = mapped_column(sa.String(MAX_REASON), default="", server_default="")
    other_answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    other_answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    other_on_behalf: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: When it left ``proposed``/``accepted`` (declined, expired, withdrawn) or was accepted by both.
    settled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: What an accepted introduction led to: the pending exchange (a request) or the sign-up (a role).
    exchange_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exchanges.id"), unique=True)
    sign_up_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sign_ups.id"), unique=True)


class BrokerNote(Base):
    """A broker's dated contact note about a member. Broker-only; never edited."""

    __tablename__ = "broker_notes"
    __table_args__ = (sa.Index("ix_broker_notes_person", "person_id", "time_bank_id", "created_at"),)

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    #: The day of the contact (a phone call last Tuesday), which may be before the note was written.
    contacted_on: Mapped[dt.date]
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[created_at]


class Message(Base):
    """One message in the conversation between a member and their bank's brokers."""

    __tablename__ = "broker_messages"
    __table_args__ = (
        sa.Index("ix_broker_messages_person", "person_id", "time_bank_id", "id"),
        # Brokers' "messages waiting for a reply" per bank.
        sa.Index("ix_broker_messages_bank", "time_bank_id", "answered_at", "id"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    #: The member the conversation is with.
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    #: Written by a broker (a reply), not by the member.
    author_is_broker: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[created_at]
    #: A member's message: when a broker replied (NULL: waiting).
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: The member read a broker's reply.
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


#: The components of a candidate's score, each weighted per bank (0 turns a component off).
WEIGHT_NAMES = ("abilities", "languages", "availability", "travel", "recent_load", "reciprocity",
                "last_asked", "declined")
#: The defaults, documented in docs/matching.md: abilities count most; a decline of this very thing
#: weighs heavily against asking again.
DEFAULT_WEIGHTS = {"abilities": 40, "languages": 10, "availability": 15, "travel": 15, "recent_load": 10,
                   "reciprocity": 5, "last_asked": 5, "declined": 30}
MAX_WEIGHT = 100


class MatchWeights(Base):
    """A bank's weights for ranking candidates (whole numbers 0–100)."""

    __tablename__ = "match_weights"
    __table_args__ = tuple(sa.CheckConstraint(f"{name} BETWEEN 0 AND {MAX_WEIGHT}", name=f"{name}_in_range")
                           for name in WEIGHT_NAMES)

    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), primary_key=True)
    abilities: Mapped[int] = mapped_column(default=DEFAULT_WEIGHTS["abilities"])
    languages: Mapped[int] = mapped_column(default=DEFAULT_WEIGHTS["languages"])
    availability: Mapped[int] = mapped_column(default=DEFAULT_WEIGHTS["availability"])
    travel: Mapped[int] = mapped_column(default=DEFAULT_WEIGHTS["travel"])
    recent_load: Mapped[int] = mapped_column(default=DEFAULT_WEIGHTS["recent_load"])
    reciprocity: Mapped[int] = mapped_column(default=DEFAULT_WEIGHTS["reciprocity"])
    last_asked: Mapped[int] = mapped_column(default=DEFAULT_WEIGHTS["last_asked"])
    declined: Mapped[int] = mapped_column(default=DEFAULT_WEIGHTS["declined"])
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, server_default=sa.func.now())

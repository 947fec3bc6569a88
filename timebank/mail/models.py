"""Email: what is sent to whom, and what each person wants to be sent.

Design note: an ``outbound_emails`` row is made when a notice (or a password link) is to reach someone
by email, in the same transaction as the notice; a background job sends it. The row holds no words:
the email is written when it is sent, in the reader's language, from the notice as it is then (the
same words the notices page shows). Only the **outbox** transport (no SMTP configured, a developer's
machine) keeps what was rendered, for a developer to read. ``last_error`` is an error's class or an
SMTP reply code, never a message's body. A person with no address, or who asked to be contacted
through their broker, gets a ``for_broker`` row instead, which the broker's dashboard lists until
they mark it passed on.

``email_preferences`` holds only the kinds a person turned off or back on: a kind with no row is wanted.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.members.models import MAX_EMAIL
from timebank.types import UTCDateTime, created_at, intpk, str_enum

#: The longest error kind kept (a class's dotted name or ``smtp 451``).
MAX_ERROR = 200
#: A language code, as ``people.preferred_language`` holds it.
MAX_LANGUAGE = 8
#: The longest subject line kept in the outbox.
MAX_SUBJECT = 300


class EmailKind(enum.StrEnum):
    """What an email is about. Every kind of notice is one (the same value, checked by a test: mail sits
    below notices and imports nothing of it), and so is each kind of password link."""

    EXCHANGE_PENDING = "exchange_pending"
    LISTING_REVIEW = "listing_review"
    SESSION_PLACE = "session_place"
    SESSION_CANCELLED = "session_cancelled"
    SESSION_CHANGED = "session_changed"
    PLACE_NEEDS_CLEARANCE = "place_needs_clearance"
    SIGN_UP_CANCELLED_LATE = "sign_up_cancelled_late"
    DISPUTE_RAISED = "dispute_raised"
    DISPUTE_RESOLVED = "dispute_resolved"
    PASSWORD_HELP = "password_help"
    INTRODUCTION_MADE = "introduction_made"
    INTRODUCTION_ANSWERED = "introduction_answered"
    DBS_EXPIRING = "dbs_expiring"
    EXCHANGE_CONFIRMED = "exchange_confirmed"
    SESSION_ATTENDED = "session_attended"
    #: A link to choose a first password (subject: the person).
    PASSWORD_SET_UP = "password_set_up"
    #: A link to choose a new password (subject: the person).
    PASSWORD_RESET = "password_reset"


class EmailStatus(enum.StrEnum):
    #: Waiting for the job that sends it (or for its next attempt).
    QUEUED = "queued"
    #: Handed to the SMTP server, or kept in the outbox.
    SENT = "sent"
    #: Every attempt failed; ``last_error`` says how.
    FAILED = "failed"
    #: Not sent: the person has no address or asked to be contacted through their broker.
    FOR_BROKER = "for_broker"
    #: A broker passed a ``for_broker`` one on (``passed_on_by``, ``passed_on_at``).
    PASSED_ON = "passed_on"


class OutboundEmail(Base):
    __tablename__ = "outbound_emails"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_outbound_emails_person", "person_id", "id"),
        sa.Index("ix_outbound_emails_bank_status", "time_bank_id", "status", "id"),
        sa.Index("ix_outbound_emails_status", "status", "id"),
    )

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    #: The bank the notice is about, if any: whose brokers pass a ``for_broker`` email on.
    time_bank_id: Mapped[int | None] = mapped_column(sa.ForeignKey("time_banks.id"))
    kind: Mapped[EmailKind] = mapped_column(str_enum(EmailKind, "email_kind"))
    #: The id of what the notice is about (as ``notices.subject_id``); the person, for a password link.
    subject_id: Mapped[int | None]
    notice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("notices.id"))
    #: The language it is (to be) written in: the person's when it was queued.
    language: Mapped[str] = mapped_column(sa.String(MAX_LANGUAGE))
    #: Where it goes; ``None`` when the person has none (``for_broker``) or has left.
    to_address: Mapped[str | None] = mapped_column(sa.String(MAX_EMAIL))
    status: Mapped[EmailStatus] = mapped_column(str_enum(EmailStatus, "email_status"))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[created_at]
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: The kind of the last failure: an error class or ``smtp <code>``; never words that could name anyone.
    last_error: Mapped[str | None] = mapped_column(sa.String(MAX_ERROR))
    passed_on_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    passed_on_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: What was rendered, kept only by the outbox transport (no SMTP configured) for a developer to read.
    subject_line: Mapped[str | None] = mapped_column(sa.String(MAX_SUBJECT))
    text_body: Mapped[str | None] = mapped_column(sa.Text())
    html_body: Mapped[str | None] = mapped_column(sa.Text())


class EmailPreference(Base):
    """A person's choice for one kind; a kind with no row is wanted."""

    __tablename__ = "email_preferences"

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), primary_key=True)
    kind: Mapped[EmailKind] = mapped_column(str_enum(EmailKind, "email_kind"), primary_key=True)
    wanted: Mapped[bool]
    updated_at: Mapped[created_at]

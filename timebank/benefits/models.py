"""Benefit-safe monitoring: consent, the benefit profile, flags and who looked at them.

Design note — this is special category data (benefit status reveals health and disability, a carer's
benefit another person's), so:

* **Consent first.** A ``BenefitConsent`` row says who agreed (the member, or a broker for a member who is
  not online: ``on_behalf``), to which wording (``wording_version``) and when. At most one stands per
  person (partial UNIQUE index). Withdrawing sets ``withdrawn_at`` and deletes the profile and the flags
  at once: only the fact and date of consent and withdrawal stay. Without a standing consent no profile
  is kept and no flag is raised.
* **Minimal and encrypted.** ``BenefitProfile`` holds only what the rules read (``facts.Profile``), each
  field a Fernet token (``crypto.Encrypted``); so do a flag's evidence and a broker's notes. What stays
  in clear is what the queues filter and count by: rule, severity, state, dates.
* **Flags inform; they never act.** A ``BenefitFlag`` is what one rule found about one member for one
  piece of evidence (``rule_id`` + ``key``, UNIQUE per person): found again, it is updated in place, with
  the previous evidence kept in its history (``BenefitFlagEvent``); when its evidence goes (an exchange
  reversed) it resolves itself with a note. Nothing here blocks, changes a balance or tells anyone
  outside the time bank.
* **Every read and change is logged** (``BenefitAccess``): who (NULL: the rules engine), whose, what, why.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.benefits.crypto import Encrypted
from timebank.benefits.facts import Severity
from timebank.db import Base
from timebank.types import UTCDateTime, created_at, intpk, str_enum, utcnow

MAX_NOTE = 1000


class FlagState(enum.StrEnum):
    OPEN = "open"
    #: A broker has seen it and is dealing with it.
    ACKNOWLEDGED = "acknowledged"
    #: Put aside until ``snoozed_until``; open again from that day.
    SNOOZED = "snoozed"
    RESOLVED = "resolved"


class Resolution(enum.StrEnum):
    """Why a flag was closed: a broker's reason, or the engine's when its evidence went."""

    TOLD_DWP = "told_dwp"  # the member has told DWP or the council
    RECEIPTS_SEEN = "receipts_seen"
    NOT_APPLICABLE = "not_applicable"
    REFERRED_TO_ADVICE = "referred_to_advice"
    EVIDENCE_GONE = "evidence_gone"  # by the engine: what it rested on no longer shows it


#: The reasons a broker may give.
BROKER_RESOLUTIONS = tuple(r for r in Resolution if r is not Resolution.EVIDENCE_GONE)


class FlagAction(enum.StrEnum):
    RAISED = "raised"
    UPDATED = "updated"
    REOPENED = "reopened"
    ACKNOWLEDGED = "acknowledged"
    SNOOZED = "snoozed"
    RESOLVED = "resolved"


class Subject(enum.StrEnum):
    """What of a member's benefit data was read or changed."""

    CONSENT = "consent"
    PROFILE = "profile"
    FLAG = "flag"
    SUMMARY = "summary"


class AccessKind(enum.StrEnum):
    READ = "read"
    CHANGE = "change"


class BenefitConsent(Base):
    __tablename__ = "benefit_consents"
    __table_args__ = (
        sa.Index("uq_benefit_consents_standing", "person_id", unique=True,
                 sqlite_where=sa.text("withdrawn_at IS NULL"), postgresql_where=sa.text("withdrawn_at IS NULL")),
        sa.CheckConstraint("withdrawn_at IS NULL OR withdrawn_at >= given_at", name="withdrawn_after_given"),
    )

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    #: The version of the wording agreed to (``consent.WORDING_VERSION``).
    wording_version: Mapped[str] = mapped_column(sa.String(20))
    given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    given_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    #: A broker recorded it for a member who is not online (having read them the wording).
    on_behalf: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))


class BenefitProfile(Base):
    """Only the fields the rules read; each encrypted. Kept only while consent stands."""

    __tablename__ = "benefit_profiles"

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), primary_key=True)
    #: ``facts.Benefit`` values.
    benefits: Mapped[Any] = mapped_column(Encrypted())
    jurisdiction: Mapped[Any] = mapped_column(Encrypted())
    uc_work_group: Mapped[Any | None] = mapped_column(Encrypted())
    uc_expected_hours: Mapped[Any | None] = mapped_column(Encrypted())
    agreed_voluntary_hours: Mapped[Any | None] = mapped_column(Encrypted())
    couple: Mapped[Any] = mapped_column(Encrypted())
    #: ISO date.
    last_told_on: Mapped[Any | None] = mapped_column(Encrypted())
    benefit_week_starts: Mapped[Any] = mapped_column(Encrypted())
    uc_assessment_day: Mapped[Any | None] = mapped_column(Encrypted())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))


class BenefitFlag(Base):
    __tablename__ = "benefit_flags"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "rule_id", "key"),
        # A bank's review queue, newest first, by state (and the dashboard's counts).
        sa.Index("ix_benefit_flags_queue", "time_bank_id", "state", "id"),
        # The retention job: resolved flags by when.
        sa.Index("ix_benefit_flags_resolved", "state", "resolved_at"),
        sa.CheckConstraint("window_end >= window_start", name="window_in_order"),
    )

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    #: The bank of the latest record behind it: its brokers review it.
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    rule_id: Mapped[str] = mapped_column(sa.String(8))
    #: What evidence it is about, e.g. ``payment:12``, ``week:2026-04-06``, ``role:7``.
    key: Mapped[str] = mapped_column(sa.String(100))
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "benefit_severity"))
    state: Mapped[FlagState] = mapped_column(str_enum(FlagState, "benefit_flag_state"), default=FlagState.OPEN)
    window_start: Mapped[dt.date]
    window_end: Mapped[dt.date]
    #: The finding: references, computed figures, thresholds and message parameters (``engine.evidence_of``).
    evidence: Mapped[Any] = mapped_column(Encrypted())
    raised_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    snoozed_until: Mapped[dt.date | None]
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[Resolution | None] = mapped_column(str_enum(Resolution, "benefit_resolution"))
    resolution_note: Mapped[Any | None] = mapped_column(Encrypted())
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))


class BenefitFlagEvent(Base):
    """A flag's history: append-only while the flag exists; deleted with it."""

    __tablename__ = "benefit_flag_events"

    id: Mapped[intpk]
    flag_id: Mapped[int] = mapped_column(sa.ForeignKey("benefit_flags.id", ondelete="CASCADE"), index=True)
    at: Mapped[created_at]
    #: NULL: the rules engine.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    action: Mapped[FlagAction] = mapped_column(str_enum(FlagAction, "benefit_flag_action"))
    note: Mapped[Any | None] = mapped_column(Encrypted())
    #: On an update, the evidence it had before.
    previous: Mapped[Any | None] = mapped_column(Encrypted())


class BenefitAccess(Base):
    """Who read or changed whose benefit data, when and why."""

    __tablename__ = "benefit_access_log"
    __table_args__ = (sa.Index("ix_benefit_access_log_person", "person_id", "id"),)

    id: Mapped[intpk]
    at: Mapped[created_at]
    #: NULL: the rules engine.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    subject: Mapped[Subject] = mapped_column(str_enum(Subject, "benefit_subject"))
    kind: Mapped[AccessKind] = mapped_column(str_enum(AccessKind, "benefit_access_kind"))
    #: Why, as a short code (``own_view``, ``broker_review``, ``rules_run``, ``summary``, …).
    reason: Mapped[str] = mapped_column(sa.String(40))
    flag_id: Mapped[int | None]

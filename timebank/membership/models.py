"""Joining a time bank: applications, references and community vouches.

Design note:

* Anyone joins a bank by application: a person for themselves, an organisation admin for their
  organisation, or a broker for someone who is not online. The applicant is a holder; who filled it in
  is recorded separately.
* An application moves submitted → in review → (vouched, where the bank uses community vouching) →
  approved or declined, or is withdrawn by the applicant. Approval opens the holder's account in the
  bank through ``ledger.service``. Who decided and when are on the row; every step is in the audit log.
* **One open application per holder per bank**: a partial UNIQUE index, so a double-submitted form
  cannot make two.
* References and vouches belong to an application. A vouch is a member of the bank saying "I know this
  person"; nobody vouches for themselves (a CHECK would need a join, so the service refuses it) and
  nobody vouches twice (UNIQUE).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from timebank.db import Base
from timebank.types import UTCDateTime, created_at, intpk, str_enum, utcnow

MAX_STATEMENT = 2000
MAX_DECISION_NOTE = 1000
#: References an application can list; clearances need two satisfactory ones.
MAX_REFERENCES = 4
#: A referee's name, how to reach them, and how they know the applicant.
MAX_REFEREE_NAME = 200
MAX_REFEREE_CONTACT = 254
MAX_KNOWN_HOW = 200
REFERENCES_NEEDED = 2


@dataclass(frozen=True)
class MissingCheck:
    """A check not done yet: for an application, what its approval would go ahead without
    (``service.missing_checks``); for a clearance, what it still needs (``safeguarding.clearances``)."""

    #: Stable, for the audit log and the API: ``interview``, ``references`` or ``dbs-check``.
    code: str
    #: In words, as it reads after "still needed:" (lower case, no full stop).
    words: Any

    def __str__(self) -> str:
        return str(self.words)


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    #: Enough community vouches: waiting for a broker to sign it off.
    VOUCHED = "vouched"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.VOUCHED)
DECIDED_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED)


class ReferenceOutcome(enum.StrEnum):
    AWAITED = "awaited"
    SATISFACTORY = "satisfactory"
    UNSATISFACTORY = "unsatisfactory"
    #: The referee could not be reached or did not reply.
    NO_REPLY = "no_reply"


_OPEN_SQL = "status IN ('submitted', 'in_review', 'vouched')"
_DECIDED_SQL = "status IN ('approved', 'declined')"


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        sa.Index(
            "ux_applications_one_open", "holder_id", "time_bank_id", unique=True,
            sqlite_where=sa.text(_OPEN_SQL), postgresql_where=sa.text(_OPEN_SQL),
        ),
        sa.CheckConstraint(
            f"({_DECIDED_SQL}) = (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name="decided_iff_decision",
        ),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), index=True)
    #: The person or organisation applying.
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("holders.id"), index=True)
    #: Who filled it in: the applicant, their organisation's admin, or a broker for someone offline.
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    status: Mapped[ApplicationStatus] = mapped_column(
        str_enum(ApplicationStatus, "application_status"), default=ApplicationStatus.SUBMITTED
    )
    #: "What would you like to do in the time bank?" in the applicant's words.
    statement: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    interview_on: Mapped[dt.date | None]
    interviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: Why it was declined, or anything the broker wants on record about the approval.
    decision_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=sa.func.now()
    )

    references: Mapped[list[Reference]] = relationship(back_populates="application", order_by="Reference.id")
    vouches: Mapped[list[Vouch]] = relationship(back_populates="application", order_by="Vouch.id")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Reference(Base):
    """Someone who knows the applicant, named by the applicant; the broker records what they said."""

    __tablename__ = "references"

    id: Mapped[intpk]
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    referee_name: Mapped[str] = mapped_column(sa.String(MAX_REFEREE_NAME))
    #: An email address or phone number. Wiped, with the name, if the applicant leaves.
    referee_contact: Mapped[str] = mapped_column(sa.String(MAX_REFEREE_CONTACT))
    #: How the referee knows the applicant, e.g. "neighbour for 10 years".
    known_how: Mapped[str] = mapped_column(sa.String(MAX_KNOWN_HOW), default="", server_default="")
    outcome: Mapped[ReferenceOutcome] = mapped_column(
        str_enum(ReferenceOutcome, "reference_outcome"), default=ReferenceOutcome.AWAITED
    )
    outcome_on: Mapped[dt.date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[created_at]

    application: Mapped[Application] = relationship(back_populates="references")


class Vouch(Base):
    __tablename__ = "vouches"
    __table_args__ = (sa.UniqueConstraint("application_id", "voucher_id"),)

    id: Mapped[intpk]
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id"), index=True)
    voucher_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[created_at]

    application: Mapped[Application] = relationship(back_populates="vouches")

"""The audit log: who did what, to what, when, for everything that is not already a ledger event.

Design note: rows are appended, never changed (database triggers refuse UPDATE and DELETE). The
ledger keeps its own history in ``exchange_events``; this log covers sign-ins, tokens, approvals,
role changes and data access, so that every sensitive action can be traced to a person.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import created_at, intpk


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_subject", "subject_type", "subject_id"),
        # A bank's recent activity, newest first (the broker's dashboard).
        sa.Index("ix_audit_events_bank_id", "time_bank_id", "id"),
    )

    id: Mapped[intpk]
    at: Mapped[created_at]
    #: ``None`` for the system itself (a CLI load, a scheduled job).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    #: A dotted verb, e.g. ``auth.sign_in``, ``auth.token_issued``.
    action: Mapped[str] = mapped_column(sa.String(80))
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    time_bank_id: Mapped[int | None] = mapped_column(sa.ForeignKey("time_banks.id"))
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

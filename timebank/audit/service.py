"""Writing to the audit log. Only flushes; the caller's unit of work commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from timebank.audit.models import AuditEvent


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    subject_type: str,
    subject_id: int | None = None,
    time_bank_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=subject_id,
        time_bank_id=time_bank_id,
        details=details,
    )
    session.add(event)
    session.flush()
    return event

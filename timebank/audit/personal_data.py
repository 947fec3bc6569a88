"""The audit log's part of what is held about a person (``timebank.personal_data``): what was done by
them or to their record, and when (the action, never the details).

Leaving keeps the log as it is (``kept``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.audit.models import AuditEvent
from timebank.personal_data import Part, iso, registry


def export(session: Session, person: Any) -> dict[str, Any]:
    about_them = sa.and_(AuditEvent.subject_type == "person", AuditEvent.subject_id == person.id,
                         # What a part withholds (brokers' safeguarding work) stays out, like its records.
                         *(AuditEvent.action.not_like(f"{prefix}%")
                           for prefix in registry().withheld_actions))
    events = session.scalars(
        sa.select(AuditEvent).where(sa.or_(AuditEvent.actor_id == person.id, about_them)).order_by(AuditEvent.id))
    return {"activity_log": [{"at": iso(e.at), "action": e.action, "by_you": e.actor_id == person.id}
                             for e in events]}


PART = Part(
    name="audit", tables=("audit_events",), sections=("activity_log",), export=export,
    kept="the log is append-only (triggers refuse changes) so that every sensitive act stays traceable to "
         "someone; from leaving on it is tied only to the pseudonym",
)

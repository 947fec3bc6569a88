"""The audit log's part of what is held about a person (``timebank.personal_data``): what was done by
them or to their record, and when (the action, never the details).

Leaving keeps the log as it is (``kept``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.audit.models import AuditEvent
from timebank.personal_data import Part, iso


def export(session: Session, person: Any) -> dict[str, Any]:
    return {"activity_log": [{"at": iso(e.at), "action": e.action, "by_you": e.actor_id == person.id}
                             for e in session.scalars(
                                 sa.select(AuditEvent)
                                 .where(sa.or_(AuditEvent.actor_id == person.id,
                                               sa.and_(AuditEvent.subject_type == "person",
                                                       AuditEvent.subject_id == person.id,
                                                       # Like their notes, brokers' safeguarding work is
                                                       # withheld (see safeguarding's part).
                                                       AuditEvent.action.not_like("safeguarding.%"))))
                                 .order_by(AuditEvent.id))]}


PART = Part(
    name="audit", tables=("audit_events",), sections=("activity_log",), export=export,
    kept="the log is append-only (triggers refuse changes) so that every sensitive act stays traceable to "
         "someone; from leaving on it is tied only to the pseudonym",
)

"""Mail's part of what is held about a person (``timebank.personal_data``): the emails made for them and
the kinds they turned off. Leaving deletes the choices and wipes each email's address and words (the
outbox's); how many were sent, of which kind and when, stays counted. An email still queued is not sent.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from timebank.mail import service
from timebank.members.models import Person
from timebank.personal_data import Part, iso


def export(session: Session, person: Person) -> dict[str, Any]:
    return {
        "emails": [{
            "id": email.id, "kind": email.kind.value, "status": email.status.value, "to": email.to_address,
            "language": email.language, "time_bank_id": email.time_bank_id, "made_at": iso(email.created_at),
            "sent_at": iso(email.sent_at), "passed_on_at": iso(email.passed_on_at), "subject": email.subject_line,
            "text": email.text_body,
        } for email in service.emails_of(session, person.id)],
        "email_preferences": [{"kind": row.kind.value, "wanted": row.wanted, "changed_at": iso(row.updated_at)}
                              for row in service.preferences_of(session, person.id)],
    }


def forget(session: Session, actor: Person, person: Person) -> None:
    service.forget(session, person.id)


PART = Part(name="mail", tables=("outbound_emails", "email_preferences"),
            sections=("emails", "email_preferences"), export=export, forget=forget)

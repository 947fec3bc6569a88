"""Membership's part of what is held about a person (``timebank.personal_data``): their applications to
join, with the referees they named, and the applications they vouched for.

Leaving withdraws any application still open, wipes the statements in their own words, and wipes the
names, contact details and "how they know them" of the referees they named (the outcomes and dates
stay: clearances were derived from them). Decisions, and vouches given, stay as the bank's record.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.members.models import Person
from timebank.membership.models import OPEN_STATUSES, Application, ApplicationStatus, Reference, Vouch
from timebank.personal_data import REMOVED, Part, iso


def _applications(session: Session, person: Person) -> list[Application]:
    return list(session.scalars(
        sa.select(Application).where(Application.holder_id == person.id).order_by(Application.id)))


def export(session: Session, person: Person) -> dict[str, Any]:
    return {
        "applications": [{
            "id": a.id, "time_bank_id": a.time_bank_id, "status": a.status.value, "statement": a.statement,
            "submitted_at": iso(a.created_at), "interview_on": iso(a.interview_on),
            "decided_at": iso(a.decided_at), "decision_note": a.decision_note, "vouches": len(a.vouches),
            "references": [{
                "referee_name": r.referee_name, "referee_contact": r.referee_contact, "known_how": r.known_how,
                "outcome": r.outcome.value, "outcome_on": iso(r.outcome_on),
            } for r in a.references],
        } for a in _applications(session, person)],
        "vouches_given": list(session.scalars(
            sa.select(Vouch.application_id).where(Vouch.voucher_id == person.id).order_by(Vouch.id))),
    }


def forget(session: Session, actor: Person, person: Person) -> None:
    for application in _applications(session, person):
        if application.status in OPEN_STATUSES:
            application.status = ApplicationStatus.WITHDRAWN
        application.statement = ""
    session.execute(
        sa.update(Reference)
        .where(Reference.application_id.in_(sa.select(Application.id).where(Application.holder_id == person.id)))
        .values(referee_name=REMOVED, referee_contact=REMOVED, known_how="")
    )


PART = Part(name="membership", tables=("applications", "references", "vouches"),
            sections=("applications", "vouches_given"), export=export, forget=forget)

"""Banks' part of what is held about a person (``timebank.personal_data``): their broker and funder
roles. Leaving revokes every one (each revocation audited, with the reason)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.members.models import BankRole, Person
from timebank.personal_data import Part


def _roles(session: Session, person: Person) -> list[BankRole]:
    return list(session.scalars(sa.select(BankRole).where(BankRole.person_id == person.id).order_by(BankRole.id)))


def export(session: Session, person: Person) -> dict[str, Any]:
    return {"roles": [{"time_bank_id": r.time_bank_id, "role": r.role.value} for r in _roles(session, person)]}


def forget(session: Session, actor: Person, person: Person) -> None:
    for role in _roles(session, person):
        audit.record(session, "bank.role_revoked", actor_id=actor.id, subject_type="person", subject_id=person.id,
                     time_bank_id=role.time_bank_id, role=role.role.value, reason="left")
        session.delete(role)
    session.flush()
    session.expire(person, ["bank_roles"])


PART = Part(name="banks", tables=("bank_roles",), sections=("roles",), export=export, forget=forget)

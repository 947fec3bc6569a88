"""Creating time banks and giving people staff roles in them. Only flushes."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.banks.models import TimeBank
from timebank.errors import Conflict, DomainError
from timebank.ledger import service as ledger
from timebank.members.models import BankRole, BankRoleName

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def create_bank(session: Session, *, slug: str, name: str, agency_name: str, actor_id: int | None) -> TimeBank:
    if not SLUG.match(slug):
        raise DomainError("Use lower-case letters, numbers and single hyphens", field="slug")
    if session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug)) is not None:
        raise Conflict("A time bank with that short name already exists", field="slug")
    bank = TimeBank(slug=slug, name=name.strip(), agency_name=agency_name.strip())
    session.add(bank)
    session.flush()
    ledger.open_bank_ledger(session, bank.id)
    audit.record(session, "bank.created", actor_id=actor_id, subject_type="time_bank", subject_id=bank.id,
                 time_bank_id=bank.id, slug=slug)
    return bank


def grant_role(
    session: Session, *, time_bank_id: int, person_id: int, role: BankRoleName, actor_id: int | None
) -> BankRole:
    existing = session.scalar(
        sa.select(BankRole).where(
            BankRole.time_bank_id == time_bank_id, BankRole.person_id == person_id, BankRole.role == role
        )
    )
    if existing is not None:
        return existing
    grant = BankRole(time_bank_id=time_bank_id, person_id=person_id, role=role)
    session.add(grant)
    session.flush()
    audit.record(session, "bank.role_granted", actor_id=actor_id, subject_type="person", subject_id=person_id,
                 time_bank_id=time_bank_id, role=role.value)
    return grant

"""Creating people and organisations and opening their accounts. Only flushes.

Joining with applications, references and safeguarding comes with the membership issue; for now a
broker or the demo loader adds members directly, and every addition is audited.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.auth.passwords import hash_password
from timebank.errors import Conflict
from timebank.ledger import service as ledger
from timebank.ledger.models import Account
from timebank.members.models import (
    Holder,
    Language,
    Organisation,
    OrganisationAdmin,
    OrganisationType,
    Person,
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_person_by_email(session: Session, email: str) -> Person | None:
    return session.scalar(sa.select(Person).where(Person.email == normalise_email(email)))


def create_person(
    session: Session,
    *,
    display_name: str,
    email: str | None,
    password: str | None = None,
    preferred_language: Language = Language.ENGLISH,
    is_admin: bool = False,
    actor_id: int | None = None,
) -> Person:
    email = normalise_email(email) if email else None
    if email and find_person_by_email(session, email) is not None:
        raise Conflict("Someone has already joined with that email address", field="email")
    person = Person(
        display_name=display_name.strip(),
        email=email,
        password_hash=hash_password(password) if password else None,
        preferred_language=preferred_language,
        is_admin=is_admin,
    )
    session.add(person)
    session.flush()
    audit.record(session, "member.person_created", actor_id=actor_id, subject_type="person", subject_id=person.id)
    return person


def create_organisation(
    session: Session,
    *,
    display_name: str,
    organisation_type: OrganisationType,
    charity_number: str | None = None,
    admin_ids: tuple[int, ...] = (),
    actor_id: int | None = None,
) -> Organisation:
    organisation = Organisation(
        display_name=display_name.strip(), organisation_type=organisation_type, charity_number=charity_number
    )
    session.add(organisation)
    session.flush()
    for person_id in admin_ids:
        session.add(OrganisationAdmin(organisation_id=organisation.id, person_id=person_id))
    audit.record(session, "member.organisation_created", actor_id=actor_id, subject_type="organisation",
                 subject_id=organisation.id, admins=list(admin_ids))
    session.flush()
    return organisation


def join_bank(session: Session, holder: Holder, time_bank_id: int, *, actor_id: int | None) -> Account:
    account = ledger.open_account(
        session, time_bank_id=time_bank_id, holder_id=holder.id, holder_kind=holder.holder_kind
    )
    audit.record(session, "member.joined_bank", actor_id=actor_id, subject_type=holder.type.value,
                 subject_id=holder.id, time_bank_id=time_bank_id, account_id=account.id)
    return account

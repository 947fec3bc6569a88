"""Who reads and who manages which programme: the one home of the rule (issue 14).

* **Reads** a programme (its page, its scopes and outcomes, and the reports on it): a member of its
  funder; a broker of a bank one of its scopes is in; an admin. Nobody else, and a programme one may not
  read is "not found" (404), so another funder's programme is not even confirmed to exist.
* **Manages** it (changes its details, scopes and outcomes): an admin; a broker whose brokered banks hold
  every one of its scopes (a programme always keeps at least one). A reader who may not manage it is
  refused (403).

The report pages (``reports``) and this feature's pages and API ask these functions and nothing else.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.errors import Forbidden, NotFound
from timebank.members import policy
from timebank.members.models import BankRoleName, Person
from timebank.programmes.models import FunderMember, Programme, ProgrammeScope


def funders_of_person(person_id: int) -> sa.Select[tuple[int]]:
    """The funders the person reads reports for (also ``members.policy.add_funder_tie``, wired by the app
    factory, so a funder's member who holds no account sees aggregates only)."""
    return sa.select(FunderMember.funder_id).where(FunderMember.person_id == person_id)


def _readable(session: Session, person: Person) -> sa.ColumnElement[bool]:
    """A condition on ``Programme``: the person may read it. (An admin reads every programme.)"""
    funded = Programme.funder_id.in_(funders_of_person(person.id))
    brokered = policy.broker_bank_ids(session, person)
    if not brokered:
        return funded
    in_brokered_bank = sa.select(ProgrammeScope.programme_id).where(ProgrammeScope.time_bank_id.in_(brokered))
    return sa.or_(funded, Programme.id.in_(in_brokered_bank))


def readable_programmes(session: Session, person: Person) -> list[Programme]:
    """The programmes the person may read, latest first (by their start, then name)."""
    query = sa.select(Programme).order_by(Programme.starts_on.desc(), Programme.name, Programme.id)
    if not person.is_admin:
        query = query.where(_readable(session, person))
    return list(session.scalars(query))


def may_read(session: Session, person: Person, programme: Programme) -> bool:
    if person.is_admin:
        return True
    return session.scalar(sa.select(sa.exists().where(Programme.id == programme.id, _readable(session, person))))


def require_readable(session: Session, person: Person, programme_id: int) -> Programme:
    """The programme, or ``NotFound`` (404) when it does not exist or the person may not read it."""
    programme = session.get(Programme, programme_id)
    if programme is None or not may_read(session, person, programme):
        raise NotFound()
    return programme


def may_manage(session: Session, person: Person, programme: Programme) -> bool:
    """An admin; or a broker of every bank the programme's scopes are in."""
    if person.is_admin:
        return True
    banks = set(session.scalars(sa.select(ProgrammeScope.time_bank_id)
                                .where(ProgrammeScope.programme_id == programme.id)))
    return bool(banks) and banks <= policy.broker_bank_ids(session, person)


def require_manageable(session: Session, person: Person, programme_id: int) -> Programme:
    """The programme, or ``NotFound`` (404) for one the person may not even read, ``Forbidden`` (403) for
    one they read but may not change."""
    programme = require_readable(session, person, programme_id)
    if not may_manage(session, person, programme):
        raise Forbidden()
    return programme


def may_create(session: Session, person: Person) -> bool:
    """Admins and brokers make programmes (a broker only with scopes in the banks they broker)."""
    return person.is_admin or bool(policy.broker_bank_ids(session, person))


def reads_programmes(session: Session, person: Person) -> bool:
    """Whether the person may have programmes to read: an admin, a broker, or a funder's reader (the header's
    link to the programmes; the list itself says when there are none)."""
    if person.is_admin:
        return True
    access = policy.access_of(session, person)  # read once per request already, for the header's other links
    return access.funds or bool(access.banks_with(BankRoleName.BROKER))


def require_creator(session: Session, person: Person) -> None:
    if not may_create(session, person):
        raise Forbidden()


def require_admin(_session: Session, person: Person) -> None:
    """Funders and their members are managed by admins only."""
    if not person.is_admin:
        raise Forbidden()

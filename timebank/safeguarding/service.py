"""Recording DBS checks and safeguarding notes, and reading a person's safeguarding record. Broker-only:
every function here checks that the actor brokers a bank the person belongs to or has applied to.
Only flushes; every write and every read of the record is audited.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank import dates
from timebank.audit import service as audit
from timebank.auth import policy
from timebank.banks.models import TimeBank
from timebank.clock import uk_today
from timebank.errors import DomainError, Forbidden, NotFound
from timebank.ledger.models import Account
from timebank.members.models import Person
from timebank.membership.models import Application, ApplicationStatus, Reference, ReferenceOutcome
from timebank.safeguarding import clearances
from timebank.safeguarding.clearances import Clearance, ClearanceStatus
from timebank.safeguarding.models import MAX_NOTE, DbsCheck, DbsLevel, SafeguardingNote, Workforce

_CERTIFICATE = re.compile(r"^[0-9]{12}$")


class NotBrokerOfPerson(Forbidden):
    title = _l("Only brokers can see or change safeguarding records")


@dataclass(frozen=True)
class DbsCheckInput:
    level: DbsLevel
    issued_on: dt.date
    workforce: Workforce | None = None
    certificate_number: str | None = None
    update_service: bool = False
    status_checked_on: dt.date | None = None


def require_broker(session: Session, actor: Person) -> None:
    """Safeguarding records are for brokers: anyone who brokers no bank is refused before anything else."""
    if not policy.broker_bank_ids(session, actor):
        raise NotBrokerOfPerson()


def _person_in_bank(session: Session, actor: Person, person_id: int, time_bank_id: int) -> Person:
    """The person, if the actor brokers ``time_bank_id`` and the person belongs to it or applied to it."""
    require_broker(session, actor)
    person = session.get(Person, person_id)
    if person is None or time_bank_id not in policy.holder_bank_ids(session, person.id):
        raise NotFound(_l("There is no such member"))
    if not policy.is_broker(session, actor, time_bank_id):
        raise NotBrokerOfPerson()
    return person


def record_dbs_check(
    session: Session, actor: Person, person_id: int, time_bank_id: int, check: DbsCheckInput
) -> DbsCheck:
    person = _person_in_bank(session, actor, person_id, time_bank_id)
    dates.document(dates.FIRST_DBS_CERTIFICATE).check(check.issued_on, "issued_on")
    if (check.level == DbsLevel.ENHANCED_BARRED) != (check.workforce is not None):
        raise DomainError(_l("Say which barred lists were checked, for an enhanced check with barred lists only"),
                          field="workforce")
    number = "".join((check.certificate_number or "").split()) or None
    if number is not None and not _CERTIFICATE.match(number):
        raise DomainError(_l("A certificate number has 12 digits"), field="certificate_number")
    if check.status_checked_on is not None:
        if not check.update_service:
            raise DomainError(_l("A status check needs the update service"), field="status_checked_on")
        dates.document(max(check.issued_on, dates.FIRST_UPDATE_SERVICE_CHECK)).check(check.status_checked_on,
                                                                                    "status_checked_on")
    row = DbsCheck(
        person_id=person.id, time_bank_id=time_bank_id, level=check.level, workforce=check.workforce,
        certificate_number=number, issued_on=check.issued_on, update_service=check.update_service,
        status_checked_on=check.status_checked_on, recorded_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(session, "safeguarding.dbs_recorded", actor_id=actor.id, subject_type="person",
                 subject_id=person.id, time_bank_id=time_bank_id, check_id=row.id, level=check.level.value)
    return row


def add_note(session: Session, actor: Person, person_id: int, time_bank_id: int, body: str) -> SafeguardingNote:
    person = _person_in_bank(session, actor, person_id, time_bank_id)
    body = body.strip()
    if not body:
        raise DomainError(_l("Write the note"), field="body")
    if len(body) > MAX_NOTE:
        raise DomainError(_l("Keep the note to 4,000 characters or fewer"), field="body")
    note = SafeguardingNote(person_id=person.id, time_bank_id=time_bank_id, author_id=actor.id, body=body)
    session.add(note)
    session.flush()
    audit.record(session, "safeguarding.note_added", actor_id=actor.id, subject_type="person",
                 subject_id=person.id, time_bank_id=time_bank_id, note_id=note.id)
    return note


# --- reading ---------------------------------------------------------------------------------------


def checks_of(session: Session, person_id: int) -> list[DbsCheck]:
    return list(session.scalars(
        sa.select(DbsCheck).where(DbsCheck.person_id == person_id).order_by(DbsCheck.issued_on.desc(), DbsCheck.id)
    ))


def satisfactory_references(session: Session, person_id: int, time_bank_id: int) -> int:
    """Satisfactory references on the person's applications to the bank that were not declined or
    withdrawn (a refused application's references do not carry over)."""
    return session.scalar(
        sa.select(sa.func.count(Reference.id))
        .join(Application, Application.id == Reference.application_id)
        .where(Application.holder_id == person_id, Application.time_bank_id == time_bank_id,
               Application.status.not_in((ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)),
               Reference.outcome == ReferenceOutcome.SATISFACTORY)
    ) or 0


def clearances_for(session: Session, person_id: int, time_bank_id: int,
                   today: dt.date | None = None) -> dict[Clearance, ClearanceStatus]:
    time_bank = session.get(TimeBank, time_bank_id)
    if time_bank is None:
        raise NotFound()
    return clearances.derive(checks_of(session, person_id), satisfactory_references(session, person_id, time_bank_id),
                             time_bank.dbs_renewal_months, today or uk_today())


@dataclass
class SafeguardingRecord:
    person: Person
    time_bank: TimeBank
    checks: list[DbsCheck]
    check_valid_until: dict[int, dt.date]
    notes: list[SafeguardingNote]
    clearances: dict[Clearance, ClearanceStatus]


def record_for(session: Session, actor: Person, person_id: int, time_bank_id: int) -> SafeguardingRecord:
    person = _person_in_bank(session, actor, person_id, time_bank_id)
    time_bank = session.get(TimeBank, time_bank_id)
    assert time_bank is not None
    checks = checks_of(session, person.id)
    notes = list(session.scalars(
        sa.select(SafeguardingNote)
        .where(SafeguardingNote.person_id == person.id, SafeguardingNote.time_bank_id == time_bank_id)
        .order_by(SafeguardingNote.created_at.desc(), SafeguardingNote.id.desc())
    ))
    audit.record(session, "safeguarding.record_viewed", actor_id=actor.id, subject_type="person",
                 subject_id=person.id, time_bank_id=time_bank_id)
    return SafeguardingRecord(
        person=person, time_bank=time_bank, checks=checks,
        check_valid_until={c.id: clearances.valid_until(c, time_bank.dbs_renewal_months) for c in checks},
        notes=notes, clearances=clearances_for(session, person.id, time_bank_id),
    )


@dataclass(frozen=True)
class ExpiringCheck:
    person: Person
    check: DbsCheck
    valid_until: dt.date


def expiring_checks(session: Session, actor: Person, time_bank_id: int,
                    today: dt.date | None = None) -> list[ExpiringCheck]:
    """Members of the bank whose latest DBS check stops counting within 30 days (or has just stopped,
    in the last 30), soonest first: the broker's reminder to renew."""
    time_bank = session.get(TimeBank, time_bank_id)
    if time_bank is None:
        raise NotFound(_l("There is no such time bank"))
    if not policy.is_broker(session, actor, time_bank_id):
        raise NotBrokerOfPerson()
    today = today or uk_today()
    members = sa.select(Account.holder_id).where(Account.time_bank_id == time_bank_id)
    rows = session.execute(
        sa.select(DbsCheck, Person).join(Person, Person.id == DbsCheck.person_id)
        .where(DbsCheck.person_id.in_(members), DbsCheck.level != DbsLevel.NONE, Person.pseudonymised_at.is_(None))
    ).all()
    latest: dict[int, tuple[DbsCheck, Person, dt.date]] = {}
    for check, person in rows:
        until = clearances.valid_until(check, time_bank.dbs_renewal_months)
        if person.id not in latest or until > latest[person.id][2]:
            latest[person.id] = (check, person, until)
    window = clearances.EXPIRING_WITHIN
    return sorted(
        (ExpiringCheck(person, check, until) for check, person, until in latest.values()
         if today - window <= until <= today + window),
        key=lambda item: (item.valid_until, item.person.display_name),
    )

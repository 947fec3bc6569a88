"""Recording DBS checks and safeguarding notes, and reading a person's safeguarding record. Broker-only:
every function here checks that the actor brokers a bank the person belongs to or has applied to.
Only flushes; every write and every read of the record is audited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank import dates
from timebank.audit import service as audit
from timebank.banks.models import TimeBank
from timebank.clock import uk_today
from timebank.errors import DomainError, Forbidden, NotFound
from timebank.ledger.models import Account
from timebank.members import policy
from timebank.members.models import Holder, Person
from timebank.membership.models import Application, ApplicationStatus, MissingCheck, Reference, ReferenceOutcome
from timebank.notices import service as notices
from timebank.notices.models import NoticeKind
from timebank.safeguarding import clearances, errors
from timebank.safeguarding.clearances import Clearance, ClearanceStatus
from timebank.safeguarding.models import MAX_NOTE, DbsCheck, DbsLevel, SafeguardingNote, Workforce

_CERTIFICATE = re.compile(r"^[0-9]{12}$")


class NotBrokerOfPerson(Forbidden):
    code = "not-broker-of-person"
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
        raise errors.BarredListsMismatch(
            _l("Say which barred lists were checked, for an enhanced check with barred lists only"), field="workforce")
    number = "".join((check.certificate_number or "").split()) or None
    if number is not None and not _CERTIFICATE.match(number):
        raise errors.InvalidCertificateNumber(_l("A certificate number has 12 digits"), field="certificate_number")
    if check.status_checked_on is not None:
        if not check.update_service:
            raise errors.StatusCheckNeedsUpdateService(_l("A status check needs the update service"),
                                                       field="status_checked_on")
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
        raise errors.NoteMissing(_l("Write the note"), field="body")
    if len(body) > MAX_NOTE:
        raise errors.NoteTooLong(_l("Keep the note to 4,000 characters or fewer"), field="body")
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


def _satisfactory_references(session: Session, person_ids: Iterable[int], time_bank_id: int) -> dict[int, int]:
    """Person id → satisfactory references on their applications to the bank that were not declined or
    withdrawn (a refused application's references do not carry over)."""
    return dict(session.execute(
        sa.select(Application.holder_id, sa.func.count(Reference.id))
        .join(Application, Application.id == Reference.application_id)
        .where(Application.holder_id.in_(set(person_ids)), Application.time_bank_id == time_bank_id,
               Application.status.not_in((ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)),
               Reference.outcome == ReferenceOutcome.SATISFACTORY)
        .group_by(Application.holder_id)
    ).all())


def satisfactory_references(session: Session, person_id: int, time_bank_id: int) -> int:
    return _satisfactory_references(session, (person_id,), time_bank_id).get(person_id, 0)


def _bank(session: Session, time_bank_id: int) -> TimeBank:
    time_bank = session.get(TimeBank, time_bank_id)
    if time_bank is None:
        raise NotFound(_l("There is no such time bank"))
    return time_bank


def clearances_for(session: Session, person_id: int, time_bank_id: int,
                   today: dt.date | None = None) -> dict[Clearance, ClearanceStatus]:
    """Each clearance the person holds in the bank today, for their safeguarding record. Whether they
    may be put in front of others is ``clearance_gaps``' question, asked for the day of the thing."""
    return clearances.derive(checks_of(session, person_id), satisfactory_references(session, person_id, time_bank_id),
                             _bank(session, time_bank_id).dbs_renewal_months, today or uk_today())


def missing_for_approval(session: Session, application: Application) -> list[MissingCheck]:
    """Safeguarding's part of what approving an application would go ahead without (told to membership by the
    app factory, ``membership.service.add_approval_check``): for a person, what the first clearance, home
    visits, still needs today: two satisfactory references and a current DBS check. An organisation needs
    neither."""
    if not isinstance(session.get(Holder, application.holder_id), Person):
        return []
    return list(clearances_for(session, application.holder_id, application.time_bank_id)[Clearance.HOME_VISITS].missing)


# --- the clearance rule: as of the day of the thing --------------------------------------------------


class ClearanceNeeded(DomainError):
    """Someone would be put in front of others without a clearance they hold on the day."""

    code = "clearance-needed"

    title = _l("This role needs a safeguarding check that is not on your record yet. "
               "Talk to your broker, who can arrange it.")


def _long_date(day: dt.date) -> str:
    return format_date(day, "long")


@dataclass(frozen=True)
class ClearanceGap:
    """A person will not hold a clearance on a day (a session's, a visit's), and why."""

    person_id: int
    clearance: Clearance
    day: dt.date
    #: When they hold it today but not on ``day``: the last day the check that gives it counts.
    runs_out_on: dt.date | None = None

    @property
    def label(self) -> Any:
        return clearances.LABELS[self.clearance]

    @property
    def reason(self) -> Any:
        """Why, for the lists organisers and brokers read (the person is named beside it)."""
        if self.runs_out_on is not None:
            return _l("Their DBS check runs out on %(until)s, before %(day)s, so they will not have the "
                      "“%(clearance)s” clearance then.", until=_long_date(self.runs_out_on),
                      day=_long_date(self.day), clearance=self.label)
        return _l("They do not have the “%(clearance)s” clearance for %(day)s.", clearance=self.label,
                  day=_long_date(self.day))

    def refusal(self, name: str | None = None, *, field: str | None = None) -> ClearanceNeeded:
        """The refusal: to the person themselves (no ``name``), or to someone acting, naming them."""
        words = {"clearance": self.label, "day": _long_date(self.day), "name": name}
        if self.runs_out_on is not None:
            words["until"] = _long_date(self.runs_out_on)
            if name is None:
                return ClearanceNeeded(_l(
                    "This role needs the “%(clearance)s” clearance, which you will not have on %(day)s: your DBS "
                    "check runs out on %(until)s. Talk to your broker about renewing it.", **words), field=field)
            return ClearanceNeeded(_l(
                "This role needs the “%(clearance)s” clearance, which %(name)s will not have on %(day)s: their "
                "DBS check runs out on %(until)s.", **words), field=field)
        if name is None:
            return ClearanceNeeded(_l(
                "This role needs the “%(clearance)s” clearance, which is not on your record for %(day)s. Talk to "
                "your broker, who can arrange it.", **words), field=field)
        return ClearanceNeeded(_l("This role needs the “%(clearance)s” clearance, which %(name)s does not have "
                                  "for %(day)s.", **words), field=field)


#: Who, which clearance, on which day.
Need = tuple[int, Clearance, dt.date]


def clearance_gaps(session: Session, time_bank_id: int, needs: Iterable[Need],
                   today: dt.date | None = None) -> dict[Need, ClearanceGap]:
    """The one home of the rule: a person is put in front of others only if they hold the clearance on
    the day of the thing (the session's UK date; a visit's), not merely today. Returns the needs that
    are not met, each with why; the rest hold. Any number of people in three queries.

    Every route that puts a person in front of others asks it: sign-up and a broker's sign-up and
    attendance (through ``require_clearance``), the waiting list moving up (which passes over anyone
    it returns), the session pages and the broker's list of bookings a lapsing check affects, and
    introductions (brokerage, roadmap 1) when they come."""
    needs = set(needs)
    if not needs:
        return {}
    renewal_months = _bank(session, time_bank_id).dbs_renewal_months
    person_ids = {person_id for person_id, _clearance, _day in needs}
    checks: dict[int, list[DbsCheck]] = defaultdict(list)
    for check in session.scalars(sa.select(DbsCheck).where(DbsCheck.person_id.in_(person_ids))):
        checks[check.person_id].append(check)
    references = _satisfactory_references(session, person_ids, time_bank_id)
    today = today or uk_today()
    gaps = {}
    for need in needs:
        person_id, clearance, day = need
        held_on = partial(clearances.derive, checks[person_id], references.get(person_id, 0), renewal_months)
        if held_on(day)[clearance].granted:
            continue
        now = held_on(today)[clearance] if day > today else None
        gaps[need] = ClearanceGap(person_id, clearance, day, now.valid_until if now and now.granted else None)
    return gaps


def require_clearance(session: Session, person: Person, time_bank_id: int, clearance: Clearance | None,
                      day: dt.date, *, named: bool, field: str | None = None) -> None:
    """Refuse to put ``person`` in front of others on ``day`` without the clearance it needs (``None``:
    none needed). The refusal speaks to the person themselves, or, when ``named``, names them for
    whoever is acting (a broker, an organiser)."""
    if clearance is None:
        return
    gap = clearance_gaps(session, time_bank_id, [(person.id, clearance, day)]).get((person.id, clearance, day))
    if gap is not None:
        raise gap.refusal(person.display_name if named else None, field=field)


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
    time_bank = _bank(session, time_bank_id)
    if not policy.is_broker(session, actor, time_bank_id):
        raise NotBrokerOfPerson()
    return expiring_in(session, [time_bank], today or uk_today()).get(time_bank_id, [])


def expiring_in(session: Session, banks: Sequence[TimeBank], today: dt.date) -> dict[int, list[ExpiringCheck]]:
    """``expiring_checks`` for each of ``banks`` (whom the caller may see), by bank id, in one statement
    however many banks: a bank's home overview and the daily reminders read every bank's at once."""
    window = clearances.EXPIRING_WITHIN
    by_renewal: dict[int, list[int]] = {}
    for time_bank in banks:
        by_renewal.setdefault(time_bank.dbs_renewal_months, []).append(time_bank.id)
    if not by_renewal:
        return {}
    renewal_of = {time_bank.id: time_bank.dbs_renewal_months for time_bank in banks}
    # Only people with a check that may end in the window under their bank's renewal period (found through
    # the dates' indexes), however many checks the banks' members hold; then all of their checks, since a
    # later one may outlast it.
    ending = sa.or_(*(
        sa.and_(Account.time_bank_id.in_(ids),
                DbsCheck.person_id.in_(
                    sa.select(DbsCheck.person_id).where(
                        DbsCheck.level != DbsLevel.NONE,
                        clearances.may_end_between(today - window, today + window, months))))
        for months, ids in by_renewal.items()))
    rows = session.execute(
        sa.select(Account.time_bank_id, DbsCheck, Person)
        .join(Person, Person.id == Account.holder_id).join(DbsCheck, DbsCheck.person_id == Person.id)
        .where(ending, DbsCheck.level != DbsLevel.NONE, Person.pseudonymised_at.is_(None))
    ).all()
    latest: dict[tuple[int, int], tuple[DbsCheck, Person, dt.date]] = {}
    for time_bank_id, check, person in rows:
        until = clearances.valid_until(check, renewal_of[time_bank_id])
        key = (time_bank_id, person.id)
        if key not in latest or until > latest[key][2]:
            latest[key] = (check, person, until)
    found: dict[int, list[ExpiringCheck]] = {}
    for (time_bank_id, _person_id), (check, person, until) in latest.items():
        if today - window <= until <= today + window:
            found.setdefault(time_bank_id, []).append(ExpiringCheck(person, check, until))
    for items in found.values():
        items.sort(key=lambda item: (item.valid_until, item.person.display_name))
    return found


def send_expiry_reminders(session: Session, day: dt.date) -> int:
    """The daily job's part: tell each member whose latest DBS check stops counting within the window (the
    brokers' list above, bank by bank), once per check and the day it ends; return how many were told."""
    made = 0
    banks = list(session.scalars(sa.select(TimeBank).order_by(TimeBank.id)))
    expiring = expiring_in(session, banks, day)
    for time_bank in banks:
        for item in expiring.get(time_bank.id, []):
            if item.valid_until < day:
                continue  # lapsed already: the broker's list shows it, and the member was told before it did
            made += notices.notify(session, [item.person.id], NoticeKind.DBS_EXPIRING, item.check.id,
                                   notices.reminder_key(NoticeKind.DBS_EXPIRING, item.check.id, item.valid_until),
                                   time_bank_id=time_bank.id)
    return made

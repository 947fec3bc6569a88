"""Consent and the benefit profile: giving and withdrawing consent, keeping the profile, and the access
log that every read and change of a member's benefit data writes.

Who may: the member themselves, or a broker of a bank the member belongs to (for a member who is not
online; consent given so is marked ``on_behalf``). Nobody else, not admins (they read the access log,
not the data), not organisations, not funders: ``require_reader`` is the one check.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import SignUp
from timebank.benefits import errors
from timebank.benefits.facts import Benefit, Jurisdiction, Profile, UcWorkGroup
from timebank.benefits.models import (
    AccessKind,
    BenefitAccess,
    BenefitConsent,
    BenefitFlag,
    BenefitProfile,
    Subject,
)
from timebank.benefits.rulebook import Reference
from timebank.clock import uk_today
from timebank.errors import Forbidden
from timebank.ledger.models import Account
from timebank.members import policy
from timebank.members.models import Person
from timebank.money.models import Expense, Payment, Redemption
from timebank.pagination import Page, paginate
from timebank.types import utcnow

#: The version of the consent wording (``consent.CONSENT_TEXT``); a new wording gets a new version, and
#: each consent records the one agreed to.
WORDING_VERSION = "2026-12-v1"
#: The longest hours a week a profile may give (there are 168 in a week).
MAX_WEEKLY_HOURS = 168


def log(session: Session, actor_id: int | None, person_id: int, subject: Subject, kind: AccessKind, reason: str,
        flag_id: int | None = None) -> None:
    session.add(BenefitAccess(actor_id=actor_id, person_id=person_id, subject=subject, kind=kind, reason=reason,
                              flag_id=flag_id))


@functools.cache
def _insert_access() -> sa.Insert:
    return sa.insert(BenefitAccess)


def log_at_once(session: Session, actor_id: int | None, person_ids: Iterable[int | tuple[int, int]],
                subject: Subject, kind: AccessKind, reason: str) -> None:
    """As ``log``, for reads of many members at once (the rules' own reads and changes, a broker's page of
    flags): written at once, one statement for all, without a mapped row (the rules run in every commit
    that touches a member who consented, and making and flushing one costs more than the statement). Each
    of ``person_ids`` is a member, or a member and the flag read. The caller has flushed what it did
    before, so the log keeps the order things were done in."""
    rows = [{"actor_id": actor_id, "person_id": read[0] if isinstance(read, tuple) else read, "subject": subject,
             "kind": kind, "reason": reason, "flag_id": read[1] if isinstance(read, tuple) else None}
            for read in person_ids]
    if rows:
        session.connection().execute(_insert_access(), rows)


def brokers_banks_of(session: Session, actor: Person, person_id: int) -> set[int]:
    """The banks in which ``actor`` brokers and ``person_id`` holds an account."""
    brokered = policy.bank_ids_with_role(session, actor, policy.BankRoleName.BROKER)
    if not brokered:
        return set()
    return set(session.scalars(sa.select(Account.time_bank_id).where(
        Account.holder_id == person_id, Account.time_bank_id.in_(brokered))))


def may_read(session: Session, actor: Person, person_id: int) -> bool:
    """The member themselves, or a broker of one of their banks. Not an admin as such: admins see the
    access log, not the data."""
    return actor.id == person_id or bool(brokers_banks_of(session, actor, person_id))


def require_reader(session: Session, actor: Person, person_id: int) -> None:
    if not may_read(session, actor, person_id):
        raise errors.BenefitDataNotFound()


def standing_consent(session: Session, person_id: int) -> BenefitConsent | None:
    return session.scalar(sa.select(BenefitConsent).where(BenefitConsent.person_id == person_id,
                                                          BenefitConsent.withdrawn_at.is_(None)))


def consent_status(session: Session, actor: Person, person_id: int, reason: str) -> BenefitConsent | None:
    """The member's latest consent, standing or withdrawn (``None``: never given), for a page or the API:
    the member or their broker, logged."""
    require_reader(session, actor, person_id)
    log(session, actor.id, person_id, Subject.CONSENT, AccessKind.READ, reason)
    return session.scalar(sa.select(BenefitConsent).where(BenefitConsent.person_id == person_id)
                          .order_by(BenefitConsent.id.desc()).limit(1))


def require_log_reader(session: Session, actor: Person) -> None:
    """Admins read the access log (and nothing else of benefit data); nobody else does."""
    if not actor.is_admin:
        raise Forbidden()


def access_log(session: Session, actor: Person, person_id: int | None, *, page: int,
               per_page: int) -> Page[BenefitAccess]:
    """Who read or changed whose benefit data, newest first (for admins), for one member or everyone."""
    require_log_reader(session, actor)
    query = sa.select(BenefitAccess)
    if person_id is not None:
        query = query.where(BenefitAccess.person_id == person_id)
    return paginate(session, query.order_by(BenefitAccess.id.desc()), page=page, per_page=per_page)


def give_consent(session: Session, actor: Person, person_id: int) -> BenefitConsent:
    """Record the member's explicit consent to the current wording: given by them, or by a broker for
    them (``on_behalf``). Giving it again while it stands changes nothing."""
    require_reader(session, actor, person_id)
    existing = standing_consent(session, person_id)
    if existing is not None:
        return existing
    consent = BenefitConsent(person_id=person_id, wording_version=WORDING_VERSION, given_at=utcnow(),
                             given_by_id=actor.id, on_behalf=actor.id != person_id)
    session.add(consent)
    log(session, actor.id, person_id, Subject.CONSENT, AccessKind.CHANGE, "consent_given")
    session.flush()
    return consent


def withdraw_consent(session: Session, actor: Person, person_id: int) -> BenefitConsent:
    """Stop monitoring at once: the profile and every flag (with its history) are deleted; the consent
    row keeps only that consent was given and withdrawn, and when."""
    require_reader(session, actor, person_id)
    consent = standing_consent(session, person_id)
    if consent is None:
        raise errors.NoConsent()
    consent.withdrawn_at, consent.withdrawn_by_id = utcnow(), actor.id
    forget_data(session, person_id)
    log(session, actor.id, person_id, Subject.CONSENT, AccessKind.CHANGE, "consent_withdrawn")
    session.flush()
    return consent


def forget_data(session: Session, person_id: int) -> None:
    """Delete the member's profile and flags (their history goes with them: ON DELETE CASCADE)."""
    from timebank.benefits.models import BenefitFlagEvent

    flag_ids = sa.select(BenefitFlag.id).where(BenefitFlag.person_id == person_id)
    # Explicitly too, for a SQLite connection without foreign keys switched on.
    session.execute(sa.delete(BenefitFlagEvent).where(BenefitFlagEvent.flag_id.in_(flag_ids)))
    session.execute(sa.delete(BenefitFlag).where(BenefitFlag.person_id == person_id))
    session.execute(sa.delete(BenefitProfile).where(BenefitProfile.person_id == person_id))


def to_facts(row: sa.Row[Any]) -> Profile:
    """A profile's row (``_standing_profiles``, decrypted) as the rules read it."""
    return Profile(
        benefits=frozenset(Benefit(value) for value in row.benefits),
        jurisdiction=Jurisdiction(row.jurisdiction),
        uc_work_group=UcWorkGroup(row.uc_work_group) if row.uc_work_group else None,
        uc_expected_hours=row.uc_expected_hours,
        agreed_voluntary_hours=row.agreed_voluntary_hours,
        couple=bool(row.couple),
        last_told_on=dt.date.fromisoformat(row.last_told_on) if row.last_told_on else None,
        benefit_week_starts=int(row.benefit_week_starts),
        uc_assessment_day=row.uc_assessment_day,
    )


@dataclass(frozen=True)
class Standing:
    """A member's profile as the rules read it, whether they have any flag at all (without one, the engine
    has none to read), and the kinds of evidence they have any record of (the rules read no others)."""

    profile: Profile
    flagged: bool
    holds: frozenset[Reference]


#: The profile's fields, as ``to_facts`` reads them.
_FIELDS = ("benefits", "jurisdiction", "uc_work_group", "uc_expected_hours", "agreed_voluntary_hours", "couple",
           "last_told_on", "benefit_week_starts", "uc_assessment_day")
#: The kinds of evidence many members have no record of at all (most are never paid, claim no expenses,
#: redeem nothing and book no session), with the column naming the member. Exchanges are taken as held.
_HELD_BY = {Reference.SIGN_UP: SignUp.person_id, Reference.REDEMPTION: Redemption.person_id,
            Reference.EXPENSE: Expense.person_id, Reference.PAYMENT: Payment.person_id}


@functools.cache
def _standing_profiles() -> sa.Select[Any]:
    """Built once: it runs in every commit that touches a member (``triggers``). Columns, not the mapped
    row, read through the connection: a row object is not needed to read a profile, and making one costs
    more than the statement. Whether the member has a flag, and records of each kind, come with it (each
    an EXISTS along an index on the person, asked only of the members found)."""
    return (sa.select(BenefitProfile.person_id, *(getattr(BenefitProfile, name) for name in _FIELDS),
                      sa.exists().where(BenefitFlag.person_id == BenefitProfile.person_id).label("flagged"),
                      *(sa.exists().where(person == BenefitProfile.person_id).label(f"holds_{kind.value}")
                        for kind, person in _HELD_BY.items()))
            .join(BenefitConsent, sa.and_(BenefitConsent.person_id == BenefitProfile.person_id,
                                          BenefitConsent.withdrawn_at.is_(None)))
            .where(BenefitProfile.person_id.in_(sa.bindparam("person_ids", expanding=True))))


def _standing(row: sa.Row[Any]) -> Standing:
    held = row._mapping
    return Standing(to_facts(row), bool(row.flagged), frozenset(
        {Reference.EXCHANGE} | {kind for kind in _HELD_BY if held[f"holds_{kind.value}"]}))


def standing_profiles(session: Session, person_ids: set[int], *, actor_id: int | None,
                      reason: str) -> dict[int, Standing]:
    """The profiles, as the rules read them, of those of these people who have a standing consent and a
    profile (one statement; each read logged). Nobody else is in the answer. The caller has flushed what
    the statement must see."""
    if not person_ids:
        return {}
    rows = session.connection().execute(_standing_profiles(), {"person_ids": sorted(person_ids)}).all()
    log_at_once(session, actor_id, (row.person_id for row in rows), Subject.PROFILE, AccessKind.READ, reason)
    return {row.person_id: _standing(row) for row in rows}


def facts_of(session: Session, person_id: int, *, actor_id: int | None, reason: str) -> Profile | None:
    """The member's profile as the rules read it (logged as a read), or ``None`` without a standing
    consent and a profile."""
    session.flush()  # what the caller changed (a profile just saved, a consent withdrawn) is what is read
    standing = standing_profiles(session, {person_id}, actor_id=actor_id, reason=reason).get(person_id)
    return standing.profile if standing else None


def read_profile(session: Session, actor: Person, person_id: int, reason: str) -> Profile | None:
    """The profile for a page or the API (the member or their broker), logged."""
    require_reader(session, actor, person_id)
    return facts_of(session, person_id, actor_id=actor.id, reason=reason)


def check(profile: Profile) -> None:
    for name in ("uc_expected_hours", "agreed_voluntary_hours"):
        value = getattr(profile, name)
        if value is not None and not 0 <= value <= MAX_WEEKLY_HOURS:
            raise errors.HoursOutOfRange(field=name)
    if profile.uc_assessment_day is not None and not 1 <= profile.uc_assessment_day <= 31:
        raise errors.AssessmentDayOutOfRange()
    if not 0 <= profile.benefit_week_starts <= 6:
        raise errors.WeekStartOutOfRange()
    if profile.uc_work_group is not None and Benefit.UC not in profile.benefits:
        raise errors.WorkGroupWithoutUc()
    if profile.last_told_on is not None and profile.last_told_on > uk_today():
        raise errors.ToldInFuture()


def save_profile(session: Session, actor: Person, person_id: int, profile: Profile) -> Profile:
    """Keep the member's profile (consent must stand). The rules run again for them when the unit of work
    commits (``triggers``)."""
    require_reader(session, actor, person_id)
    if standing_consent(session, person_id) is None:
        raise errors.NoConsent()
    check(profile)
    values = asdict(profile)
    values["benefits"] = sorted(benefit.value for benefit in profile.benefits)
    values["jurisdiction"] = profile.jurisdiction.value
    values["uc_work_group"] = profile.uc_work_group.value if profile.uc_work_group else None
    values["last_told_on"] = profile.last_told_on.isoformat() if profile.last_told_on else None
    row = session.get(BenefitProfile, person_id)
    if row is None:
        row = BenefitProfile(person_id=person_id, updated_by_id=actor.id, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_by_id, row.updated_at = actor.id, utcnow()
    log(session, actor.id, person_id, Subject.PROFILE, AccessKind.CHANGE, "profile_saved")
    session.flush()
    return profile

"""Time banks: creating them, their joining settings, and who staffs them. Only flushes; every change
is audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank import dates
from timebank.audit import service as audit
from timebank.banks import errors
from timebank.banks.models import (
    MAX_DBS_RENEWAL_MONTHS,
    MAX_VOUCHES,
    MIN_DBS_RENEWAL_MONTHS,
    MIN_VOUCHES,
    TimeBank,
)
from timebank.errors import Conflict, Forbidden, NotFound
from timebank.ledger import service as ledger
from timebank.members import errors as members_errors
from timebank.members import policy
from timebank.members.models import BankRole, BankRoleName, Person
from timebank.members.service import clean_email, find_person_by_email

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def create_bank(session: Session, *, slug: str, name: str, agency_name: str, actor_id: int | None,
                opened_on: dt.date | None = None) -> TimeBank:
    """A new bank with its ledger. Its books open today, or on ``opened_on`` for a bank that ran on paper
    before (from ``dates.EARLIEST_OPENING`` to today)."""
    if not SLUG.match(slug):
        raise errors.InvalidSlug("Use lower-case letters, numbers and single hyphens", field="slug")
    if session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug)) is not None:
        raise Conflict("A time bank with that short name already exists", field="slug")
    allowed = dates.opening(None)
    bank = TimeBank(slug=slug, name=name.strip(), agency_name=agency_name.strip(),
                    opened_on=allowed.today if opened_on is None else allowed.check(opened_on, "opened_on"))
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


@dataclass(frozen=True)
class BankSettings:
    vouching_enabled: bool
    vouches_needed: int
    dbs_renewal_months: int
    attendance_without_clearance: bool = False
    #: ``None``: the opening day stays as it is.
    opened_on: dt.date | None = None


def brokered_bank(session: Session, actor: Person, time_bank_id: int) -> TimeBank:
    """A bank the actor brokers (admins broker every bank)."""
    bank = session.get(TimeBank, time_bank_id)
    if bank is None:
        raise NotFound(_l("There is no such time bank"))
    if not policy.is_broker(session, actor, bank.id):
        raise Forbidden(_l("Only a broker of this time bank can do that"))
    return bank


def update_settings(session: Session, actor: Person, time_bank_id: int, settings: BankSettings) -> TimeBank:
    bank = brokered_bank(session, actor, time_bank_id)
    if not MIN_VOUCHES <= settings.vouches_needed <= MAX_VOUCHES:
        raise errors.VouchesOutOfRange(
            _l("Choose between %(min)d and %(max)d vouches", min=MIN_VOUCHES, max=MAX_VOUCHES), field="vouches_needed")
    if not MIN_DBS_RENEWAL_MONTHS <= settings.dbs_renewal_months <= MAX_DBS_RENEWAL_MONTHS:
        raise errors.RenewalMonthsOutOfRange(_l("Choose between %(min)d and %(max)d months", min=MIN_DBS_RENEWAL_MONTHS,
                                             max=MAX_DBS_RENEWAL_MONTHS), field="dbs_renewal_months")
    changes = {
        name: value for name, value in vars(settings).items() if value is not None and getattr(bank, name) != value
    }
    if "opened_on" in changes:
        dates.opening_days(session, bank.id).check(settings.opened_on, "opened_on")
    for name, value in changes.items():
        setattr(bank, name, value)
    session.flush()
    audit.record(session, "bank.settings_changed", actor_id=actor.id, subject_type="time_bank", subject_id=bank.id,
                 time_bank_id=bank.id, **{name: value.isoformat() if isinstance(value, dt.date) else value
                                          for name, value in changes.items()})
    return bank


def require_admin(session: Session, actor: Person) -> None:
    """Staff roles are the install's administrators' to give (``session`` only so that every access rule
    has the same shape)."""
    if not actor.is_admin:
        raise Forbidden(_l("Only an administrator can change staff roles"))


def staff(session: Session, actor: Person, time_bank_id: int) -> list[BankRole]:
    """The bank's brokers and funders, for the admin's roles page."""
    require_admin(session, actor)
    if session.get(TimeBank, time_bank_id) is None:
        raise NotFound(_l("There is no such time bank"))
    return list(session.scalars(
        sa.select(BankRole).where(BankRole.time_bank_id == time_bank_id).order_by(BankRole.role, BankRole.id)
    ))


def give_role(session: Session, actor: Person, time_bank_id: int, email: str, role: BankRoleName) -> BankRole:
    """An admin makes someone already signed up a broker or funder of a bank."""
    require_admin(session, actor)
    if session.get(TimeBank, time_bank_id) is None:
        raise NotFound(_l("There is no such time bank"))
    person = find_person_by_email(session, clean_email(email) or "")
    if person is None or person.pseudonymised_at is not None:
        raise members_errors.NobodyWithThatEmail(_l("Nobody has joined with that email address"), field="email")
    if session.scalar(sa.select(BankRole.id).where(BankRole.time_bank_id == time_bank_id,
                                                   BankRole.person_id == person.id, BankRole.role == role)):
        raise Conflict(_l("They already have that role"), field="email")
    return grant_role(session, time_bank_id=time_bank_id, person_id=person.id, role=role, actor_id=actor.id)


def revoke_role(session: Session, actor: Person, time_bank_id: int, role_id: int) -> None:
    require_admin(session, actor)
    grant = session.get(BankRole, role_id)
    if grant is None or grant.time_bank_id != time_bank_id:
        raise NotFound(_l("There is no such role"))
    session.delete(grant)
    session.flush()
    audit.record(session, "bank.role_revoked", actor_id=actor.id, subject_type="person", subject_id=grant.person_id,
                 time_bank_id=time_bank_id, role=grant.role.value)


def all_banks(session: Session) -> list[TimeBank]:
    """Every bank on the install, by name: what someone joining chooses from."""
    return list(session.scalars(sa.select(TimeBank).order_by(TimeBank.name, TimeBank.id)))


def bank_choices(session: Session, bank_ids: Iterable[int] | None = None) -> list[tuple[int, str]]:
    """Banks for a select, by name: all of them, or those in ``bank_ids``."""
    wanted = None if bank_ids is None else set(bank_ids)
    return [(bank.id, bank.name) for bank in all_banks(session) if wanted is None or bank.id in wanted]

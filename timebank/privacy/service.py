"""A member's own data: download all of it, or leave and be pseudonymised. Only flushes.

Leaving keeps the books whole. The person's holder row, accounts, exchanges and postings stay exactly
as they were (the hash chain and every total still verify), but the holder is renamed to a stable
pseudonym ("Former member 7F3A2C") and everything that identifies them is wiped: name, email, phone,
postcode, password, profile, the referees they named, their DBS certificate numbers, the words of their
listings (open ones are closed) and their private calendar address. Every way they could still get in
ends: their sessions on every device, their API tokens (whose names are wiped) and any password link.
Their accounts are closed through the ledger service first, so nothing new can be recorded or confirmed
on them by any route; then their pending exchanges are cancelled or declined, and their places and
waiting-list entries on sessions not yet marked are given up through the attendance service (the first
person waiting moves up and is told), so nothing waits on someone who has gone.

Kept, because the time bank needs them: the amounts and dates of every exchange (with the words typed
at the time, which the ledger never edits), the levels and dates of DBS checks, safeguarding notes,
and the audit log. Each is tied only to the pseudonym from now on.
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.attendance import service as attendance
from timebank.audit import service as audit
from timebank.audit.models import AuditEvent
from timebank.auth import policy
from timebank.auth import service as auth
from timebank.auth.models import ApiToken
from timebank.categories.models import Category
from timebank.errors import Conflict, NotFound
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeState
from timebank.listings import service as listings
from timebank.members.models import BankRole, ContactMethod, OrganisationAdmin, Person
from timebank.membership.models import OPEN_STATUSES, Application, ApplicationStatus, Reference, Vouch
from timebank.profiles.models import Profile
from timebank.profiles.service import TEXT_FIELDS
from timebank.safeguarding.models import DbsCheck
from timebank.types import utcnow

REMOVED = "(removed)"


class AlreadyLeft(Conflict):
    code = "already-left"
    title = _l("This member has already left")


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def export_data(session: Session, person: Person) -> dict[str, Any]:
    """Everything held about the person, as JSON-ready data; the export itself is audited. Safeguarding
    notes, and the record of brokers' safeguarding work, are withheld from the download (they may concern
    other people's safety); a subject access request to the time bank covers them."""
    profile = session.get(Profile, person.id)
    accounts = list(session.scalars(sa.select(Account).where(Account.holder_id == person.id).order_by(Account.id)))
    account_ids = [account.id for account in accounts]
    exchanges = list(session.scalars(
        sa.select(Exchange)
        .where(sa.or_(Exchange.payer_account_id.in_(account_ids), Exchange.payee_account_id.in_(account_ids)))
        .order_by(Exchange.id)
    )) if account_ids else []
    categories: dict[int, str] = dict(session.execute(sa.select(Category.id, Category.code)).all())
    applications = list(session.scalars(
        sa.select(Application).where(Application.holder_id == person.id).order_by(Application.id)))
    audit.record(session, "privacy.data_exported", actor_id=person.id, subject_type="person", subject_id=person.id)
    return {
        "person": {
            "id": person.id,
            "name": person.display_name,
            "email": person.email,
            "phone": person.phone,
            "postcode": person.postcode,
            "contact_by": person.contact_by.value,
            "preferred_language": person.preferred_language.value,
            "joined_at": _iso(person.created_at),
            "left_at": _iso(person.pseudonymised_at),
        },
        "profile": None if profile is None else {
            **{name: getattr(profile, name) for name in TEXT_FIELDS},
            "abilities": [categories[a.category_id] for a in profile.abilities],
            "languages": [language.code for language in profile.languages],
            "availability": sorted([slot.weekday, slot.period.value] for slot in profile.availability),
            "can_travel": profile.can_travel,
            "travel_districts": [district.district for district in profile.travel_districts],
            "shown_to_other_members": {
                "name": profile.show_name, "area": profile.show_area,
                "abilities": profile.show_abilities, "contact": profile.show_contact,
            },
        },
        "organisations": [{"id": o.id, "name": o.display_name} for o in person.organisations],
        "roles": [{"time_bank_id": r.time_bank_id, "role": r.role.value} for r in person.bank_roles],
        "accounts": [{
            "id": a.id, "time_bank_id": a.time_bank_id, "balance_minutes": a.balance_minutes,
            "given_minutes": a.given_minutes, "received_minutes": a.received_minutes,
        } for a in accounts],
        "exchanges": [{
            "id": e.id, "time_bank_id": e.time_bank_id, "state": e.state.value, "kind": e.kind.value,
            "payer_account_id": e.payer_account_id, "payee_account_id": e.payee_account_id,
            "amount_minutes": e.amount_minutes, "occurred_on": _iso(e.occurred_on),
            "category": categories.get(e.category_id), "description": e.description,
            "recorded_at": _iso(e.created_at),
        } for e in exchanges],
        "applications": [{
            "id": a.id, "time_bank_id": a.time_bank_id, "status": a.status.value, "statement": a.statement,
            "submitted_at": _iso(a.created_at), "interview_on": _iso(a.interview_on),
            "decided_at": _iso(a.decided_at), "decision_note": a.decision_note, "vouches": len(a.vouches),
            "references": [{
                "referee_name": r.referee_name, "referee_contact": r.referee_contact, "known_how": r.known_how,
                "outcome": r.outcome.value, "outcome_on": _iso(r.outcome_on),
            } for r in a.references],
        } for a in applications],
        "api_tokens": [{
            "id": t.id, "name": t.name, "scope": t.scope.value, "created_at": _iso(t.created_at),
            "expires_at": _iso(t.expires_at), "revoked_at": _iso(t.revoked_at),
        } for t in session.scalars(sa.select(ApiToken).where(ApiToken.person_id == person.id).order_by(ApiToken.id))],
        "vouches_given": list(session.scalars(
            sa.select(Vouch.application_id).where(Vouch.voucher_id == person.id).order_by(Vouch.id))),
        "dbs_checks": [{
            "level": c.level.value, "workforce": c.workforce.value if c.workforce else None,
            "certificate_number": c.certificate_number, "issued_on": _iso(c.issued_on),
            "update_service": c.update_service, "status_checked_on": _iso(c.status_checked_on),
        } for c in session.scalars(sa.select(DbsCheck).where(DbsCheck.person_id == person.id).order_by(DbsCheck.id))],
        # When links to choose a password were made and used; never the secret in them.
        "password_links": [{
            "purpose": link.purpose.value, "made_at": _iso(link.created_at), "expires_at": _iso(link.expires_at),
            "used_at": _iso(link.used_at), "stopped_at": _iso(link.revoked_at),
        } for link in auth.password_links_of(session, person.id)],
        "activity_log": [{"at": _iso(e.at), "action": e.action, "by_you": e.actor_id == person.id}
                         for e in session.scalars(
                             sa.select(AuditEvent)
                             .where(sa.or_(AuditEvent.actor_id == person.id,
                                           sa.and_(AuditEvent.subject_type == "person",
                                                   AuditEvent.subject_id == person.id,
                                                   # Like the notes, brokers' safeguarding work is withheld.
                                                   AuditEvent.action.not_like("safeguarding.%"))))
                             .order_by(AuditEvent.id))],
        "withheld": [str(_l("Safeguarding notes written by brokers are not included here. To see what the "
                            "time bank holds about you, ask it for a subject access request."))],
    }


def leaver(session: Session, actor: Person, person_id: int) -> Person:
    """The person who is leaving: the actor themselves, or a member of a bank the actor brokers."""
    person = session.get(Person, person_id)
    if person is None or not (person.id == actor.id or policy.brokers_holder(session, actor, person.id)):
        raise NotFound(_l("There is no such member"))
    if person.pseudonymised_at is not None:
        raise AlreadyLeft()
    return person


def leave(session: Session, actor: Person, person_id: int) -> Person:
    """Pseudonymise a member who leaves. Returns the person under their new pseudonym."""
    person = leaver(session, actor, person_id)
    accounts = list(session.scalars(sa.select(Account.id).where(Account.holder_id == person.id)))
    # Closed before settling, under each account's lock: an exchange being recorded with them now either
    # got in first, and is settled below, or is refused. Settling first would leave a gap for one.
    for account_id in accounts:
        ledger.close_account(session, account_id)
    _settle_pending(session, actor, set(accounts))
    attendance.cancel_for_leaver(session, actor, person)
    attendance.stop_calendar_feed(session, person, actor=actor, reason="left")
    listings.close_for_leaver(session, person.id, actor=actor)

    for application in session.scalars(sa.select(Application).where(Application.holder_id == person.id)):
        if application.status in OPEN_STATUSES:
            application.status = ApplicationStatus.WITHDRAWN
        application.statement = ""
    session.execute(
        sa.update(Reference)
        .where(Reference.application_id.in_(sa.select(Application.id).where(Application.holder_id == person.id)))
        .values(referee_name=REMOVED, referee_contact=REMOVED, known_how="")
    )
    session.execute(sa.update(DbsCheck).where(DbsCheck.person_id == person.id).values(certificate_number=None))
    auth.end_access(session, person)
    roles = list(session.scalars(sa.select(BankRole).where(BankRole.person_id == person.id)))
    for role in roles:
        audit.record(session, "bank.role_revoked", actor_id=actor.id, subject_type="person", subject_id=person.id,
                     time_bank_id=role.time_bank_id, role=role.role.value, reason="left")
        session.delete(role)
    for link in session.scalars(sa.select(OrganisationAdmin).where(OrganisationAdmin.person_id == person.id)).all():
        audit.record(session, "member.organisation_admin_removed", actor_id=actor.id, subject_type="organisation",
                     subject_id=link.organisation_id, person_id=person.id, reason="left")
        session.delete(link)
    profile = session.get(Profile, person.id)
    if profile is not None:
        session.delete(profile)

    pseudonym = f"Former member {secrets.token_hex(3).upper()}"
    person.display_name = pseudonym
    person.email = person.phone = person.postcode = person.postcode_district = person.password_hash = None
    person.contact_by = ContactMethod.BROKER
    person.is_active = False
    person.is_admin = False
    person.pseudonymised_at = utcnow()
    session.flush()
    session.expire(person, ["organisations", "bank_roles"])
    audit.record(session, "member.left", actor_id=actor.id, subject_type="person", subject_id=person.id,
                 pseudonym=pseudonym, by_broker=actor.id != person.id)
    return person


def _settle_pending(session: Session, actor: Person, accounts: set[int]) -> None:
    """Close the leaver's pending exchanges through the ledger: cancel what they proposed, decline what
    others proposed to them. Other people's balances are then as if it had never been asked."""
    if not accounts:
        return
    pending = session.scalars(
        sa.select(Exchange).where(
            Exchange.state == ExchangeState.PENDING,
            sa.or_(Exchange.payer_account_id.in_(accounts), Exchange.payee_account_id.in_(accounts)),
        ).order_by(Exchange.id)
    ).all()
    for exchange in pending:
        own = exchange.payer_account_id if exchange.payer_account_id in accounts else exchange.payee_account_id
        if exchange.proposer_account_id == own:
            ledger.cancel_exchange(session, exchange.id, actor_id=actor.id, acting_for_account_id=own)
        else:
            ledger.decline_exchange(session, exchange.id, actor_id=actor.id, acting_for_account_id=own,
                                    note=str(_l("The member left the time bank.")))

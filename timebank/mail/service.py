"""Queueing emails, people's choices of which they get, and what brokers and admins see of them. Only flushes.

* ``queue_for_notice``: ``notices.service.notify`` calls it for each notice it makes. The person's choice
  for the kind decides whether there is an email at all; their contact route decides how it goes: with an
  address and no wish to hear through their broker, a ``queued`` row and a job (``mail.send``) that
  writes and sends it; otherwise a ``for_broker`` row, listed for the bank's brokers (``for_broker``)
  until one marks it passed on.
* ``queue_password_email``: a link to choose a password, made by the job that sends it (``auth``), so
  the secret is only ever in the email.
* An unsubscribe link carries ``[person id, kind]`` signed with the app's secret (itsdangerous, its own
  salt): whoever holds the email may turn that kind off, and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from timebank.jobs import service as jobs
from timebank.mail import errors, kinds
from timebank.mail.models import EmailKind, EmailPreference, EmailStatus, OutboundEmail
from timebank.members import policy
from timebank.members.models import ContactMethod, Person
from timebank.pagination import Page, paginate
from timebank.types import utcnow

SEND_JOB = "mail.send"
UNSUBSCRIBE_SALT = "timebank.mail.unsubscribe"


# --- who gets what -----------------------------------------------------------------------------------


def reaches_by_email(person: Person) -> bool:
    """Whether email reaches the person themselves: they have an address and did not ask to be contacted
    through their broker only."""
    return bool(person.email) and person.contact_by is not ContactMethod.BROKER and person.pseudonymised_at is None


def wanted_kinds(session: Session, person_id: int) -> dict[EmailKind, bool]:
    """Every kind a person may choose, and whether they want it (a kind with no row is wanted)."""
    chosen = dict(session.execute(sa.select(EmailPreference.kind, EmailPreference.wanted)
                                  .where(EmailPreference.person_id == person_id)).all())
    return {kind: chosen.get(kind, True) for choice in kinds.CHOICES for kind in choice.kinds}


def wants(session: Session, person_id: int, kind: EmailKind) -> bool:
    if kind in kinds.ALWAYS_SENT:
        return True
    chosen = session.scalar(sa.select(EmailPreference.wanted)
                            .where(EmailPreference.person_id == person_id, EmailPreference.kind == kind))
    return chosen is not False


def wanted_choices(session: Session, person_id: int) -> dict[str, bool]:
    """Each plain choice, and whether it is on: on while every kind in it is wanted."""
    wanted = wanted_kinds(session, person_id)
    return {choice.code: all(wanted[kind] for kind in choice.kinds) for choice in kinds.CHOICES}


def set_wanted(session: Session, person_id: int, changes: Mapping[EmailKind, bool]) -> None:
    """Turn kinds on or off (the kinds always sent are not a choice, and are left out)."""
    for kind, wanted in changes.items():
        if kind in kinds.ALWAYS_SENT:
            continue
        row = session.get(EmailPreference, (person_id, kind))
        if row is None:
            session.add(EmailPreference(person_id=person_id, kind=kind, wanted=wanted, updated_at=utcnow()))
        elif row.wanted != wanted:
            row.wanted, row.updated_at = wanted, utcnow()
    session.flush()


def set_choices(session: Session, person_id: int, choices: Mapping[str, bool]) -> None:
    """The preferences page: each choice turns every kind in it on or off."""
    changes: dict[EmailKind, bool] = {}
    for code, wanted in choices.items():
        choice = kinds.choice_named(code)
        if choice is not None:
            changes.update(dict.fromkeys(choice.kinds, wanted))
    set_wanted(session, person_id, changes)


# --- unsubscribing -------------------------------------------------------------------------------------


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(person_id: int, kind: EmailKind) -> str:
    return _signer().dumps([person_id, kind.value])


def read_unsubscribe_token(session: Session, token: str) -> tuple[Person, EmailKind]:
    """Whose choice and which kind the token names; ``UnsubscribeLinkNotUsable`` for anything else."""
    try:
        person_id, kind_value = _signer().loads(token)
        kind = EmailKind(kind_value)
    except (BadSignature, ValueError, TypeError):
        raise errors.UnsubscribeLinkNotUsable() from None
    person = session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is None or person.pseudonymised_at is not None or kind in kinds.ALWAYS_SENT:
        raise errors.UnsubscribeLinkNotUsable()
    return person, kind


def unsubscribe(session: Session, token: str) -> tuple[Person, EmailKind]:
    """Turn off the kind the token names, for the person it names (no sign-in: the token is the proof)."""
    person, kind = read_unsubscribe_token(session, token)
    set_wanted(session, person.id, {kind: False})
    return person, kind


# --- queueing ------------------------------------------------------------------------------------------


def queue_for_notice(session: Session, *, person_id: int, kind: str, notice_id: int, subject_id: int,
                     time_bank_id: int | None) -> OutboundEmail | None:
    """The email for a notice just made, if the person wants this kind (``None`` if not, or if the kind is
    never emailed)."""
    try:
        email_kind = EmailKind(kind)
    except ValueError:
        return None
    person = session.get(Person, person_id)
    if person is None or person.pseudonymised_at is not None or not wants(session, person_id, email_kind):
        return None
    return _queue(session, person, email_kind, subject_id=subject_id, notice_id=notice_id,
                  time_bank_id=time_bank_id)


def queue_password_email(session: Session, person: Person, kind: EmailKind, *, maker_id: int) -> OutboundEmail:
    """An email with a link for the person to choose a password; the job that sends it makes the link
    (``maker_id`` made it: a broker, an admin, or the person, who asked for it). The caller has checked
    that email reaches them."""
    return _queue(session, person, kind, subject_id=person.id, notice_id=None, time_bank_id=None,
                  payload={"maker_id": maker_id})


def _queue(session: Session, person: Person, kind: EmailKind, *, subject_id: int | None, notice_id: int | None,
           time_bank_id: int | None, payload: Mapping[str, Any] | None = None) -> OutboundEmail:
    sends = reaches_by_email(person)
    email = OutboundEmail(person_id=person.id, time_bank_id=time_bank_id, kind=kind, subject_id=subject_id,
                          notice_id=notice_id, language=person.preferred_language.value, to_address=person.email,
                          status=EmailStatus.QUEUED if sends else EmailStatus.FOR_BROKER, attempts=0)
    session.add(email)
    session.flush()
    if sends:
        jobs.enqueue(session, SEND_JOB, payload={"email_id": email.id, **(payload or {})},
                     key=f"{SEND_JOB}:{email.id}", time_bank_id=time_bank_id)
    return email


# --- for brokers ----------------------------------------------------------------------------------------


def for_broker(session: Session, time_bank_id: int, *, page: int = 1, per_page: int = 25) -> Page[OutboundEmail]:
    """The emails of the bank's members who hear through their broker, not yet passed on, oldest first.
    The caller (the broker's dashboard) has checked that the reader brokers the bank."""
    query = (sa.select(OutboundEmail)
             .where(OutboundEmail.time_bank_id == time_bank_id, OutboundEmail.status == EmailStatus.FOR_BROKER)
             .order_by(OutboundEmail.id))
    return paginate(session, query, page=page, per_page=per_page)


def mark_passed_on(session: Session, actor: Person, email_id: int) -> OutboundEmail:
    """A broker of the email's bank (or an admin) has passed it on. Doing it again changes nothing."""
    email = session.get(OutboundEmail, email_id, with_for_update=True)
    if email is None or email.status not in (EmailStatus.FOR_BROKER, EmailStatus.PASSED_ON):
        raise errors.EmailNotFound()
    if not (actor.is_admin or (email.time_bank_id is not None
                               and policy.is_broker(session, actor, email.time_bank_id))):
        raise errors.NotForThisBroker()
    if email.status is EmailStatus.FOR_BROKER:
        email.status, email.passed_on_by_id, email.passed_on_at = EmailStatus.PASSED_ON, actor.id, utcnow()
        session.flush()
    return email


# --- the outbox -------------------------------------------------------------------------------------------


def require_admin(session: Session, actor: Person) -> None:
    """The outbox shows everyone's emails: administrators only (``session`` so every rule has one shape)."""
    if not actor.is_admin:
        raise errors.OutboxForAdmins()


def outbox(session: Session, actor: Person, *, page: int = 1, per_page: int = 25) -> Page[OutboundEmail]:
    """The emails kept in the outbox, newest first."""
    require_admin(session, actor)
    query = (sa.select(OutboundEmail)
             .where(OutboundEmail.status == EmailStatus.SENT, OutboundEmail.text_body.is_not(None))
             .order_by(OutboundEmail.id.desc()))
    return paginate(session, query, page=page, per_page=per_page)


def outbox_email(session: Session, actor: Person, email_id: int) -> OutboundEmail:
    require_admin(session, actor)
    email = session.get(OutboundEmail, email_id)
    if email is None or email.text_body is None:
        raise errors.EmailNotFound()
    return email


# --- a person's own ---------------------------------------------------------------------------------------


def emails_of(session: Session, person_id: int) -> list[OutboundEmail]:
    return list(session.scalars(sa.select(OutboundEmail).where(OutboundEmail.person_id == person_id)
                                .order_by(OutboundEmail.id)))


def preferences_of(session: Session, person_id: int) -> list[EmailPreference]:
    return list(session.scalars(sa.select(EmailPreference).where(EmailPreference.person_id == person_id)
                                .order_by(EmailPreference.kind)))


def forget(session: Session, person_id: int) -> None:
    """Leaving: choices deleted; each email's address and words wiped (what was sent, when, stays counted);
    any not yet sent is not sent."""
    session.execute(sa.delete(EmailPreference).where(EmailPreference.person_id == person_id))
    session.execute(sa.update(OutboundEmail)
                    .where(OutboundEmail.person_id == person_id, OutboundEmail.status == EmailStatus.QUEUED)
                    .values(status=EmailStatus.FAILED, last_error="person-left"))
    session.execute(sa.update(OutboundEmail).where(OutboundEmail.person_id == person_id)
                    .values(to_address=None, subject_line=None, text_body=None, html_body=None))
    session.flush()

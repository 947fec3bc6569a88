"""Signing in and out, and passwords: setting one up or resetting it with a single-use link a broker
makes, changing it, and asking for help with a forgotten one. Only flushes; every step is audited (the
sign-in back-off's counts live in the rate limiter's storage, not the database: ``timebank.auth.backoff``).

**Sessions end for real.** A browser session carries the person's id and their session version
(``Person.get_id``), and is honoured only while that version is current. Signing out, a new password and
leaving move the version on, so every older session, on every device, stops working at once. (API
tokens are revoked as well when the password changes or the person leaves; signing out of the pages
leaves the person's programs' tokens alone.)

**Password links.** A broker of the person's bank (or an admin) asks for a link: it is emailed to the
person, made by the job that sends it (``auth.emails``), so its secret exists only in the email; for
someone who hears through their broker (or has no way to get email) it is made at once and shown to the
broker, once, to pass on. A forgotten password brings a link by email the same way. Whoever opens it
chooses a password, once, before it expires; that ends every other session and signs them in. A newer
link, a password changed another way, or leaving revokes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.auth import backoff, tokens
from timebank.auth.models import PasswordLink, PasswordLinkPurpose
from timebank.auth.passwords import check_new_password, hash_password, needs_rehash, verify_password
from timebank.clock import uk_today
from timebank.digests import new_readable_secret, readable_digest
from timebank.errors import Conflict, DomainError, NotFound
from timebank.mail import service as mail
from timebank.mail.models import EmailKind, OutboundEmail
from timebank.members import policy
from timebank.members.models import Person
from timebank.members.service import find_person_by_email
from timebank.notices import service as notices
from timebank.notices.models import NoticeKind
from timebank.personal_data import REMOVED
from timebank.types import MAX_ID, utcnow


class WrongPassword(DomainError):
    code = "wrong-password"
    title = _l("That is not your password")


class LinkNotUsable(NotFound):
    """A password link that is unknown, used, revoked or expired: one answer for all four, so the page
    never tells anyone which links exist."""

    code = "link-not-usable"

    title = _l("This link does not work")

    def __init__(self) -> None:
        super().__init__(_l("This link does not work. Each link works once, for a limited time. Ask your time "
                            "bank's broker for a new one."))


class NoEmailToSignInWith(DomainError):
    code = "no-email-to-sign-in-with"
    title = _l("They need an email address first")


class LinkMadeMeanwhile(Conflict):
    code = "link-made-meanwhile"
    title = _l("Someone else made a link for them just now")


# --- signing in and out ----------------------------------------------------------------------------


def authenticate(session: Session, email: str, password: str) -> Person | None:
    """The person with this email and password, or ``None``. Takes as long either way, whether or not
    the email is anyone's. While the account's sign-ins are paused after wrong passwords
    (``timebank.auth.backoff``) it raises ``TooManyAttempts`` without checking the password."""
    backoff.refuse_while_paused(email)
    person = find_person_by_email(session, email)
    ok = verify_password(person.password_hash if person else None, password)
    if person is None or not ok or not person.is_active:
        pause = backoff.record_failure(email)
        details = {"pause_seconds": pause} if pause else {}
        audit.record(session, "auth.sign_in_failed", actor_id=None, subject_type="person",
                     subject_id=person.id if person else None, **details)
        return None
    backoff.forget_failures(email)
    if person.password_hash and needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    audit.record(session, "auth.signed_in", actor_id=person.id, subject_type="person", subject_id=person.id)
    return person


def person_for_session(session: Session, session_id: str) -> Person | None:
    """Whose browser session this is (``"<id>:<version>"``, from ``Person.get_id``), if it is still
    theirs: the person is active and signed in since their sessions last ended."""
    person_id = session_id.partition(":")[0]
    if not (person_id.isascii() and person_id.isdigit()) or not 1 <= int(person_id) <= MAX_ID:
        return None
    person = session.get(Person, int(person_id))
    if person is None or not person.is_active or person.get_id() != session_id:
        return None
    return person


def end_sessions(session: Session, person: Person) -> None:
    """End every browser session the person has, everywhere. (Incremented in SQL, so two at once both
    count; the attribute reloads with the new value.)"""
    session.flush()
    session.execute(sa.update(Person).where(Person.id == person.id)
                    .values(session_version=Person.session_version + 1)
                    .execution_options(synchronize_session=False))
    session.expire(person, ["session_version"])


def sign_out(session: Session, person: Person) -> None:
    """Sign out here and on every other device."""
    end_sessions(session, person)
    audit.record(session, "auth.signed_out", actor_id=person.id, subject_type="person", subject_id=person.id)


def _revoke_links(session: Session, person_id: int) -> None:
    session.execute(sa.update(PasswordLink)
                    .where(PasswordLink.person_id == person_id, PasswordLink.used_at.is_(None),
                           PasswordLink.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def end_access(session: Session, person: Person) -> None:
    """Every way the person could still get in stops working: sessions, API tokens, password links; and
    the names they gave their tokens ("Ffion's laptop": their own words) are wiped. For leaving."""
    end_sessions(session, person)
    tokens.revoke_all(session, person.id)
    tokens.forget_names(session, person.id, REMOVED)
    _revoke_links(session, person.id)


def _check(person: Person, password: str) -> str:
    return check_new_password(password, email=person.email, field="new_password")


def _new_password(session: Session, person: Person, password: str, *, keep_token_hash: str | None = None) -> None:
    """Store a password (already checked against the rule), and end whatever the old one let in: every
    session (the caller signs the current browser in again), every API token but the one in use, any
    live link."""
    person.password_hash = hash_password(password)
    end_sessions(session, person)
    tokens.revoke_all(session, person.id, keep_hash=keep_token_hash)
    _revoke_links(session, person.id)


# --- changing a password ---------------------------------------------------------------------------


def change_password(session: Session, person: Person, current: str, new: str, *,
                    keep_token_hash: str | None = None) -> None:
    """A signed-in person changes their password; ``keep_token_hash`` is the API token they are using."""
    if not verify_password(person.password_hash, current):
        raise WrongPassword(_l("That is not the password you use now"), field="current_password")
    _new_password(session, person, _check(person, new), keep_token_hash=keep_token_hash)
    audit.record(session, "auth.password_changed", actor_id=person.id, subject_type="person", subject_id=person.id)


# --- password links ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkLifetimes:
    set_up: dt.timedelta
    reset: dt.timedelta

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LinkLifetimes:
        return cls(config["PASSWORD_SET_UP_LINK_LIFETIME"], config["PASSWORD_RESET_LINK_LIFETIME"])

    def of(self, purpose: PasswordLinkPurpose) -> dt.timedelta:
        return self.set_up if purpose is PasswordLinkPurpose.SET_UP else self.reset


def link_subject(session: Session, actor: Person, person_id: int) -> Person:
    """Whom the actor may make a password link for: a person in (or applying to) a bank they broker, or
    anyone, for an admin. Everyone else is told there is no such member."""
    person = session.get(Person, person_id)
    if person is None or person.pseudonymised_at is not None or not (
        actor.is_admin or policy.brokers_holder(session, actor, person.id)
    ):
        raise NotFound(_l("There is no such member"))
    return person


def link_purpose(person: Person) -> PasswordLinkPurpose:
    return PasswordLinkPurpose.SET_UP if person.password_hash is None else PasswordLinkPurpose.RESET


def make_password_link(session: Session, actor: Person, person_id: int,
                       lifetimes: LinkLifetimes) -> tuple[str, PasswordLink]:
    """A new link for the person (revoking any earlier one), and its secret, to show the actor once."""
    person = _reachable_subject(session, actor, person_id)
    return _new_link(session, person, maker_id=actor.id, lifetimes=lifetimes)


def _reachable_subject(session: Session, actor: Person, person_id: int) -> Person:
    """Whom the actor may make a link for, and who has an address to sign in with."""
    person = link_subject(session, actor, person_id)
    if person.email is None:
        raise NoEmailToSignInWith(_l("%(name)s has no email address, and people sign in with theirs. Add one "
                                     "to their contact details first.", name=person.display_name))
    return person


def email_password_link(session: Session, actor: Person, person_id: int) -> OutboundEmail | None:
    """Email the person a link (made by the job that sends it, so its secret is only ever in the email), if
    email reaches them; ``None`` if they hear through their broker: the caller makes the link and shows it."""
    person = _reachable_subject(session, actor, person_id)
    if not mail.reaches_by_email(person):
        return None
    email = mail.queue_password_email(session, person, _email_kind(link_purpose(person)), maker_id=actor.id)
    audit.record(session, "auth.password_link_emailed", actor_id=actor.id, subject_type="person",
                 subject_id=person.id, email_id=email.id)
    return email


def _email_kind(purpose: PasswordLinkPurpose) -> EmailKind:
    return EmailKind.PASSWORD_SET_UP if purpose is PasswordLinkPurpose.SET_UP else EmailKind.PASSWORD_RESET


def emailed_purpose(email: OutboundEmail) -> PasswordLinkPurpose:
    """What an emailed link is for, from the kind of its email."""
    return PasswordLinkPurpose.SET_UP if email.kind is EmailKind.PASSWORD_SET_UP else PasswordLinkPurpose.RESET


def make_emailed_link(session: Session, person: Person, maker_id: int,
                      lifetimes: LinkLifetimes) -> tuple[str, PasswordLink]:
    """The link an email carries, made by the job that sends it: by the person themselves (they asked), or by
    a broker or admin who may still make one for them."""
    if maker_id != person.id:
        maker = session.get(Person, maker_id)
        if maker is None or not maker.is_active:
            raise NotFound(_l("There is no such member"))
        person = _reachable_subject(session, maker, person.id)
    elif not person.is_active or person.email is None:
        raise LinkNotUsable()
    return _new_link(session, person, maker_id=maker_id, lifetimes=lifetimes)


def _new_link(session: Session, person: Person, *, maker_id: int,
              lifetimes: LinkLifetimes) -> tuple[str, PasswordLink]:
    purpose = link_purpose(person)
    _revoke_links(session, person.id)
    raw, secret_hash = new_readable_secret()
    now = utcnow()
    link = PasswordLink(person_id=person.id, purpose=purpose, secret_hash=secret_hash, created_by_id=maker_id,
                        created_at=now, expires_at=now + lifetimes.of(purpose))
    session.add(link)
    try:
        with session.begin_nested():
            session.flush()
    except sa.exc.IntegrityError:
        # Two brokers at once: the partial UNIQUE index let one live link through.
        raise LinkMadeMeanwhile(_l("Someone else made a password link for them just now. Make a new one if "
                                   "you need to pass it on yourself.")) from None
    audit.record(session, "auth.password_link_made", actor_id=maker_id, subject_type="person", subject_id=person.id,
                 purpose=purpose.value, link_id=link.id, expires_at=link.expires_at.isoformat())
    return raw, link


def usable_link(session: Session, secret: str) -> PasswordLink:
    """The live link with this secret, or ``LinkNotUsable``."""
    secret_hash = readable_digest(secret)
    link = session.scalar(sa.select(PasswordLink).where(PasswordLink.secret_hash == secret_hash)) \
        if secret_hash else None
    if link is None or link.used_at is not None or link.revoked_at is not None or link.expires_at <= utcnow() \
            or not link.person.is_active:
        raise LinkNotUsable()
    return link


def set_password_with_link(session: Session, secret: str, password: str) -> Person:
    """Choose a password with a link: the link is used up, every other session ends, and the caller signs
    the person in."""
    link = usable_link(session, secret)
    person = link.person
    password = _check(person, password)
    # Used up in one conditional UPDATE: of two submissions at once, only one finds it still unused.
    used = session.execute(sa.update(PasswordLink)
                           .where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None),
                                  PasswordLink.revoked_at.is_(None))
                           .values(used_at=utcnow()))
    if used.rowcount != 1:
        raise LinkNotUsable()
    session.expire(link)
    _new_password(session, person, password)
    if person.email:  # a new password ends any pause after wrong guesses at the old one
        backoff.forget_failures(person.email)
    audit.record(session, "auth.password_set", actor_id=person.id, subject_type="person", subject_id=person.id,
                 purpose=link.purpose.value, link_id=link.id)
    return person


def password_links_of(session: Session, person_id: int) -> list[PasswordLink]:
    return list(session.scalars(sa.select(PasswordLink).where(PasswordLink.person_id == person_id)
                                .order_by(PasswordLink.id)))


# --- a forgotten password --------------------------------------------------------------------------


def ask_for_password_help(session: Session, email: str) -> None:
    """Someone says they have forgotten the password for ``email``. If it is an active person's, a link to
    choose a new one is emailed to that address; for someone who hears through their broker, every broker
    of their banks (or, for someone in no bank, the admins) is told instead, at most once a day, and checks
    with the person before making them a link. The caller answers the same whatever happens here, so
    nobody learns who is a member."""
    person = find_person_by_email(session, email)
    if person is None or not person.is_active:
        return
    if mail.reaches_by_email(person):
        sent = mail.queue_password_email(session, person, _email_kind(link_purpose(person)), maker_id=person.id)
        audit.record(session, "auth.password_help_asked", actor_id=None, subject_type="person", subject_id=person.id,
                     email_id=sent.id)
        return
    told = set().union(*(notices.brokers_of(session, bank_id)
                         for bank_id in policy.holder_bank_ids(session, person.id)))
    if not told - {person.id}:
        told = set(session.scalars(sa.select(Person.id).where(Person.is_admin, Person.is_active)))
    told.discard(person.id)
    notices.notify(session, told, NoticeKind.PASSWORD_HELP, person.id,
                   key=f"{NoticeKind.PASSWORD_HELP.value}:{person.id}:{uk_today().isoformat()}",
                   time_bank_id=None)  # to staff, about no one bank
    audit.record(session, "auth.password_help_asked", actor_id=None, subject_type="person", subject_id=person.id,
                 told=sorted(told))

"""Signing in. Only flushes (the back-off's counts live in the rate limiter's storage, not the database)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.auth import backoff
from timebank.auth.passwords import hash_password, needs_rehash, verify_password
from timebank.members.models import Person
from timebank.members.service import find_person_by_email


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

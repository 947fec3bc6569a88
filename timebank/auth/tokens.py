"""Issuing and checking API bearer tokens. Only flushes."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.auth.models import ApiToken
from timebank.digests import digest, new_secret
from timebank.members.models import Person
from timebank.types import utcnow


def issue_token(session: Session, person: Person, lifetime: dt.timedelta) -> tuple[str, ApiToken]:
    """Return the raw token (shown once) and its stored record."""
    raw, token_hash = new_secret()
    token = ApiToken(person_id=person.id, token_hash=token_hash, expires_at=utcnow() + lifetime)
    session.add(token)
    session.flush()
    audit.record(session, "auth.token_issued", actor_id=person.id, subject_type="api_token", subject_id=token.id)
    return raw, token


def person_for_token(session: Session, raw: str) -> Person | None:
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest(raw)))
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at <= utcnow() or not token.person.is_active:
        return None
    return token.person

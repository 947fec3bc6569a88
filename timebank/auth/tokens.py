"""Issuing, listing, revoking and checking API bearer tokens. Only flushes."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.auth import errors
from timebank.auth.models import MAX_NAME_LENGTH, ApiToken, TokenScope
from timebank.db import READ_ONLY_METHODS
from timebank.digests import digest, new_secret
from timebank.errors import Forbidden, NotFound
from timebank.members.models import Person
from timebank.pagination import Page, paginate
from timebank.types import utcnow

#: How long a token may be made to last, in days.
MIN_DAYS, MAX_DAYS = 1, 365
#: The name of a token made without one (``POST /api/v1/tokens`` with email and password only).
DEFAULT_NAME = "API token"


class InsufficientScope(Forbidden):
    code = "insufficient-scope"
    title = _l("This API token may only read")

    def __init__(self) -> None:
        super().__init__(_l("This token was made to read only. To change things, make a token that may "
                            "read and change, and use that."))

    @property
    def headers(self) -> dict[str, str]:
        # RFC 6750 §3.1: say which scope the request needed.
        return {"WWW-Authenticate": 'Bearer realm="timebank", error="insufficient_scope", scope="write"'}


def issue_token(session: Session, person: Person, lifetime: dt.timedelta, *, name: str = DEFAULT_NAME,
                scope: TokenScope = TokenScope.WRITE) -> tuple[str, ApiToken]:
    """Return the raw token (shown once) and its stored record."""
    raw, token_hash = new_secret()
    token = ApiToken(person_id=person.id, token_hash=token_hash, name=name, scope=scope,
                     expires_at=utcnow() + lifetime)
    session.add(token)
    session.flush()
    audit.record(session, "auth.token_issued", actor_id=person.id, subject_type="api_token", subject_id=token.id,
                 scope=scope.value, expires_at=token.expires_at.isoformat())
    return raw, token


def make_token(session: Session, person: Person, *, name: str, scope: TokenScope,
               expires_in_days: int) -> tuple[str, ApiToken]:
    """A token the person asked for by name, scope and lifetime: what the page and the API both make."""
    name = name.strip()
    if not name:
        raise errors.TokenNameMissing(_l("Give the token a name, so that you can tell it apart later."), field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise errors.TokenNameTooLong(_l("Use a name of %(max)d characters or fewer.", max=MAX_NAME_LENGTH),
                                      field="name")
    if not MIN_DAYS <= expires_in_days <= MAX_DAYS:
        raise errors.TokenLifetimeOutOfRange(_l("Choose from %(low)d to %(high)d days.", low=MIN_DAYS, high=MAX_DAYS),
                                             field="expires_in_days")
    return issue_token(session, person, dt.timedelta(days=expires_in_days), name=name, scope=scope)


def tokens_of(session: Session, person: Person, *, page: int, per_page: int) -> Page[ApiToken]:
    """The person's own tokens, newest first, revoked and expired ones too."""
    query = (sa.select(ApiToken).where(ApiToken.person_id == person.id)
             .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    return paginate(session, query, page=page, per_page=per_page)


def own_token(session: Session, person: Person, token_id: int) -> ApiToken:
    """One of the person's own tokens; anyone else's is not there for them."""
    token = session.get(ApiToken, token_id)
    if token is None or token.person_id != person.id:
        raise NotFound(_l("You have no such API token."))
    return token


def revoke(session: Session, person: Person, token_id: int) -> ApiToken:
    """Stop one of the person's tokens working, for good. Revoking it again changes nothing."""
    token = own_token(session, person, token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        audit.record(session, "auth.token_revoked", actor_id=person.id, subject_type="api_token",
                     subject_id=token.id)
    return token


def revoke_all(session: Session, person_id: int, *, keep_hash: str | None = None) -> None:
    """Stop every token of the person working but the one whose hash is ``keep_hash`` (the one in use)."""
    query = sa.update(ApiToken).where(ApiToken.person_id == person_id, ApiToken.revoked_at.is_(None))
    if keep_hash is not None:
        query = query.where(ApiToken.token_hash != keep_hash)
    session.execute(query.values(revoked_at=utcnow()))


def forget_names(session: Session, person_id: int, removed: str) -> None:
    """Wipe the names a person gave their tokens ("Ffion's laptop": their own words), for leaving."""
    session.execute(sa.update(ApiToken).where(ApiToken.person_id == person_id).values(name=removed))


def works(token: ApiToken, at: dt.datetime) -> bool:
    """Neither revoked nor expired at that moment."""
    return token.revoked_at is None and token.expires_at > at


def valid_token(session: Session, raw: str) -> ApiToken | None:
    """The token this secret belongs to, if it works and its person may still sign in."""
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest(raw)))
    if token is None or not works(token, utcnow()) or not token.person.is_active:
        return None
    return token


def require_scope(token: ApiToken, method: str) -> None:
    """A read token may only make requests that change nothing (GET and HEAD)."""
    if token.scope is TokenScope.READ and method not in READ_ONLY_METHODS:
        raise InsufficientScope()

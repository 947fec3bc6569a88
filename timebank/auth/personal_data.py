"""Signing in's part of what is held about a person (``timebank.personal_data``): their API tokens and
the links made for them to choose a password (names, scopes and times; never a secret).

Leaving ends every way they could still get in (``service.end_access``): their sessions on every
device, their tokens (whose names, their own words, are wiped) and any live password link.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.auth import service
from timebank.auth.models import ApiToken
from timebank.members.models import Person
from timebank.personal_data import Part, iso


def export(session: Session, person: Person) -> dict[str, Any]:
    return {
        "api_tokens": [{
            "id": t.id, "name": t.name, "scope": t.scope.value, "created_at": iso(t.created_at),
            "expires_at": iso(t.expires_at), "revoked_at": iso(t.revoked_at),
        } for t in session.scalars(sa.select(ApiToken).where(ApiToken.person_id == person.id).order_by(ApiToken.id))],
        # When links to choose a password were made and used; never the secret in them.
        "password_links": [{
            "purpose": link.purpose.value, "made_at": iso(link.created_at), "expires_at": iso(link.expires_at),
            "used_at": iso(link.used_at), "stopped_at": iso(link.revoked_at),
        } for link in service.password_links_of(session, person.id)],
    }


def forget(session: Session, actor: Person, person: Person) -> None:
    service.end_access(session, person)


PART = Part(name="auth", tables=("api_tokens", "password_links"), sections=("api_tokens", "password_links"),
            export=export, forget=forget)

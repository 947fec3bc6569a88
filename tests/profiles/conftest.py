"""Factories for profiles: fill one in as its holder (or anyone who may manage it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.membership.conftest import audited  # noqa: F401 (a fixture shared with this directory)
from timebank.members.models import Holder, Organisation, Person
from timebank.profiles import service as profiles
from timebank.profiles.models import Profile
from timebank.profiles.service import ProfileUpdate


@pytest.fixture
def make_profile(db_session: Session) -> Callable[..., Profile]:
    """Save ``holder``'s profile from ``ProfileUpdate`` fields, as the holder (an organisation's first
    admin) unless ``actor`` is given."""

    def make(holder: Holder, *, actor: Person | None = None, **fields: Any) -> Profile:
        if actor is None:
            actor = holder.admins[0] if isinstance(holder, Organisation) else holder
        assert isinstance(actor, Person)
        return profiles.update_profile(db_session, actor, holder.id, ProfileUpdate(**fields))

    return make

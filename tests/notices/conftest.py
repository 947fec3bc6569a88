"""Fixtures for the notices tests: the API client, exchanges through the ledger, and notices made
through ``notices.service.notify`` as the features that send them do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.exchanges.conftest import api_as, exchange_of, gardening  # noqa: F401 (fixtures shared with this directory)
from timebank.members.models import Person
from timebank.notices import service as notices
from timebank.notices.models import Notice, NoticeKind


@pytest.fixture
def give_notice(db_session: Session) -> Callable[..., Notice]:
    def give(person: Person, kind: NoticeKind, subject_id: int, key: str | None = None) -> Notice:
        key = key or f"{kind.value}:{subject_id}:test"
        notices.notify(db_session, [person.id], kind, subject_id, key, time_bank_id=None)
        db_session.commit()
        return db_session.scalars(sa.select(Notice).where(Notice.person_id == person.id, Notice.key == key)).one()

    return give

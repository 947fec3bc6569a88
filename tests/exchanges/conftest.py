"""Helpers for the page tests: switch who is signed in, fill in the exchange form, count rows."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from timebank.categories.models import Category
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange
from timebank.members.models import Person


@pytest.fixture
def as_person(client: FlaskClient, sign_in: Callable[[Person], FlaskClient]) -> Callable[[Person], FlaskClient]:
    """Sign out whoever is signed in, then sign in as this person."""

    def switch(person: Person) -> FlaskClient:
        client.post("/sign-out")
        return sign_in(person)

    return switch


@pytest.fixture
def exchange_form(today: Any) -> Callable[..., dict[str, Any]]:
    """What a person types into "Record an exchange": 1 h 30 min of gardening they gave, today."""

    def fill(account: Account, counterpart: Account, /, **changes: Any) -> dict[str, Any]:
        data = {
            "account": str(account.id),
            "side": "giver",
            "counterpart": str(counterpart.id),
            "hours": "1",
            "minutes": "30",
            "occurred_on": today.isoformat(),
            "category": "gardening",
            "description": "Weeded the front garden",
            "idempotency_key": uuid.uuid4().hex,
        }
        data.update(changes)
        return data

    return fill


@pytest.fixture
def count_exchanges(db_session: Session) -> Callable[[], int]:
    return lambda: db_session.scalar(sa.select(sa.func.count(Exchange.id))) or 0


@pytest.fixture
def api_as(client: FlaskClient, db_session: Session) -> Callable[[Person], Any]:
    """The API as this person, with a fresh bearer token. Taking the token commits what the test set up,
    so a refused request (which rolls back) keeps it."""
    from tests.api.support import ApiClient
    from timebank.auth import tokens

    def as_(person: Person) -> ApiClient:
        raw, _token = tokens.issue_token(db_session, person, dt.timedelta(hours=1))
        db_session.commit()
        return ApiClient(client, raw)

    return as_


@pytest.fixture
def gardening(db_session: Session) -> Category:
    return db_session.scalar(sa.select(Category).where(Category.code == "gardening"))


@pytest.fixture
def exchange_of(db_session: Session, gardening: Category, today: dt.date) -> Callable[..., Exchange]:
    """Through the ledger: ``giver`` helped ``receiver`` (accounts), recorded by ``by``; confirmed by
    ``confirm_by`` if given. Committed, as a request would, so a later refused request keeps it."""

    def make(giver: Account, receiver: Account, minutes: int = 60, *, by: Person,
             confirm_by: Person | None = None) -> Exchange:
        made, _ = ledger.record_exchange(
            db_session, proposer_account_id=giver.id, counterpart_account_id=receiver.id, proposer_is_giver=True,
            amount_minutes=minutes, occurred_on=today, category_id=gardening.id, description="Weeded the garden",
            recorded_by_id=by.id, idempotency_key=uuid.uuid4().hex,
        )
        if confirm_by is not None:
            ledger.confirm_exchange(db_session, made.id, actor_id=confirm_by.id, acting_for_account_id=receiver.id)
        db_session.commit()
        return made

    return make

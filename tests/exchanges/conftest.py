"""Helpers for the page tests: switch who is signed in, fill in the exchange form, count rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

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
            "side": "provider",
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

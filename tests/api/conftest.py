"""Fixtures for the JSON API.

An API request that fails rolls the session back (nothing a refused request flushed may stay). In tests
the request shares the test's session, so set up the books first and then take a token: ``api_as``
commits, which keeps the set-up (the whole test is still rolled back at the end by the harness).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.api.support import ApiClient, Books
from timebank.auth import tokens
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.ledger.models import Account, Exchange, ExchangeEvent, Posting
from timebank.members.models import BankRoleName, Person
from timebank.membership import service as membership


@pytest.fixture
def api_as(client: FlaskClient, db_session: Session) -> Callable[[Person], ApiClient]:
    def as_(person: Person) -> ApiClient:
        raw, _token = tokens.issue_token(db_session, person, dt.timedelta(hours=1))
        db_session.commit()
        return ApiClient(client, raw)

    return as_


@pytest.fixture
def anonymous(client: FlaskClient) -> ApiClient:
    return ApiClient(client, None)


@pytest.fixture
def make_funder(db_session: Session, make_person: Callable[..., Person]) -> Callable[..., Person]:
    def make(bank: TimeBank, name: str = "Test Funder") -> Person:
        person = make_person(name)
        banks.grant_role(db_session, time_bank_id=bank.id, person_id=person.id, role=BankRoleName.FUNDER,
                         actor_id=None)
        return person

    return make


@pytest.fixture
def exchange_body(today: dt.date) -> Callable[..., dict[str, Any]]:
    """A valid proposal body: ``account`` gave ``counterpart`` an hour of gardening today."""

    def body(account: Account, counterpart: Account, **overrides: Any) -> dict[str, Any]:
        return {
            "account_id": account.id,
            "side": "giver",
            "counterpart_account_id": counterpart.id,
            "minutes": 60,
            "occurred_on": today.isoformat(),
            "category": "gardening",
            "description": "Weeded the front garden",
            "idempotency_key": uuid.uuid4().hex,
            **overrides,
        }

    return body


@pytest.fixture
def books(db_session: Session) -> Callable[[], Books]:
    def snapshot() -> Books:
        db_session.expire_all()
        count = lambda model: db_session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
        counters = db_session.execute(
            sa.select(Account.id, Account.debits_pending_minutes, Account.credits_pending_minutes,
                      Account.debits_posted_minutes, Account.credits_posted_minutes,
                      Account.given_minutes, Account.received_minutes).order_by(Account.id)
        )
        return Books(count(Exchange), count(ExchangeEvent), count(Posting), tuple(tuple(row) for row in counters))

    return snapshot


@pytest.fixture
def make_admin(make_person: Callable[..., Person]) -> Callable[..., Person]:
    def make(name: str = "Test Admin") -> Person:
        return make_person(name, is_admin=True)

    return make


@pytest.fixture
def make_applicant(db_session: Session, make_person: Callable[..., Person]) -> Callable[..., Any]:
    """A person who has applied to the bank (an open application, two referees awaited).
    Returns ``(person, application)``."""
    def make(bank: TimeBank, name: str = "Test Applicant", statement: str = "I can fix bikes") -> Any:
        person = make_person(name, postcode="HB3 2QT")
        referees = (membership.Referee("Rhian Lloyd", "rhian@example.org", "neighbour"),
                    membership.Referee("Tom Hale", "01632 960 123", "old colleague"))
        application = membership.apply(db_session, person, holder_id=person.id, time_bank_id=bank.id,
                                       statement=statement, referees=referees)
        return person, application

    return make

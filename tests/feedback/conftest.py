"""The feedback world: a bank with a broker, the council's session that has happened, with two residents
who came and one who did not, and a confirmed exchange between two residents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.activities.conftest import council, officer  # noqa: F401 (fixtures shared with this directory)
from tests.api.conftest import anonymous, api_as, make_funder  # noqa: F401 (fixtures shared with this directory)
from tests.attendance.conftest import make_session, organiser  # noqa: F401 (fixtures shared with this directory)
from timebank.activities.models import ActivitySession
from timebank.attendance import service as attendance
from timebank.banks.models import TimeBank
from timebank.exchanges import service as exchanges
from timebank.exchanges.service import Proposal, Side
from timebank.ledger.models import Exchange
from timebank.ledger.service import account_of
from timebank.members.models import Person


@pytest.fixture
def came(make_member: Callable[..., Any], bank: TimeBank) -> Person:
    person, _ = make_member(bank, "Ceri Came", email="ceri@example.org")
    return person


@pytest.fixture
def stayed_away(make_member: Callable[..., Any], bank: TimeBank) -> Person:
    person, _ = make_member(bank, "Steffan Away", email="steffan@example.org")
    return person


@pytest.fixture
def held(db_session: Session, make_session: Callable[..., ActivitySession], organiser: Person, came: Person,  # noqa: F811
         stayed_away: Person) -> ActivitySession:
    """A session that started three hours ago; attendance marked: ``came`` came, ``stayed_away`` did not."""
    activity_session = make_session(starts_in=-dt.timedelta(hours=3))
    attendance.mark_attendance(db_session, organiser, activity_session.id,
                               [attendance.Mark(came.id, True), attendance.Mark(stayed_away.id, False)])
    return activity_session


@pytest.fixture
def giver_and_receiver(make_member: Callable[..., Any], bank: TimeBank) -> tuple[Person, Person]:
    giver, _ = make_member(bank, "Gethin Giver", email="gethin@example.org")
    receiver, _ = make_member(bank, "Rhian Receiver", email="rhian@example.org")
    return giver, receiver


@pytest.fixture
def confirmed(db_session: Session, giver_and_receiver: tuple[Person, Person], bank: TimeBank,
              today: dt.date) -> Exchange:
    """Gethin recorded two hours' gardening for Rhian, and Rhian confirmed it."""
    giver, receiver = giver_and_receiver
    giver_account, receiver_account = account_of(db_session, giver.id, bank.id), account_of(db_session, receiver.id,
                                                                                           bank.id)
    assert giver_account is not None and receiver_account is not None
    exchange, _ = exchanges.propose(db_session, giver, Proposal(
        account_id=giver_account.id, side=Side.GIVER, counterpart_account_id=receiver_account.id, minutes=120,
        occurred_on=today, category="gardening", description="Cleared the back garden", idempotency_key="fb-1"))
    return exchanges.confirm(db_session, receiver, exchange.id)

"""Factories for matching: residents with profiles (abilities, languages, availability, districts), a
request and a role with sessions, help given and received, and introductions made earlier."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.activities.conftest import (  # noqa: F401 (fixtures shared with this directory)
    add_sessions,
    council,
    make_activity,
    officer,
)
from tests.api.conftest import anonymous, api_as  # noqa: F401 (fixtures shared with this directory)
from tests.benefits.conftest import give_consent, make_flag  # noqa: F401 (fixtures shared with this directory)
from tests.listings.conftest import make_listing  # noqa: F401 (a fixture shared with this directory)
from tests.safeguarding.conftest import (  # noqa: F401 (fixtures shared with this directory)
    hear_from_referees,
    make_application,
    make_dbs_check,
    make_joined,
)
from timebank.banks.models import TimeBank
from timebank.brokerage.models import Answer, Introduction, IntroductionState
from timebank.categories.service import category_by_code
from timebank.dates import add_months
from timebank.ledger import service as ledger
from timebank.ledger.models import Account
from timebank.listings.models import Listing, ListingKind
from timebank.members.models import Person
from timebank.profiles import service as profiles
from timebank.profiles.models import Period, Profile
from timebank.profiles.service import ProfileUpdate
from timebank.safeguarding.models import DbsLevel
from timebank.types import utcnow

#: The request's day: a Monday far enough ahead for any test; needed at 10 am (a Monday morning).
MONDAY = dt.date(2027, 3, 1)
assert MONDAY.weekday() == 0


@pytest.fixture
def requester(make_member: Callable[..., Any], bank: TimeBank, db_session: Session) -> Person:
    person, _ = make_member(bank, "Rhian Requester", postcode="HB3 1AA")
    profiles.update_profile(db_session, person, person.id, ProfileUpdate(languages=("en",)))
    return person


@pytest.fixture
def lift_request(make_listing: Callable[..., Listing], requester: Person) -> Listing:  # noqa: F811
    return make_listing(requester, ListingKind.REQUEST, needed_on=MONDAY, needed_at=dt.time(10))


@pytest.fixture
def make_candidate(db_session: Session, make_member: Callable[..., Any],
                   make_joined: Callable[..., Any],  # noqa: F811 (the imported fixture)
                   make_dbs_check: Callable[..., Any],  # noqa: F811 (the imported fixture)
                   bank: TimeBank, broker: Person) -> Callable[..., Person]:
    """A resident of ``bank`` whose profile fits the lift request unless told otherwise: a driver ("lifts")
    speaking English, free on Monday mornings, living in the requester's district. With ``checked_until``,
    they joined with two satisfactory references and hold a basic DBS check whose last day is that one."""

    def make(name: str, *, district: str = "HB3", abilities: tuple[str, ...] = ("lifts",),
             languages: tuple[str, ...] = ("en",),
             availability: tuple[tuple[int, Period], ...] = ((0, Period.MORNING),),
             can_travel: bool = True, travel_districts: tuple[str, ...] = (), open_to_introductions: bool = True,
             checked_until: dt.date | None = None) -> Person:
        if checked_until is None:
            person, _ = make_member(bank, name, postcode=f"{district} 1AB")
        else:
            person, _ = make_joined(bank, broker, name, postcode=f"{district} 1AB")
            issued_on = add_months(checked_until + dt.timedelta(days=1), -bank.dbs_renewal_months)
            make_dbs_check(person, bank, broker, level=DbsLevel.BASIC, issued_on=issued_on)
        profile = profiles.update_profile(db_session, person, person.id, ProfileUpdate(
            abilities=abilities, languages=languages, availability=availability, can_travel=can_travel,
            travel_districts=travel_districts))
        profile.open_to_introductions = open_to_introductions
        db_session.flush()
        return person

    return make


def account_of(session: Session, person: Person, bank: TimeBank) -> Account:
    return session.scalars(sa.select(Account).where(Account.holder_id == person.id,
                                                    Account.time_bank_id == bank.id)).one()


@pytest.fixture
def give(db_session: Session, bank: TimeBank) -> Callable[..., None]:
    """``giver`` helped ``receiver`` for ``minutes`` on ``day``: recorded by the giver and confirmed."""

    def record(giver: Person, receiver: Person, minutes: int, day: dt.date) -> None:
        giving, receiving = account_of(db_session, giver, bank), account_of(db_session, receiver, bank)
        exchange, _ = ledger.record_exchange(
            db_session, proposer_account_id=giving.id, counterpart_account_id=receiving.id, proposer_is_giver=True,
            amount_minutes=minutes, occurred_on=day, category_id=category_by_code(db_session, "lifts").id,
            description="A lift", recorded_by_id=giver.id, idempotency_key=uuid.uuid4().hex)
        ledger.confirm_exchange(db_session, exchange.id, actor_id=receiver.id, acting_for_account_id=receiving.id)

    return record


@pytest.fixture
def introduce(db_session: Session, bank: TimeBank, broker: Person) -> Callable[..., Introduction]:
    """An introduction made earlier (written directly: the introductions service is another lane's)."""

    def make(candidate: Person, *, listing: Listing | None = None, role_id: int | None = None,
             declined: bool = False, at: dt.datetime | None = None) -> Introduction:
        at = at or utcnow()
        row = Introduction(
            time_bank_id=bank.id, candidate_id=candidate.id, listing_id=listing.id if listing else None,
            role_id=role_id, introduced_by_id=broker.id, created_at=at, expires_on=at.date() + dt.timedelta(days=14),
            state=IntroductionState.DECLINED if declined else IntroductionState.EXPIRED,
            candidate_answer=Answer.DECLINED if declined else None,
            candidate_answered_at=at if declined else None, settled_at=at,
        )
        db_session.add(row)
        db_session.flush()
        return row

    return make


def profile_of(session: Session, person: Person) -> Profile:
    profile = session.get(Profile, person.id)
    assert profile is not None
    return profile

"""The brokerage world: a bank with a broker, a resident who asks for help (a request), the council's
published activity with a role and a session, and candidates to introduce."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.activities.conftest import council, officer  # noqa: F401 (fixtures shared with this directory)
from tests.api.conftest import anonymous, api_as  # noqa: F401 (fixtures shared with this directory)
from tests.attendance.conftest import make_session, organiser  # noqa: F401 (fixtures shared with this directory)
from tests.safeguarding.conftest import (  # noqa: F401 (fixtures shared with this directory)
    audited,
    hear_from_referees,
    make_application,
    make_dbs_check,
    make_joined,
    make_reference,
)
from timebank.activities.models import ActivitySession
from timebank.banks.models import TimeBank
from timebank.brokerage import service
from timebank.brokerage.models import Introduction
from timebank.listings import service as listings
from timebank.listings.models import Listing, ListingKind
from timebank.members.models import Person
from timebank.profiles import service as profiles


@pytest.fixture
def requester(make_member: Callable[..., Any], bank: TimeBank) -> Person:
    person, _ = make_member(bank, "Gwen Asker")
    return person


@pytest.fixture
def candidate(db_session: Session, make_member: Callable[..., Any], bank: TimeBank) -> Person:
    """A member who gardens (their profile says so, so people search finds them)."""
    person, _ = make_member(bank, "Dai Helper")
    profiles.update_profile(db_session, person, person.id, profiles.ProfileUpdate(abilities=("gardening",)))
    return person


@pytest.fixture
def make_request(db_session: Session, bank: TimeBank, requester: Person,
                 today: dt.date) -> Callable[..., Listing]:
    """An open request for help of the requester's, needed next week, two hours' gardening."""

    def make(*, needed_on: dt.date | None = None, estimated_minutes: int | None = 120,
             title: str = "Help clearing my back garden") -> Listing:
        listing, _ = listings.create_listing(
            db_session, requester, holder_id=requester.id, time_bank_id=bank.id, kind=ListingKind.REQUEST,
            details=listings.ListingDetails(title=title, category="gardening",
                                            needed_on=needed_on or today + dt.timedelta(days=7),
                                            estimated_minutes=estimated_minutes))
        return listing

    return make


@pytest.fixture
def request_listing(make_request: Callable[..., Listing]) -> Listing:
    return make_request()


@pytest.fixture
def activity_session(make_session: Callable[..., ActivitySession]) -> ActivitySession:  # noqa: F811
    return make_session(places=2, starts_in=dt.timedelta(days=10))


@pytest.fixture
def introduce(db_session: Session, broker: Person) -> Callable[..., list[Introduction]]:
    def make(*candidates: Person, actor: Person | None = None, **thing: Any) -> list[Introduction]:
        return service.introduce(db_session, actor or broker, service.NewIntroduction(
            candidate_ids=[c.id for c in candidates], **thing))

    return make

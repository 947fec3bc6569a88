"""Who is never listed, whatever the weights: no clearance on the day of the thing, left, opted out, the
one asking; how many are left out for each reason; and benefit flags, which change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.matching.conftest import account_of
from tests.matching.test_engine import ranked, weigh
from tests.support import examples
from timebank.activities.models import Activity, ActivitySession, Role
from timebank.banks.models import TimeBank
from timebank.brokerage.models import MAX_WEIGHT, WEIGHT_NAMES
from timebank.clock import uk_today
from timebank.ledger import service as ledger
from timebank.listings.models import Listing
from timebank.matching import engine
from timebank.members.models import Person
from timebank.profiles.models import Period
from timebank.safeguarding.clearances import Clearance
from timebank.types import utcnow

WEIGHTS = st.fixed_dictionaries({name: st.integers(0, MAX_WEIGHT) for name in WEIGHT_NAMES})


@pytest.fixture
def visits(db_session: Session, make_activity: Callable[..., Activity], add_sessions: Callable[..., Any],
           today: dt.date) -> tuple[Role, ActivitySession]:
    """A home-visits role (the home-visits clearance) with one session forty days from now."""
    activity = make_activity()
    role = activity.roles[0]
    role.clearance = Clearance.HOME_VISITS
    db_session.flush()
    (activity_session,) = add_sessions(role, on=today + dt.timedelta(days=40))
    return role, activity_session


@pytest.fixture
def people(db_session: Session, bank: TimeBank, make_candidate: Callable[..., Person],
           today: dt.date) -> dict[str, Person]:
    cleared = make_candidate("Carys Cleared", checked_until=today + dt.timedelta(days=700))
    lapsing = make_candidate("Llinos Lapsing", checked_until=today + dt.timedelta(days=10))
    unchecked = make_candidate("Ughi Unchecked")
    opted_out = make_candidate("Osian Optedout", checked_until=today + dt.timedelta(days=700),
                               open_to_introductions=False)
    leaver = make_candidate("Lewys Leaver", checked_until=today + dt.timedelta(days=700))
    ledger.close_account(db_session, account_of(db_session, leaver, bank).id)
    return {"cleared": cleared, "lapsing": lapsing, "unchecked": unchecked, "opted_out": opted_out,
            "leaver": leaver}


def test_the_clearance_is_asked_for_the_day_of_the_session(db_session: Session, visits: tuple[Role, ActivitySession],
                                                           people: dict[str, Person]) -> None:
    role, activity_session = visits
    found = engine.find(db_session, engine.session_thing(db_session, activity_session))
    assert [c.person_id for c in found.candidates.items] == [people["cleared"].id]
    # Llinos holds it today but not on the session's day; Ughi never did.
    assert found.left_out.no_clearance == 2
    assert found.left_out.left == 1 and found.left_out.opted_out == 1
    assert found.candidates.total == 1
    # The role as a whole is undated: asked for today, Llinos is cleared.
    for_role = engine.find(db_session, engine.role_thing(db_session, role))
    assert {c.person_id for c in for_role.candidates.items} == {people["cleared"].id, people["lapsing"].id}
    assert for_role.left_out.no_clearance == 1


@settings(max_examples=examples(0.3), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weights=WEIGHTS)
def test_no_weights_bring_back_who_is_left_out(db_session: Session, bank: TimeBank,
                                               visits: tuple[Role, ActivitySession], people: dict[str, Person],
                                               weights: dict[str, int]) -> None:
    weigh(db_session, bank, **weights)
    _role, activity_session = visits
    listed = {c.person_id for c in ranked(db_session, engine.session_thing(db_session, activity_session))}
    assert listed == {people["cleared"].id}


def test_the_requester_and_those_already_introduced_are_counted_not_listed(
        db_session: Session, lift_request: Listing, requester: Person, make_candidate: Callable[..., Person],
        introduce: Callable[..., Any], make_person: Callable[..., Person]) -> None:
    waiting = make_candidate("Wil Waiting")
    make_candidate("Nest Newcomer")
    introduction = introduce(waiting, listing=lift_request)
    introduction.state = engine.LIVE_STATES[0]
    db_session.flush()
    make_person("Not A Member")
    found = engine.find(db_session, engine.request_thing(db_session, lift_request))
    assert [c.name for c in found.candidates.items] == ["Nest Newcomer"]
    assert found.left_out == engine.LeftOut(asking=1, already_involved=1)


def test_a_member_without_a_profile_is_not_a_candidate(db_session: Session, lift_request: Listing, bank: TimeBank,
                                                       make_member: Callable[..., Any]) -> None:
    make_member(bank, "Pryderi Noprofile")
    found = engine.find(db_session, engine.request_thing(db_session, lift_request))
    assert not found.candidates.items and found.candidates.total == 0


def test_benefit_flags_change_nothing(db_session: Session, bank: TimeBank, lift_request: Listing,
                                      make_candidate: Callable[..., Person], give_consent: Callable[..., Any],
                                      make_flag: Callable[..., Any]) -> None:
    flagged = make_candidate("Ffion Flagged")
    plain = make_candidate("Pedr Plain")
    thing = engine.request_thing(db_session, lift_request)
    before = {c.person_id: c.components for c in ranked(db_session, thing)}
    give_consent(flagged)
    make_flag(flagged, bank)
    after = ranked(db_session, thing)
    assert [c.person_id for c in after] == [flagged.id, plain.id]
    assert {c.person_id: c.components for c in after} == before
    assert after[0].total == after[1].total


def test_pages_of_twenty(db_session: Session, lift_request: Listing, make_candidate: Callable[..., Person]) -> None:
    for number in range(23):
        make_candidate(f"Candidate {number:02}")
    thing = engine.request_thing(db_session, lift_request)
    first = engine.find(db_session, thing)
    second = engine.find(db_session, thing, page=2)
    assert len(first.candidates.items) == 20 and len(second.candidates.items) == 3
    assert first.candidates.has_next and not second.candidates.has_next
    assert not {c.person_id for c in first.candidates.items} & {c.person_id for c in second.candidates.items}


@settings(max_examples=examples(0.3), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weights=WEIGHTS)
def test_reading_only_the_able_gives_the_same_page_as_ranking_everyone(
        db_session: Session, bank: TimeBank, lift_request: Listing, many: list[Person],
        weights: dict[str, int]) -> None:
    weigh(db_session, bank, **weights)
    thing = engine.request_thing(db_session, lift_request)
    everyone = engine.ranking_statement(thing, engine.weights_of(db_session, bank.id),
                                        engine.related_of(db_session, thing), None, today=uk_today(), now=utcnow())
    ranked_ids = [row.id for row in db_session.execute(everyone)]
    for page in (1, 2):
        found = engine.find(db_session, thing, page=page, per_page=3)
        assert [c.person_id for c in found.candidates.items] == ranked_ids[(page - 1) * 3:page * 3]


@pytest.fixture
def many(make_candidate: Callable[..., Person]) -> list[Person]:
    """Nine people, some able (drivers, or the whole of transport), some not, in different districts and times."""
    abilities = (("lifts",), ("gardening",), ("transport-errands", "music"))
    return [make_candidate(f"Person {n}", abilities=abilities[n % 3], district=f"HB{3 + n % 4}",
                           availability=((n % 2, Period.MORNING),))
            for n in range(9)]

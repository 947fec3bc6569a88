"""The engine, worked through: each component moves the order as documented and only it; who is never
listed, whatever the weights; the counts of those left out; benefit flags change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.matching.conftest import MONDAY
from timebank.banks.models import TimeBank
from timebank.brokerage.models import DEFAULT_WEIGHTS, WEIGHT_NAMES, MatchWeights
from timebank.clock import uk_today
from timebank.listings.models import Listing, ListingKind
from timebank.matching import engine
from timebank.members.models import Person
from timebank.profiles.models import Period
from timebank.types import utcnow


def ranked(session: Session, thing: engine.Thing, **kw: Any) -> list[engine.Candidate]:
    return engine.find(session, thing, **kw).candidates.items


def names(candidates: list[engine.Candidate]) -> list[str]:
    return [c.name for c in candidates]


def only_differs_in(first: engine.Candidate, second: engine.Candidate, name: str) -> None:
    """Every component but ``name`` scores the same for both, and ``name`` does not."""
    for component in WEIGHT_NAMES:
        same = first.component(component).score == second.component(component).score
        assert same is (component != name), component


def weigh(session: Session, bank: TimeBank, **weights: int) -> None:
    row = session.get(MatchWeights, bank.id) or MatchWeights(time_bank_id=bank.id)
    for name in WEIGHT_NAMES:
        setattr(row, name, weights.get(name, DEFAULT_WEIGHTS[name]))
    row.updated_at = utcnow()
    session.add(row)
    session.flush()


@pytest.fixture
def request_thing(db_session: Session, lift_request: Listing) -> engine.Thing:
    return engine.request_thing(db_session, lift_request)


def check_component(session: Session, bank: TimeBank, thing: engine.Thing, name: str,
                    better: Person, worse: Person) -> None:
    """``better`` outranks ``worse`` through ``name`` alone, and with ``name`` weighed 0 the two tie (so the
    order falls back to who joined first, the worse one here)."""
    first, second = ranked(session, thing)
    assert (first.person_id, second.person_id) == (better.id, worse.id)
    only_differs_in(first, second, name)
    assert first.total > second.total
    weigh(session, bank, **{name: 0})
    tied = ranked(session, thing)
    assert tied[0].total == tied[1].total


def test_abilities_rank_first_who_can_do_it_and_a_parent_matches_its_children(
        db_session: Session, bank: TimeBank, make_candidate: Callable[..., Person],
        request_thing: engine.Thing) -> None:
    gardener = make_candidate("Gwen Gardener", abilities=("gardening",))
    driver = make_candidate("Dai Driver", abilities=("lifts",))
    check_component(db_session, bank, request_thing, "abilities", driver, gardener)
    # "Transport and errands" as a whole covers lifts.
    everything = make_candidate("Tomos Transport", abilities=("transport-errands",))
    weigh(db_session, bank)
    by_id = {c.person_id: c for c in ranked(db_session, request_thing)}
    assert by_id[everything.id].component("abilities").score == 1
    assert "Lifts" in str(by_id[driver.id].component("abilities").reason)


def test_languages_rank_first_who_speaks_the_requesters_language(
        db_session: Session, bank: TimeBank, make_candidate: Callable[..., Person],
        request_thing: engine.Thing) -> None:
    only_welsh = make_candidate("Siân Cymraeg", languages=("cy",))
    english = make_candidate("Ed English", languages=("en", "pl"))
    check_component(db_session, bank, request_thing, "languages", english, only_welsh)


def test_availability_ranks_first_who_is_free_on_the_day_and_part_of_it(
        db_session: Session, bank: TimeBank, make_candidate: Callable[..., Person],
        request_thing: engine.Thing) -> None:
    evenings = make_candidate("Elin Evenings", availability=((0, Period.EVENING),))
    mornings = make_candidate("Morgan Mornings", availability=((0, Period.MORNING), (2, Period.MORNING)))
    check_component(db_session, bank, request_thing, "availability", mornings, evenings)
    assert "Monday morning" in str(ranked(db_session, request_thing)[0].component("availability").reason)


def test_travel_ranks_first_who_lives_near_or_travels_there(
        db_session: Session, bank: TimeBank, make_candidate: Callable[..., Person],
        request_thing: engine.Thing) -> None:
    far = make_candidate("Fflur Far", district="HB9")
    near = make_candidate("Nye Near", district="HB4")
    check_component(db_session, bank, request_thing, "travel", near, far)
    weigh(db_session, bank)
    goes = make_candidate("Gethin Goes", district="ZZ9", travel_districts=("HB3",))
    stays = make_candidate("Sara Stays", district="HB3", can_travel=False)
    scores = {c.person_id: c.component("travel").score for c in ranked(db_session, request_thing)}
    assert scores == {goes.id: 1.0, near.id: 0.6, far.id: 0.2, stays.id: 0.0}


def test_recent_load_ranks_first_who_has_given_less_lately(
        db_session: Session, bank: TimeBank, make_candidate: Callable[..., Person], request_thing: engine.Thing,
        make_member: Callable[..., Any], give: Callable[..., None]) -> None:
    busy = make_candidate("Bethan Busy")
    rested = make_candidate("Rhodri Rested")
    neighbour, _ = make_member(bank, "Nel Neighbour")
    today = uk_today()
    give(busy, neighbour, 300, today - dt.timedelta(days=3))
    # The same help, long ago: the totals (reciprocity) stay equal.
    give(rested, neighbour, 300, today - dt.timedelta(days=60))
    check_component(db_session, bank, request_thing, "recent_load", rested, busy)


def test_reciprocity_gives_a_chance_to_who_has_received_more_than_given(
        db_session: Session, bank: TimeBank, make_candidate: Callable[..., Person], request_thing: engine.Thing,
        make_member: Callable[..., Any], give: Callable[..., None]) -> None:
    long_ago = uk_today() - dt.timedelta(days=90)
    giver = make_candidate("Gwil Giver")
    receiver = make_candidate("Rhos Receiver")
    neighbour, _ = make_member(bank, "Nel Neighbour")
    give(giver, neighbour, 120, long_ago)
    give(neighbour, receiver, 120, long_ago)
    check_component(db_session, bank, request_thing, "reciprocity", receiver, giver)


def test_time_since_last_asked_ranks_first_who_was_asked_longest_ago(
        db_session: Session, bank: TimeBank, make_candidate: Callable[..., Person], request_thing: engine.Thing,
        introduce: Callable[..., Any], make_listing: Callable[..., Listing], requester: Person) -> None:
    other = make_listing(requester, ListingKind.REQUEST, needed_on=MONDAY, title="Another lift")
    asked_lately = make_candidate("Lowri Lately")
    asked_long_ago = make_candidate("Hywel Hirfaith")
    introduce(asked_lately, listing=other, at=utcnow() - dt.timedelta(days=2))
    introduce(asked_long_ago, listing=other, at=utcnow() - dt.timedelta(days=40))
    check_component(db_session, bank, request_thing, "last_asked", asked_long_ago, asked_lately)


def test_a_decline_of_this_very_thing_weighs_against_asking_again(
        db_session: Session, bank: TimeBank, make_candidate: Callable[..., Person], request_thing: engine.Thing,
        introduce: Callable[..., Any], lift_request: Listing, make_listing: Callable[..., Listing],
        requester: Person) -> None:
    other = make_listing(requester, ListingKind.REQUEST, needed_on=MONDAY, title="Another lift")
    declined = make_candidate("Dilys Declined")
    willing = make_candidate("Wyn Willing")
    at = utcnow() - dt.timedelta(days=10)
    introduce(declined, listing=lift_request, declined=True, at=at)
    introduce(willing, listing=other, at=at)
    check_component(db_session, bank, request_thing, "declined", willing, declined)
    assert ranked(db_session, request_thing)[1].component("declined").points == 0

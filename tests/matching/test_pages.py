"""The matching pages and API, as a broker and as a resident: the ranked list with its reasons, the counts
of those left out, the weights (saved, refused out of range, reset, audited), and what a resident could
help with. Outcomes are checked in the database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.matching.conftest import MONDAY
from tests.membership.test_pages import text_of
from tests.support import statements_sent
from timebank.activities.models import Activity
from timebank.audit.models import AuditEvent
from timebank.banks.models import TimeBank
from timebank.brokerage.models import DEFAULT_WEIGHTS, Introduction, IntroductionState, MatchWeights
from timebank.listings.models import Listing, ListingKind
from timebank.members.models import Person
from timebank.profiles.models import Period
from timebank.safeguarding.clearances import Clearance


@pytest.fixture
def drivers(make_candidate: Callable[..., Person]) -> tuple[Person, Person]:
    return make_candidate("Dai Driver"), make_candidate("Gwen Gardener", abilities=("gardening",))


def test_a_broker_finds_people_for_a_request_with_every_reason(
        browser: Callable[..., Any], broker: Person, lift_request: Listing, drivers: tuple[Person, Person],
        make_candidate: Callable[..., Person]) -> None:
    make_candidate("Osian Optedout", open_to_introductions=False)
    page = text_of(browser(broker).get(f"/matching/requests/{lift_request.id}"))
    assert "Find people: A lift to the hospital" in page
    assert page.index("Dai Driver") < page.index("Gwen Gardener")
    assert "Has 1 of the 1 abilities asked for: Lifts and accompanied journeys" in page
    assert "Free on Monday morning" in page and "Lives in HB3, where it is" in page
    assert "1 asking for the help themselves" in page and "1 who asked not to be suggested" in page
    assert "Osian" not in page
    # Without the introductions lane's route there is no form to tick people in.
    assert 'name="candidate_ids"' not in page


def test_residents_and_other_banks_brokers_are_refused(
        browser: Callable[..., Any], lift_request: Listing, drivers: tuple[Person, Person],
        make_bank: Callable[..., TimeBank], make_broker: Callable[..., Person]) -> None:
    assert browser(drivers[0]).get(f"/matching/requests/{lift_request.id}").status_code == 403
    elsewhere = make_broker(make_bank(name="Other Vale Time Bank"), "Olwen Otherbroker")
    assert browser(elsewhere).get(f"/matching/requests/{lift_request.id}").status_code == 403
    assert browser(elsewhere).get("/matching/requests/999999").status_code == 404


def test_a_broker_sets_the_weights_and_puts_the_defaults_back(
        db_session: Session, browser: Callable[..., Any], broker: Person, bank: TimeBank) -> None:
    client = browser(broker)
    url = f"/matching/banks/{bank.id}/weights"
    assert "Default: 40" in text_of(client.get(url))
    form = {name: str(value) for name, value in DEFAULT_WEIGHTS.items()}
    refused = client.post(url, data={**form, "travel": "101"})
    assert refused.status_code == 422 and "Give a whole number from 0 to 100" in text_of(refused)
    assert db_session.get(MatchWeights, bank.id) is None
    saved = client.post(url, data={**form, "travel": "0"})
    assert saved.status_code == 302
    db_session.expire_all()
    assert db_session.get(MatchWeights, bank.id).travel == 0  # type: ignore[union-attr]
    assert client.post(f"{url}/reset").status_code == 302
    db_session.expire_all()
    assert db_session.get(MatchWeights, bank.id) is None
    actions = list(db_session.scalars(sa.select(AuditEvent.action).where(AuditEvent.subject_type == "time_bank",
                                                                        AuditEvent.subject_id == bank.id)))
    assert actions[-2:] == ["matching.weights_changed", "matching.weights_reset"]


def test_the_api_lists_candidates_and_sets_weights(
        api_as: Callable[..., Any], broker: Person, bank: TimeBank, lift_request: Listing,
        drivers: tuple[Person, Person]) -> None:
    api = api_as(broker)
    found = api.get(f"/matching/requests/{lift_request.id}").get_json()
    assert [item["name"] for item in found["items"]] == ["Dai Driver", "Gwen Gardener"]
    assert found["left_out"]["asking"] == 1 and found["thing"]["day"] == MONDAY.isoformat()
    abilities = found["items"][0]["components"][0]
    assert (abilities["name"], abilities["score"], abilities["points"]) == ("abilities", 1.0, 40.0)
    bad = api.request("PUT", f"/matching/banks/{bank.id}/weights", json={**DEFAULT_WEIGHTS, "declined": -1})
    assert bad.status_code == 422
    put = api.request("PUT", f"/matching/banks/{bank.id}/weights", json={**DEFAULT_WEIGHTS, "abilities": 0})
    assert put.status_code == 200 and put.get_json()["abilities"] == 0
    assert api.get(f"/matching/banks/{bank.id}/weights").get_json()["abilities"] == 0
    again = api.get(f"/matching/requests/{lift_request.id}").get_json()
    assert again["items"][0]["components"][0]["points"] == 0


def test_the_ranking_costs_the_same_queries_however_many_candidates(
        db_session: Session, app: Any, browser: Callable[..., Any], broker: Person, lift_request: Listing,
        make_candidate: Callable[..., Person]) -> None:
    def queries() -> int:
        client = browser(broker)
        with statements_sent(db_session.get_bind()) as sent:
            assert client.get(f"/matching/requests/{lift_request.id}").status_code == 200
        return len(sent)

    make_candidate("First Candidate")
    few = queries()
    for number in range(15):
        make_candidate(f"Candidate {number:02}", abilities=("lifts", "gardening"))
    assert queries() == few


def test_a_resident_sees_things_they_could_help_with(
        db_session: Session, browser: Callable[..., Any], api_as: Callable[..., Any], bank: TimeBank,
        make_candidate: Callable[..., Person], make_listing: Callable[..., Listing], requester: Person,
        make_activity: Callable[..., Activity], add_sessions: Callable[..., Any], today: dt.date) -> None:
    driver = make_candidate("Dai Driver", availability=((0, Period.MORNING), (today.weekday(), Period.MORNING)))
    make_listing(requester, ListingKind.REQUEST, needed_on=today + dt.timedelta(days=5))
    # Too far ahead to offer yet.
    make_listing(requester, ListingKind.REQUEST, needed_on=today + dt.timedelta(days=90), title="A lift in spring")
    activity = make_activity()
    add_sessions(activity.roles[0], on=today + dt.timedelta(days=9))
    home = text_of(browser(driver).get("/"))
    assert "Things you could help with" in home and "A lift to the hospital" in home
    page = text_of(browser(driver).get("/matching/for-me"))
    assert "Hospital transport: Volunteer driver" in page and "A lift to the hospital" in page
    assert "A lift in spring" not in page
    listed = api_as(driver).get("/me/could-help-with").get_json()
    assert {item["kind"] for item in listed["items"]} == {"request", "session"}
    # A gardener is offered neither.
    gardener = make_candidate("Gwen Gardener", abilities=("gardening",))
    assert api_as(gardener).get("/me/could-help-with").get_json()["items"] == []



def test_a_request_they_are_already_introduced_to_is_not_offered_again(
        db_session: Session, api_as: Callable[..., Any], broker: Person, make_candidate: Callable[..., Person],
        make_listing: Callable[..., Listing], requester: Person, today: dt.date) -> None:
    from timebank.brokerage import service as brokerage

    driver = make_candidate("Dai Driver", availability=((today.weekday(), Period.MORNING),
                                                        ((today.weekday() + 5) % 7, Period.MORNING)))
    lift = make_listing(requester, ListingKind.REQUEST, needed_on=today + dt.timedelta(days=5))
    assert [item["id"] for item in api_as(driver).get("/me/could-help-with").get_json()["items"]] == [lift.id]
    brokerage.introduce(db_session, broker, brokerage.NewIntroduction([driver.id], listing_id=lift.id))
    assert api_as(driver).get("/me/could-help-with").get_json()["items"] == []


def test_brokers_find_people_from_the_request_role_and_session_pages(
        browser: Callable[..., Any], broker: Person, requester: Person, lift_request: Listing,
        make_activity: Callable[..., Activity], add_sessions: Callable[..., Any]) -> None:
    activity = make_activity()
    role = activity.roles[0]
    (activity_session,) = add_sessions(role)
    pages = {f"/listings/{lift_request.id}": f"/matching/requests/{lift_request.id}",
             f"/activities/{activity.id}/roles/{role.id}": f"/matching/roles/{role.id}",
             f"/sessions/{activity_session.id}": f"/matching/sessions/{activity_session.id}"}
    for page, link in pages.items():
        assert f'href="{link}"' in browser(broker).get(page).get_data(as_text=True), page
        assert link not in browser(requester).get(page).get_data(as_text=True), page


def test_a_broker_introduces_the_people_ticked(
        db_session: Session, broker: Person, lift_request: Listing, drivers: tuple[Person, Person],
        browser: Callable[[Person], Any]) -> None:
    """From the ranked list to introductions in one step: the page's form is what the introductions route
    takes (``candidate_ids`` and the thing)."""
    client = browser(broker)
    html = client.get(f"/matching/requests/{lift_request.id}").get_data(as_text=True)
    assert f'name="listing_id" value="{lift_request.id}"' in html and 'name="role_id"' not in html
    ticked = re.findall(r'name="candidate_ids" value="(\d+)"', html)
    assert sorted(int(v) for v in ticked) == sorted(person.id for person in drivers)
    answer = client.post("/introductions", data={"candidate_ids": ticked, "listing_id": lift_request.id,
                                                          "message": "Could you drive Mrs Price?"})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    made = db_session.scalars(sa.select(Introduction).where(Introduction.listing_id == lift_request.id)).all()
    assert sorted(i.candidate_id for i in made) == sorted(person.id for person in drivers)
    assert {(i.state, i.message) for i in made} == {(IntroductionState.PROPOSED, "Could you drive Mrs Price?")}


def test_a_resident_never_sees_a_session_they_will_not_be_cleared_for_on_its_day(
        db_session: Session, api_as: Callable[..., Any], make_candidate: Callable[..., Person],
        make_activity: Callable[..., Activity], add_sessions: Callable[..., Any], today: dt.date) -> None:
    activity = make_activity()
    role = activity.roles[0]
    role.clearance = Clearance.HOME_VISITS
    db_session.flush()
    add_sessions(role, on=today + dt.timedelta(days=20))
    cleared = make_candidate("Carys Cleared", checked_until=today + dt.timedelta(days=700))
    lapsing = make_candidate("Llinos Lapsing", checked_until=today + dt.timedelta(days=10))
    unchecked = make_candidate("Ughi Unchecked")

    def sessions_for(person: Person) -> list[str]:
        items = api_as(person).get("/me/could-help-with").get_json()["items"]
        return [item["title"] for item in items if item["kind"] == "session"]

    assert sessions_for(cleared) == ["Hospital transport: Volunteer driver"]
    assert sessions_for(lapsing) == [] and sessions_for(unchecked) == []


def test_welsh_pages_name_roles_in_welsh_and_requests_as_their_members_wrote_them(
        db_session: Session, browser: Callable[..., Any], broker: Person, make_candidate: Callable[..., Person],
        make_listing: Callable[..., Listing], requester: Person, make_activity: Callable[..., Activity],
        add_sessions: Callable[..., Any], today: dt.date) -> None:
    driver = make_candidate("Dai Driver", availability=((0, Period.MORNING), (today.weekday(), Period.MORNING)))
    lift = make_listing(requester, ListingKind.REQUEST, needed_on=today + dt.timedelta(days=5))
    activity = make_activity(title_cy="Cludiant i'r ysbyty")
    role = activity.roles[0]
    [activity_session] = add_sessions(role, on=today + dt.timedelta(days=9))
    suggestions = browser(driver).get("/matching/for-me?lang=cy").get_data(as_text=True)
    # The role has no Welsh name: the activity's Welsh, the role's English.
    assert f'href="/sessions/{activity_session.id}">Cludiant i&#39;r ysbyty: Volunteer driver</a>' in suggestions
    assert f'href="/listings/{lift.id}">A lift to the hospital</a>' in suggestions  # unmarked: any language
    client = browser(broker)
    find = client.get(f"/matching/roles/{role.id}?lang=cy").get_data(as_text=True)
    assert '<span lang="en">Volunteer driver</span></h1>' in find
    introduce = client.get(f"/introductions/new?role_id={role.id}&lang=cy").get_data(as_text=True)
    assert "Cludiant i&#39;r ysbyty: Volunteer driver”</h1>" in introduce

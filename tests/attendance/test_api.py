"""Taking part over ``/api/v1``: sessions, sign-ups and the waiting list, attendance, my sessions and the
calendar address. Refusals are problem+json naming the field, and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.api.support import assert_problem
from tests.attendance.conftest import session_exchanges, session_sign_ups
from timebank.activities.models import CalendarFeed, RoleDirection, SignUpStatus
from timebank.attendance import service as attendance
from timebank.ledger.models import ExchangeState
from timebank.notices.models import Notice, NoticeKind


def test_sign_up_waiting_list_and_cancel(db_session, api_as, make_session, resident, members):
    activity_session = make_session(places=1)
    [(mair, _)] = members(1)
    attendance.sign_up(db_session, mair, activity_session.id)
    client = api_as(resident)

    session = client.get(f"/sessions/{activity_session.id}").get_json()
    assert (session["places_left"], session["my_sign_up"], session["sign_ups"], session["may_run"]) == (0, None, None,
                                                                                                       False)
    assert (session["activity_title"], session["organisation_name"], session["direction"]) == (
        "Community garden", "Hollinbridge Council", "gives")
    assert (session["activity_title_cy"], session["role_title_cy"]) == (None, None)  # no Welsh given

    response = client.post(f"/sessions/{activity_session.id}/sign-ups", json={})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["status"], body["waiting_position"], body["person_id"]) == ("waiting", 1, resident.id)
    again = client.post(f"/sessions/{activity_session.id}/sign-ups")
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]

    cancelled = api_as(mair).post(f"/sessions/{activity_session.id}/sign-ups/cancel")
    assert cancelled.status_code == 200
    result = cancelled.get_json()
    assert (result["sign_up"]["status"], result["late"]) == ("cancelled", False)
    assert [(p["person_id"], p["status"]) for p in result["promoted"]] == [(resident.id, "booked")]
    assert db_session.scalar(sa.select(Notice.kind).where(Notice.person_id == resident.id)) is NoticeKind.SESSION_PLACE
    assert client.get(f"/sessions/{activity_session.id}").get_json()["my_sign_up"]["status"] == "booked"


def test_a_broker_signs_up_a_member_and_sees_everyone(db_session, api_as, make_session, broker, members):
    activity_session = make_session()
    [(mair, _)] = members(1)
    client = api_as(broker)
    response = client.post(f"/sessions/{activity_session.id}/sign-ups", json={"person_id": mair.id})
    assert response.status_code == 201
    assert (response.get_json()["person_id"], response.get_json()["signed_up_by_id"]) == (mair.id, broker.id)
    session = client.get(f"/sessions/{activity_session.id}").get_json()
    assert [(s["person_name"], s["status"]) for s in session["sign_ups"]] == [("Member 01", "booked")]


@pytest.mark.parametrize(("body", "field"), [
    ({"person_id": "seven"}, "person_id"),
    ({"person_id": 0}, "person_id"),
    ({"someone": 1}, "someone"),
])
def test_a_sign_up_that_cannot_be_read_is_refused(db_session, api_as, make_session, broker, body, field):
    activity_session = make_session()
    assert_problem(api_as(broker).post(f"/sessions/{activity_session.id}/sign-ups", json=body), 422, field)
    assert session_sign_ups(db_session, activity_session) == []


def test_refusals_name_the_field_and_change_nothing(db_session, api_as, make_session, broker, resident, make_person,
                                                   members):
    activity_session = make_session()
    outsider = make_person("Olly Outsider", email=None)
    assert_problem(api_as(broker).post(f"/sessions/{activity_session.id}/sign-ups", json={"person_id": outsider.id}),
                   422, "person_id")
    [(mair, _)] = members(1)
    assert_problem(api_as(resident).post(f"/sessions/{activity_session.id}/sign-ups", json={"person_id": mair.id}), 403)
    assert_problem(api_as(resident).post(f"/sessions/{activity_session.id}/sign-ups/cancel"), 409)
    assert session_sign_ups(db_session, activity_session) == []


def test_access(db_session, api_as, anonymous, make_session, make_bank, make_member, resident, organiser):
    activity_session = make_session()
    stranger, _ = make_member(make_bank(name="Other Vale Time Bank"), "Sam Stranger")
    as_stranger = api_as(stranger)  # commits the set-up, which a refused request would otherwise roll back
    assert_problem(anonymous.get(f"/sessions/{activity_session.id}"), 401)
    assert_problem(as_stranger.get(f"/sessions/{activity_session.id}"), 404)
    assert_problem(as_stranger.post(f"/sessions/{activity_session.id}/sign-ups"), 404)
    assert_problem(api_as(resident).post(f"/sessions/{activity_session.id}/cancel"), 403)
    assert_problem(api_as(resident).post(f"/sessions/{activity_session.id}/attendance", json={"attendees": []}), 403)
    assert_problem(api_as(resident).get("/sessions/2147483647"), 404)
    assert api_as(organiser).get(f"/sessions/{activity_session.id}").get_json()["may_run"] is True


def test_attendance_in_one_step_and_not_twice(db_session, api_as, make_session, organiser, members, start):
    activity_session = make_session(places=3, credit_minutes=90)
    people = members(3)
    for person, _account in people:
        attendance.sign_up(db_session, person, activity_session.id)
    start(activity_session)
    client = api_as(organiser)
    body = {"attendees": [{"person_id": people[0][0].id, "attended": True},
                          {"person_id": people[1][0].id, "attended": True, "minutes": 60},
                          {"person_id": people[2][0].id, "attended": False}]}

    response = client.post(f"/sessions/{activity_session.id}/attendance", json=body)

    assert response.status_code == 201, response.get_json()
    result = response.get_json()
    assert (result["attended"], result["absent"], result["total_minutes"]) == (2, 1, 150)
    exchanges = session_exchanges(db_session, activity_session)
    assert sorted(result["exchange_ids"]) == [e.id for e in exchanges]
    assert {e.state for e in exchanges} == {ExchangeState.CONFIRMED}
    assert [account.balance_minutes for _, account in people] == [90, 60, 0]

    assert_problem(client.post(f"/sessions/{activity_session.id}/attendance", json=body), 409)
    assert len(session_exchanges(db_session, activity_session)) == 2


def test_an_attendee_who_cannot_pay_stops_the_whole_list(db_session, api_as, make_session, organiser, members,
                                                         start):
    activity_session = make_session(direction=RoleDirection.SPENDS, credit_minutes=60)
    people = members(3)
    for person, _account in people:
        attendance.sign_up(db_session, person, activity_session.id)
    start(activity_session)
    people[0][1].floor_minutes = 0
    body = {"attendees": [{"person_id": person.id, "attended": True} for person, _ in people]}

    problem = assert_problem(api_as(organiser).post(f"/sessions/{activity_session.id}/attendance", json=body), 422,
                             "attendees")

    assert "Member 01" in problem["errors"]["attendees"][0]
    assert session_exchanges(db_session, activity_session) == []
    assert {row.status for row in session_sign_ups(db_session, activity_session)} == {SignUpStatus.BOOKED}


@pytest.mark.parametrize(("body", "field"), [
    ({}, "attendees"),
    ({"attendees": "everyone"}, "attendees"),
    ({"attendees": [{"person_id": 1}]}, "attendees"),
    ({"attendees": [{"person_id": 1, "attended": "yes"}]}, "attendees"),
])
def test_an_attendance_list_that_cannot_be_read_is_refused(db_session, api_as, make_session, organiser, start,
                                                           body, field):
    activity_session = start(make_session())
    assert_problem(api_as(organiser).post(f"/sessions/{activity_session.id}/attendance", json=body), 422, field)
    assert activity_session.attendance_marked_at is None


def test_an_organiser_calls_off_a_session(db_session, api_as, make_session, organiser, resident):
    activity_session = make_session()
    attendance.sign_up(db_session, resident, activity_session.id)
    response = api_as(organiser).post(f"/sessions/{activity_session.id}/cancel")
    assert response.status_code == 200
    session = response.get_json()
    assert session["cancelled_at"] is not None
    assert [(s["person_id"], s["status"]) for s in session["sign_ups"]] == [(resident.id, "cancelled")]


def test_my_sessions_and_calendar_address(db_session, api_as, client, make_session, resident, funder):
    soon, later = make_session(starts_in=dt.timedelta(days=1)), make_session(starts_in=dt.timedelta(days=9))
    attendance.sign_up(db_session, resident, later.id)
    attendance.sign_up(db_session, resident, soon.id)
    api = api_as(resident)
    page = api.get("/me/sessions?per_page=1").get_json()
    assert (page["total"], page["items"][0]["session"]["id"], page["items"][0]["sign_up"]["status"]) == (
        2, soon.id, "booked")
    assert_problem(api.get("/me/sessions?page=0"), 422, "page")

    made = api.post("/me/calendar-feed")
    assert made.status_code == 201
    address = made.get_json()["url"]
    assert client.get(address).status_code == 200
    assert api.request("DELETE", "/me/calendar-feed").status_code == 204
    assert api.request("DELETE", "/me/calendar-feed").status_code == 204  # twice is harmless
    assert client.get(address).status_code == 404
    assert db_session.scalar(sa.select(CalendarFeed).where(CalendarFeed.person_id == resident.id)) is None
    assert_problem(api_as(funder).post("/me/calendar-feed"), 403)

"""The activities API: publishing with roles and sessions, who may, refusals as problem+json naming the
field with nothing changed, and the OpenAPI document."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from tests.activities.conftest import next_weekday
from tests.api.support import assert_problem
from timebank.activities.models import Activity, ActivityPartner, ActivitySession, Role


def activity_body(bank, organisation, **changes: Any) -> dict[str, Any]:
    return {"time_bank_id": bank.id, "organisation_id": organisation.id, "title": "Youth club",
            "summary": "Friday nights at the Hollin Road hall.", "place": "Hollin Road hall", "form": "co_managing",
            "designed_by": "community", "delivered_by": "shared", "idempotency_key": uuid.uuid4().hex, **changes}


def role_body(**changes: Any) -> dict[str, Any]:
    return {"title": "Youth worker helper", "category": "coaching", "abilities": ["coaching", "music"],
            "places": 4, "clearance": "children", "normally_paid": True, "release_notice_hours": 168,
            "idempotency_key": uuid.uuid4().hex, **changes}


def sessions_body(on: dt.date, **changes: Any) -> dict[str, Any]:
    return {"on": on.isoformat(), "start_time": "18:30", "end_time": "21:00", "weeks": 1,
            "idempotency_key": uuid.uuid4().hex, **changes}


def count(db_session, model, *where) -> int:
    db_session.expire_all()
    return db_session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_a_council_publishes_over_the_api_and_a_resident_reads_it(
        db_session, api_as, bank, council, officer, resident, today, make_organisation):
    charity, _ = make_organisation(bank, "Hollin Park Friends")
    api = api_as(officer)
    body = activity_body(bank, council, partner_ids=[charity.id])
    created = api.post("/activities", json=body)
    assert created.status_code == 201, created.get_json()
    activity = created.get_json()
    assert (activity["status"], activity["cell"], activity["may_run"]) == ("draft", "Residents design, shared delivery",
                                                                            True)
    assert activity["partners"] == [{"organisation_id": charity.id, "name": "Hollin Park Friends"}]
    assert created.headers["Location"].endswith(f"/api/v1/activities/{activity['id']}")
    assert api.post("/activities", json=body).status_code == 200  # the same key: nothing new
    assert count(db_session, Activity, Activity.organisation_id == council.id) == 1

    role = api.post(f"/activities/{activity['id']}/roles", json=role_body())
    assert role.status_code == 201, role.get_json()
    role_id = role.get_json()["id"]
    assert role.get_json()["abilities"] == ["coaching", "music"] and role.get_json()["clearance"] == "children"

    first = next_weekday(4, today)
    made = api.post(f"/activities/{activity['id']}/roles/{role_id}/sessions", json=sessions_body(first, weeks=5))
    assert made.status_code == 201, made.get_json()
    items = made.get_json()["items"]
    assert len(items) == 5 and {(s["places"], s["places_left"], s["booked"]) for s in items} == {(4, 4, 0)}
    assert items[0]["place"] == "Hollin Road hall"

    published = api.post(f"/activities/{activity['id']}/publish")
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    [read_role] = published.get_json()["roles"]
    assert len(read_role["upcoming_sessions"]) == 5

    reader = api_as(resident)
    listed = reader.get("/activities", query_string={"designed_by": "community", "upcoming": "true"})
    assert listed.status_code == 200
    [found] = [a for a in listed.get_json()["items"] if a["id"] == activity["id"]]
    assert found["may_run"] is False and found["roles"][0]["upcoming_sessions"][0]["places_left"] == 4
    assert reader.get(f"/activities/{activity['id']}").status_code == 200


def test_updates_partners_and_closing_over_the_api(db_session, api_as, bank, officer, make_activity,
                                                   make_organisation):
    activity = make_activity()
    charity, _ = make_organisation(bank, "Hollin Park Friends")
    api = api_as(officer)
    details = {"title": "Hospital lifts", "summary": "", "place": "", "form": "co_design",
               "designed_by": "professionals", "delivered_by": "community"}
    updated = api.request("PUT", f"/activities/{activity.id}", json=details)
    assert updated.status_code == 200 and updated.get_json()["title"] == "Hospital lifts"
    added = api.request("PUT", f"/activities/{activity.id}/partners/{charity.id}")
    assert added.status_code == 200 and [p["organisation_id"] for p in added.get_json()["partners"]] == [charity.id]
    removed = api.request("DELETE", f"/activities/{activity.id}/partners/{charity.id}")
    assert removed.status_code == 200 and removed.get_json()["partners"] == []
    role = activity.roles[0]
    changed = api.request("PUT", f"/activities/{activity.id}/roles/{role.id}",
                          json={"title": "Driver", "category": "lifts", "places": 3, "credit_minutes": 90})
    assert changed.status_code == 200 and (changed.get_json()["places"], changed.get_json()["credit_minutes"]) == (
        3, 90)
    closed = api.post(f"/activities/{activity.id}/close")
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert_problem(api.post(f"/activities/{activity.id}/roles", json=role_body()), 409)


# --- refusals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "field"), [
    ({"places": 0}, "places"),
    ({"places": "4"}, "places"),
    ({"category": "juggling"}, "category"),
    ({"abilities": ["juggling"]}, "abilities"),
    ({"credit_minutes": 0}, "credit_minutes"),
    ({"release_notice_hours": -2}, "release_notice_hours"),
    ({"clearance": "everyone"}, "clearance"),
    ({"direction": "sideways"}, "direction"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_role_is_a_problem_naming_the_field(db_session, api_as, officer, make_activity, changes, field):
    activity = make_activity()
    response = api_as(officer).post(f"/activities/{activity.id}/roles", json=role_body(**changes))
    assert_problem(response, 422, field)
    assert count(db_session, Role, Role.activity_id == activity.id) == 1


@pytest.mark.parametrize(("changes", "days", "field"), [
    ({"start_time": "21:00", "end_time": "18:00"}, 7, "end_time"),
    ({}, -1, "on"),
    ({}, 800, "on"),
    ({"weeks": 27}, 7, "weeks"),
    ({"places": 0}, 7, "places"),
    ({"start_time": "6pm"}, 7, "start_time"),
])
def test_bad_sessions_are_problems_naming_the_field(db_session, api_as, officer, make_activity, today, changes,
                                                    days, field):
    role = make_activity().roles[0]
    response = api_as(officer).post(f"/activities/{role.activity_id}/roles/{role.id}/sessions",
                                    json=sessions_body(today + dt.timedelta(days=days), **changes))
    assert_problem(response, 422, field)
    assert count(db_session, ActivitySession, ActivitySession.role_id == role.id) == 0


def test_a_partner_from_another_bank_is_refused(db_session, api_as, officer, make_activity, make_bank,
                                                make_organisation):
    activity = make_activity()
    outsider, _ = make_organisation(make_bank(name="Elsewhere Time Bank"), "Elsewhere Trust")
    response = api_as(officer).request("PUT", f"/activities/{activity.id}/partners/{outsider.id}")
    assert_problem(response, 422, "organisation_id")
    assert count(db_session, ActivityPartner, ActivityPartner.activity_id == activity.id) == 0


def test_a_new_activity_for_an_organisation_elsewhere_is_refused(db_session, api_as, bank, council, officer,
                                                                 make_bank, make_organisation):
    elsewhere = make_bank(name="Elsewhere Time Bank")
    make_organisation(elsewhere, "Other Council", admins=(officer,))
    api = api_as(officer)
    assert_problem(api.post("/activities", json=activity_body(elsewhere, council)), 422, "organisation_id")
    assert_problem(api.post("/activities", json=activity_body(bank, council, form="co_sleeping")), 422, "form")
    assert count(db_session, Activity, Activity.organisation_id == council.id) == 0


# --- who may ---------------------------------------------------------------------------------------------


def test_who_may_use_the_activities_api(db_session, api_as, anonymous, bank, council, resident, make_activity,
                                        make_bank, make_member):
    draft = make_activity(publish=False)
    published = make_activity(title="Community garden")
    outsider, _ = make_member(make_bank(name="Elsewhere Time Bank"), "Owain Outsider")
    reader, stranger = api_as(resident), api_as(outsider)  # tokens first: a refused request rolls back
    assert_problem(anonymous.get("/activities"), 401)
    assert_problem(reader.post("/activities", json=activity_body(bank, council)), 403)
    assert_problem(reader.get(f"/activities/{draft.id}"), 404)
    assert_problem(reader.post(f"/activities/{published.id}/close"), 403)
    assert_problem(reader.post(f"/activities/{published.id}/roles", json=role_body()), 403)
    assert_problem(stranger.get(f"/activities/{published.id}"), 404)
    assert_problem(reader.get("/activities/2147483648"), 404)


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/activities", "/api/v1/activities/{activity_id}", "/api/v1/activities/{activity_id}/publish",
                 "/api/v1/activities/{activity_id}/close",
                 "/api/v1/activities/{activity_id}/partners/{organisation_id}",
                 "/api/v1/activities/{activity_id}/roles",
                 "/api/v1/activities/{activity_id}/roles/{activity_role_id}",
                 "/api/v1/activities/{activity_id}/roles/{activity_role_id}/sessions"):
        assert path in paths, path

"""The activity pages: a council officer publishes an activity with a role and a weekly series, residents
browse it; drafts, other banks and the wrong role are refused; bad input comes back next to the field
with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.activities.conftest import next_weekday
from tests.exchanges.test_pages import error_next_to
from tests.membership.test_pages import text_of
from tests.test_form_controls import boxes_without_a_target
from timebank.activities.models import Activity, ActivityPartner, ActivitySession, ActivityStatus, Role
from timebank.clock import UK


def activity_form(bank, organisation, **changes: str) -> dict[str, str]:
    data = {"time_bank_id": str(bank.id), "organisation_id": str(organisation.id), "title": "Community garden",
            "summary": "Growing food together at Hollin Park.", "place": "Hollin Park",
            "coproduction_form": "co_delivering", "designed_by": "shared", "delivered_by": "community",
            "idempotency_key": "activity-form-key"}
    data.update(changes)
    return data


def role_form(**changes: str) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "title": "Garden helper", "description": "Weeding, planting and watering.", "category": "gardening",
        "abilities": ["gardening", "food-growing"], "direction": "gives", "places": "8", "credit_hours": "",
        "credit_minutes": "", "clearance": "", "normally_paid": "no", "service_user_involvement": "yes",
        "release_notice": "48", "release_notice_hours": "", "away_overnight": "no", "idempotency_key": "role-key"}
    data.update(changes)
    return data


def session_form(on: dt.date, **changes: str) -> dict[str, str]:
    data = {"on": on.isoformat(), "start_time": "10:00", "end_time": "12:30", "place": "", "places": "",
            "weeks": "1", "idempotency_key": "session-key"}
    data.update(changes)
    return data


def activities_of(db_session, organisation) -> list[Activity]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(Activity).where(Activity.organisation_id == organisation.id)))


def sessions_of(db_session, role) -> list[ActivitySession]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(ActivitySession).where(ActivitySession.role_id == role.id)
                                   .order_by(ActivitySession.starts_at)))


# --- the whole journey -------------------------------------------------------------------------------


def test_a_council_publishes_an_activity_with_a_role_and_weekly_sessions(
        db_session, browser, bank, council, officer, resident, today, make_organisation):
    charity, _ = make_organisation(bank, "Hollin Park Friends")
    client = browser(officer)
    assert client.get("/activities/new").status_code == 200
    response = client.post("/activities/new", data=activity_form(bank, council))
    [activity] = activities_of(db_session, council)
    assert response.status_code == 302 and response.location.endswith(f"/activities/{activity.id}")
    assert activity.status is ActivityStatus.DRAFT

    page = text_of(client.get(f"/activities/{activity.id}"))
    assert "Shared design, residents deliver This activity" in page  # the matrix cell, said in words
    assert client.post(f"/activities/{activity.id}/partners",
                       data={"organisation_id": str(charity.id)}).status_code == 302

    response = client.post(f"/activities/{activity.id}/roles/new", data=role_form())
    assert response.status_code == 302
    [role] = db_session.scalars(sa.select(Role).where(Role.activity_id == activity.id)).all()
    assert (role.places, role.release_notice_hours, role.service_user_involvement, role.credit_minutes) == (
        8, 48, True, None)

    first = next_weekday(5, today)
    response = client.post(f"/activities/{activity.id}/roles/{role.id}/sessions/new",
                           data=session_form(first, weeks="4"))
    assert response.status_code == 302
    made = sessions_of(db_session, role)
    assert [s.starts_at.astimezone(UK).date() for s in made] == [first + dt.timedelta(weeks=w) for w in range(4)]
    assert {s.starts_at.astimezone(UK).time() for s in made} == {dt.time(10)} and {s.places for s in made} == {8}
    assert "4 sessions are added" in text_of(client.get(response.location))

    assert client.post(f"/activities/{activity.id}/publish").status_code == 302
    db_session.expire_all()
    assert activity.status is ActivityStatus.PUBLISHED

    reader = browser(resident)
    listing = text_of(reader.get("/activities"))
    assert "Community garden" in listing and "Run by Hollinbridge Council" in listing
    assert "With Hollin Park Friends" in listing and "Garden helper" in listing
    detail = reader.get(f"/activities/{activity.id}")
    assert detail.status_code == 200
    body = text_of(detail)
    assert "0 of 8 places taken, 8 left" in body and "Edit the details" not in body
    assert f'href="/sessions/{made[0].id}"' in detail.get_data(as_text=True)


def test_an_officer_edits_the_details_and_a_role(db_session, browser, officer, make_activity):
    activity = make_activity()
    role = activity.roles[0]
    client = browser(officer)
    form = client.get(f"/activities/{activity.id}/edit")
    assert form.status_code == 200 and 'value="Hospital transport"' in form.get_data(as_text=True)
    response = client.post(f"/activities/{activity.id}/edit", data={
        "title": "Hospital lifts", "summary": "", "place": "", "coproduction_form": "co_design",
        "designed_by": "community", "delivered_by": "professionals"})
    assert response.status_code == 302
    assert client.get(f"/activities/{activity.id}/roles/{role.id}/edit").status_code == 200
    response = client.post(f"/activities/{activity.id}/roles/{role.id}/edit", data=role_form(
        category="lifts", release_notice="other", release_notice_hours="72", credit_hours="1", credit_minutes="30"))
    assert response.status_code == 302
    db_session.expire_all()
    assert (activity.title, activity.designed_by.value) == ("Hospital lifts", "community")
    assert (role.release_notice_hours, role.credit_minutes, role.places) == (72, 90, 8)


def test_closing_keeps_the_activity_but_stops_changes(db_session, browser, officer, resident, make_activity):
    activity = make_activity()
    client = browser(officer)
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    # Closing cannot be undone: it comes last, after the roles, set apart in its own framed area.
    assert page.index(">Roles</h2>") < page.index('<section class="danger-zone" aria-labelledby="close-activity">')
    assert page.index("danger-zone") < page.index("Yes, close this activity")
    assert boxes_without_a_target(page) == []
    unticked = client.post(f"/activities/{activity.id}/close", data={})
    assert unticked.status_code == 422
    assert error_next_to(unticked.get_data(as_text=True), "confirm") == "Error: Tick the box to say you are sure"
    db_session.expire_all()
    assert activity.status is ActivityStatus.PUBLISHED
    assert client.post(f"/activities/{activity.id}/close", data={"confirm": "y"}).status_code == 302
    db_session.expire_all()
    assert activity.status is ActivityStatus.CLOSED
    assert browser(resident).get(f"/activities/{activity.id}").status_code == 200
    response = client.post(f"/activities/{activity.id}/roles/new", data=role_form())
    assert response.status_code == 422 and "This activity is closed" in text_of(response)


def test_publishing_without_a_role_says_why(db_session, browser, bank, council, officer):
    client = browser(officer)
    client.post("/activities/new", data=activity_form(bank, council))
    [activity] = activities_of(db_session, council)
    response = client.post(f"/activities/{activity.id}/publish")
    assert response.status_code == 422 and "Add at least one role before publishing" in text_of(response)
    assert activities_of(db_session, council)[0].status is ActivityStatus.DRAFT


# --- who may --------------------------------------------------------------------------------------------


def test_drafts_are_hidden_from_residents_and_other_banks_see_nothing(
        db_session, browser, resident, make_activity, make_bank, make_member):
    draft = make_activity(publish=False)
    published = make_activity(title="Community garden")
    reader = browser(resident)
    assert reader.get(f"/activities/{draft.id}").status_code == 404
    assert reader.get(f"/activities/{draft.id}/roles/{draft.roles[0].id}").status_code == 404
    assert "Hospital transport" not in text_of(reader.get("/activities"))
    outsider, _ = make_member(make_bank(name="Elsewhere Time Bank"), "Owain Outsider")
    stranger = browser(outsider)
    assert stranger.get(f"/activities/{published.id}").status_code == 404
    assert stranger.post(f"/activities/{published.id}/close").status_code == 404


def test_a_resident_cannot_publish_or_change_anything(db_session, browser, resident, make_activity):
    activity = make_activity()
    role = activity.roles[0]
    reader = browser(resident)
    assert reader.get("/activities/new").status_code == 403
    assert reader.post("/activities/new", data={}).status_code == 403
    for url in (f"/activities/{activity.id}/edit", f"/activities/{activity.id}/publish",
                f"/activities/{activity.id}/close", f"/activities/{activity.id}/partners",
                f"/activities/{activity.id}/roles/new", f"/activities/{activity.id}/roles/{role.id}/edit",
                f"/activities/{activity.id}/roles/{role.id}/sessions/new"):
        assert reader.post(url, data={}).status_code == 403, url
    db_session.expire_all()
    assert activity.status is ActivityStatus.PUBLISHED


def test_anonymous_people_are_sent_to_sign_in(browser, make_activity):
    activity = make_activity()
    response = browser(None).get(f"/activities/{activity.id}")
    assert response.status_code == 302 and "/sign-in?next=" in response.location


def test_a_broker_runs_any_activity_in_their_bank(db_session, browser, broker, make_activity):
    activity = make_activity(publish=False)
    client = browser(broker)
    assert "Publish it" in text_of(client.get(f"/activities/{activity.id}"))
    assert client.post(f"/activities/{activity.id}/publish").status_code == 302


# --- bad input ------------------------------------------------------------------------------------------


def test_a_partner_from_another_bank_is_refused_next_to_the_field(
        db_session, browser, officer, make_activity, make_bank, make_organisation):
    activity = make_activity()
    outsider, _ = make_organisation(make_bank(name="Elsewhere Time Bank"), "Elsewhere Trust")
    response = browser(officer).post(f"/activities/{activity.id}/partners", data={"organisation_id": str(outsider.id)})
    assert response.status_code == 422
    assert "Choose an organisation from the list" in error_next_to(response.get_data(as_text=True), "organisation_id")
    assert db_session.scalars(sa.select(ActivityPartner).where(ActivityPartner.activity_id == activity.id)).all() == []


def test_a_new_activity_with_missing_answers_is_refused(db_session, browser, bank, council, officer):
    response = browser(officer).post("/activities/new", data=activity_form(
        bank, council, title="", coproduction_form="co_sleeping", designed_by=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the activity a title" in error_next_to(html, "title")
    assert "Choose a form of co-production" in error_next_to(html, "coproduction_form")
    assert "Say who designs it" in error_next_to(html, "designed_by")
    assert activities_of(db_session, council) == []


def test_an_organisation_without_an_account_in_the_bank_is_refused(
        db_session, browser, bank, council, officer, make_bank, make_organisation):
    elsewhere = make_bank(name="Elsewhere Time Bank")
    make_organisation(elsewhere, "Other Council", admins=(officer,))
    response = browser(officer).post("/activities/new", data=activity_form(elsewhere, council))
    assert response.status_code == 422
    assert "Choose an organisation you act for" in error_next_to(response.get_data(as_text=True), "organisation_id")
    assert activities_of(db_session, council) == []


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"places": "0"}, "places", "Enter a number of places from 1 to 500"),
    ({"places": "lots"}, "places", "Enter the number of places as a whole number"),
    ({"category": "juggling"}, "category", "Choose a category from the list"),
    ({"abilities": ["juggling"]}, "abilities", "Choose abilities from the list"),
    ({"credit_hours": "25"}, "credit", "Enter hours from 0 to 24"),
    ({"credit_hours": "24", "credit_minutes": "30"}, "credit", "Enter credits per session from 1 minute"),
    ({"release_notice": "other"}, "release_notice_hours", "Enter the hours of notice needed"),
    ({"release_notice": "other", "release_notice_hours": "2000"}, "release_notice_hours", "from 0 to 1,440"),
])
def test_a_bad_role_is_refused_next_to_the_field(db_session, browser, officer, make_activity, changes, field,
                                                 message):
    activity = make_activity()
    response = browser(officer).post(f"/activities/{activity.id}/roles/new", data=role_form(**changes))
    assert response.status_code == 422
    assert message in error_next_to(response.get_data(as_text=True), field)
    db_session.expire_all()
    assert len(activity.roles) == 1


@pytest.mark.parametrize(("changes", "days", "field", "message"), [
    ({"start_time": "12:00", "end_time": "11:00"}, 7, "end_time", "The end time must be after the start time"),
    ({}, -1, "on", "Enter a date from today to"),
    ({}, 800, "on", "Enter a date from today to"),
    ({"weeks": "27"}, 7, "weeks", "Repeat for 1 to 26 weeks"),
    ({"places": "0"}, 7, "places", "Enter a number of places from 1 to 500"),
    ({"start_time": "25:00"}, 7, "start_time", "Enter a time like 09:30"),
])
def test_bad_sessions_are_refused_next_to_the_field(db_session, browser, officer, make_activity, today, changes,
                                                    days, field, message):
    role = make_activity().roles[0]
    response = browser(officer).post(f"/activities/{role.activity_id}/roles/{role.id}/sessions/new",
                                     data=session_form(today + dt.timedelta(days=days), **changes))
    assert response.status_code == 422
    assert message in error_next_to(response.get_data(as_text=True), field)
    assert sessions_of(db_session, role) == []


def test_a_session_day_typed_in_three_boxes_is_saved(db_session, browser, officer, make_activity, today):
    role = make_activity().roles[0]
    day = today + dt.timedelta(days=9)
    data = {**session_form(day), "on-day": f"{day.day:02}", "on-month": str(day.month), "on-year": str(day.year)}
    del data["on"]
    response = browser(officer).post(f"/activities/{role.activity_id}/roles/{role.id}/sessions/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    [made] = sessions_of(db_session, role)
    assert made.starts_at.date() == day


def test_sending_the_session_form_twice_makes_one_series(db_session, browser, officer, make_activity, today):
    role = make_activity().roles[0]
    client = browser(officer)
    url = f"/activities/{role.activity_id}/roles/{role.id}/sessions/new"
    for _ in range(2):
        assert client.post(url, data=session_form(today + dt.timedelta(days=2), weeks="3")).status_code == 302
    assert len(sessions_of(db_session, role)) == 3


# --- browsing -------------------------------------------------------------------------------------------


def test_the_list_filters_by_cell_and_sessions_coming_up(db_session, browser, resident, make_activity,
                                                        add_sessions):
    from timebank.activities.models import Party

    make_activity(title="Community garden", designed_by=Party.COMMUNITY, delivered_by=Party.COMMUNITY)
    transport = make_activity(title="Hospital transport")
    add_sessions(transport.roles[0])
    reader = browser(resident)
    page = text_of(reader.get("/activities", query_string={"cell": "community.community"}))
    assert "Community garden" in page and "Hospital transport" not in page
    page = text_of(reader.get("/activities", query_string={"upcoming": "y"}))
    assert "Hospital transport" in page and "Community garden" not in page
    assert reader.get("/activities", query_string={"cell": "nobody.nobody"}).status_code == 422
    assert reader.get("/activities", query_string={"page": "x"}).status_code == 400


def test_a_role_page_lists_its_sessions_in_pages(db_session, browser, resident, make_activity, add_sessions):
    role = make_activity().roles[0]
    add_sessions(role, weeks=26)
    reader = browser(resident)
    first = reader.get(f"/activities/{role.activity_id}/roles/{role.id}")
    assert first.status_code == 200 and "Page 1 of 2" in text_of(first)
    assert text_of(reader.get(f"/activities/{role.activity_id}/roles/{role.id}", query_string={"earlier": "1"})) \
        .count("places taken") == 0

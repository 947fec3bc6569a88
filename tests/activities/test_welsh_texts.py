"""Activities' and roles' texts in Welsh: an organisation may give its titles and descriptions in Welsh too
(pages, forms, API). Welsh pages show the Welsh where it is given, and otherwise the English marked
lang="en", so that screen readers say it in English; English pages show the English, unmarked."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.activities.conftest import role_details
from tests.activities.test_api import activity_body, role_body
from tests.activities.test_pages import activities_of, activity_form, role_form
from tests.api.support import assert_problem
from tests.exchanges.test_pages import error_next_to
from timebank.activities import errors as err
from timebank.activities import service
from timebank.activities.models import Activity, Role
from timebank.attendance import service as attendance
from timebank.i18n import in_language, local_words

MARK = '<span lang="en">'


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.fixture
def garden(db_session, officer, make_activity):
    """An activity with its title and summary in Welsh, and one role in English only."""
    return make_activity(title="Community garden", title_cy="Gardd gymunedol",
                         summary="Growing food together.", summary_cy="Tyfu bwyd gyda'n gilydd.")


def test_the_welsh_page_shows_the_welsh_given_and_marks_the_english(browser, resident, garden):
    html = html_of(browser(resident).get(f"/activities/{garden.id}?lang=cy"))
    assert "<h1>Gardd gymunedol</h1>" in html and "Tyfu bwyd gyda&#39;n gilydd." in html
    assert "Community garden" not in html and "Growing food together." not in html
    # The role has no Welsh: its English, said as English.
    assert f"{MARK}Volunteer driver</span></a></h3>" in html
    assert f"{MARK}Drive residents to appointments.</span>" in html
    assert "Gardd gymunedol" in title_of(html) and MARK not in title_of(html)  # no tags in a <title>


def test_the_english_page_is_as_it_was(browser, resident, garden):
    html = html_of(browser(resident).get(f"/activities/{garden.id}?lang=en"))
    assert "<h1>Community garden</h1>" in html and "Volunteer driver</a></h3>" in html
    assert "Gardd gymunedol" not in html and MARK not in html


def test_lists_sessions_and_the_week_ahead_speak_welsh_too(db_session, browser, officer, resident, today,
                                                           garden, add_sessions):
    role = garden.roles[0]
    service.update_role(db_session, officer, garden.id, role.id, role_details(title_cy="Gyrrwr gwirfoddol"))
    [activity_session] = add_sessions(role, on=today + dt.timedelta(days=1))
    listing = html_of(browser(resident).get("/activities?lang=cy"))
    assert ">Gardd gymunedol</a></h2>" in listing and "<strong>Gyrrwr gwirfoddol</strong>" in listing
    page = html_of(browser(resident).get(f"/sessions/{activity_session.id}?lang=cy"))
    assert "<h1>Gardd gymunedol: Gyrrwr gwirfoddol</h1>" in page
    assert f"{MARK}Drive residents to appointments.</span>" in page  # the description has no Welsh
    week = html_of(browser(officer).get("/?lang=cy"))
    assert ">Gardd gymunedol: Gyrrwr gwirfoddol</a>" in week
    attendance.sign_up(db_session, resident, activity_session.id)
    coming_up = html_of(browser(resident).get("/?lang=cy"))
    assert ">Gardd gymunedol: Gyrrwr gwirfoddol</a>" in coming_up


def test_the_forms_save_the_welsh_and_show_it_again(db_session, browser, bank, council, officer):
    client = browser(officer)
    new = html_of(client.get("/activities/new"))
    assert 'id="title_cy"' in new and 'lang="cy"' in new
    assert client.post("/activities/new", data=activity_form(
        bank, council, title_cy="  Gardd   gymunedol ", summary_cy="Tyfu bwyd.")).status_code == 302
    [activity] = activities_of(db_session, council)
    assert (activity.title_cy, activity.summary_cy) == ("Gardd gymunedol", "Tyfu bwyd.")
    assert client.post(f"/activities/{activity.id}/roles/new", data=role_form(
        title_cy="Garddwr", description_cy="Chwynnu a phlannu.")).status_code == 302
    [role] = db_session.scalars(sa.select(Role).where(Role.activity_id == activity.id)).all()
    assert (role.title_cy, role.description_cy) == ("Garddwr", "Chwynnu a phlannu.")
    edit = html_of(client.get(f"/activities/{activity.id}/roles/{role.id}/edit"))
    assert 'value="Garddwr"' in edit and "Chwynnu a phlannu.</textarea>" in edit
    # Emptied, the Welsh goes: Welsh pages show the English again.
    assert client.post(f"/activities/{activity.id}/roles/{role.id}/edit",
                       data=role_form(title_cy=" ", description_cy="")).status_code == 302
    db_session.expire_all()
    assert (role.title_cy, role.description_cy) == (None, None)


def test_a_welsh_title_too_long_is_refused_next_to_its_field(db_session, browser, bank, council, officer,
                                                             make_activity):
    response = browser(officer).post("/activities/new", data=activity_form(bank, council, title_cy="a" * 201))
    assert response.status_code == 422
    assert "Keep the title to 200 characters or fewer" in error_next_to(response.get_data(as_text=True), "title_cy")
    assert activities_of(db_session, council) == []
    activity = make_activity()
    with pytest.raises(err.InvalidTitle) as refused:
        service.update_role(db_session, officer, activity.id, activity.roles[0].id, role_details(title_cy="a" * 201))
    assert refused.value.field == "title_cy"


def test_the_api_takes_and_gives_the_welsh(db_session, api_as, bank, council, officer):
    api = api_as(officer)
    created = api.post("/activities", json=activity_body(bank, council, title_cy="Clwb ieuenctid",
                                                         summary_cy="Nos Wener."))
    assert created.status_code == 201, created.get_json()
    activity = created.get_json()
    assert (activity["title_cy"], activity["summary_cy"]) == ("Clwb ieuenctid", "Nos Wener.")
    role = api.post(f"/activities/{activity['id']}/roles", json=role_body(title_cy="Cynorthwyydd"))
    assert role.status_code == 201, role.get_json()
    assert (role.get_json()["title_cy"], role.get_json()["description_cy"]) == ("Cynorthwyydd", None)
    read = api.get(f"/activities/{activity['id']}").get_json()
    assert read["roles"][0]["title_cy"] == "Cynorthwyydd" and read["title_cy"] == "Clwb ieuenctid"
    assert_problem(api.post("/activities", json=activity_body(bank, council, title_cy="a" * 201)), 422, "title_cy")
    assert_problem(api.post(f"/activities/{activity['id']}/roles", json=role_body(description_cy="a" * 4001)),
                   422, "description_cy")
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Activity)
                             .where(Activity.organisation_id == council.id)) == 1


def test_the_openapi_document_states_the_welsh_limits(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    activity = next(s for name, s in schemas.items() if name.startswith("Activity") and "form" in s["properties"]
                    and "time_bank_id" in s["properties"] and "title_cy" in s["properties"]
                    and "maxLength" in s["properties"]["title"])
    assert activity["properties"]["title_cy"]["maxLength"] == 200
    assert activity["properties"]["summary_cy"]["maxLength"] == 4000


def test_in_language_marks_english_only_on_welsh_pages(app):
    with app.test_request_context("/?lang=cy"):
        assert in_language("Youth club", "Clwb ieuenctid") == ("Clwb ieuenctid", None)
        assert in_language("Youth club", None) == ("Youth club", "en")
        assert in_language("", None) == ("", None)  # nothing to mark
        assert local_words("<b>Tea & talk</b>", "") == '<span lang="en">&lt;b&gt;Tea &amp; talk&lt;/b&gt;</span>'
        assert local_words("Youth club", None, marked=False) == "Youth club"
    with app.test_request_context("/?lang=en"):
        assert in_language("Youth club", "Clwb ieuenctid") == ("Youth club", None)

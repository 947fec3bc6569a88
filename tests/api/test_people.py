"""People and organisations over the API: profiles (what someone can do, shown as they chose), finding
people, contact details, organisations and what they offer, and ``/me``."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.api.support import assert_problem
from timebank.ledger.models import Account
from timebank.members.models import ContactMethod, Organisation, OrganisationAdmin, Person
from timebank.profiles.models import Contribution

PROFILE = {
    "abilities": ["gardening", "bike-repair"],
    "about": "I grow vegetables and fix bikes",
    "learn_or_share": "Welsh conversation",
    "experience": "Allotment for 20 years",
    "enjoys": "Being outdoors",
    "languages": ["en", "cy"],
    "availability": [{"weekday": 5, "period": "morning"}, {"weekday": 0, "period": "evening"},
                     {"weekday": 0, "period": "morning"}],
    "can_travel": True,
    "travel_districts": ["hb4", "HB5 1AA"],
    "show_name": True,
    "show_area": True,
    "show_abilities": True,
    "show_contact": False,
}


@pytest.fixture
def neighbours(make_bank, make_member):
    """Aled (who fills in his profile), Bea (a fellow member) and Eve (in another bank)."""
    bank, other_bank = make_bank(), make_bank()
    aled, _ = make_member(bank, "Aled Pryce", postcode="HB3 2QT", phone="01632 960 111")
    bea, _ = make_member(bank, "Bea Okafor", postcode="HB3 1AB")
    eve, _ = make_member(other_bank, "Eve Evans", postcode="HB3 2QT")
    return bank, aled, bea, eve


def test_a_member_fills_in_their_profile(neighbours, api_as):
    _bank, aled, _bea, _eve = neighbours

    response = api_as(aled).request("PUT", f"/people/{aled.id}/profile", json=PROFILE)

    assert response.status_code == 200, response.get_json()
    profile = response.get_json()
    assert profile["full"] is True and profile["name"] == "Aled Pryce" and profile["district"] == "HB3"
    assert profile["abilities"] == [{"code": "gardening", "label": "Gardening"},
                                    {"code": "bike-repair", "label": "Bike repair"}]
    assert profile["availability"] == [{"weekday": 0, "period": "morning"}, {"weekday": 0, "period": "evening"},
                                       {"weekday": 5, "period": "morning"}]
    assert (profile["travel_districts"], sorted(profile["languages"])) == (["HB4", "HB5"], ["cy", "en"])
    assert profile["contact"] == {"email": aled.email, "phone": "01632 960 111", "contact_by": "email"}
    assert profile["visibility"] == {"show_name": True, "show_area": True, "show_abilities": True,
                                     "show_contact": False, "open_to_introductions": True, "age_band": None,
                                     "in_reports_at": None}
    assert not any("need" in field for field in profile)


def test_other_members_see_what_the_member_chose_to_show(db_session, neighbours, make_broker, make_funder, api_as):
    bank, aled, bea, eve = neighbours
    broker = make_broker(bank)
    as_aled, as_bea, as_broker = api_as(aled), api_as(bea), api_as(broker)
    as_eve, as_funder = api_as(eve), api_as(make_funder(bank))
    as_aled.request("PUT", f"/people/{aled.id}/profile",
                    json={**PROFILE, "show_name": False, "show_area": False, "show_contact": False})

    seen = as_bea.get(f"/people/{aled.id}").get_json()

    assert (seen["full"], seen["name"], seen["district"], seen["travel_districts"]) == (False, None, None, None)
    assert (seen["contact"], seen["visibility"]) == (None, None)
    assert [a["code"] for a in seen["abilities"]] == ["gardening", "bike-repair"]
    assert seen["about"] == PROFILE["about"]
    as_aled.request("PUT", f"/people/{aled.id}/profile", json={**PROFILE, "show_abilities": False,
                                                                "show_contact": True})
    hidden = as_bea.get(f"/people/{aled.id}").get_json()
    assert hidden["name"] == "Aled Pryce" and hidden["contact"]["email"] == aled.email
    assert all(hidden[part] is None for part in ("abilities", "about", "learn_or_share", "experience", "enjoys",
                                                 "languages", "availability"))
    everything = as_broker.get(f"/people/{aled.id}").get_json()
    assert everything["full"] is True and everything["abilities"] and everything["district"] == "HB3"
    assert_problem(as_eve.get(f"/people/{aled.id}"), 404)
    assert_problem(as_funder.get(f"/people/{aled.id}"), 404)
    assert_problem(as_bea.get(f"/people/{2**31 - 1}"), 404)


def test_a_profile_is_changed_by_its_member_or_their_broker_only(neighbours, make_broker, make_bank, api_as):
    bank, aled, bea, eve = neighbours
    as_bea, as_eve = api_as(bea), api_as(eve)
    as_broker, as_other_broker = api_as(make_broker(bank)), api_as(make_broker(make_bank()))

    for client in (as_bea, as_eve, as_other_broker):
        assert_problem(client.request("PUT", f"/people/{aled.id}/profile", json=PROFILE), 404)
    changed = as_broker.request("PUT", f"/people/{aled.id}/profile", json={"abilities": ["welsh"]})

    assert changed.status_code == 200
    profile = changed.get_json()
    assert [a["code"] for a in profile["abilities"]] == ["welsh"] and profile["about"] == ""
    assert (profile["can_travel"], profile["visibility"]["show_contact"]) == (True, False)


@pytest.mark.parametrize("overrides,field", [
    ({"abilities": ["juggling"]}, "abilities"),
    ({"abilities": "gardening"}, "abilities"),
    ({"abilities": [7]}, "abilities"),
    ({"languages": ["klingon"]}, "languages"),
    ({"availability": [{"weekday": 7, "period": "morning"}]}, "availability"),
    ({"availability": [{"weekday": 1, "period": "night"}]}, "availability"),
    ({"availability": [{"weekday": "1", "period": "morning"}]}, "availability"),
    ({"availability": [{"weekday": 1}]}, "availability"),
    ({"travel_districts": ["nowhere"]}, "travel_districts"),
    ({"travel_districts": [f"HB{n}" for n in range(1, 14)]}, "travel_districts"),
    ({"about": "x" * 2001}, "about"),
    ({"enjoys": None}, "enjoys"),
    ({"show_name": "no"}, "show_name"),
    ({"can_travel": 0}, "can_travel"),
    ({"needs": "help with shopping"}, "needs"),
])
def test_a_bad_profile_names_the_field(db_session, neighbours, api_as, overrides, field):
    _bank, aled, _bea, _eve = neighbours

    assert_problem(api_as(aled).request("PUT", f"/people/{aled.id}/profile", json={**PROFILE, **overrides}),
                   422, field)


def test_members_find_each_other_by_ability_language_area_and_time(neighbours, make_broker, api_as):
    bank, aled, bea, eve = neighbours
    as_aled, as_bea, as_eve = api_as(aled), api_as(bea), api_as(eve)
    as_broker = api_as(make_broker(bank))
    as_aled.request("PUT", f"/people/{aled.id}/profile", json=PROFILE)
    as_bea.request("PUT", f"/people/{bea.id}/profile", json={"abilities": ["cooking"], "show_abilities": False})
    as_eve.request("PUT", f"/people/{eve.id}/profile", json=PROFILE)

    def found(client, query):
        response = client.get(f"/people?{query}")
        assert response.status_code == 200, response.get_json()
        return [card["holder_id"] for card in response.get_json()["items"]]

    assert found(as_bea, "q=vegetables") == [aled.id]
    assert found(as_bea, "ability=repairs") == [aled.id]  # a parent category finds its children
    assert found(as_bea, "language=cy&district=HB5") == [aled.id]
    assert found(as_bea, "weekday=5&period=morning") == [aled.id]
    assert found(as_bea, "weekday=5&period=evening") == []
    assert found(as_bea, "q=Pryce") == []  # only brokers search by name
    assert found(as_broker, "q=Pryce") == [aled.id]
    card = as_bea.get("/people?q=vegetables").get_json()["items"][0]
    assert card == {"holder_id": aled.id, "is_organisation": False, "name": "Aled Pryce", "district": "HB3",
                    "abilities": ["gardening", "bike-repair"], "languages": ["cy", "en"], "email": None,
                    "phone": None, "contact_by": None, "full": False}
    assert found(as_aled, "ability=cooking") == []  # Bea keeps her abilities to brokers
    assert found(as_broker, "ability=cooking") == [bea.id]
    page = as_broker.get("/people?per_page=1&page=2").get_json()
    assert (page["page"], page["per_page"], page["total"], len(page["items"])) == (2, 1, 2, 1)


@pytest.mark.parametrize("query,field", [
    ("weekday=7", "weekday"),
    ("weekday=monday", "weekday"),
    ("period=night", "period"),
    ("ability=juggling", "ability"),
    ("district=nowhere", "district"),
    ("time_bank_id=0", "time_bank_id"),
    ("per_page=101", "per_page"),
    (f"q={'word ' * 50}", "q"),
])
def test_a_bad_search_names_the_field(neighbours, api_as, query, field):
    _bank, aled, _bea, _eve = neighbours

    assert_problem(api_as(aled).get(f"/people?{query}"), 422, field)


def test_searching_another_bank_or_as_a_funder_is_refused(db_session, neighbours, make_funder, api_as):
    bank, aled, _bea, eve = neighbours
    eve_bank_id = db_session.scalar(sa.select(Account.time_bank_id).where(Account.holder_id == eve.id))
    as_aled, as_funder = api_as(aled), api_as(make_funder(bank))

    assert_problem(as_funder.get("/people"), 403)
    assert_problem(as_aled.get(f"/people?time_bank_id={eve_bank_id}"), 422, "time_bank_id")


def test_contact_details_are_changed_by_the_member_or_their_broker(db_session, neighbours, make_broker, api_as):
    bank, aled, bea, _eve = neighbours
    as_aled, as_bea, as_broker = api_as(aled), api_as(bea), api_as(make_broker(bank))
    details = {"display_name": "  Aled   Pryce ", "email": aled.email, "phone": None, "postcode": "hb4 1aa",
               "contact_by": "email", "preferred_language": "cy"}

    changed = as_aled.request("PUT", f"/people/{aled.id}/contact", json=details)

    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json() == {"id": aled.id, "display_name": "Aled Pryce", "email": aled.email, "phone": None,
                                  "postcode": "HB4 1AA", "contact_by": "email", "preferred_language": "cy"}
    assert_problem(as_bea.request("PUT", f"/people/{aled.id}/contact", json=details), 404)
    by_broker = as_broker.request("PUT", f"/people/{aled.id}/contact", json={**details, "phone": "01632 960 222",
                                                                             "contact_by": "phone"})
    assert by_broker.status_code == 200
    db_session.expire_all()
    assert db_session.get(Person, aled.id).contact_by is ContactMethod.PHONE


@pytest.mark.parametrize("overrides,status,field", [
    ({"email": "not-an-email"}, 422, "email"),
    ({"email": None}, 422, "email"),
    ({"contact_by": "text", "phone": None}, 422, "contact_by"),
    ({"contact_by": "carrier-pigeon"}, 422, "contact_by"),
    ({"phone": "call me"}, 422, "phone"),
    ({"postcode": "nowhere"}, 422, "postcode"),
    ({"display_name": " "}, 422, "display_name"),
    ({"preferred_language": "de"}, 422, "preferred_language"),
    ({"is_admin": True}, 422, "is_admin"),
])
def test_bad_contact_details_are_named(neighbours, api_as, overrides, status, field):
    _bank, aled, _bea, _eve = neighbours
    details = {"display_name": "Aled", "email": aled.email, "phone": None, "postcode": None, "contact_by": "email",
               "preferred_language": "en", **overrides}

    assert_problem(api_as(aled).request("PUT", f"/people/{aled.id}/contact", json=details), status, field)


def test_taking_someone_elses_email_is_a_conflict(neighbours, api_as):
    _bank, aled, bea, _eve = neighbours
    details = {"display_name": "Aled", "email": bea.email, "contact_by": "email", "preferred_language": "en"}

    assert_problem(api_as(aled).request("PUT", f"/people/{aled.id}/contact", json=details), 409, "email")


ORGANISATION = {"display_name": "Hollin Food Bank", "organisation_type": "charity", "charity_number": "1234567",
                "contact_email": "hello@hollinfood.org", "phone": "01632 960 900", "postcode": "HB3 9ZZ"}


def test_a_person_registers_and_runs_an_organisation(db_session, neighbours, api_as):
    _bank, aled, bea, _eve = neighbours
    as_aled, as_bea = api_as(aled), api_as(bea)

    registered = as_aled.post("/organisations", json=ORGANISATION)

    assert registered.status_code == 201, registered.get_json()
    organisation = registered.get_json()
    assert registered.headers["Location"] == f"/api/v1/organisations/{organisation['id']}"
    assert (organisation["holder_kind"], organisation["charity_number"]) == ("third_sector", "1234567")
    assert [admin["id"] for admin in organisation["admins"]] == [aled.id]
    path = f"/organisations/{organisation['id']}"
    assert_problem(as_bea.get(path), 404)
    changed = as_aled.request("PUT", path, json={**ORGANISATION, "organisation_type": "voluntary_group",
                                                  "charity_number": None})
    assert changed.status_code == 200 and changed.get_json()["organisation_type"] == "voluntary_group"

    added = as_aled.post(f"{path}/admins", json={"email": bea.email})
    assert added.status_code == 201 and added.get_json() == {"id": bea.id, "name": "Bea Okafor", "email": bea.email}
    assert_problem(as_aled.post(f"{path}/admins", json={"email": bea.email}), 409, "email")
    assert_problem(as_aled.post(f"{path}/admins", json={"email": "nobody@example.org"}), 422, "email")
    assert {admin["id"] for admin in as_bea.get(path).get_json()["admins"]} == {aled.id, bea.id}
    assert as_aled.get("/me").get_json()["organisations"] == [{"id": organisation["id"], "name": "Hollin Food Bank"}]

    removed = as_bea.request("DELETE", f"{path}/admins/{aled.id}")
    assert removed.status_code == 204
    assert_problem(as_bea.request("DELETE", f"{path}/admins/{bea.id}"), 409)
    assert_problem(as_aled.get(path), 404)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(OrganisationAdmin)
                             .where(OrganisationAdmin.organisation_id == organisation["id"])) == 1


@pytest.mark.parametrize("overrides,field", [
    ({"charity_number": None}, "charity_number"),
    ({"charity_number": "12"}, "charity_number"),
    ({"organisation_type": "club"}, "organisation_type"),
    ({"contact_email": "nope"}, "contact_email"),
    ({"display_name": ""}, "display_name"),
    ({"postcode": "X"}, "postcode"),
    ({"admins": [1]}, "admins"),
])
def test_a_bad_organisation_names_the_field(db_session, neighbours, api_as, overrides, field):
    _bank, aled, _bea, _eve = neighbours
    before = db_session.scalar(sa.select(sa.func.count()).select_from(Organisation))

    assert_problem(api_as(aled).post("/organisations", json={**ORGANISATION, **overrides}), 422, field)

    assert db_session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == before


def test_an_organisation_records_what_it_offers_besides_hours(
    db_session, neighbours, make_organisation, make_broker, api_as
):
    bank, aled, bea, _eve = neighbours
    organisation, _ = make_organisation(bank, "Hollin Hall", admins=(aled,))
    as_aled, as_bea, as_broker = api_as(aled), api_as(bea), api_as(make_broker(bank))
    path = f"/organisations/{organisation.id}/contributions"

    added = as_aled.post(path, json={"kind": "room", "description": "  The main hall,  Tuesday evenings "})

    assert added.status_code == 201, added.get_json()
    contribution = added.get_json()
    assert (contribution["kind"], contribution["description"]) == ("room", "The main hall, Tuesday evenings")
    assert [c["id"] for c in as_broker.get(f"/organisations/{organisation.id}").get_json()["contributions"]] == [
        contribution["id"]]
    assert [c["kind"] for c in as_bea.get(f"/people/{organisation.id}").get_json()["contributions"]] == ["room"]
    assert_problem(as_aled.post(path, json={"kind": "cash", "description": "x"}), 422, "kind")
    assert_problem(as_aled.post(path, json={"kind": "funds", "description": "  "}), 422, "description")
    assert_problem(as_bea.post(path, json={"kind": "funds", "description": "£100"}), 404)
    assert_problem(as_bea.request("DELETE", f"{path}/{contribution['id']}"), 404)
    assert_problem(as_aled.post(f"/organisations/{aled.id}/contributions", json={"kind": "room",
                                                                                 "description": "My shed"}), 404)

    assert as_aled.request("DELETE", f"{path}/{contribution['id']}").status_code == 204
    assert db_session.get(Contribution, contribution["id"]) is None
    assert_problem(as_aled.request("DELETE", f"{path}/{contribution['id']}"), 404)


def test_me_shows_contact_details_and_organisations(neighbours, make_organisation, api_as):
    bank, aled, _bea, _eve = neighbours
    organisation, _ = make_organisation(bank, "Hollin Hall", admins=(aled,))

    me = api_as(aled).get("/me").get_json()

    assert (me["phone"], me["postcode"], me["contact_by"]) == ("01632 960 111", "HB3 2QT", "email")
    assert me["organisations"] == [{"id": organisation.id, "name": "Hollin Hall"}]
    assert {account["holder_id"] for account in me["accounts"]} == {aled.id, organisation.id}


@pytest.mark.parametrize("method,path", [
    ("GET", "/people"), ("GET", "/people/1"), ("PUT", "/people/1/profile"), ("PUT", "/people/1/contact"),
    ("POST", "/organisations"), ("GET", "/organisations/1"), ("PUT", "/organisations/1"),
    ("POST", "/organisations/1/admins"), ("DELETE", "/organisations/1/admins/1"),
    ("POST", "/organisations/1/contributions"), ("DELETE", "/organisations/1/contributions/1"),
])
def test_anonymous_callers_get_401(anonymous, method, path):
    assert_problem(anonymous.request(method, path, json={}), 401)

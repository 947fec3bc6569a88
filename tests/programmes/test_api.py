"""Programmes over the API: another funder's programme is a 404; a broker's programme stays in their banks;
outcome sets and tags; in-kind records; funders for admins only."""

from __future__ import annotations

import datetime as dt

from tests.api.support import assert_problem
from timebank.activities.models import Activity
from timebank.banks.models import TimeBank
from timebank.members.models import Organisation, Person
from timebank.programmes.models import Funder, Programme
from timebank.programmes.outcome_sets import WALES_WELLBEING_GOALS


def test_a_funder_reads_its_own_programme_and_never_anothers(api_as, funder: tuple[Funder, Person],
                                                             other_funder: tuple[Funder, Person],
                                                             programme: Programme) -> None:
    mine = api_as(funder[1])
    assert [p["id"] for p in mine.get("/programmes").get_json()] == [programme.id]
    body = mine.get(f"/programmes/{programme.id}").get_json()
    assert body["name"] == "Stronger Together" and [s["time_bank_id"] for s in body["scopes"]]
    theirs = api_as(other_funder[1])
    assert theirs.get("/programmes").get_json() == []
    assert_problem(theirs.get(f"/programmes/{programme.id}"), 404)
    assert_problem(theirs.get(f"/programmes/{programme.id + 1000}"), 404)
    assert_problem(mine.request("PUT", f"/programmes/{programme.id}", json={
        "name": "Mine now", "starts_on": "2026-01-01", "ends_on": "2026-02-01"}), 403)
    # Aggregates only: no member-level API for a funder's reader.
    assert_problem(mine.get("/expenses"), 403)


def test_a_broker_makes_a_programme_in_their_bank_only(api_as, broker: Person, bank: TimeBank,
                                                       other_bank: TimeBank, funder: tuple[Funder, Person],
                                                       today: dt.date) -> None:
    body = {"funder_id": funder[0].id, "name": "Growing Together", "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=300)).isoformat(), "scope": {"time_bank_id": other_bank.id}}
    refused = api_as(broker).post("/programmes", json=body)
    assert assert_problem(refused, 403)["code"] == "programme-scope-outside-your-banks"
    made = api_as(broker).post("/programmes", json={**body, "scope": {"time_bank_id": bank.id}})
    assert made.status_code == 201, made.get_json()
    programme = made.get_json()
    assert (programme["value_per_hour_pence"], programme["value_year"], programme["suppress_below"]) == (1221, 2025, 5)
    assert programme["value_source_cy"] is None  # the API leaves the Welsh to its caller
    welsh = api_as(broker).request("PUT", f"/programmes/{programme['id']}", json={
        "name": "Growing Together", "starts_on": today.isoformat(), "ends_on": today.isoformat(),
        "value_source": "National Living Wage", "value_source_cy": " Y Cyflog Byw Cenedlaethol "})
    assert welsh.status_code == 200, welsh.get_json()
    assert welsh.get_json()["value_source_cy"] == "Y Cyflog Byw Cenedlaethol"
    too_long = api_as(broker).request("PUT", f"/programmes/{programme['id']}", json={
        "name": "Growing Together", "starts_on": today.isoformat(), "ends_on": today.isoformat(),
        "value_source_cy": "x" * 301})
    assert_problem(too_long, 422, "value_source_cy")
    outside = api_as(broker).post(f"/programmes/{programme['id']}/scopes", json={"time_bank_id": other_bank.id})
    assert assert_problem(outside, 403)["code"] == "programme-scope-outside-your-banks"
    low = api_as(broker).request("PUT", f"/programmes/{programme['id']}", json={
        "name": "Growing Together", "starts_on": today.isoformat(), "ends_on": today.isoformat(), "suppress_below": 4})
    assert_problem(low, 422, "suppress_below")


def test_outcomes_and_tags(api_as, broker: Person, officer: Person, programme: Programme, activity: Activity,
                           funder: tuple[Funder, Person]) -> None:
    added = api_as(broker).post(f"/programmes/{programme.id}/outcome-sets",
                                json={"set_code": WALES_WELLBEING_GOALS.code})
    assert [o["name_cy"] for o in added.get_json()] == [g.name_cy for g in WALES_WELLBEING_GOALS.outcomes]
    own = api_as(broker).post(f"/programmes/{programme.id}/outcomes", json={"name": "Fewer people lonely"})
    assert own.status_code == 201
    as_officer = api_as(officer)
    offered = as_officer.get(f"/activities/{activity.id}/outcomes").get_json()
    assert offered["outcome_ids"] == [] and len(offered["available"]) == 8
    chosen = [added.get_json()[2]["id"], own.get_json()["id"]]
    tagged = as_officer.request("PUT", f"/activities/{activity.id}/outcomes", json={"outcome_ids": chosen})
    assert tagged.get_json()["outcome_ids"] == sorted(chosen)
    role_id = activity.roles[0].id
    assert as_officer.request("PUT", f"/roles/{role_id}/outcomes",
                              json={"outcome_ids": chosen[:1]}).get_json()["outcome_ids"] == chosen[:1]
    refused = as_officer.request("PUT", f"/roles/{role_id}/outcomes", json={"outcome_ids": [999_999]})
    assert assert_problem(refused, 422)["code"] == "outcome-not-covering"
    assert_problem(api_as(funder[1]).get(f"/activities/{activity.id}/outcomes"), 403)


def test_in_kind_records(api_as, officer: Person, broker: Person, council: Organisation, bank: TimeBank,
                         today: dt.date) -> None:
    record = {"time_bank_id": bank.id, "kind": "room", "description": "The hall on Tuesdays",
              "given_on": today.isoformat(), "minutes": 120, "value_pence": 4000}
    made = api_as(officer).post(f"/organisations/{council.id}/in-kind", json=record)
    assert made.status_code == 201, made.get_json()
    listed = api_as(broker).get(f"/organisations/{council.id}/in-kind").get_json()
    assert [r["description"] for r in listed["items"]] == ["The hall on Tuesdays"] and listed["total"] == 1
    record_id = made.get_json()["id"]
    assert_problem(api_as(broker).request("PUT", f"/organisations/{council.id}/in-kind/{record_id}", json=record), 403)
    fixed = api_as(officer).request("PUT", f"/organisations/{council.id}/in-kind/{record_id}",
                                    json={**record, "value_pence": 3500})
    assert fixed.get_json()["value_pence"] == 3500


def test_funders_are_for_admins(api_as, admin: Person, broker: Person, funder: tuple[Funder, Person],
                                make_person) -> None:
    assert_problem(api_as(broker).get("/funders"), 403)
    assert [f["name"] for f in api_as(admin).get("/funders").get_json()] == ["Quiet Valley Communities Fund"]
    taken = api_as(admin).post("/funders", json={"name": "quiet valley communities fund"})
    assert assert_problem(taken, 409)["code"] == "funder-name-taken"
    newcomer = make_person("Nerys Newreader")
    added = api_as(admin).post(f"/funders/{funder[0].id}/members", json={"email": newcomer.email})
    assert {m["display_name"] for m in added.get_json()["members"]} == {funder[1].display_name, "Nerys Newreader"}
    nobody = api_as(admin).post(f"/funders/{funder[0].id}/members", json={"email": "nobody@example.org"})
    assert assert_problem(nobody, 422)["code"] == "nobody-with-that-email"
    removed = api_as(admin).request("DELETE", f"/funders/{funder[0].id}/members/{newcomer.id}")
    assert removed.status_code == 204

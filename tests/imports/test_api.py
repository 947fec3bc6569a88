"""Timesheet imports over the JSON API."""

from __future__ import annotations

from tests.api.conftest import anonymous, api_as  # noqa: F401 (fixtures)
from tests.api.support import assert_problem
from tests.imports.conftest import exchanges_by, write_csv
from tests.jobs.support import run_queued_jobs
from timebank.imports.models import ImportStatus


def test_check_read_apply_and_list(db_session, api_as, bank, broker, members, ring):  # noqa: F811
    api = api_as(broker)
    created = api.post("/imports", json={"time_bank_id": bank.id, "filename": "march.csv",
                                         "content": "\ufeff" + write_csv(ring(5))})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["status"], body["row_count"], body["total_minutes"], body["people"], body["problems"]) == (
        "checked", 5, 150, 6, [])
    assert created.headers["Location"].endswith(f"/api/v1/imports/{body['id']}")

    applied = api.post(f"/imports/{body['id']}/apply")
    assert applied.status_code == 202 and applied.headers["Location"] == created.headers["Location"]
    job = applied.get_json()["job"]
    assert (applied.get_json()["status"], job["state"], job["progress_done"], job["progress_total"]) == (
        "checked", "queued", 0, 5)
    run_queued_jobs()
    polled = api.get(f"/imports/{body['id']}").get_json()
    assert polled["status"] == "applied" and polled["job"]["state"] == "succeeded"
    assert (polled["job"]["progress_done"], polled["job"]["attempts"]) == (5, 1)
    assert len(exchanges_by(db_session, broker)) == 5
    assert_problem(api.post(f"/imports/{body['id']}/apply"), 409)

    listed = api.get("/imports", query_string={"time_bank_id": bank.id})
    assert [item["id"] for item in listed.get_json()["items"]] == [body["id"]]


def test_a_rejected_file_reports_its_rows(db_session, api_as, bank, broker, members, ring):  # noqa: F811
    rows = ring(3)
    rows[1]["giver"] = "0"
    api = api_as(broker)
    body = api.post("/imports", json={"time_bank_id": bank.id, "filename": "x.csv",
                                      "content": write_csv(rows)}).get_json()
    assert body["status"] == ImportStatus.REJECTED.value
    assert [(p["row"], p["column"]) for p in body["problems"]] == [(3, "giver")]
    assert api.get(f"/imports/{body['id']}").get_json()["problems"] == body["problems"]
    assert_problem(api.post(f"/imports/{body['id']}/apply"), 409)
    assert exchanges_by(db_session, broker) == []


def test_bad_input_is_a_422_naming_the_field(db_session, api_as, bank, broker, members, ring):  # noqa: F811
    api = api_as(broker)
    semicolons = write_csv(ring(1), delimiter=";")
    assert_problem(api.post("/imports", json={"time_bank_id": bank.id, "filename": "x.csv", "content": semicolons}),
                   422, "content")
    assert_problem(api.post("/imports", json={"time_bank_id": bank.id, "content": "x"}), 422, "filename")
    assert_problem(api.post("/imports", json={"time_bank_id": "one", "filename": "x", "content": "x"}), 422,
                   "time_bank_id")
    assert_problem(api.get("/imports", query_string={"page": "0"}), 422, "page")
    assert api.get("/imports").get_json()["items"] == []


def test_who_may_use_the_imports_api(db_session, api_as, anonymous, bank, broker, members, ring, make_bank,  # noqa: F811
                                     make_broker):
    body = api_as(broker).post("/imports", json={"time_bank_id": bank.id, "filename": "x.csv",
                                                 "content": write_csv(ring(2))}).get_json()
    other = api_as(make_broker(make_bank(name="Other Vale"), "Olwen Broker"))
    assert_problem(other.get(f"/imports/{body['id']}"), 404)
    assert_problem(other.post(f"/imports/{body['id']}/apply"), 404)
    assert_problem(other.post("/imports", json={"time_bank_id": bank.id, "filename": "x.csv",
                                                "content": write_csv(ring(2))}), 403)
    resident = api_as(members.people[0])
    assert_problem(resident.get("/imports"), 403)
    assert_problem(resident.get(f"/imports/{body['id']}"), 403)
    assert_problem(resident.post(f"/imports/{body['id']}/apply"), 403)
    assert_problem(anonymous.get("/imports"), 401)
    assert_problem(anonymous.post(f"/imports/{body['id']}/apply"), 401)

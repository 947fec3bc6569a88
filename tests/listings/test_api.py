"""The listings API: list each kind, find, read, change, renew and close, with refusals as problem+json
naming the field, and access by role."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.api.support import ApiClient, assert_problem
from timebank.auth import tokens
from timebank.listings.models import Listing, ListingStatus

DAY = dt.timedelta(days=1)


@pytest.fixture
def api_as(client, db_session):
    def as_(person) -> ApiClient:
        raw, _token = tokens.issue_token(db_session, person, dt.timedelta(hours=1))
        db_session.commit()
        return ApiClient(client, raw)

    return as_


def count_of(db_session, holder) -> int:
    db_session.expire_all()
    return db_session.scalar(sa.select(sa.func.count()).select_from(Listing).where(Listing.holder_id == holder.id))


def test_each_kind_is_listed_and_read_back(db_session, api_as, aled, bea, leisure, carys, bank, today):
    offer = api_as(aled).post("/listings", json={"time_bank_id": bank.id, "kind": "offer",
                                                 "title": "Help with your garden", "category": "gardening"})
    assert offer.status_code == 201, offer.get_json()
    body = offer.get_json()
    assert body["kind"] == "offer" and body["owner_name"] == "Aled Pryce" and body["area"] == "HB3"
    assert body["review_on"] == (today + 90 * DAY).isoformat() and body["expired"] is False
    assert offer.headers["Location"].endswith(f"/api/v1/listings/{body['id']}")

    day = today + 3 * DAY
    request = api_as(bea).post("/listings", json={
        "time_bank_id": bank.id, "kind": "request", "title": "A lift", "category": "lifts",
        "needed_on": day.isoformat(), "needed_at": "09:15", "estimated_minutes": 60, "is_remote": False})
    assert request.status_code == 201, request.get_json()
    assert request.get_json()["needed_at"] == "09:15"
    assert request.get_json()["review_on"] == (day + DAY).isoformat()

    swim = api_as(carys).post("/listings", json={
        "time_bank_id": bank.id, "holder_id": leisure.id, "kind": "spend", "title": "A swim",
        "category": "leisure-pass", "price_minutes": 45})
    assert swim.status_code == 201, swim.get_json()
    assert (swim.get_json()["price_minutes"], swim.get_json()["receives"]) == (45, "time_based_activity")

    again = api_as(carys).post("/listings", json={
        "time_bank_id": bank.id, "holder_id": leisure.id, "kind": "spend", "title": "A swim",
        "category": "leisure-pass", "price_minutes": 45})
    assert again.status_code == 200 and again.get_json()["id"] == swim.get_json()["id"]

    seen = api_as(bea).get(f"/listings/{body['id']}")
    assert seen.status_code == 200 and seen.get_json()["title"] == "Help with your garden"
    listed = api_as(bea).get("/listings?kind=spend").get_json()
    assert swim.get_json()["id"] in [item["id"] for item in listed["items"]]
    assert api_as(carys).get("/listings/mine").get_json()["items"][0]["id"] == swim.get_json()["id"]


@pytest.mark.parametrize(("person", "body", "field"), [
    ("aled", {"kind": "offer", "title": "Tutoring", "category": "tutoring"}, "category"),
    ("bea", {"kind": "offer", "title": "Anything", "category": "gardening"}, "category"),
    ("aled", {"kind": "spend", "title": "A swim", "category": "leisure-pass", "price_minutes": 30}, "kind"),
    ("bea", {"kind": "request", "title": "A lift", "category": "lifts", "needed_on": "2000-01-01"}, "needed_on"),
    ("bea", {"kind": "request", "title": "A lift", "category": "lifts"}, "needed_on"),
    ("bea", {"kind": "request", "title": "A lift", "category": "lifts", "needed_on": "tomorrow"}, "needed_on"),
    ("bea", {"kind": "request", "title": "A lift", "category": "lifts", "needed_at": "9am"}, "needed_at"),
    ("bea", {"kind": "request", "title": "", "category": "lifts"}, "title"),
    ("bea", {"kind": "wish", "title": "A lift", "category": "lifts"}, "kind"),
    ("bea", {"kind": "request", "title": "A lift", "category": "lifts", "colour": "red"}, "colour"),
    ("bea", {"kind": "request", "category": "lifts"}, "title"),
    ("aled", {"kind": "offer", "title": "Garden", "category": "gardening", "review_on": "2000-01-01"}, "review_on"),
    ("aled", {"kind": "offer", "title": "Garden", "category": "gardening", "price_minutes": "60"}, "price_minutes"),
])
def test_a_refused_listing_names_the_field_and_changes_nothing(request, db_session, api_as, bank, person, body,
                                                              field):
    holder = request.getfixturevalue(person)
    response = api_as(holder).post("/listings", json={"time_bank_id": bank.id, **body})
    assert_problem(response, 422, field)
    assert count_of(db_session, holder) == 0


def test_who_may_do_what(db_session, api_as, client, make_listing, aled, bea, outsider, broker, bank):
    listing = make_listing(aled)
    path = f"/listings/{listing.id}"
    # Tokens first: each takes a commit, and a refused request rolls back whatever was not committed.
    outside, neighbour, brokering = api_as(outsider), api_as(bea), api_as(broker)
    assert_problem(ApiClient(client, None).get(path), 401)
    assert_problem(outside.get(path), 404)
    assert_problem(outside.post(f"{path}/close"), 404)
    assert_problem(neighbour.request("PATCH", path, json={"title": "Mine"}), 403)
    assert_problem(neighbour.post(f"{path}/renew"), 403)
    assert_problem(neighbour.post("/listings", json={"time_bank_id": bank.id, "holder_id": aled.id,
                                                     "kind": "offer", "title": "x", "category": "gardening"}), 404)
    assert_problem(neighbour.get("/listings/0"), 404)
    db_session.expire_all()
    assert (listing.title, listing.status) == ("Help with your garden", ListingStatus.OPEN)

    changed = brokering.request("PATCH", path, json={"title": "Garden help", "is_remote": True})
    assert changed.status_code == 200 and changed.get_json()["title"] == "Garden help"
    assert changed.get_json()["is_remote"] is True


def test_update_renew_and_close(db_session, api_as, make_listing, aled, bea, today):
    listing = make_listing(aled)
    owner, neighbour = api_as(aled), api_as(bea)
    path = f"/listings/{listing.id}"
    refused = owner.request("PATCH", path, json={"needed_on": today.isoformat()})
    assert_problem(refused, 422, "needed_on")
    assert_problem(owner.request("PATCH", path, json={"review_on": (today + 181 * DAY).isoformat()}), 422, "review_on")

    listing.review_on = today - DAY
    db_session.commit()
    assert_problem(neighbour.get(path), 404)
    assert owner.get(path).get_json()["expired"] is True
    assert listing.id in [i["id"] for i in owner.get("/listings?expired=true").get_json()["items"]]

    renewed = owner.post(f"{path}/renew", json={"review_on": (today + 30 * DAY).isoformat()})
    assert renewed.status_code == 200 and renewed.get_json()["review_on"] == (today + 30 * DAY).isoformat()
    assert neighbour.get(path).status_code == 200
    assert owner.post(f"{path}/renew").get_json()["review_on"] == (today + 90 * DAY).isoformat()

    closed = owner.post(f"{path}/close")
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert_problem(owner.post(f"{path}/renew"), 409)
    assert_problem(owner.request("PATCH", path, json={"title": "Again"}), 409)


def test_finding_with_filters(api_as, make_listing, aled, bea):
    garden = make_listing(aled)
    bikes = make_listing(aled, title="Bike fixing", category="bike-repair", details="Punctures")
    client = api_as(bea)

    def ids(query: str) -> set[int]:
        response = client.get(f"/listings?{query}")
        assert response.status_code == 200, response.get_json()
        return {item["id"] for item in response.get_json()["items"]} & {garden.id, bikes.id}

    assert ids("category=home-garden") == {garden.id}
    assert ids("q=punctures") == {bikes.id}
    assert ids("district=HB3&kind=offer") == {garden.id, bikes.id}
    assert ids("remote=true") == set()
    assert_problem(client.get("/listings?district=nowhere"), 422, "district")
    assert_problem(client.get("/listings?category=nonsense"), 422, "category")
    assert_problem(client.get("/listings?per_page=1000"), 422, "per_page")


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/listings", "/api/v1/listings/mine", "/api/v1/listings/{listing_id}",
            "/api/v1/listings/{listing_id}/renew", "/api/v1/listings/{listing_id}/close"} <= set(paths)
    assert "patch" in paths["/api/v1/listings/{listing_id}"]

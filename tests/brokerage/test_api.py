"""Brokerage over the API: introductions through both answers, lists, conversion, notes for brokers only,
messages both ways, the dashboard's figures; every limit in the OpenAPI document."""

from __future__ import annotations

import datetime as dt

from tests.api.support import assert_problem
from timebank.brokerage.models import MAX_MESSAGE, MAX_NOTE, MAX_REASON


def test_introduce_answer_and_count(db_session, api_as, bank, broker, candidate, requester, request_listing, today):
    as_broker = api_as(broker)
    made = as_broker.post("/brokerage/introductions", json={"candidate_ids": [candidate.id],
                                                            "listing_id": request_listing.id})
    assert made.status_code == 201, made.get_json()
    [introduction] = made.get_json()
    assert introduction["state"] == "proposed"
    as_candidate = api_as(candidate)
    assert as_candidate.get("/me/introductions").get_json()["items"][0]["id"] == introduction["id"]
    answered = as_candidate.post(f"/brokerage/introductions/{introduction['id']}/answer",
                                 json={"side": "candidate", "answer": "accepted"})
    assert answered.status_code == 200 and answered.get_json()["candidate_answer"] == "accepted"
    done = as_broker.post(f"/brokerage/introductions/{introduction['id']}/answer",
                          json={"side": "other", "answer": "accepted", "reason": "Gwen is not online"})
    body = done.get_json()
    assert body["state"] == "accepted" and body["other_on_behalf"] is True and body["exchange_id"]
    figures = as_broker.get(f"/brokerage/banks/{bank.id}/conversion",
                            query_string={"first": (today - dt.timedelta(days=1)).isoformat(),
                                          "last": today.isoformat()}).get_json()
    assert (figures["made"], figures["accepted"], figures["led_to_exchange"], figures["led_to_sign_up"]) == (
        1, 1, 1, 0)
    listed = as_broker.get(f"/brokerage/banks/{bank.id}/introductions", query_string={"state": "accepted"})
    assert [i["id"] for i in listed.get_json()["items"]] == [introduction["id"]]
    board = as_broker.get(f"/brokerage/banks/{bank.id}").get_json()
    assert board["conversion"]["made"] == 1 and board["sections"]["requests"]["ids"] == [request_listing.id]


def test_refusals_are_problems_with_codes(db_session, api_as, broker, requester, candidate, request_listing):
    as_broker = api_as(broker)
    refused = as_broker.post("/brokerage/introductions", json={"candidate_ids": [requester.id],
                                                               "listing_id": request_listing.id})
    assert assert_problem(refused, 422)["code"] == "candidate-is-requester"
    both = as_broker.post("/brokerage/introductions", json={"candidate_ids": [candidate.id]})
    assert assert_problem(both, 422)["code"] == "introduction-one-thing"
    assert api_as(candidate).post("/brokerage/introductions", json={
        "candidate_ids": [candidate.id], "listing_id": request_listing.id}).status_code == 403


def test_notes_for_brokers_only(db_session, api_as, bank, broker, candidate, officer, today):
    note = {"time_bank_id": bank.id, "contacted_on": today.isoformat(), "body": "Met at the garden."}
    added = api_as(broker).post(f"/brokerage/people/{candidate.id}/notes", json=note)
    assert added.status_code == 201
    listed = api_as(broker).get(f"/brokerage/people/{candidate.id}/notes", query_string={"time_bank_id": bank.id})
    assert [n["body"] for n in listed.get_json()["items"]] == ["Met at the garden."]
    for outsider in (candidate, officer):
        assert api_as(outsider).get(f"/brokerage/people/{candidate.id}/notes",
                                    query_string={"time_bank_id": bank.id}).status_code == 403


def test_messages_both_ways(db_session, api_as, bank, broker, candidate):
    as_member = api_as(candidate)
    assert as_member.post("/me/messages", json={"time_bank_id": bank.id, "body": "Hello"}).status_code == 201
    as_broker = api_as(broker)
    [waiting] = as_broker.get(f"/brokerage/banks/{bank.id}/messages").get_json()["items"]
    assert waiting["body"] == "Hello"
    assert as_broker.post(f"/brokerage/banks/{bank.id}/messages/{candidate.id}",
                          json={"body": "Hello back"}).status_code == 201
    mine = as_member.get("/me/messages", query_string={"time_bank_id": bank.id}).get_json()["items"]
    assert [m["body"] for m in mine] == ["Hello back", "Hello"] and mine[0]["read_at"] is not None
    assert as_broker.get(f"/brokerage/banks/{bank.id}/messages").get_json()["items"] == []


def test_every_limit_is_in_the_openapi_document(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert schemas["ContactNoteIn"]["properties"]["body"]["maxLength"] == MAX_NOTE
    assert schemas["MessageIn"]["properties"]["body"]["maxLength"] == MAX_MESSAGE
    assert schemas["AnswerIn"]["properties"]["reason"]["maxLength"] == MAX_REASON
    assert schemas["IntroduceIn"]["properties"]["candidate_ids"]["maxItems"] == 20


def test_a_message_past_its_limit_is_refused_naming_the_field(db_session, api_as, bank, candidate):
    response = api_as(candidate).post("/me/messages", json={"time_bank_id": bank.id, "body": "x" * (MAX_MESSAGE + 1)})
    assert_problem(response, 422, "body")


def test_a_period_ends_after_it_begins(db_session, api_as, bank, broker, today):
    response = api_as(broker).get(f"/brokerage/banks/{bank.id}/conversion", query_string={
        "first": today.isoformat(), "last": (today - dt.timedelta(days=1)).isoformat()})
    assert_problem(response, 422, "last")

"""The benefit-safe API: own consent (given with the current wording, withdrawn: profile and flags gone),
own profile (refusals as problem+json with the core's codes), own flags in plain words; a broker's view of
a member (consent on behalf, marked), the queue's filters, a flag's evidence and each action; the admin's
access log; and everyone else told there is nothing there."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.api.support import assert_problem
from tests.benefits.conftest import OTHER_RULE_ID, TEST_RULE_ID
from timebank.benefits import profiles
from timebank.benefits.facts import Benefit, Severity
from timebank.benefits.forms import BROKER_FOOTER, HEURISTIC_NOTE, UNVERIFIED_NOTE
from timebank.benefits.models import (
    AccessKind,
    BenefitAccess,
    BenefitConsent,
    BenefitFlag,
    BenefitProfile,
    FlagState,
    Resolution,
    Subject,
)
from timebank.clock import uk_today

#: Flags here carry stand-in rules (``conftest.test_rules``), whichever real rules exist.
pytestmark = pytest.mark.usefixtures("test_rules")

CONSENT = {"wording_version": profiles.WORDING_VERSION, "agree": True}
PROFILE = {"benefits": ["uc", "ca"], "jurisdiction": "wales", "couple": False, "uc_work_group": "all_requirements",
           "uc_expected_hours": 35, "last_told_on": "2026-03-01"}


def put(api, path, body):
    return api.request("PUT", path, json=body)


def delete(api, path):
    return api.request("DELETE", path)


def reads(db_session, person, actor) -> list[tuple[Subject, str]]:
    return [(row.subject, row.reason) for row in db_session.scalars(
        sa.select(BenefitAccess).where(BenefitAccess.person_id == person.id, BenefitAccess.actor_id == actor.id,
                                       BenefitAccess.kind == AccessKind.READ).order_by(BenefitAccess.id))]


def test_own_consent_is_given_with_the_current_wording_and_withdrawn(db_session, api_as, people, make_flag):
    api = api_as(people.member)
    before = api.get("/benefits/consent")
    assert before.status_code == 200
    shown = before.get_json()
    assert (shown["state"], shown["current_wording_version"]) == ("never_given", profiles.WORDING_VERSION)
    assert shown["wording"][0].startswith("I want the time bank to help me")

    assert_problem(put(api, "/benefits/consent", {**CONSENT, "agree": False}), 422, "agree")
    assert_problem(put(api, "/benefits/consent", {**CONSENT, "wording_version": "2020-01-v0"}), 422, "wording_version")
    given = put(api, "/benefits/consent", CONSENT)
    assert given.status_code == 200 and given.get_json()["state"] == "given"
    assert given.get_json()["on_behalf"] is False

    assert put(api, "/benefits/profile", PROFILE).status_code == 200
    flag_id = make_flag(people.member, people.bank).id
    db_session.commit()
    withdrawn = delete(api, "/benefits/consent")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["state"] == "withdrawn"
    db_session.expire_all()
    assert db_session.get(BenefitProfile, people.member.id) is None
    assert db_session.get(BenefitFlag, flag_id) is None
    [consent] = db_session.scalars(sa.select(BenefitConsent).where(BenefitConsent.person_id == people.member.id))
    assert consent.withdrawn_at is not None
    assert api.get("/benefits/profile").get_json() == {"consented": False, "profile": None}
    body = assert_problem(delete(api, "/benefits/consent"), 422)
    assert body["code"] == "benefit-no-consent"


def test_own_profile_refusals_are_problems_with_the_cores_codes(db_session, api_as, people):
    api = api_as(people.member)
    assert assert_problem(put(api, "/benefits/profile", PROFILE), 422)["code"] == "benefit-no-consent"
    assert put(api, "/benefits/consent", CONSENT).status_code == 200
    cases = [
        ({"benefits": ["pip"], "uc_work_group": "lcw"}, "benefit-work-group-without-uc", "uc_work_group"),
        ({"last_told_on": (uk_today() + dt.timedelta(days=1)).isoformat()}, "benefit-told-in-future", "last_told_on"),
    ]
    for changes, code, field in cases:
        body = assert_problem(put(api, "/benefits/profile", {**PROFILE, **changes}), 422, field)
        assert body["code"] == code
    for changes, field in (({"uc_expected_hours": 169}, "uc_expected_hours"), ({"benefits": []}, "benefits"),
                           ({"benefits": ["lottery"]}, "benefits"), ({"uc_assessment_day": 0}, "uc_assessment_day"),
                           ({"national_insurance_number": "QQ123456C"}, "national_insurance_number")):
        assert_problem(put(api, "/benefits/profile", {**PROFILE, **changes}), 422, field)
    assert db_session.get(BenefitProfile, people.member.id) is None

    saved = put(api, "/benefits/profile", PROFILE)
    assert saved.status_code == 200
    assert saved.get_json()["profile"] == {
        "benefits": ["ca", "uc"], "jurisdiction": "wales", "uc_work_group": "all_requirements",
        "uc_expected_hours": 35, "agreed_voluntary_hours": None, "couple": False, "last_told_on": "2026-03-01",
        "benefit_week_starts": 0, "uc_assessment_day": None}
    assert api.get("/benefits/profile").get_json() == saved.get_json()
    assert (Subject.PROFILE, "own_view") in reads(db_session, people.member, people.member)


def test_own_flags_in_plain_words(db_session, api_as, people, give_consent, save_profile, make_flag):
    give_consent(people.member)
    save_profile(people.member)
    make_flag(people.member, people.bank, severity=Severity.LOW)
    make_flag(people.member, people.bank, severity=Severity.HIGH)
    make_flag(people.member, people.bank, state=FlagState.RESOLVED)
    answer = api_as(people.member).get("/benefits/flags")
    assert answer.status_code == 200
    found = answer.get_json()
    assert found["consented"] is True
    assert [item["severity"] for item in found["items"]] == ["high", "low"]
    item = found["items"][0]
    assert item["text"].startswith("On 6 May 2024 Hollinbridge Charity gave you £40.00.")
    assert "not a decision" in item["prompt"]
    assert {s["name"] for s in item["signposts"]} == {"Citizens Advice", "Your local welfare rights service",
                                                     "Carers UK", "Turn2us"}
    heuristic = next(t for t in item["thresholds"] if t["kind"] == "heuristic")
    assert heuristic["notes"] == [str(HEURISTIC_NOTE), str(UNVERIFIED_NOTE)]
    assert heuristic["text"] == "£20.00 a week"
    assert (Subject.FLAG, "own_view") in reads(db_session, people.member, people.member)


def test_a_broker_gives_consent_on_behalf_and_keeps_the_profile(db_session, api_as, people):
    api = api_as(people.broker)
    path = f"/people/{people.member.id}/benefits"
    assert api.get(f"{path}/consent").get_json()["state"] == "never_given"
    assert put(api, f"{path}/consent", CONSENT).get_json()["on_behalf"] is True
    consent = profiles.standing_consent(db_session, people.member.id)
    assert (consent.given_by_id, consent.on_behalf) == (people.broker.id, True)
    saved = put(api, f"{path}/profile", {**PROFILE, "benefits": ["esa_ir"], "uc_work_group": None})
    assert saved.status_code == 200 and saved.get_json()["profile"]["benefits"] == ["esa_ir"]
    assert api.get(f"{path}/profile").get_json()["profile"]["benefits"] == ["esa_ir"]
    assert reads(db_session, people.member, people.broker) == [
        (Subject.CONSENT, "broker_member"), (Subject.PROFILE, "broker_member")]
    assert delete(api, f"{path}/consent").get_json()["state"] == "withdrawn"
    assert db_session.get(BenefitProfile, people.member.id) is None


def test_the_queue_filters_and_each_flag_shows_its_evidence(db_session, api_as, people, make_member, make_flag):
    other, _ = make_member(people.bank, "Gwen Other")
    high = make_flag(people.member, people.bank)
    low = make_flag(people.member, people.bank, severity=Severity.LOW, rule_id=OTHER_RULE_ID)
    others = make_flag(other, people.bank, severity=Severity.MEDIUM)
    resolved = make_flag(other, people.bank, state=FlagState.RESOLVED)
    make_flag(people.member, people.other_bank)
    api = api_as(people.broker)

    def ids(**query) -> list[int]:
        answer = api.get(f"/banks/{people.bank.id}/benefit-flags", query_string=query)
        assert answer.status_code == 200, answer.get_json()
        return [item["id"] for item in answer.get_json()["items"]]

    assert ids() == [others.id, low.id, high.id]
    assert ids(severity="low") == [low.id]
    assert ids(rule=TEST_RULE_ID) == [others.id, high.id]
    assert ids(person_id=people.member.id) == [low.id, high.id]
    assert ids(state="resolved") == [resolved.id]
    assert ids(per_page=1, page=2) == [low.id]
    assert_problem(api.get(f"/banks/{people.bank.id}/benefit-flags", query_string={"severity": "dire"}), 422,
                   "severity")
    assert assert_problem(api.get(f"/banks/{people.other_bank.id}/benefit-flags"), 404)["code"] == \
        "benefit-flag-not-found"

    shown = api.get(f"/benefit-flags/{high.id}").get_json()
    assert shown["text"] == "Mair Member was paid £40.00 by Hollinbridge Charity on 6 May 2024. Check whether it " \
                            "counts as earnings."
    assert shown["prompt"] == str(BROKER_FOOTER)
    assert shown["references"] == [{"kind": "payment", "id": 7}, {"kind": "exchange", "id": 11}]
    assert {c["name"]: c["value"] for c in shown["computed"]} == {"amount": "£40.00", "paid_hours": "3"}
    statutory = next(t for t in shown["thresholds"] if t["kind"] == "statutory")
    assert (statutory["tax_year"], statutory["source"], statutory["verified"], statutory["effective_from"]) == (
        "2024/25", "UC Regulations 2013 reg 22", True, "2024-04-06")
    assert [event["action"] for event in shown["history"]] == ["raised"]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(BenefitAccess).where(
        BenefitAccess.flag_id == high.id, BenefitAccess.reason == "broker_review")) == 1


def test_each_broker_action_over_the_api(db_session, api_as, people, make_flag):
    first, second, third = (make_flag(people.member, people.bank) for _ in range(3))
    api = api_as(people.broker)
    acknowledged = api.post(f"/benefit-flags/{first.id}/acknowledge", json={"note": "Spoke to Mair"})
    assert acknowledged.status_code == 200 and acknowledged.get_json()["state"] == "acknowledged"
    assert [(e["action"], e["actor_name"], e["note"]) for e in acknowledged.get_json()["history"]] == [
        ("raised", None, None), ("acknowledged", "Nia Broker", "Spoke to Mair")]

    assert_problem(api.post(f"/benefit-flags/{second.id}/resolve", json={"resolution": "evidence_gone"}), 422,
                   "resolution")
    resolved = api.post(f"/benefit-flags/{second.id}/resolve", json={"resolution": "told_dwp", "note": "Told in May"})
    assert resolved.status_code == 200
    assert (resolved.get_json()["state"], resolved.get_json()["resolution"]) == ("resolved", "told_dwp")
    again = assert_problem(api.post(f"/benefit-flags/{second.id}/acknowledge", json={}), 422)
    assert again["code"] == "benefit-flag-resolved"

    past = assert_problem(api.post(f"/benefit-flags/{third.id}/snooze", json={"until": uk_today().isoformat()}), 422,
                          "until")
    assert past["code"] == "benefit-snooze-in-past"
    until = uk_today() + dt.timedelta(days=14)
    snoozed = api.post(f"/benefit-flags/{third.id}/snooze", json={"until": until.isoformat()})
    assert snoozed.status_code == 200 and snoozed.get_json()["snoozed_until"] == until.isoformat()
    assert_problem(api.post(f"/benefit-flags/{third.id}/snooze", json={"until": until.isoformat(), "note": "x" * 1001}),
                   422, "note")

    db_session.expire_all()
    assert db_session.get(BenefitFlag, second.id).resolution is Resolution.TOLD_DWP
    changes = [row.reason for row in db_session.scalars(sa.select(BenefitAccess).where(
        BenefitAccess.person_id == people.member.id, BenefitAccess.kind == AccessKind.CHANGE,
    ).order_by(BenefitAccess.id))]
    assert changes == ["broker_acknowledged", "broker_resolved", "broker_snoozed"]


def test_the_admin_reads_the_access_log_only(db_session, api_as, people, give_consent, save_profile, make_flag):
    give_consent(people.member)
    save_profile(people.member, benefits=frozenset({Benefit.PIP}))
    flag = make_flag(people.member, people.bank)
    db_session.commit()
    assert api_as(people.broker).get(f"/benefit-flags/{flag.id}").status_code == 200
    api = api_as(people.admin)
    log = api.get("/benefits/access-log", query_string={"person_id": people.member.id})
    assert log.status_code == 200
    items = log.get_json()["items"]
    assert items[0]["actor_name"] == "Nia Broker" and items[0]["reason"] == "broker_review"
    assert items[0]["flag_id"] == flag.id and items[0]["person_name"] == "Mair Member"
    assert {item["subject"] for item in items} >= {"consent", "profile", "flag"}
    assert "pip" not in log.get_data(as_text=True)
    assert assert_problem(api.get(f"/people/{people.member.id}/benefits/profile"), 404)["code"] == \
        "benefit-data-not-found"
    assert_problem(api.get(f"/benefit-flags/{flag.id}"), 404)


@pytest.mark.parametrize("who", ["resident", "org_admin", "other_broker", "admin", "funder"])
def test_nobody_else_is_told_anything(db_session, api_as, people, give_consent, save_profile, make_flag, who):
    give_consent(people.member)
    save_profile(people.member)
    flag = make_flag(people.member, people.bank)
    db_session.commit()
    api = api_as(getattr(people, who))
    path = f"/people/{people.member.id}/benefits"
    for answer in (api.get(f"{path}/consent"), api.get(f"{path}/profile"), put(api, f"{path}/profile", PROFILE),
                   put(api, f"{path}/consent", CONSENT), delete(api, f"{path}/consent"),
                   api.get(f"/banks/{people.bank.id}/benefit-flags"), api.get(f"/benefit-flags/{flag.id}"),
                   api.post(f"/benefit-flags/{flag.id}/resolve", json={"resolution": "not_applicable"})):
        assert assert_problem(answer, 404)["code"] in ("benefit-data-not-found", "benefit-flag-not-found")
    access_log = api.get("/benefits/access-log")
    assert access_log.status_code == (200 if who == "admin" else 403)
    own = api.get("/benefits/flags")
    assert own.status_code == (403 if who == "funder" else 200)
    db_session.expire_all()
    assert db_session.get(BenefitFlag, flag.id).state is FlagState.OPEN
    assert profiles.standing_consent(db_session, people.member.id) is not None
    assert db_session.scalar(sa.select(sa.func.count()).select_from(BenefitAccess).where(
        BenefitAccess.person_id == people.member.id, BenefitAccess.actor_id == getattr(people, who).id)) == 0

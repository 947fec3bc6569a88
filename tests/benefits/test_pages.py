"""The benefit-safe pages: a member's consent (given, withdrawn: profile and flags deleted at once), profile
(errors next to the field) and own flags in plain words; a broker's member page (consent on behalf, marked),
queue with its filters, a flag's evidence and every action with its history and log; the admin's access
log; and who is turned away (told there is nothing there)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.benefits.conftest import OTHER_RULE_ID, TEST_RULE_ID
from timebank.benefits import profiles
from timebank.benefits.facts import Benefit, Severity, UcWorkGroup
from timebank.benefits.forms import BROKER_FOOTER, HEURISTIC_NOTE, UNVERIFIED_NOTE
from timebank.benefits.models import (
    AccessKind,
    BenefitAccess,
    BenefitConsent,
    BenefitFlag,
    BenefitFlagEvent,
    BenefitProfile,
    FlagAction,
    FlagState,
    Resolution,
    Subject,
)
from timebank.clock import uk_today

#: Flags here carry stand-in rules (``conftest.test_rules``), whichever real rules exist.
pytestmark = pytest.mark.usefixtures("test_rules")


def text(response) -> str:
    return response.get_data(as_text=True)


def plain(response) -> str:
    """The page's words with the markup and the spacing taken out (and quotes as they are typed)."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).replace("&#39;", "'").replace("&#34;", '"').split())


def log_rows(db_session, person, **where) -> list[BenefitAccess]:
    query = sa.select(BenefitAccess).where(BenefitAccess.person_id == person.id)
    for name, value in where.items():
        query = query.where(getattr(BenefitAccess, name) == value)
    return list(db_session.scalars(query.order_by(BenefitAccess.id)))


# --- a member ----------------------------------------------------------------------------------------


def test_the_start_page_explains_the_checks_and_gives_everyone_the_guidance(people, sign_in):
    page = sign_in(people.member).get("/benefits")
    assert page.status_code == 200
    words = plain(page)
    assert "Benefit-safe checks are off for you." in words
    assert "Time credits are not money." in words and "Keep your receipts." in words
    for advice in ("Citizens Advice", "Your local welfare rights service", "Carers UK", "Turn2us"):
        assert advice in words
    assert 'href="/benefits"' in text(page)  # in the navigation
    assert "16 hours" not in words


def test_consent_needs_the_box_ticked_and_records_the_wording_version(db_session, people, sign_in):
    client = sign_in(people.member)
    refused = client.post("/benefits/consent", data={})
    assert refused.status_code == 422
    assert 'id="agree-error"' in text(refused)
    assert db_session.scalar(sa.select(BenefitConsent).where(BenefitConsent.person_id == people.member.id)) is None

    given = client.post("/benefits/consent", data={"agree": "y"})
    assert given.status_code == 302 and given.headers["Location"].endswith("/benefits/profile")
    consent = db_session.scalar(sa.select(BenefitConsent).where(BenefitConsent.person_id == people.member.id))
    assert (consent.wording_version, consent.given_by_id, consent.on_behalf, consent.withdrawn_at) == (
        profiles.WORDING_VERSION, people.member.id, False, None)
    assert "Benefit-safe checks are on for you" in plain(client.get("/benefits"))


def test_withdrawing_deletes_the_profile_and_flags_at_once_and_keeps_the_dates(
        db_session, people, sign_in, give_consent, save_profile, make_flag):
    give_consent(people.member)
    save_profile(people.member)
    flag_id = make_flag(people.member, people.bank).id
    client = sign_in(people.member)
    page = plain(client.get("/benefits/consent"))
    assert "deleted straight away" in page

    done = client.post("/benefits/consent/withdraw", data={})
    assert done.status_code == 302
    db_session.expire_all()
    assert db_session.get(BenefitProfile, people.member.id) is None
    assert db_session.get(BenefitFlag, flag_id) is None
    assert db_session.scalars(sa.select(BenefitFlagEvent).where(BenefitFlagEvent.flag_id == flag_id)).all() == []
    consent = db_session.scalar(sa.select(BenefitConsent).where(BenefitConsent.person_id == people.member.id))
    assert consent.withdrawn_at is not None and consent.withdrawn_by_id == people.member.id
    changes = log_rows(db_session, people.member, kind=AccessKind.CHANGE)
    assert changes[-1].reason == "consent_withdrawn"
    assert "You switched them off on" in plain(client.get("/benefits"))
    # Switching off again: there is nothing to switch off, said on the page.
    again = client.post("/benefits/consent/withdraw", data={})
    assert again.status_code == 422 and "switched off for this member" in plain(again)


def test_the_profile_form_shows_each_refusal_next_to_its_field(db_session, people, sign_in, give_consent):
    give_consent(people.member)
    client = sign_in(people.member)
    good = {"benefits": ["uc"], "couple": "no", "jurisdiction": "wales", "benefit_week_starts": "0"}
    cases = [
        ({**good, "uc_expected_hours": "200"}, "uc_expected_hours", "from 0 to 168"),
        ({**good, "uc_expected_hours": "lots"}, "uc_expected_hours", "whole number"),
        ({**good, "agreed_voluntary_hours": "-1"}, "agreed_voluntary_hours", "from 0 to 168"),
        ({**good, "benefits": ["pip"], "uc_work_group": "lcw"}, "uc_work_group", "only applies if you get Universal"),
        ({**good, "last_told_on": (uk_today() + dt.timedelta(days=1)).isoformat()}, "last_told_on",
         "cannot be in the future"),
        ({**good, "uc_assessment_day": "32"}, "uc_assessment_day", "from 1 to 31"),
        ({**good, "benefits": []}, "benefits", "Tick at least one benefit"),
        ({**good, "benefits": ["lottery"]}, "benefits", "Choose benefits from the list"),
    ]
    for data, field, message in cases:
        refused = client.post("/benefits/profile", data=data)
        assert refused.status_code == 422, (field, text(refused)[:300])
        error = re.search(rf'id="{field}-error">(.*?)</p>', text(refused), re.S)
        assert error is not None and message in " ".join(error[1].split()), (field, text(refused))
    assert db_session.get(BenefitProfile, people.member.id) is None

    saved = client.post("/benefits/profile", data={
        **good, "benefits": ["uc", "ca"], "uc_work_group": "all_requirements", "uc_expected_hours": "35",
        "last_told_on": "01/03/2026"})
    assert saved.status_code == 302
    profile = profiles.facts_of(db_session, people.member.id, actor_id=None, reason="test")
    assert profile.benefits == {Benefit.UC, Benefit.CA} and profile.uc_work_group is UcWorkGroup.ALL_REQUIREMENTS
    assert profile.last_told_on == dt.date(2026, 3, 1) and profile.uc_expected_hours == 35
    form = text(client.get("/benefits/profile"))
    assert re.search(r'value="ca"[^>]*checked|checked[^>]*value="ca"', form)


def test_without_consent_the_profile_is_refused_and_not_kept(db_session, people, sign_in):
    refused = sign_in(people.member).post("/benefits/profile", data={"benefits": ["uc"], "couple": "no",
                                                                     "jurisdiction": "england"})
    assert refused.status_code == 422
    assert "switched off for this member" in plain(refused)
    assert db_session.get(BenefitProfile, people.member.id) is None


def test_a_member_reads_their_flags_in_plain_words(db_session, people, sign_in, give_consent, save_profile,
                                                   make_flag):
    give_consent(people.member)
    save_profile(people.member)
    make_flag(people.member, people.bank)
    make_flag(people.member, people.bank, state=FlagState.RESOLVED)
    page = sign_in(people.member).get("/benefits/flags")
    assert page.status_code == 200
    words = plain(page)
    assert words.count("A payment for helping") == 1  # the resolved one is not shown
    assert "Hollinbridge Charity gave you £40.00" in words and "6 May 2024" in words
    assert "£20.00 a week" in words and "£411.00 a month" in words
    assert "This is a reminder, not a decision." in words
    assert str(HEURISTIC_NOTE) in words and str(UNVERIFIED_NOTE) in words
    assert "What you might want to do" in words and "Turn2us" in words
    assert "Check whether it counts as earnings" not in words  # the broker's words are the broker's
    assert log_rows(db_session, people.member, subject=Subject.FLAG, reason="own_view")


# --- a broker ----------------------------------------------------------------------------------------


def test_a_broker_gives_consent_for_a_member_who_is_not_online_marked_so(db_session, people, sign_in):
    client = sign_in(people.broker)
    page = client.get(f"/benefits/members/{people.member.id}")
    assert page.status_code == 200 and "I want the time bank to help me" in plain(page)
    assert client.post(f"/benefits/members/{people.member.id}/consent", data={}).status_code == 422
    done = client.post(f"/benefits/members/{people.member.id}/consent", data={"agree": "y"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/benefits/members/{people.member.id}/profile")
    consent = db_session.scalar(sa.select(BenefitConsent).where(BenefitConsent.person_id == people.member.id))
    assert (consent.on_behalf, consent.given_by_id) == (True, people.broker.id)
    assert "Given through a broker" in plain(client.get(f"/benefits/members/{people.member.id}"))

    saved = client.post(f"/benefits/members/{people.member.id}/profile",
                        data={"benefits": ["ca"], "couple": "yes", "jurisdiction": "wales", "benefit_week_starts": "3"})
    assert saved.status_code == 302
    member_page = plain(client.get(f"/benefits/members/{people.member.id}"))
    assert "Carer's Allowance" in member_page and "Thursday" in member_page
    assert "Do not write anything about health" not in member_page  # only beside note fields

    withdrawn = client.post(f"/benefits/members/{people.member.id}/consent/withdraw", data={})
    assert withdrawn.status_code == 302
    db_session.expire_all()
    assert db_session.get(BenefitProfile, people.member.id) is None
    assert consent.withdrawn_by_id == people.broker.id


def test_every_read_on_the_member_page_is_logged(db_session, people, sign_in, give_consent, save_profile, make_flag):
    give_consent(people.member)
    save_profile(people.member)
    flag = make_flag(people.member, people.bank)
    before = len(log_rows(db_session, people.member))
    page = sign_in(people.broker).get(f"/benefits/members/{people.member.id}")
    assert page.status_code == 200 and f"/benefits/flags/{flag.id}" in text(page)
    new = log_rows(db_session, people.member)[before:]
    assert {(row.actor_id, row.subject, row.kind) for row in new} == {
        (people.broker.id, Subject.CONSENT, AccessKind.READ), (people.broker.id, Subject.PROFILE, AccessKind.READ),
        (people.broker.id, Subject.FLAG, AccessKind.READ)}
    assert [row.flag_id for row in new if row.subject is Subject.FLAG] == [flag.id]


def test_the_queue_filters_by_severity_rule_member_and_state(db_session, people, make_member, sign_in, make_flag):
    other, _ = make_member(people.bank, "Gwen Other")
    high = make_flag(people.member, people.bank, severity=Severity.HIGH)
    low = make_flag(people.member, people.bank, severity=Severity.LOW, rule_id=OTHER_RULE_ID)
    others = make_flag(other, people.bank, severity=Severity.MEDIUM)
    resolved = make_flag(other, people.bank, state=FlagState.RESOLVED)
    elsewhere = make_flag(people.member, people.other_bank)
    client = sign_in(people.broker)

    def shown(**query) -> set[int]:
        page = client.get("/benefits/queue", query_string=query)
        assert page.status_code == 200, text(page)[:500]
        return {int(found) for found in re.findall(r'href="/benefits/flags/(\d+)"', text(page))}

    assert shown() == shown(bank_id=people.bank.id) == {high.id, low.id, others.id}
    assert shown(severity="low") == {low.id}
    assert shown(rule=TEST_RULE_ID) == {high.id, others.id}
    assert shown(person_id=people.member.id) == {high.id, low.id}
    assert shown(state="resolved") == {resolved.id}
    assert elsewhere.id not in shown(person_id=people.member.id)
    assert client.get("/benefits/queue", query_string={"severity": "dreadful"}).status_code == 422
    assert client.get("/benefits/queue", query_string={"bank_id": people.other_bank.id}).status_code == 404


def test_a_flag_shows_its_evidence_thresholds_wording_and_footer(db_session, people, sign_in, make_flag):
    flag = make_flag(people.member, people.bank)
    page = sign_in(people.broker).get(f"/benefits/flags/{flag.id}")
    assert page.status_code == 200
    words, html = plain(page), text(page)
    assert "Mair Member was paid £40.00 by Hollinbridge Charity on 6 May 2024." in words
    assert str(BROKER_FOOTER) in words
    assert 'href="/exchanges/11"' in html
    assert f"/money/payments?member={people.member.id}" in html
    assert "Paid hours" in words or "Hours given in activities that paid the member" in words
    assert "tax year 2024/25" in words and "UC Regulations 2013 reg 22" in words
    assert "Set by the benefit rules." in words and str(HEURISTIC_NOTE) in words and str(UNVERIFIED_NOTE) in words
    assert "Do not write anything about health" in words
    assert "Raised" in words  # its history
    [row] = log_rows(db_session, people.member, reason="broker_review")
    assert (row.actor_id, row.flag_id, row.kind) == (people.broker.id, flag.id, AccessKind.READ)


def test_each_broker_action_changes_the_flag_and_is_in_its_history_and_the_log(db_session, people, sign_in, make_flag):
    first, second, third = (make_flag(people.member, people.bank) for _ in range(3))
    client = sign_in(people.broker)

    assert client.post(f"/benefits/flags/{first.id}/acknowledge", data={"note": "Spoke to Mair"}).status_code == 302
    no_reason = client.post(f"/benefits/flags/{second.id}/resolve", data={})
    assert no_reason.status_code == 422 and "Choose why it is resolved" in plain(no_reason)
    assert "Not a valid choice" not in plain(no_reason)
    assert client.post(f"/benefits/flags/{second.id}/resolve",
                       data={"resolution": "receipts_seen", "note": "Bus tickets"}).status_code == 302
    tomorrow = uk_today() + dt.timedelta(days=1)
    today_refused = client.post(f"/benefits/flags/{third.id}/snooze", data={"until": uk_today().isoformat()})
    assert today_refused.status_code == 422 and 'id="until-error"' in text(today_refused)
    assert client.post(f"/benefits/flags/{third.id}/snooze", data={"until": tomorrow.isoformat()}).status_code == 302

    db_session.expire_all()
    assert db_session.get(BenefitFlag, first.id).state is FlagState.ACKNOWLEDGED
    resolved = db_session.get(BenefitFlag, second.id)
    assert (resolved.state, resolved.resolution, resolved.resolution_note, resolved.resolved_by_id) == (
        FlagState.RESOLVED, Resolution.RECEIPTS_SEEN, "Bus tickets", people.broker.id)
    snoozed = db_session.get(BenefitFlag, third.id)
    assert (snoozed.state, snoozed.snoozed_until) == (FlagState.SNOOZED, tomorrow)
    history = {flag.id: [(e.action, e.actor_id) for e in db_session.scalars(
        sa.select(BenefitFlagEvent).where(BenefitFlagEvent.flag_id == flag.id).order_by(BenefitFlagEvent.id))]
        for flag in (first, second, third)}
    assert history == {
        first.id: [(FlagAction.RAISED, None), (FlagAction.ACKNOWLEDGED, people.broker.id)],
        second.id: [(FlagAction.RAISED, None), (FlagAction.RESOLVED, people.broker.id)],
        third.id: [(FlagAction.RAISED, None), (FlagAction.SNOOZED, people.broker.id)],
    }
    changes = [row.reason for row in log_rows(db_session, people.member, kind=AccessKind.CHANGE)]
    assert changes == ["broker_acknowledged", "broker_resolved", "broker_snoozed"]
    page = plain(client.get(f"/benefits/flags/{second.id}"))
    assert "I have seen the receipts" in page and "Bus tickets" in page and "Nia Broker" in page
    again = client.post(f"/benefits/flags/{second.id}/acknowledge", data={})
    assert again.status_code == 422 and "already resolved" in plain(again)


def test_an_engine_note_is_shown_in_words(db_session, people, sign_in, make_flag):
    from timebank.benefits.engine import EVIDENCE_GONE

    flag = make_flag(people.member, people.bank, state=FlagState.RESOLVED)
    flag.resolution, flag.resolution_note = Resolution.EVIDENCE_GONE, EVIDENCE_GONE
    db_session.add(BenefitFlagEvent(flag_id=flag.id, actor_id=None, action=FlagAction.RESOLVED, note=EVIDENCE_GONE))
    db_session.flush()
    words = plain(sign_in(people.broker).get(f"/benefits/flags/{flag.id}"))
    assert "The records behind this flag no longer show it" in words and EVIDENCE_GONE not in words


def test_a_flag_whose_rule_is_retired_is_still_shown(db_session, people, sign_in, make_flag):
    flag = make_flag(people.member, people.bank, rule_id="TB-00")
    page = sign_in(people.broker).get(f"/benefits/flags/{flag.id}")
    assert page.status_code == 200 and "A check that is no longer used (TB-00)" in plain(page)


# --- the admin ---------------------------------------------------------------------------------------


def test_the_admin_reads_the_access_log_and_not_the_data(db_session, people, sign_in, give_consent, save_profile,
                                                         make_flag, as_person):
    give_consent(people.member)
    save_profile(people.member, benefits=frozenset({Benefit.PIP}))
    flag = make_flag(people.member, people.bank)
    as_person(people.broker).get(f"/benefits/flags/{flag.id}")
    client = as_person(people.admin)
    page = client.get("/benefits/access-log", query_string={"person_id": people.member.id})
    assert page.status_code == 200
    words = plain(page)
    assert "Nia Broker" in words and "Mair Member" in words and "A broker looked at a flag" in words
    assert "Personal Independence Payment" not in words and "£40.00" not in words
    assert client.get(f"/benefits/members/{people.member.id}").status_code == 404
    assert client.get(f"/benefits/flags/{flag.id}").status_code == 404


# --- who is turned away ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["resident", "org_admin", "other_broker", "admin", "funder"])
def test_nobody_else_sees_a_members_benefit_data(db_session, people, give_consent, save_profile, make_flag, as_person,
                                                 who):
    give_consent(people.member)
    save_profile(people.member)
    flag = make_flag(people.member, people.bank)
    client = as_person(getattr(people, who))
    refused = 403 if who == "funder" else 404
    for path in (f"/benefits/members/{people.member.id}", f"/benefits/members/{people.member.id}/profile",
                 f"/benefits/flags/{flag.id}"):
        assert client.get(path).status_code == refused, path
    for path in (f"/benefits/members/{people.member.id}/consent/withdraw", f"/benefits/flags/{flag.id}/acknowledge",
                 f"/benefits/flags/{flag.id}/resolve"):
        assert client.post(path, data={"resolution": "not_applicable"}).status_code == refused, path
    db_session.expire_all()
    assert db_session.get(BenefitFlag, flag.id).state is FlagState.OPEN
    assert profiles.standing_consent(db_session, people.member.id) is not None
    assert [row.actor_id for row in log_rows(db_session, people.member)
            if row.actor_id == getattr(people, who).id] == []
    assert client.get("/benefits/access-log").status_code == (200 if who == "admin" else 403)
    if who in ("resident", "org_admin", "admin"):
        assert client.get("/benefits/queue").status_code == 403


def test_the_queue_is_paged_with_its_filters_kept(db_session, people, sign_in, make_flag):
    for _ in range(21):
        make_flag(people.member, people.bank, severity=Severity.MEDIUM)
    client = sign_in(people.broker)
    first = text(client.get("/benefits/queue", query_string={"severity": "medium"}))
    assert "Page 1 of 2" in first and "Flags found: 21" in first
    next_page = re.search(r'href="([^"]*page=2[^"]*)" rel="next"', first)[1].replace("&amp;", "&")
    assert "severity=medium" in next_page and f"bank_id={people.bank.id}" in next_page
    second = text(client.get(next_page))
    assert len(re.findall(r'href="/benefits/flags/\d+"', second)) == 1


def test_no_words_of_these_pages_set_an_hours_limit_on_volunteering():
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    catalogue = read_po((root / "timebank/translations/cy/LC_MESSAGES/messages.po").open("rb"))
    ours = [message for message in catalogue if message.id and any(
        "benefits" in location for location, _line in message.locations)]
    words = [*(str(message.id) for message in ours), *(str(message.string) for message in ours),
             *(path.read_text(encoding="utf-8") for path in (root / "templates/benefits").glob("*.html"))]
    assert not [found for found in words if re.search(r"\b16\s*hours?\b", found, re.I)]

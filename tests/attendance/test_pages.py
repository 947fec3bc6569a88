"""The taking-part pages: a session's page, signing up and cancelling, the organiser's lists, marking
attendance, the paper sign-in sheet and the calendar. Outcomes are checked in the database."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from tests.attendance.conftest import pdf_text, session_exchanges, session_sign_ups
from tests.exchanges.test_pages import error_next_to
from tests.membership.test_pages import text_of
from tests.support import first_submit, picker_options
from tests.test_form_controls import boxes_without_a_target
from timebank.activities.models import CalendarFeed, RoleDirection, SignUpStatus
from timebank.attendance import service as attendance
from timebank.attendance.forms import MAX_WALK_IN_ROWS
from timebank.clock import UK
from timebank.ledger.models import ExchangeState
from timebank.members.models import Language
from timebank.safeguarding.clearances import Clearance


def words(response) -> str:
    """The page's text, with HTML's escapes (``&#39;``) read as the characters they stand for."""
    return html.unescape(text_of(response))


def url(activity_session, tail: str = "") -> str:
    return f"/sessions/{activity_session.id}{tail}"


# --- a member on the session page ------------------------------------------------------------------


def test_a_resident_reads_the_session_signs_up_and_cancels(db_session, browser, make_session, resident):
    activity_session = make_session(places=3, release_notice_hours=24, length=dt.timedelta(hours=2, minutes=30))
    client = browser(resident)
    page = words(client.get(url(activity_session)))
    assert "Community garden: Garden helper" in page and "Run by Hollinbridge Council" in page
    assert "3 places left" in page and "Old bowling green, Mill Lane" in page
    assert "You earn 2 hours 30 minutes of time credits" in page and "No safeguarding check needed" in page
    assert "at least 24 hours' notice" in page
    starts = activity_session.starts_at.astimezone(UK)
    assert f"{starts:%H:%M} to" in page  # UK time, not UTC

    response = client.post(url(activity_session, "/sign-up"))
    assert response.status_code == 302 and response.location.endswith(url(activity_session))
    [row] = session_sign_ups(db_session, activity_session)
    assert (row.person_id, row.status, row.signed_up_by_id) == (resident.id, SignUpStatus.BOOKED, resident.id)
    page = words(client.get(url(activity_session)))
    assert "You have a place on this session. It is on your calendar page." in page and "2 places left" in page

    assert client.post(url(activity_session, "/sign-up")).status_code == 302  # a double submit: still one place
    assert "You already have a place" in words(client.get(url(activity_session)))
    assert len(session_sign_ups(db_session, activity_session)) == 1

    assert client.post(url(activity_session, "/sign-up/cancel")).status_code == 302
    assert "The place is cancelled. Thank you for letting us know." in words(client.get(url(activity_session)))
    assert session_sign_ups(db_session, activity_session)[0].status is SignUpStatus.CANCELLED


def test_a_full_session_puts_the_next_person_on_the_waiting_list(db_session, browser, make_session, resident,
                                                                 members):
    activity_session = make_session(places=1)
    [(first, _)] = members(1)
    attendance.sign_up(db_session, first, activity_session.id)
    client = browser(resident)
    assert "Join the waiting list" in words(client.get(url(activity_session)))
    client.post(url(activity_session, "/sign-up"))
    page = words(client.get(url(activity_session)))
    assert "This session is full, so you are on the waiting list: number 1." in page
    assert "Leave the waiting list" in page


def test_a_late_cancellation_says_kindly_that_the_organiser_knows(db_session, browser, make_session, resident):
    activity_session = make_session(starts_in=dt.timedelta(hours=10), release_notice_hours=48)
    attendance.sign_up(db_session, resident, activity_session.id)
    client = browser(resident)
    client.post(url(activity_session, "/sign-up/cancel"))
    page = words(client.get(url(activity_session)))
    assert "shorter notice than the organiser asked for, so we have let them know" in page
    assert session_sign_ups(db_session, activity_session)[0].cancelled_late


def test_a_role_needing_a_clearance_refuses_in_plain_words(db_session, browser, make_session, resident):
    activity_session = make_session(clearance=Clearance.ADULTS_AT_RISK)
    client = browser(resident)
    response = client.post(url(activity_session, "/sign-up"))
    assert response.status_code == 422
    page = words(response)
    assert "There is a problem" in page and "Talk to your broker" in page
    assert session_sign_ups(db_session, activity_session) == []


def test_a_broker_signs_up_a_member_who_is_not_online(db_session, browser, make_session, broker, members, audited):
    activity_session = make_session()
    [(mair, _)] = members(1)
    client = browser(broker)
    page = client.get(url(activity_session)).get_data(as_text=True)
    assert 'name="person_id-q"' in page and picker_options(page, "person_id") == {}  # a search, not the bank
    found = client.post(url(activity_session, "/sign-up"), data={"person_id-q": "member 0", "find": "person_id"})
    assert found.status_code == 200 and picker_options(found.get_data(as_text=True), "person_id") == {mair.id: False}
    assert session_sign_ups(db_session, activity_session) == []  # a search records nothing

    response = client.post(url(activity_session, "/sign-up"), data={"person_id": ""})
    assert response.status_code == 422
    assert error_next_to(response.get_data(as_text=True), "person_id") == "Error: Choose a member from the list"

    response = client.post(url(activity_session, "/sign-up"), data={"person_id": str(mair.id)})
    assert response.status_code == 302
    assert "Member 01 has a place on this session." in words(client.get(url(activity_session)))
    [row] = session_sign_ups(db_session, activity_session)
    assert (row.person_id, row.signed_up_by_id) == (mair.id, broker.id)
    assert audited("attendance.signed_up")[-1].details["on_behalf"] is True

    assert client.post(url(activity_session, "/sign-up/cancel"), data={"person_id": str(mair.id)}).status_code == 302
    assert session_sign_ups(db_session, activity_session)[0].status is SignUpStatus.CANCELLED


def test_a_broker_who_chooses_no_one_signs_up_no_one(db_session, browser, make_session, broker, members):
    """The member form always sends its search box: with no one chosen it asks for a choice, and never signs
    up the broker; a member with a place already is not offered."""
    activity_session = make_session()
    (mair, _), (booked, _) = members(2)
    attendance.sign_up(db_session, booked, activity_session.id)
    client = browser(broker)
    response = client.post(url(activity_session, "/sign-up"), data={"person_id-q": "member"})
    assert response.status_code == 422
    assert error_next_to(response.get_data(as_text=True), "person_id") == "Error: Choose a member from the list"
    assert picker_options(response.get_data(as_text=True), "person_id") == {mair.id: False}
    assert [row.person_id for row in session_sign_ups(db_session, activity_session)] == [booked.id]


def test_a_broker_cannot_sign_up_someone_outside_the_bank(db_session, browser, make_session, broker, make_person):
    activity_session = make_session()
    outsider = make_person("Olly Outsider", email=None)
    response = browser(broker).post(url(activity_session, "/sign-up"), data={"person_id": str(outsider.id)})
    assert response.status_code == 422
    assert "Choose a member of this time bank" in error_next_to(response.get_data(as_text=True), "person_id")
    assert session_sign_ups(db_session, activity_session) == []


# --- the organiser ---------------------------------------------------------------------------------


def test_the_organiser_sees_the_lists_and_calls_a_session_off(db_session, browser, make_session, organiser, members):
    activity_session = make_session(places=1)
    (ann, _), (bob, _) = members(2)
    attendance.sign_up(db_session, ann, activity_session.id)
    attendance.sign_up(db_session, bob, activity_session.id)
    client = browser(organiser)
    page = words(client.get(url(activity_session)))
    assert "People with a place (1)" in page and "Waiting list, first come first served (1)" in page
    assert "You can mark who came once the session has started" in page

    response = client.post(url(activity_session, "/cancel"))
    assert response.status_code == 422
    assert "Tick the box to say you are sure" in words(response)
    assert activity_session.cancelled_at is None

    assert client.post(url(activity_session, "/cancel"), data={"confirm": "y"}).status_code == 302
    page = words(client.get(url(activity_session)))
    assert "This session has been cancelled." in page and "People to tell that the session is cancelled" in page
    assert page.count("Through the time bank's broker") == 2  # members with no email asked for their broker
    assert {row.status for row in session_sign_ups(db_session, activity_session)} == {SignUpStatus.CANCELLED}


def test_the_organiser_s_page_leads_with_their_work_and_ends_with_calling_it_off(db_session, browser, make_session,
                                                                                organiser, members, start):
    """Not "Join the waiting list": who has a place and what is unfilled first, then (once it has started)
    "Mark who came"; cancelling the session last, set apart."""
    activity_session = make_session(places=2)
    (ann, _), (bob, _), (cai, _) = members(3)
    attendance.sign_up(db_session, ann, activity_session.id)
    client = browser(organiser)
    response = client.get(url(activity_session))
    html, page = response.get_data(as_text=True), words(response)
    assert "1 person has a place: 1 place unfilled." in page
    assert "Sign up" not in page and "Join the waiting list" not in page and "Your place" not in page
    assert html.index('id="run"') < html.index("<dt>When</dt>") < html.index('id="people"') < html.index(
        'class="danger-zone"') < html.index("Yes, cancel this session for everyone")
    assert boxes_without_a_target(html) == []

    for person in (bob, cai):
        attendance.sign_up(db_session, person, activity_session.id)
    page = words(client.get(url(activity_session)))
    assert "2 people have a place: every place is taken. 1 person is waiting." in page
    assert "Join the waiting list" not in page

    start(activity_session)
    html = client.get(url(activity_session)).get_data(as_text=True)
    mark = f'<a class="button" href="/sessions/{activity_session.id}/attendance">Mark who came</a>'
    assert mark in html and html.index(mark) < html.index("<dt>When</dt>")
    assert "danger-zone" in html  # not marked yet, so it can still be called off


def test_attendance_for_twenty_people_in_one_step(db_session, browser, make_session, organiser, members, start):
    activity_session = make_session(places=20, credit_minutes=120)
    people = members(20)
    for person, _account in people:
        attendance.sign_up(db_session, person, activity_session.id)
    start(activity_session)
    client = browser(organiser)
    assert "Mark who came" in words(client.get(url(activity_session)))
    form_page = client.get(url(activity_session, "/attendance")).get_data(as_text=True)
    assert form_page.count('type="checkbox"') == 20 and form_page.count("checked") == 20

    data = {"csrf_token": ""}
    for index, (person, _account) in enumerate(sorted(people, key=lambda pair: pair[0].display_name)):
        data |= {f"attendees-{index}-person_id": str(person.id), f"attendees-{index}-attended": "y",
                 f"attendees-{index}-minutes": "120"}
    response = client.post(url(activity_session, "/attendance"), data=data)

    assert response.status_code == 302 and response.location.endswith(url(activity_session))
    exchanges = session_exchanges(db_session, activity_session)
    assert len(exchanges) == 20 and {e.state for e in exchanges} == {ExchangeState.CONFIRMED}
    assert all(account.balance_minutes == 120 for _, account in people)
    page = words(client.get(url(activity_session)))
    assert "Attendance is marked: 20 came, 40 hours of credits recorded in all." in page
    assert "People who came (20)" in page

    again = client.post(url(activity_session, "/attendance"), data=data)
    assert again.status_code == 409 and "already marked" in words(again)
    assert len(session_exchanges(db_session, activity_session)) == 20
    # After marking: who came, without the places or the empty lists of a session still to come.
    for gone in ("places left", "Nobody has a place yet", "Your place", "Sign-ups for this session have closed"):
        assert gone not in page
    opened = client.get(url(activity_session, "/attendance"))
    assert opened.status_code == 302 and opened.location.endswith(url(activity_session))
    assert "Attendance for this session was already marked on" in words(client.get(url(activity_session)))


def test_the_attendance_form_waits_for_the_session_to_start(db_session, browser, make_session, organiser):
    activity_session = make_session()
    client = browser(organiser)
    opened = client.get(url(activity_session, "/attendance"))
    assert opened.status_code == 302 and opened.location.endswith(url(activity_session))
    assert "Attendance can be marked once the session has started" in words(client.get(url(activity_session)))
    assert client.post(url(activity_session, "/attendance"), data={}).status_code == 422  # sent early: refused
    assert session_exchanges(db_session, activity_session) == []


def test_the_error_summary_says_whose_row_each_message_is_about(db_session, browser, make_session, organiser,
                                                                members, start):
    activity_session = make_session(credit_minutes=60)
    people = members(2)
    for person, _account in people:
        attendance.sign_up(db_session, person, activity_session.id)
    start(activity_session)
    data = {}
    for index, (person, _account) in enumerate(people):
        data |= {f"attendees-{index}-person_id": str(person.id), f"attendees-{index}-attended": "y",
                 f"attendees-{index}-minutes": "0"}
    data |= {"walk_ins-0-person_id": "", "walk_ins-0-minutes": "x"}

    response = browser(organiser).post(url(activity_session, "/attendance"), data=data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = words(response).split("Nothing has been recorded yet")[1].split("Everyone with a place")[0]
    minutes = "Enter the time as whole minutes from 1 to 1440 (24 hours)"
    for name in ("Member 01", "Member 02", "Walk-in 1"):
        assert f"{name}: {minutes}" in summary
    assert error_next_to(page, "attendees-1-minutes") == f"Error: {minutes}"
    assert session_exchanges(db_session, activity_session) == []


def test_one_person_who_cannot_be_credited_leaves_everything_unrecorded(db_session, browser, make_session,
                                                                        organiser, members, start):
    activity_session = make_session(direction=RoleDirection.SPENDS, credit_minutes=60)
    people = members(3)
    for person, _account in people:
        attendance.sign_up(db_session, person, activity_session.id)
    start(activity_session)
    people[2][1].floor_minutes = 0
    client = browser(organiser)
    data = {}
    for index, (person, _account) in enumerate(people):
        data |= {f"attendees-{index}-person_id": str(person.id), f"attendees-{index}-attended": "y",
                 f"attendees-{index}-minutes": "60"}
    data |= {"walk_ins-0-person_id": "", "walk_ins-0-minutes": "60"}

    response = client.post(url(activity_session, "/attendance"), data=data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing has been recorded yet" in words(response)
    assert error_next_to(page, "attendees-2-minutes").startswith("Error: Member 03: This would take the account below")
    assert session_exchanges(db_session, activity_session) == []
    assert {row.status for row in session_sign_ups(db_session, activity_session)} == {SignUpStatus.BOOKED}


def test_a_walk_in_is_added_and_an_unticked_person_is_absent(db_session, browser, make_session, organiser,
                                                            members, start):
    activity_session = make_session(places=1, credit_minutes=60)
    (ann, _), (walk_in, walk_in_account) = members(2)
    attendance.sign_up(db_session, ann, activity_session.id)
    start(activity_session)
    client = browser(organiser)
    found = client.post(url(activity_session, "/attendance"), data={
        "attendees-0-person_id": str(ann.id), "attendees-0-minutes": "60", "walk_ins-0-person_id-q": "member",
        "walk_ins-0-minutes": "45", "find": "walk_ins-0-person_id"})
    assert found.status_code == 200  # Ann has a place, so only the walk-in is offered
    assert picker_options(found.get_data(as_text=True), "walk_ins-0-person_id") == {walk_in.id: False}
    response = client.post(url(activity_session, "/attendance"), data={
        "attendees-0-person_id": str(ann.id), "attendees-0-minutes": "60",
        "walk_ins-0-person_id": str(walk_in.id), "walk_ins-0-minutes": "45"})
    assert response.status_code == 302
    by_person = {row.person_id: row.status for row in session_sign_ups(db_session, activity_session)}
    assert by_person == {ann.id: SignUpStatus.ABSENT, walk_in.id: SignUpStatus.ATTENDED}
    assert walk_in_account.balance_minutes == 45


def test_more_rows_for_walk_ins_keeps_what_was_chosen(db_session, browser, make_session, organiser, members,
                                                      start):
    """"Show more rows" is a button of the form: the form comes back as it was filled in, with three more
    empty rows, and nothing is recorded until "Record attendance"."""
    activity_session = make_session(places=1, credit_minutes=60)
    (ann, _), (first, _), (second, second_account) = members(3)
    attendance.sign_up(db_session, ann, activity_session.id)
    start(activity_session)
    client = browser(organiser)
    form = client.get(url(activity_session, "/attendance")).get_data(as_text=True)
    assert re.search(r'<button type="submit" name="more_walk_ins" value="1"[^>]*formaction="[^"]*#walk-in-4"', form)
    assert "walk_ins=" not in form  # no link that starts the form again
    # Enter in a box presses the form's first submit button: the main one, not a "Find" or "Show more rows".
    assert first_submit(form) == '<button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true">'
    assert boxes_without_a_target(form) == []  # each "came" box has its 44px target

    sent = {"attendees-0-person_id": str(ann.id), "attendees-0-minutes": "50",  # Ann unticked: did not come
            "walk_ins-0-person_id": str(first.id), "walk_ins-0-minutes": "45",
            "walk_ins-1-person_id": "", "walk_ins-1-minutes": "60", "walk_ins-2-person_id": "",
            "walk_ins-2-minutes": "60"}
    response = client.post(url(activity_session, "/attendance"), data=sent | {"more_walk_ins": "1"})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nothing has been recorded yet" not in page and session_exchanges(db_session, activity_session) == []
    assert [int(n) for n in re.findall(r'id="walk-in-(\d+)"', page)] == [1, 2, 3, 4, 5, 6]
    assert picker_options(page, "walk_ins-0-person_id") == {first.id: True}
    assert 'name="walk_ins-0-minutes"' in page and 'value="45"' in page and 'value="50"' in page
    assert not re.search(r'<input[^>]*checked[^>]*name="attendees-0-attended"', page)
    assert 'name="walk_ins-5-person_id-q"' in page and "#walk-in-7" in page

    response = client.post(url(activity_session, "/attendance"), data=sent | {
        "walk_ins-3-person_id": "", "walk_ins-3-minutes": "60", "walk_ins-4-person_id": str(second.id),
        "walk_ins-4-minutes": "30", "walk_ins-5-person_id": "", "walk_ins-5-minutes": "60"})
    assert response.status_code == 302
    by_person = {row.person_id: row.status for row in session_sign_ups(db_session, activity_session)}
    assert by_person == {ann.id: SignUpStatus.ABSENT, first.id: SignUpStatus.ATTENDED,
                         second.id: SignUpStatus.ATTENDED}
    assert second_account.balance_minutes == 30


def test_finding_a_second_walk_in_keeps_the_first(db_session, browser, make_session, organiser, members, start):
    activity_session = make_session(places=1, credit_minutes=60)
    (ann, _), (first, _), (second, _) = members(3)
    attendance.sign_up(db_session, ann, activity_session.id)
    start(activity_session)
    sent = {"attendees-0-person_id": str(ann.id), "attendees-0-attended": "y", "attendees-0-minutes": "60",
            "walk_ins-0-person_id": str(first.id), "walk_ins-0-person_id-q": "member 02", "walk_ins-0-minutes": "45",
            "walk_ins-1-person_id-q": "member 03", "walk_ins-1-minutes": "60",
            "walk_ins-2-person_id-q": "", "walk_ins-2-minutes": "60"}
    response = browser(organiser).post(url(activity_session, "/attendance"),
                                       data=sent | {"find": "walk_ins-1-person_id"})
    assert response.status_code == 200 and session_exchanges(db_session, activity_session) == []
    page = response.get_data(as_text=True)
    assert picker_options(page, "walk_ins-0-person_id") == {first.id: True}
    assert picker_options(page, "walk_ins-1-person_id") == {second.id: False}
    assert picker_options(page, "walk_ins-2-person_id") == {}  # not searched: no list of the bank
    assert "Nothing has been recorded yet" not in page


def test_rows_for_walk_ins_stop_at_the_most_one_form_holds(db_session, browser, make_session, organiser, start):
    activity_session = start(make_session(credit_minutes=60))
    sent = {f"walk_ins-{n}-{part}": value for n in range(MAX_WALK_IN_ROWS - 1)
            for part, value in (("person_id", ""), ("minutes", "60"))}
    page = browser(organiser).post(url(activity_session, "/attendance"),
                                   data=sent | {"more_walk_ins": "1"}).get_data(as_text=True)
    assert len(re.findall(r'id="walk-in-\d+"', page)) == MAX_WALK_IN_ROWS
    assert 'name="more_walk_ins"' not in page


def test_the_sign_in_sheet_lists_everyone_booked(db_session, browser, make_session, organiser, members):
    activity_session = make_session()
    people = members(2, prefix="Siân")
    for person, _account in people:
        attendance.sign_up(db_session, person, activity_session.id)
    response = browser(organiser).get(url(activity_session, "/sign-in-sheet.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = pdf_text(response.data)
    assert "Sign-in sheet: Community garden" in text and "Garden helper" in text
    for person, account in people:
        assert person.display_name in text and str(account.id) in text
    assert "Signature" in text and "Hours" in text


def test_the_welsh_sign_in_sheet_gives_the_welsh_titles(db_session, browser, make_session, organiser):
    activity_session = make_session()
    activity_session.role.title_cy = "Cynorthwyydd gardd"
    activity_session.role.activity.title_cy = "Gardd gymunedol"
    response = browser(organiser).get(url(activity_session, "/sign-in-sheet.pdf?lang=cy"))
    text = pdf_text(response.data)
    assert "Gardd gymunedol" in text and "Cynorthwyydd gardd" in text and "Garden helper" not in text


# --- who may see what ------------------------------------------------------------------------------


def test_access_to_a_session(db_session, browser, make_session, make_bank, make_member, resident, funder):
    activity_session = make_session()
    anonymous = browser(None).get(url(activity_session))
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.location
    assert browser(funder).get(url(activity_session)).status_code == 403
    stranger, _ = make_member(make_bank(name="Other Vale Time Bank"), "Sam Stranger")
    as_stranger = browser(stranger)
    assert as_stranger.get(url(activity_session)).status_code == 404
    assert as_stranger.post(url(activity_session, "/sign-up")).status_code == 404
    as_resident = browser(resident)
    assert as_resident.get(url(activity_session, "/sign-in-sheet.pdf")).status_code == 403
    assert as_resident.get(url(activity_session, "/attendance")).status_code == 403
    assert as_resident.post(url(activity_session, "/cancel"), data={"confirm": "y"}).status_code == 403
    assert as_resident.get("/sessions/2147483647").status_code == 404
    assert activity_session.cancelled_at is None


# --- the calendar ----------------------------------------------------------------------------------


def feed_address(page: str) -> str:
    match = re.search(r"<code>https?://[^/]+(/calendar/[^<]+\.ics)</code>", page)
    assert match, "no calendar address on the page"
    return match.group(1)


def test_my_calendar_and_its_private_feed(db_session, browser, make_session, resident):
    booked = make_session(title="Repair café")
    called_off = make_session(title="Litter pick", starts_in=dt.timedelta(days=5))
    attendance.sign_up(db_session, resident, booked.id)
    attendance.sign_up(db_session, resident, called_off.id)
    attendance.cancel_sign_up(db_session, resident, called_off.id)
    client = browser(resident)
    page = words(client.get("/calendar"))
    assert "Repair café: Garden helper" in page and "Litter pick" not in page
    assert "Get my calendar address" in page

    assert client.post("/calendar/feed", data={"action": "new"}).status_code == 302
    address = feed_address(client.get("/calendar").get_data(as_text=True))
    assert "<code>" not in client.get("/calendar").get_data(as_text=True)  # shown only once
    [feed] = db_session.scalars(sa.select(CalendarFeed).where(CalendarFeed.person_id == resident.id)).all()
    assert address.split("/")[-1].removesuffix(".ics") not in feed.token_sha256 and len(feed.token_sha256) == 64

    response = browser(None).get(address)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = {str(e.get("SUMMARY")): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    assert set(events) == {"Repair café – Garden helper", "Litter pick – Garden helper"}
    repair = events["Repair café – Garden helper"]
    [row] = [r for r in session_sign_ups(db_session, booked)]
    assert str(repair.get("UID")) == f"timebank-sign-up-{row.id}" and str(repair.get("STATUS")) == "CONFIRMED"
    assert repair.decoded("DTSTART") == booked.starts_at.replace(microsecond=0)
    assert repair.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert str(repair.get("LOCATION")) == "Old bowling green, Mill Lane"
    assert "Hollinbridge Council" in str(repair.get("DESCRIPTION")) and f"/sessions/{booked.id}" in str(
        repair.get("DESCRIPTION"))
    assert str(events["Litter pick – Garden helper"].get("STATUS")) == "CANCELLED"

    client.post("/calendar/feed", data={"action": "new"})
    new_address = feed_address(client.get("/calendar").get_data(as_text=True))
    assert browser(None).get(address).status_code == 404
    assert browser(None).get(new_address).status_code == 200

    assert client.post("/calendar/feed", data={"action": "stop"}).status_code == 302
    assert browser(None).get(new_address).status_code == 404
    assert browser(None).get("/calendar/not-a-real-address.ics").status_code == 404


def test_a_welsh_speakers_calendar_gives_the_welsh_titles(db_session, browser, make_session, resident):
    booked = make_session(title="Repair café")
    booked.role.activity.title_cy = "Caffi trwsio"
    resident.preferred_language = Language.WELSH
    attendance.sign_up(db_session, resident, booked.id)
    client = browser(resident)
    client.post("/calendar/feed", data={"action": "new"})
    response = browser(None).get(feed_address(client.get("/calendar").get_data(as_text=True)))
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event.get("SUMMARY")) == "Caffi trwsio – Garden helper"


@pytest.mark.parametrize("action", ["", "delete"])
def test_a_calendar_form_out_of_date_is_refused(db_session, browser, resident, action):
    response = browser(resident).post("/calendar/feed", data={"action": action})
    assert response.status_code == 422 and "This form is out of date" in words(response)

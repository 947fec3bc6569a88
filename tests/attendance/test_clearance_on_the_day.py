"""Safeguarding is judged on the session's date, on every route that puts a person in front of others.

The issue's case: Cerys's only DBS check runs out on "the 16th" (ten days from now) and the home-visits
session is on "the 21st" (five days after). She holds the clearance today, but not on the day: signing up
(herself or through a broker), moving up from the waiting list, being marked as a walk-in and being
credited for a place booked earlier are all refused or passed over, with the reason; the organisers and
the bank's brokers see her booking flagged, other residents never do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask_babel import format_date

from tests.attendance.conftest import session_exchanges, session_sign_ups
from tests.attendance.test_pages import url, words
from tests.conftest import PASSWORD
from timebank.activities.models import ActivitySession, SignUp, SignUpStatus
from timebank.attendance import errors
from timebank.attendance import service as attendance
from timebank.attendance.service import Mark
from timebank.auth.passwords import hash_password
from timebank.banks import service as banks
from timebank.clock import UK, uk_today
from timebank.members.models import Person
from timebank.notices.messages import lines_for
from timebank.notices.models import Notice, NoticeKind
from timebank.safeguarding import clearances
from timebank.safeguarding.clearances import Clearance
from timebank.safeguarding.models import DbsLevel
from timebank.safeguarding.service import ClearanceNeeded, clearance_gaps
from timebank.types import utcnow


def long(day: dt.date) -> str:
    return format_date(day, "long")


def starting_on(day: dt.date, hour: int = 11) -> dt.timedelta:
    """How far from now a session starting at ``hour`` o'clock UK time on ``day`` is."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UK) - utcnow()


@dataclass
class Lapsing:
    """Cerys, fully joined, whose only DBS check (basic) counts until ``runs_out_on``."""

    person: Person
    runs_out_on: dt.date
    session_day: dt.date


@pytest.fixture
def cerys(db_session, bank, broker, make_joined, make_dbs_check) -> Lapsing:
    runs_out_on = uk_today() + dt.timedelta(days=10)
    person, _application = make_joined(bank, broker, "Cerys Lapsing", email=None)
    issued_on = clearances.add_months(runs_out_on + dt.timedelta(days=1), -bank.dbs_renewal_months)
    check = make_dbs_check(person, bank, broker, level=DbsLevel.BASIC, issued_on=issued_on)
    assert clearances.valid_until(check, bank.dbs_renewal_months) == runs_out_on
    return Lapsing(person, runs_out_on, runs_out_on + dt.timedelta(days=5))


@pytest.fixture
def home_visits(make_session, cerys) -> ActivitySession:
    """A home-visits session on "the 21st", two places."""
    return make_session(places=2, starts_in=starting_on(cerys.session_day), clearance=Clearance.HOME_VISITS,
                        title="Home visits")


@pytest.fixture
def cleared(bank, broker, make_joined, make_dbs_check):
    """Someone whose check counts for two more years."""
    def make(name: str) -> Person:
        person, _application = make_joined(bank, broker, name, email=None)
        make_dbs_check(person, bank, broker, level=DbsLevel.BASIC)
        return person

    return make


def booked_before_the_rule(db_session, activity_session, person, status=SignUpStatus.BOOKED) -> SignUp:
    """A sign-up made while clearances were still judged on the day of signing up (before this rule)."""
    row = SignUp(session_id=activity_session.id, person_id=person.id, status=status, signed_up_by_id=person.id)
    db_session.add(row)
    db_session.flush()
    return row


# --- signing up ------------------------------------------------------------------------------------


def test_a_check_that_runs_out_before_the_session_refuses_her_own_sign_up(db_session, home_visits, cerys,
                                                                          make_session):
    with pytest.raises(ClearanceNeeded) as refused:
        attendance.sign_up(db_session, cerys.person, home_visits.id)

    message = str(refused.value.message)
    assert f"which you will not have on {long(cerys.session_day)}" in message
    assert f"your DBS check runs out on {long(cerys.runs_out_on)}" in message and "Home visits" in message
    assert refused.value.field is None and refused.value.code == "clearance-needed"
    assert session_sign_ups(db_session, home_visits) == []

    # On the last day it counts, the same check is enough.
    last_day = make_session(starts_in=starting_on(cerys.runs_out_on), clearance=Clearance.HOME_VISITS)
    assert attendance.sign_up(db_session, cerys.person, last_day.id)[0].status is SignUpStatus.BOOKED


def test_a_broker_cannot_sign_her_up_either(db_session, home_visits, cerys, broker):
    with pytest.raises(ClearanceNeeded) as refused:
        attendance.sign_up(db_session, broker, home_visits.id, cerys.person.id)

    assert refused.value.field == "person_id"
    assert str(refused.value.message) == (
        f"This role needs the “Home visits” clearance, which Cerys Lapsing will not have on "
        f"{long(cerys.session_day)}: their DBS check runs out on {long(cerys.runs_out_on)}.")
    assert session_sign_ups(db_session, home_visits) == []


def test_the_session_page_tells_her_before_she_tries_and_offers_no_sign_up(db_session, browser, home_visits,
                                                                          cerys, make_person):
    cerys.person.email = "cerys@example.org"  # online now, so she can see the page herself
    cerys.person.password_hash = hash_password(PASSWORD)
    page = words(browser(cerys.person).get(url(home_visits)))

    assert f"which you will not have on {long(cerys.session_day)}" in page
    assert "Sign up" not in page and "Join the waiting list" not in page


def test_the_sign_up_page_says_why_next_to_the_member(db_session, browser, home_visits, cerys, broker):
    response = browser(broker).post(url(home_visits, "/sign-up"), data={"person_id": str(cerys.person.id)})
    assert response.status_code == 422
    assert f"their DBS check runs out on {long(cerys.runs_out_on)}" in words(response)
    assert session_sign_ups(db_session, home_visits) == []


def test_over_the_api_the_refusal_is_named(db_session, api_as, home_visits, cerys, broker):
    from tests.api.support import assert_problem

    body = assert_problem(api_as(broker).post(f"/sessions/{home_visits.id}/sign-ups",
                                              json={"person_id": cerys.person.id}), 422, "person_id")
    assert body["code"] == "clearance-needed" and long(cerys.runs_out_on) in body["detail"]


# --- the waiting list ------------------------------------------------------------------------------


def test_the_waiting_list_passes_over_her_and_tells_her_why(db_session, app, make_session, cerys, cleared):
    activity_session = make_session(places=1, starts_in=starting_on(cerys.session_day), clearance=Clearance.HOME_VISITS)
    first, next_ = cleared("Alun First"), cleared("Bethan Next")
    attendance.sign_up(db_session, first, activity_session.id)
    hers = booked_before_the_rule(db_session, activity_session, cerys.person, SignUpStatus.WAITING)
    theirs = attendance.sign_up(db_session, next_, activity_session.id)[0]
    assert theirs.status is SignUpStatus.WAITING

    result = attendance.cancel_sign_up(db_session, first, activity_session.id)

    assert [row.person_id for row in result.promoted] == [next_.id]
    db_session.expire_all()
    assert (hers.status, theirs.status) == (SignUpStatus.WAITING, SignUpStatus.BOOKED)
    assert attendance.waiting_position(db_session, hers) == 1
    [told] = db_session.scalars(sa.select(Notice).where(Notice.person_id == cerys.person.id)).all()
    assert (told.kind, told.subject_id) == (NoticeKind.PLACE_NEEDS_CLEARANCE, hers.id)
    with app.test_request_context():
        [line] = lines_for(db_session, [told])
    assert "could not go to you" in line.text and "still on the waiting list" in line.text
    assert line.url == url(activity_session)
    assert db_session.scalar(sa.select(Notice.kind).where(Notice.person_id == next_.id)) is NoticeKind.SESSION_PLACE

    # Another place freeing later does not tell her twice.
    attendance.cancel_sign_up(db_session, next_, activity_session.id)
    assert len(db_session.scalars(sa.select(Notice).where(Notice.person_id == cerys.person.id)).all()) == 1


# --- attendance ------------------------------------------------------------------------------------


def test_a_walk_in_without_the_clearance_is_refused_by_name_and_nothing_is_recorded(
        db_session, make_session, start, organiser, resident, cleared):
    activity_session = start(make_session(clearance=Clearance.HOME_VISITS))
    came = cleared("Alun First")  # both came without a place: walk-ins

    with pytest.raises(errors.AttendeeNotRecorded) as refused:
        attendance.mark_attendance(db_session, organiser, activity_session.id,
                                   [Mark(came.id, True), Mark(resident.id, True)])

    assert refused.value.person_id == resident.id
    assert str(refused.value.message) == (
        f"This role needs the “Home visits” clearance, which Rhys Resident does not have for "
        f"{long(attendance.session_day(activity_session))}.")
    assert session_sign_ups(db_session, activity_session) == []
    assert session_exchanges(db_session, activity_session) == []
    assert db_session.get(ActivitySession, activity_session.id).attendance_marked_at is None


def test_on_the_page_the_refusal_sits_next_to_the_walk_in_it_is_about(db_session, browser, make_session, start,
                                                                       organiser, resident):
    activity_session = start(make_session(clearance=Clearance.HOME_VISITS))

    response = browser(organiser).post(url(activity_session, "/attendance"), data={
        "walk_ins-0-person_id": str(resident.id), "walk_ins-0-minutes": "60"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="walk_ins-0-person_id-error"' in page and 'id="walk_ins-0-minutes-error"' not in page
    assert 'href="#walk_ins-0-person_id"' in page
    assert session_exchanges(db_session, activity_session) == []


def test_a_place_booked_before_the_check_ran_out_is_not_credited(db_session, bank, broker, make_session, start,
                                                                  organiser, make_joined, make_dbs_check):
    dewi, _application = make_joined(bank, broker, "Dewi Lapsed", email=None)
    issued_on = clearances.add_months(uk_today(), -bank.dbs_renewal_months) - dt.timedelta(days=3)
    check = make_dbs_check(dewi, bank, broker, level=DbsLevel.BASIC, issued_on=issued_on)
    activity_session = make_session(clearance=Clearance.HOME_VISITS)
    booked_before_the_rule(db_session, activity_session, dewi)
    start(activity_session)
    # It ran out before the session's day.
    assert clearances.valid_until(check, bank.dbs_renewal_months) < attendance.session_day(activity_session)

    with pytest.raises(errors.AttendeeNotRecorded) as refused:
        attendance.mark_attendance(db_session, organiser, activity_session.id, [Mark(dewi.id, True)])

    assert refused.value.person_id == dewi.id
    assert str(refused.value.message).startswith("This role needs the “Home visits” clearance, which Dewi Lapsed")
    assert session_exchanges(db_session, activity_session) == []
    assert session_sign_ups(db_session, activity_session)[0].status is SignUpStatus.BOOKED


def test_where_the_bank_allows_it_she_is_recorded_as_having_come_with_no_credits(
        db_session, browser, bank, broker, make_session, start, organiser, resident, cleared):
    banks.update_settings(db_session, broker, bank.id, banks.BankSettings(
        vouching_enabled=False, vouches_needed=3, dbs_renewal_months=36, attendance_without_clearance=True))
    activity_session = start(make_session(clearance=Clearance.HOME_VISITS))
    came = cleared("Alun First")

    result = attendance.mark_attendance(db_session, organiser, activity_session.id,
                                        [Mark(came.id, True), Mark(resident.id, True)])

    assert (result.attended, len(result.exchanges), result.without_credits) == (2, 1, [resident.id])
    rows = {row.person_id: row for row in session_sign_ups(db_session, activity_session)}
    assert (rows[resident.id].status, rows[resident.id].without_credits, rows[resident.id].exchange_id) == (
        SignUpStatus.ATTENDED, True, None)
    assert (rows[came.id].without_credits, rows[came.id].exchange_id) == (False, result.exchanges[0].id)
    page = words(browser(organiser).get(url(activity_session)))
    assert "No credits: they did not have the clearance on the day" in page


def test_the_attendance_page_says_who_came_without_credits(db_session, browser, bank, broker, make_session, start,
                                                           organiser, resident):
    banks.update_settings(db_session, broker, bank.id, banks.BankSettings(
        vouching_enabled=False, vouches_needed=3, dbs_renewal_months=36, attendance_without_clearance=True))
    activity_session = start(make_session(clearance=Clearance.HOME_VISITS))
    client = browser(organiser)
    form = words(client.get(url(activity_session, "/attendance")))
    assert "Anyone without it is recorded as having come, with no credits." in form

    response = client.post(url(activity_session, "/attendance"), data={"walk_ins-0-person_id": str(resident.id),
                                                          "walk_ins-0-minutes": "60"})

    assert response.status_code == 302
    assert ("Recorded as having come, with no credits, because they did not have the clearance this role needs on "
            "the day: Rhys Resident.") in words(client.get(url(activity_session)))


# --- who sees a booking that will lapse --------------------------------------------------------------


def test_organisers_and_brokers_see_her_booking_flagged_and_residents_do_not(
        db_session, browser, api_as, home_visits, cerys, organiser, broker, resident):
    booked_before_the_rule(db_session, home_visits, cerys.person)
    reason = (f"Their DBS check runs out on {long(cerys.runs_out_on)}, before {long(cerys.session_day)}, so they "
              f"will not have the “Home visits” clearance then.")

    for person in (organiser, broker):
        page = words(browser(person).get(url(home_visits)))
        assert reason in page and "1 person with a place or on the waiting list will not have" in page
        [entry] = api_as(person).get(f"/sessions/{home_visits.id}").get_json()["sign_ups"]
        assert entry["clearance_warning"] == {"clearance": "home_visits", "day": cerys.session_day.isoformat(),
                                              "runs_out_on": cerys.runs_out_on.isoformat(), "reason": reason}

    for person in (resident,):
        page = words(browser(person).get(url(home_visits)))
        assert "runs out" not in page and "Cerys" not in page
        assert api_as(person).get(f"/sessions/{home_visits.id}").get_json()["sign_ups"] is None


def test_the_broker_s_expiring_checks_list_the_bookings_a_check_affects(db_session, browser, api_as, bank, broker,
                                                                        home_visits, cerys, resident):
    booked_before_the_rule(db_session, home_visits, cerys.person)

    page = words(browser(broker).get(f"/banks/{bank.id}/expiring-checks"))
    assert "Places affected" in page and "Home visits: Garden helper" in page
    assert f"Their DBS check runs out on {long(cerys.runs_out_on)}" in page

    [item] = api_as(broker).get(f"/banks/{bank.id}/expiring-checks/bookings").get_json()
    assert (item["person_id"], item["session_id"], item["status"], item["runs_out_on"], item["day"]) == (
        cerys.person.id, home_visits.id, "booked", cerys.runs_out_on.isoformat(), cerys.session_day.isoformat())
    # The titles in English and, where the organisation gave them, in Welsh (null where it did not).
    home_visits.role.title_cy = "Helpwr gardd"
    db_session.commit()
    [item] = api_as(broker).get(f"/banks/{bank.id}/expiring-checks/bookings").get_json()
    assert (item["activity_title"], item["activity_title_cy"], item["role_title"], item["role_title_cy"]) == (
        "Home visits", None, "Garden helper", "Helpwr gardd")
    assert api_as(resident).get(f"/banks/{bank.id}/expiring-checks/bookings").status_code == 403


# --- the rule itself -------------------------------------------------------------------------------


def test_the_rule_says_whether_a_clearance_holds_today_but_not_on_the_day(db_session, bank, cerys, resident):
    before, on_the_day = cerys.runs_out_on, cerys.session_day
    gaps = clearance_gaps(db_session, bank.id, [
        (cerys.person.id, Clearance.HOME_VISITS, before), (cerys.person.id, Clearance.HOME_VISITS, on_the_day),
        (resident.id, Clearance.HOME_VISITS, on_the_day)])
    assert set(gaps) == {(cerys.person.id, Clearance.HOME_VISITS, on_the_day),
                         (resident.id, Clearance.HOME_VISITS, on_the_day)}
    assert gaps[(cerys.person.id, Clearance.HOME_VISITS, on_the_day)].runs_out_on == cerys.runs_out_on
    assert gaps[(resident.id, Clearance.HOME_VISITS, on_the_day)].runs_out_on is None
    assert clearance_gaps(db_session, bank.id, []) == {}

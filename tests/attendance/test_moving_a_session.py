"""An organiser moves a session still to come to another time or place: everyone booked or waiting is told
(a notice, and an email as they chose), once for each move; a session whose role needs a clearance moves
to another day only if every booked person holds it on that day (asked of ``clearance_gaps`` with the new
date); a session cancelled or started does not move."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from timebank.attendance import service
from timebank.attendance.errors import MoveIntoThePast, MoveNeedsClearance, NotOrganiser, SessionCancelled
from timebank.clock import UK
from timebank.mail.models import EmailKind, EmailStatus, OutboundEmail
from timebank.notices.models import Notice, NoticeKind
from timebank.safeguarding.clearances import Clearance, add_months
from timebank.safeguarding.models import DbsLevel


def _told(db_session) -> list[int]:
    return sorted(db_session.scalars(sa.select(Notice.person_id).where(Notice.kind == NoticeKind.SESSION_CHANGED)))


def _move(activity_session, *, days: int = 0, start: str = "14:00", end: str = "16:00", place: str = ""):
    day = activity_session.starts_at.astimezone(UK).date() + dt.timedelta(days=days)
    return service.SessionMove(on=day, start_time=dt.time.fromisoformat(start), end_time=dt.time.fromisoformat(end),
                               place=place)


def test_moving_a_session_tells_everyone_booked_or_waiting_once_for_each_move(db_session, make_session, members,
                                                                             organiser):
    (booked, _), (waiting, _), (left, _) = members(3)
    garden = make_session(places=1)
    service.sign_up(db_session, booked, garden.id)
    service.sign_up(db_session, waiting, garden.id)
    service.sign_up(db_session, left, garden.id)
    service.cancel_sign_up(db_session, left, garden.id)

    moved = service.move_session(db_session, organiser, garden.id, _move(garden, place="Church hall"))
    assert (moved.starts_at.astimezone(UK).time(), moved.ends_at.astimezone(UK).time(), moved.place) == (
        dt.time(14), dt.time(16), "Church hall")
    assert _told(db_session) == sorted([booked.id, waiting.id])
    assert {e.person_id for e in db_session.scalars(
        sa.select(OutboundEmail).where(OutboundEmail.kind == EmailKind.SESSION_CHANGED))} == {booked.id, waiting.id}

    service.move_session(db_session, organiser, garden.id, _move(garden, place="Church hall"))  # nothing changed
    assert len(_told(db_session)) == 2


def test_only_those_who_run_it_move_a_session_still_to_come(db_session, make_session, members, organiser, today):
    (resident, _), = members(1)
    garden = make_session()
    with pytest.raises(NotOrganiser):
        service.move_session(db_session, resident, garden.id, _move(garden))
    earlier = service.SessionMove(on=today, start_time=dt.time(0, 0), end_time=dt.time(0, 30))
    with pytest.raises(MoveIntoThePast):
        service.move_session(db_session, organiser, garden.id, earlier)
    service.cancel_session(db_session, organiser, garden.id)
    with pytest.raises(SessionCancelled):
        service.move_session(db_session, organiser, garden.id, _move(garden))


def test_a_session_needing_a_clearance_moves_to_another_day_only_if_those_booked_hold_it_then(
        db_session, make_session, make_joined, bank, broker, make_dbs_check, organiser, today):
    checked, _ = make_joined(bank, broker, "Checked until next week", email=None)
    ends_on = today + dt.timedelta(days=5)
    make_dbs_check(checked, bank, broker, level=DbsLevel.BASIC,
                   issued_on=add_months(ends_on + dt.timedelta(days=1), -bank.dbs_renewal_months))
    visits = make_session(clearance=Clearance.HOME_VISITS)
    service.sign_up(db_session, checked, visits.id)

    with pytest.raises(MoveNeedsClearance) as refused:
        service.move_session(db_session, organiser, visits.id, _move(visits, days=7))
    assert refused.value.field == "on" and "1 person booked" in str(refused.value.message)
    service.move_session(db_session, organiser, visits.id, _move(visits, days=1))  # still before it ends
    assert _told(db_session) == sorted([checked.id, broker.id])  # not online: her broker is told too
    email = db_session.scalars(sa.select(OutboundEmail).where(OutboundEmail.person_id == checked.id)).one()
    assert email.status is EmailStatus.FOR_BROKER


def test_the_page_and_the_api_move_a_session(db_session, make_session, members, organiser, browser, api_as):
    (booked, _), = members(1)
    garden = make_session()
    service.sign_up(db_session, booked, garden.id)
    page = browser(organiser)
    shown = page.get(f"/sessions/{garden.id}")
    assert f'href="/sessions/{garden.id}/change"' in shown.get_data(as_text=True)
    form = page.get(f"/sessions/{garden.id}/change")
    assert form.status_code == 200 and "Change the time or place" in form.get_data(as_text=True)
    day = garden.starts_at.astimezone(UK).date()
    wrong = page.post(f"/sessions/{garden.id}/change", data={"on": day.strftime("%d/%m/%Y"), "start_time": "15:00",
                                                              "end_time": "14:00"})
    assert wrong.status_code == 422 and "The end time must be after the start time" in wrong.get_data(as_text=True)
    done = page.post(f"/sessions/{garden.id}/change", data={"on": day.strftime("%d/%m/%Y"), "start_time": "15:00",
                                                             "end_time": "17:00", "place": "The orchard"})
    assert done.status_code == 302 and done.location.endswith(f"/sessions/{garden.id}")
    assert _told(db_session) == [booked.id]

    answer = api_as(organiser).request("PUT", f"/sessions/{garden.id}", json={
        "on": day.isoformat(), "start_time": "10:00", "end_time": "12:00", "place": "The orchard"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["starts_at"].startswith(day.isoformat())
    assert len(_told(db_session)) == 2
    assert api_as(booked).request("PUT", f"/sessions/{garden.id}", json={
        "on": day.isoformat(), "start_time": "10:00", "end_time": "12:00"}).status_code == 403

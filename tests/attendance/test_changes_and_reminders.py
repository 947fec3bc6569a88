"""News that reaches people about what they signed up for and the checks they hold: an activity's usual
place moves (everyone booked or waiting on a session still to come that meets there is told once per
move), and the daily job tells a member whose DBS check stops counting within the brokers' window."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa

from timebank.activities import service as activities
from timebank.activities.models import ActivitySession
from timebank.attendance import service as attendance
from timebank.mail.models import EmailKind, OutboundEmail
from timebank.notices.models import Notice, NoticeKind
from timebank.safeguarding import service as safeguarding
from timebank.safeguarding.clearances import add_months


def _notices(db_session, kind: NoticeKind) -> list[Notice]:
    return list(db_session.scalars(sa.select(Notice).where(Notice.kind == kind).order_by(Notice.person_id)))


def test_moving_an_activitys_place_tells_the_people_on_its_sessions_to_come(db_session, make_session, members,
                                                                          organiser, app):
    (booked, _), (waiting, _), (elsewhere, _) = members(3)
    garden = make_session(places=1)
    week = dt.timedelta(days=7)
    library = ActivitySession(role=garden.role, starts_at=garden.starts_at + week, ends_at=garden.ends_at + week,
                              places=3, place="The library")  # a session of the same role with a place of its own
    db_session.add(library)
    db_session.flush()
    attendance.sign_up(db_session, booked, garden.id)
    attendance.sign_up(db_session, waiting, garden.id)
    attendance.sign_up(db_session, elsewhere, library.id)
    activity = garden.role.activity
    details = activities.ActivityDetails(title=activity.title, summary=activity.summary, place=activity.place,
                                         form=activity.form, designed_by=activity.designed_by,
                                         delivered_by=activity.delivered_by)

    activities.update_activity(db_session, organiser, activity.id, details)  # nothing moved
    assert _notices(db_session, NoticeKind.SESSION_CHANGED) == []
    activities.update_activity(db_session, organiser, activity.id,
                               dataclasses.replace(details, place="Church hall, Mill Lane"))

    told = _notices(db_session, NoticeKind.SESSION_CHANGED)
    assert {n.person_id for n in told} == {booked.id, waiting.id}
    emails = db_session.scalars(sa.select(OutboundEmail).where(OutboundEmail.kind == EmailKind.SESSION_CHANGED))
    assert {e.person_id for e in emails} == {booked.id, waiting.id}
    with app.test_request_context():
        from timebank.notices import messages

        [line] = [line for line in messages.lines_for(db_session, told) if line.notice.person_id == booked.id]
    assert line.text.startswith("The organiser has changed Community garden, Garden helper")
    assert line.url == f"/sessions/{garden.id}"


def test_the_daily_job_tells_a_member_their_dbs_check_is_ending_once(db_session, bank, make_member, make_dbs_check,
                                                                      make_broker, today):
    broker = make_broker(bank)
    soon, _ = make_member(bank, "Running out soon")
    make_dbs_check(soon, bank, broker, issued_on=add_months(today + dt.timedelta(days=11), -36))
    lapsed, _ = make_member(bank, "Ran out last week")
    make_dbs_check(lapsed, bank, broker, issued_on=add_months(today - dt.timedelta(days=6), -36))
    fresh, _ = make_member(bank, "Fresh check")
    make_dbs_check(fresh, bank, broker, issued_on=today - dt.timedelta(days=30))

    assert safeguarding.send_expiry_reminders(db_session, today) == 1
    assert safeguarding.send_expiry_reminders(db_session, today + dt.timedelta(days=1)) == 0  # once per check
    [notice] = _notices(db_session, NoticeKind.DBS_EXPIRING)
    assert notice.person_id == soon.id
    assert db_session.scalar(sa.select(OutboundEmail.kind).where(OutboundEmail.person_id == soon.id)) \
        is EmailKind.DBS_EXPIRING

"""Attendance's part of what is held about a person (``timebank.personal_data``): their places and
waiting-list entries on sessions, and whether they have a private calendar address (never its secret).

Leaving gives up every place and waiting-list entry on sessions not yet marked, in any bank (never
counted late; the first person waiting moves up and is told), and stops the calendar address. Sign-ups
on sessions already marked stay: they are the record of who came, and name the exchange that credited it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, ActivitySession, Role, SignUp
from timebank.attendance import service
from timebank.members.models import Person
from timebank.personal_data import Part, iso


def export(session: Session, person: Person) -> dict[str, Any]:
    rows = session.execute(
        sa.select(SignUp, ActivitySession, Role.title, Activity.title)
        .join(ActivitySession, ActivitySession.id == SignUp.session_id)
        .join(Role, Role.id == ActivitySession.role_id).join(Activity, Activity.id == Role.activity_id)
        .where(SignUp.person_id == person.id).order_by(SignUp.id)
    ).all()
    feed = service.calendar_feed(session, person)
    return {
        "sign_ups": [{
            "id": row.id, "session_id": activity_session.id, "activity": activity, "role": role,
            "starts_at": iso(activity_session.starts_at), "ends_at": iso(activity_session.ends_at),
            "status": row.status.value,
            "signed_up_at": iso(row.created_at), "signed_up_by_you": row.signed_up_by_id == person.id,
            "cancelled_at": iso(row.cancelled_at), "cancelled_late": row.cancelled_late,
            "without_credits": row.without_credits, "exchange_id": row.exchange_id,
        } for row, activity_session, role, activity in rows],
        # Whether there is a private calendar address, and since when; never the address itself.
        "calendar_feed": None if feed is None else {"made_at": iso(feed.created_at)},
    }


def forget(session: Session, actor: Person, person: Person) -> None:
    service.cancel_for_leaver(session, actor, person)
    service.stop_calendar_feed(session, person, actor=actor, reason="left")


PART = Part(name="attendance", tables=("sign_ups", "calendar_feeds"), sections=("sign_ups", "calendar_feed"),
            export=export, forget=forget)

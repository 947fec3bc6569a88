"""A member's sessions as an iCalendar feed (RFC 5545), for the calendar on their phone.

One event per sign-up: its UID is the sign-up's, so a calendar that fetches the feed again updates the
same event instead of adding another. Times are UTC. A cancelled place, or a session the organiser
called off, stays in the feed for 30 days marked CANCELLED, so calendars that copied it take it away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from flask_babel import gettext
from icalendar import Calendar, Event

from timebank.activities.models import SignUp, SignUpStatus
from timebank.attendance.wording import where
from timebank.i18n import local_text

PRODUCT_ID = "-//timebank//Taking part//EN"


def feed(sign_ups: Sequence[SignUp], organisation_names: dict[int, str], *, person_id: int,
         link: Callable[[int], str], now: dt.datetime) -> bytes:
    """The calendar for one person. ``link`` gives the full address of a session's page."""
    calendar = Calendar.new(prodid=PRODUCT_ID, name=gettext("My time bank sessions"),
                            uid=f"timebank-calendar-{person_id}")
    for row in sign_ups:
        activity_session = row.activity_session
        activity = activity_session.role.activity
        cancelled = row.status is SignUpStatus.CANCELLED or activity_session.cancelled_at is not None
        url = link(activity_session.id)
        organiser = organisation_names.get(activity.organisation_id, "")
        calendar.add_component(Event.new(
            uid=f"timebank-sign-up-{row.id}",
            start=activity_session.starts_at.astimezone(dt.UTC),
            end=activity_session.ends_at.astimezone(dt.UTC),
            stamp=now.astimezone(dt.UTC),
            summary=f"{local_text(activity.title, activity.title_cy)} – "
                    f"{local_text(activity_session.role.title, activity_session.role.title_cy)}",
            location=where(activity_session, activity_session.place or activity.place),
            description="\n".join((gettext("Run by %(organisation)s", organisation=organiser), url)),
            url=url,
            status="CANCELLED" if cancelled else "CONFIRMED",
        ))
    return bytes(calendar.to_ical())

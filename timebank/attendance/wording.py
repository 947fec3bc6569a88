"""How a session is put into words, the same on the page, the paper sheet and the calendar: when it
is (UK time) and what the role asks of a volunteer, in plain language."""

from __future__ import annotations

from flask_babel import format_date, format_time, gettext, ngettext

from timebank.activities.models import ActivitySession, Role, RoleDirection
from timebank.clock import UK
from timebank.i18n import format_minutes
from timebank.safeguarding.clearances import LABELS as CLEARANCE_LABELS
from timebank.safeguarding.clearances import Clearance


def when(activity_session: ActivitySession) -> str:
    """"Saturday, 6 December 2026, 10:00 to 12:30" in UK time (both days when it runs overnight)."""
    start, end = activity_session.starts_at.astimezone(UK), activity_session.ends_at.astimezone(UK)
    start_time = format_time(start.time(), "HH:mm", rebase=False)
    end_time = format_time(end.time(), "HH:mm", rebase=False)
    if start.date() == end.date():
        return gettext("%(day)s, %(start)s to %(end)s", day=format_date(start.date(), "full"), start=start_time,
                       end=end_time)
    return gettext("%(start_day)s, %(start)s to %(end_day)s, %(end)s", start_day=format_date(start.date(), "full"),
                   start=start_time, end_day=format_date(end.date(), "full"), end=end_time)


def where(activity_session: ActivitySession, place: str) -> str:
    if activity_session.is_remote:
        return gettext("Online: %(place)s", place=place) if place else gettext("Online")
    return place or gettext("The organiser will tell you where")


def clearance_label(clearance: Clearance) -> str:
    return str(CLEARANCE_LABELS[clearance])


def role_facts(role: Role, credit_minutes: int) -> list[tuple[str, str]]:
    """Label–answer pairs a volunteer needs before signing up."""
    if role.direction is RoleDirection.SPENDS:
        credits = gettext("Taking part uses %(time)s of your time credits", time=format_minutes(credit_minutes))
    else:
        credits = gettext("You earn %(time)s of time credits for taking part", time=format_minutes(credit_minutes))
    if role.clearance is None:
        clearance = gettext("No safeguarding check needed")
    else:
        clearance = gettext("You need the “%(clearance)s” clearance. Your broker can tell you if you have it.",
                            clearance=clearance_label(role.clearance))
    if role.release_notice_hours:
        notice = ngettext("Please give at least %(num)d hour's notice if you cannot come",
                          "Please give at least %(num)d hours' notice if you cannot come", role.release_notice_hours)
    else:
        notice = gettext("You can drop out at any time; please tell the organiser")
    overnight = gettext("Yes, it involves nights away from home") if role.away_overnight else gettext("No")
    return [
        (gettext("Time credits"), credits),
        (gettext("Safeguarding check"), clearance),
        (gettext("If you cannot come"), notice),
        (gettext("Nights away"), overnight),
    ]

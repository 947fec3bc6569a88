"""What the notices this feature raises say (``notices.messages``): a place that came free (or could
not go to someone), a session moved or cancelled, a place given up late. Each is about a sign-up and links to its
session; a broker is told too about a member who is not online."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_datetime, gettext
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, ActivitySession, Role, SignUp
from timebank.i18n import local_text
from timebank.members.service import display_names
from timebank.notices.messages import Renderer, Said, link, subject_ids
from timebank.notices.models import Notice, NoticeKind

#: The kinds whose subject is a sign-up.
_ABOUT_SIGN_UPS = (NoticeKind.SESSION_PLACE, NoticeKind.PLACE_NEEDS_CLEARANCE, NoticeKind.SESSION_CANCELLED,
                   NoticeKind.SESSION_CHANGED, NoticeKind.SIGN_UP_CANCELLED_LATE)


@dataclass(frozen=True)
class Subjects:
    sign_ups: dict[int, tuple[SignUp, ActivitySession, Role, Activity]]
    #: Person id → name, for the people the sign-ups are for.
    people: dict[int, str]


def _load(session: Session, notices: list[Notice]) -> Subjects:
    sign_ups = {}
    if sign_up_ids := subject_ids(notices, *_ABOUT_SIGN_UPS):
        rows = session.execute(
            sa.select(SignUp, ActivitySession, Role, Activity)
            .join(ActivitySession, ActivitySession.id == SignUp.session_id)
            .join(Role, Role.id == ActivitySession.role_id)
            .join(Activity, Activity.id == Role.activity_id)
            .where(SignUp.id.in_(sign_up_ids))
        )
        sign_ups = {row[0].id: (row[0], row[1], row[2], row[3]) for row in rows}
    return Subjects(sign_ups, display_names(session, [row[0].person_id for row in sign_ups.values()]))


def _about_sign_up(wording: Callable[..., str]) -> Callable[[Notice, Subjects], Said | None]:
    """A notice about a sign-up, in ``wording`` given the activity, role, start, person's name and whether
    the reader is that person; it links to the session."""
    def say(notice: Notice, subjects: Subjects) -> Said | None:
        found = subjects.sign_ups.get(notice.subject_id)
        if found is None:
            return None
        sign_up, activity_session, role, activity = found
        text = wording(activity=local_text(activity.title, activity.title_cy),
                       role=local_text(role.title, role.title_cy), when=format_datetime(activity_session.starts_at),
                       name=subjects.people.get(sign_up.person_id, ""), theirs=notice.person_id == sign_up.person_id)
        return text, link("attendance.session_page", session_id=activity_session.id)

    return say


_session_place = _about_sign_up(lambda theirs, **words: gettext(
    "A place came free and it is yours: %(activity)s, %(role)s, on %(when)s.", **words) if theirs else gettext(
    "A place came free for %(name)s: %(activity)s, %(role)s, on %(when)s.", **words))

_place_needs_clearance = _about_sign_up(lambda theirs, **words: gettext(
    "A place came free on %(activity)s, %(role)s, on %(when)s, but it could not go to you: the role needs a "
    "safeguarding check that your record will not show on that day. You are still on the waiting list. "
    "Talk to your broker, who can tell you more.", **words) if theirs else gettext(
    "A place came free on %(activity)s, %(role)s, on %(when)s, but it could not go to %(name)s: the role "
    "needs a safeguarding check that their record will not show on that day. They are still on the waiting "
    "list.", **words))

_session_cancelled = _about_sign_up(lambda theirs, **words: gettext(
    "Sorry: the organiser has cancelled %(activity)s, %(role)s, on %(when)s, so you do not need to go.",
    **words) if theirs else gettext(
    "The organiser has cancelled %(activity)s, %(role)s, on %(when)s, so %(name)s does not need to go.",
    **words))

_sign_up_cancelled_late = _about_sign_up(lambda theirs, **words: gettext(
    "%(name)s has cancelled their place on %(activity)s, %(role)s, on %(when)s, with less notice than the "
    "role asks for.", **words))

_session_changed = _about_sign_up(lambda theirs, **words: gettext(
    "The organiser has changed %(activity)s, %(role)s: it is now on %(when)s. Check the time and place.",
    **words) if theirs else gettext(
    "The organiser has changed %(activity)s, %(role)s, which %(name)s has a place on: it is now on %(when)s. "
    "Check the time and place.", **words))

RENDERERS = {
    NoticeKind.SESSION_PLACE: Renderer(_load, _session_place),
    NoticeKind.PLACE_NEEDS_CLEARANCE: Renderer(_load, _place_needs_clearance),
    NoticeKind.SESSION_CANCELLED: Renderer(_load, _session_cancelled),
    NoticeKind.SESSION_CHANGED: Renderer(_load, _session_changed),
    NoticeKind.SIGN_UP_CANCELLED_LATE: Renderer(_load, _sign_up_cancelled_late),
}

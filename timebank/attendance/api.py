"""Taking part over the JSON API: read a session, sign up (a broker: for a member), cancel (a place
given up goes to the first person waiting, automatically), cancel a whole session, mark attendance
in one step, list my upcoming sessions, and make or stop my private calendar address.

Each write is: parse → one ``attendance.service`` call → respond (the blueprint commits). Every rule is the
service's; a refusal is a ``DomainError`` that the app-wide handler rolls back and turns into problem+json.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from timebank.activities.models import ActivitySession, SignUp
from timebank.activities.schemas import SessionTimesIn
from timebank.api.core import ApiBlueprint
from timebank.api.schemas import PageArgs, page_fields
from timebank.attendance import service
from timebank.attendance.schemas import (
    AttendanceIn,
    AttendanceOut,
    CalendarFeedOut,
    CancellationOut,
    SessionDetailOut,
    SessionSignUpIn,
    SessionSignUpOut,
    UpcomingPageOut,
)
from timebank.db import db
from timebank.members import policy
from timebank.members.models import Person
from timebank.members.service import display_names
from timebank.safeguarding.service import ClearanceGap
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_attendance", __name__, url_prefix="/api/v1",
    description="Taking part: sign-ups, waiting lists, attendance, and each member's calendar.",
)

SESSION = f"/sessions/<{ID_CONVERTER}:session_id>"


def _sign_up(row: SignUp, name: str, position: int | None, gap: ClearanceGap | None = None) -> dict[str, Any]:
    """A sign-up; ``gap`` only in a session's list for those who run it or broker its bank."""
    return {
        "id": row.id, "session_id": row.session_id, "person_id": row.person_id, "person_name": name,
        "status": row.status, "waiting_position": position, "signed_up_by_id": row.signed_up_by_id,
        "cancelled_at": row.cancelled_at, "cancelled_late": row.cancelled_late, "exchange_id": row.exchange_id,
        "without_credits": row.without_credits, "created_at": row.created_at,
        "clearance_warning": None if gap is None else {
            "clearance": gap.clearance, "day": gap.day, "runs_out_on": gap.runs_out_on, "reason": gap.reason},
    }


def _sign_ups(rows: list[SignUp]) -> list[dict[str, Any]]:
    names = display_names(db.session, [row.person_id for row in rows])
    return [_sign_up(row, names.get(row.person_id, ""), service.waiting_position(db.session, row)) for row in rows]


def _summary(activity_session: ActivitySession, organisation_name: str) -> dict[str, Any]:
    """What every answer says about a session: which activity and role, who runs it, when and where."""
    role, activity = activity_session.role, activity_session.role.activity
    return {
        "id": activity_session.id, "activity_id": activity.id, "activity_title": activity.title,
        "activity_title_cy": activity.title_cy, "role_id": role.id, "role_title": role.title,
        "role_title_cy": role.title_cy, "organisation_id": activity.organisation_id,
        "organisation_name": organisation_name, "time_bank_id": activity.time_bank_id,
        "starts_at": activity_session.starts_at, "ends_at": activity_session.ends_at,
        "place": activity_session.place or activity.place, "is_remote": activity_session.is_remote,
    }


def _session(view: service.SessionView, actor: Person) -> dict[str, Any]:
    activity_session, role = view.activity_session, view.role
    everyone = sorted((entry for entries in view.lists.values() for entry in entries), key=lambda e: e.sign_up.id)
    return {
        **_summary(activity_session, view.organisation_name),
        "places": activity_session.places, "places_left": view.places_left, "direction": role.direction,
        "credit_minutes": service.usual_minutes(activity_session), "clearance": role.clearance,
        "release_notice_hours": role.release_notice_hours, "away_overnight": role.away_overnight,
        "cancelled_at": activity_session.cancelled_at, "attendance_marked_at": activity_session.attendance_marked_at,
        "my_sign_up": _sign_up(view.mine, actor.display_name, view.my_position) if view.mine else None,
        "may_run": view.may_run,
        "sign_ups": [_sign_up(e.sign_up, e.name, e.position, e.clearance_gap) for e in everyone]
        if view.may_run or view.may_act_for_others else None,
    }


@bp.route(SESSION)
@bp.token_required
@bp.response(200, SessionDetailOut)
@bp.problems(404)
def get_session(session_id: int, actor: Person) -> dict[str, Any]:
    """One session: when, where, places left, the role's facts and your own place. Those who run the
    activity, and the bank's brokers, also see everyone's sign-ups."""
    return _session(service.session_view(db.session, actor, session_id), actor)


@bp.route(f"{SESSION}/sign-ups", methods=["POST"])
@bp.access(service.visible_session)
@bp.arguments(SessionSignUpIn, required=False)
@bp.response(201, SessionSignUpOut, description="A place, or a place on the waiting list when the session is full.")
@bp.alt_response(200, schema=SessionSignUpOut, success=True,
                 description="Already signed up: the existing sign-up, unchanged.")
@bp.problems(403, 404, 422)
def sign_up(body: dict[str, Any], session_id: int, actor: Person) -> tuple[dict[str, Any], int]:
    """Sign up for a session (brokers: for a member, with ``person_id``). Asking twice is harmless."""
    row, created = service.sign_up(db.session, actor, session_id, body.get("person_id"))
    return _sign_ups([row])[0], 201 if created else 200


@bp.route(f"{SESSION}/sign-ups/cancel", methods=["POST"])
@bp.access(service.visible_session)
@bp.arguments(SessionSignUpIn, required=False)
@bp.response(200, CancellationOut)
@bp.problems(403, 404, 409, 422)
def cancel_sign_up(body: dict[str, Any], session_id: int, actor: Person) -> dict[str, Any]:
    """Give up a place or leave the waiting list (brokers: for a member). A place given up goes to the
    first person waiting, who is told. Cancelling twice returns the same answer."""
    result = service.cancel_sign_up(db.session, actor, session_id, body.get("person_id"))
    return {"sign_up": _sign_ups([result.sign_up])[0], "late": result.late, "promoted": _sign_ups(result.promoted)}


@bp.route(f"{SESSION}/cancel", methods=["POST"])
@bp.token_required
@bp.response(200, SessionDetailOut)
@bp.problems(403, 404, 409)
def cancel_session(session_id: int, actor: Person) -> dict[str, Any]:
    """Those who run the activity: call the whole session off. Every place and waiting-list entry is
    cancelled; the sign-ups in the answer say who to tell."""
    service.cancel_session(db.session, actor, session_id)
    return _session(service.session_view(db.session, actor, session_id), actor)


@bp.route(SESSION, methods=["PUT"])
@bp.access(service.run_session)
@bp.arguments(SessionTimesIn)
@bp.response(200, SessionDetailOut)
@bp.problems(403, 404, 409, 422)
def move_session(body: dict[str, Any], session_id: int, actor: Person) -> dict[str, Any]:
    """Those who run the activity: move a session still to come to another day, time or place. Everyone
    booked or waiting is told. To another day only if every booked person will have the clearance the
    role needs on that day (409 `move-needs-clearance` otherwise)."""
    service.move_session(db.session, actor, session_id, service.SessionMove(**body))
    return _session(service.session_view(db.session, actor, session_id), actor)


@bp.route(f"{SESSION}/attendance", methods=["POST"])
@bp.access(service.run_session)
@bp.arguments(AttendanceIn)
@bp.response(201, AttendanceOut, description="One confirmed exchange per attendee, recorded together.")
@bp.problems(403, 404, 409, 422)
def mark_attendance(body: dict[str, Any], session_id: int, actor: Person) -> tuple[dict[str, Any], int]:
    """Those who run the activity: say who came, once the session has started. Everyone with a place
    must be in the list. If anyone's hours cannot be recorded, nothing is, and the problem names them."""
    marks = [service.Mark(a["person_id"], a["attended"], a["minutes"]) for a in body["attendees"]]
    result = service.mark_attendance(db.session, actor, session_id, marks)
    return {
        "session_id": session_id, "attended": result.attended, "absent": result.absent,
        "total_minutes": result.total_minutes, "exchange_ids": [e.id for e in result.exchanges],
        "without_credits": result.without_credits, "marked_at": result.activity_session.attendance_marked_at,
    }, 201


@bp.route("/me/sessions")
@bp.access(policy.require_member_access)
@bp.arguments(PageArgs, location="query")
@bp.response(200, UpcomingPageOut)
@bp.problems(403)
def my_sessions(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Your places and waiting-list entries on sessions that have not ended, soonest first."""
    page = service.upcoming(db.session, actor, **query)
    organisations = service.organisation_names(db.session, page.items)
    positions = {row.id: service.waiting_position(db.session, row) for row in page.items}
    items = [
        {"sign_up": _sign_up(row, actor.display_name, positions[row.id]),
         "session": _summary(row.activity_session,
                             organisations.get(row.activity_session.role.activity.organisation_id, ""))}
        for row in page.items
    ]
    return {"items": items, **page_fields(page)}


@bp.route("/me/calendar-feed", methods=["POST"])
@bp.access(policy.require_member_access)
@bp.response(201, CalendarFeedOut)
@bp.problems(403)
def make_calendar_feed(actor: Person) -> dict[str, Any]:
    """Make a private iCalendar address for your sessions; any earlier one stops working. The address
    is in this answer only: it is not kept, only a fingerprint of it."""
    token = service.make_calendar_feed(db.session, actor)
    feed = service.calendar_feed(db.session, actor)
    return {"url": url_for("attendance.calendar_feed", token=token, _external=True),
            "created_at": feed.created_at if feed else None}


@bp.route("/me/calendar-feed", methods=["DELETE"])
@bp.access(policy.require_member_access)
@bp.response(204)
@bp.problems(403)
def stop_calendar_feed(actor: Person) -> None:
    """Stop your calendar address working. Doing it twice is harmless."""
    service.stop_calendar_feed(db.session, actor)

"""Co-delivery activities over the JSON API: list, publish, partners, roles and sessions.

Each write is: parse → one ``activities.service`` call → respond (the blueprint commits). Every rule is the
service's; a refusal is a ``DomainError`` that the app-wide handler rolls back and turns into problem+json.
An activity is returned with its roles and their upcoming sessions, each with its places left.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from flask import url_for

from timebank.activities import access, service
from timebank.activities.forms import CELL_NAMES
from timebank.activities.models import Activity, ActivitySession, Role
from timebank.activities.schemas import (
    ActivityDetailsIn,
    ActivityIn,
    ActivityListArgs,
    ActivityOut,
    ActivityPageOut,
    NewRoleIn,
    RoleIn,
    RoleOut,
    SessionListOut,
    SessionsIn,
)
from timebank.api.core import ApiBlueprint
from timebank.api.schemas import page_fields
from timebank.db import db
from timebank.members.models import Person
from timebank.members.service import display_names
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_activities", __name__, url_prefix="/api/v1",
    description="Co-delivery activities: forms of co-production, matrix cells, partners, roles and sessions.",
)

ACTIVITY = f"/activities/<{ID_CONVERTER}:activity_id>"
ROLE = f"{ACTIVITY}/roles/<{ID_CONVERTER}:activity_role_id>"
REPLAY = "A replay of an earlier request with the same idempotency key: nothing new."
#: The access rule of the routes that change a role: the caller runs its activity.
RUNNING_ROLE = partial(service.role_of, to_run=True)


def _session_out(entry: service.SessionPlaces, activity: Activity) -> dict[str, Any]:
    s = entry.activity_session
    return {"id": s.id, "role_id": s.role_id, "starts_at": s.starts_at, "ends_at": s.ends_at,
            "place": s.place or ("" if s.is_remote else activity.place), "is_remote": s.is_remote,
            "places": s.places, "booked": entry.booked, "places_left": entry.places_left, "waiting": entry.waiting,
            "cancelled": s.cancelled_at is not None}


def _role_out(role: Role, activity: Activity, codes: dict[int, str],
              upcoming: dict[int, list[service.SessionPlaces]]) -> dict[str, Any]:
    return {
        "id": role.id, "title": role.title, "title_cy": role.title_cy, "description": role.description,
        "description_cy": role.description_cy,
        "category": codes.get(role.category_id, ""),
        "abilities": sorted(codes.get(a.category_id, "") for a in role.abilities),
        "direction": role.direction, "places": role.places, "credit_minutes": role.credit_minutes,
        "clearance": role.clearance, "normally_paid": role.normally_paid,
        "service_user_involvement": role.service_user_involvement,
        "release_notice_hours": role.release_notice_hours, "away_overnight": role.away_overnight,
        "upcoming_sessions": [_session_out(entry, activity) for entry in upcoming.get(role.id, [])],
    }


def _activities_out(actor: Person, activities: Sequence[Activity]) -> list[dict[str, Any]]:
    """Activities ready for ``ActivityOut``: names, codes and sessions in one query each."""
    roles = [role for activity in activities for role in activity.roles]
    codes = service.ability_codes(db.session, roles)
    upcoming = service.upcoming_sessions(db.session, [role.id for role in roles])
    names = display_names(db.session, [a.organisation_id for a in activities]
                          + [p.organisation_id for a in activities for p in a.partners])
    return [{
        "id": a.id, "time_bank_id": a.time_bank_id, "organisation_id": a.organisation_id,
        "organisation_name": names.get(a.organisation_id, ""), "title": a.title, "title_cy": a.title_cy,
        "summary": a.summary, "summary_cy": a.summary_cy,
        "place": a.place, "form": a.form, "designed_by": a.designed_by, "delivered_by": a.delivered_by,
        "cell": str(CELL_NAMES[(a.designed_by, a.delivered_by)]), "status": a.status,
        "published_at": a.published_at, "created_at": a.created_at,
        "partners": [{"organisation_id": i, "name": names.get(i, "")} for i in service.partner_ids(a)],
        "roles": [_role_out(role, a, codes, upcoming) for role in a.roles],
        "may_run": access.may_run(db.session, actor, a),
    } for a in activities]


def _detail(actor: Person, activity_id: int) -> dict[str, Any]:
    return _activities_out(actor, [service.visible_activity(db.session, actor, activity_id)])[0]


def _location(activity_id: int) -> dict[str, str]:
    return {"Location": url_for("api_activities.get_activity", activity_id=activity_id)}


@bp.route("/activities")
@bp.token_required
@bp.arguments(ActivityListArgs, location="query")
@bp.response(200, ActivityPageOut)
def list_activities(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Activities you may see, newest first.

    Members: the published ones in their banks. Organisation admins and brokers: also the drafts and
    closed ones they run (filter with ``status``)."""
    page_number, per_page = query.pop("page"), query.pop("per_page")
    page = service.list_activities(db.session, actor, service.Filters(**query), page=page_number, per_page=per_page)
    return {"items": _activities_out(actor, page.items), **page_fields(page)}


@bp.route("/activities", methods=["POST"])
@bp.access(service.require_something_to_run)
@bp.arguments(ActivityIn)
@bp.response(201, ActivityOut, description="Saved as a draft, seen only by those who run it.")
@bp.alt_response(200, schema=ActivityOut, success=True, description=REPLAY)
@bp.problems(403)
def create_activity(body: dict[str, Any], actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Organisation admins (for their organisation) and brokers (for any in their bank): a new activity."""
    key = body.pop("idempotency_key")
    body["partner_ids"] = tuple(body["partner_ids"])
    activity, created = service.create_activity(db.session, actor, service.NewActivity(**body), key)
    return _detail(actor, activity.id), 201 if created else 200, _location(activity.id)


@bp.route(ACTIVITY)
@bp.token_required
@bp.response(200, ActivityOut)
@bp.problems(404)
def get_activity(activity_id: int, actor: Person) -> dict[str, Any]:
    """One activity with its partners, roles and their upcoming sessions with places left."""
    return _detail(actor, activity_id)


@bp.route(ACTIVITY, methods=["PUT"])
@bp.access(service.activity_to_run)
@bp.arguments(ActivityDetailsIn)
@bp.response(200, ActivityOut)
@bp.problems(403, 404, 409)
def update_activity(body: dict[str, Any], activity_id: int, actor: Person) -> dict[str, Any]:
    """Those who run it: change its title, summary, place, form of co-production and matrix cell."""
    service.update_activity(db.session, actor, activity_id, service.ActivityDetails(**body))
    return _detail(actor, activity_id)


@bp.route(f"{ACTIVITY}/publish", methods=["POST"])
@bp.token_required
@bp.response(200, ActivityOut, description="Published (or already was).")
@bp.problems(403, 404, 409)
def publish(activity_id: int, actor: Person) -> dict[str, Any]:
    """Those who run it: members of the bank can see it and sign up. It needs a role first."""
    service.publish(db.session, actor, activity_id)
    return _detail(actor, activity_id)


@bp.route(f"{ACTIVITY}/close", methods=["POST"])
@bp.token_required
@bp.response(200, ActivityOut, description="Closed (or already was).")
@bp.problems(403, 404)
def close(activity_id: int, actor: Person) -> dict[str, Any]:
    """Those who run it: no more sign-ups, roles or sessions. Its history stays."""
    service.close(db.session, actor, activity_id)
    return _detail(actor, activity_id)


@bp.route(f"{ACTIVITY}/partners/<{ID_CONVERTER}:organisation_id>", methods=["PUT"])
@bp.token_required
@bp.response(200, ActivityOut, description="Listed as a partner (or already was).")
@bp.problems(403, 404, 409, 422)
def add_partner(activity_id: int, organisation_id: int, actor: Person) -> dict[str, Any]:
    """Those who run it: list a partner organisation (one with a time account in the same bank)."""
    service.add_partner(db.session, actor, activity_id, organisation_id)
    return _detail(actor, activity_id)


@bp.route(f"{ACTIVITY}/partners/<{ID_CONVERTER}:organisation_id>", methods=["DELETE"])
@bp.token_required
@bp.response(200, ActivityOut, description="No longer listed as a partner.")
@bp.problems(403, 404, 409)
def remove_partner(activity_id: int, organisation_id: int, actor: Person) -> dict[str, Any]:
    """Those who run it: stop listing a partner organisation."""
    service.remove_partner(db.session, actor, activity_id, organisation_id)
    return _detail(actor, activity_id)


def _role(actor: Person, activity_id: int, role_id: int) -> dict[str, Any]:
    role = service.role_of(db.session, actor, activity_id, role_id)
    return _role_out(role, role.activity, service.ability_codes(db.session, [role]),
                     service.upcoming_sessions(db.session, [role.id]))


def _role_details(body: dict[str, Any]) -> service.RoleDetails:
    return service.RoleDetails(**{**body, "abilities": tuple(body["abilities"])})


@bp.route(f"{ACTIVITY}/roles", methods=["POST"])
@bp.access(service.activity_to_run)
@bp.arguments(NewRoleIn)
@bp.response(201, RoleOut)
@bp.alt_response(200, schema=RoleOut, success=True, description=REPLAY)
@bp.problems(403, 404, 409)
def create_role(body: dict[str, Any], activity_id: int, actor: Person) -> tuple[dict[str, Any], int]:
    """Those who run it: add a role, with the facts the benefit rules read."""
    key = body.pop("idempotency_key")
    role, created = service.add_role(db.session, actor, activity_id, _role_details(body), key)
    return _role(actor, activity_id, role.id), 201 if created else 200


@bp.route(ROLE, methods=["PUT"])
@bp.access(RUNNING_ROLE)
@bp.arguments(RoleIn)
@bp.response(200, RoleOut)
@bp.problems(403, 404, 409)
def update_role(body: dict[str, Any], activity_id: int, activity_role_id: int, actor: Person) -> dict[str, Any]:
    """Those who run it: change a role. Sessions already made keep their own number of places."""
    service.update_role(db.session, actor, activity_id, activity_role_id, _role_details(body))
    return _role(actor, activity_id, activity_role_id)


def _sessions_out(sessions: list[ActivitySession], activity: Activity) -> dict[str, Any]:
    return {"items": [_session_out(entry, activity) for entry in service.with_places(db.session, sessions)]}


@bp.route(f"{ROLE}/sessions", methods=["POST"])
@bp.access(RUNNING_ROLE)
@bp.arguments(SessionsIn)
@bp.response(201, SessionListOut, description="The sessions made, soonest first.")
@bp.alt_response(200, schema=SessionListOut, success=True, description=REPLAY)
@bp.problems(403, 404, 409)
def create_sessions(body: dict[str, Any], activity_id: int, activity_role_id: int,
                    actor: Person) -> tuple[dict[str, Any], int]:
    """Those who run it: one session, or one a week for up to 26 weeks, in UK local time."""
    key = body.pop("idempotency_key")
    made, created = service.add_sessions(db.session, actor, activity_id, activity_role_id,
                                         service.NewSessions(**body), key)
    activity = service.visible_activity(db.session, actor, activity_id)
    return _sessions_out(made, activity), 201 if created else 200

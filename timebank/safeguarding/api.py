"""Safeguarding over the JSON API, for brokers only: a person's DBS checks, notes and derived
clearances; recording a check or a note; the checks about to run out, and the bookings they affect.

Each call is: parse → one ``safeguarding.service`` call → respond (the blueprint commits: reading a record
is audited too). The service refuses anyone who does not broker a bank the person belongs or applied to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from timebank.activities.models import ActivitySession
from timebank.api.core import ApiBlueprint
from timebank.attendance import service as attendance
from timebank.db import db, writes
from timebank.members.models import Person
from timebank.safeguarding import service
from timebank.safeguarding.models import DbsCheck, SafeguardingNote
from timebank.safeguarding.schemas import (
    DbsCheckIn,
    DbsCheckOut,
    ExpiringCheckOut,
    LapsingBookingOut,
    NoteIn,
    NoteOut,
    RecordArgs,
    SafeguardingRecordOut,
)
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_safeguarding", __name__, url_prefix="/api/v1",
    description="Safeguarding, for brokers only: DBS checks, safeguarding notes, and the clearances (home "
                "visits, children, adults at risk) derived from them.",
)

PERSON = f"/people/<{ID_CONVERTER}:person_id>"
_CHECK_FIELDS = tuple(DbsCheckOut().fields)


def _recorded_check(check: DbsCheck, valid_until: dt.date) -> dict[str, Any]:
    return {**{name: getattr(check, name) for name in _CHECK_FIELDS}, "valid_until": valid_until}


@bp.route(f"{PERSON}/safeguarding")
@writes  # every reading is audited
@bp.access(service.require_broker)
@bp.arguments(RecordArgs, location="query")
@bp.response(200, SafeguardingRecordOut)
@bp.problems(403, 404)
def get_record(query: dict[str, Any], person_id: int, actor: Person) -> dict[str, Any]:
    """A person's DBS checks, safeguarding notes and clearances, in one time bank.

    Each check says the last day it counts in this bank; the notes are this bank's. Every reading is
    in the audit log."""
    record = service.record_for(db.session, actor, person_id, query["time_bank_id"])
    return {
        "person": record.person,
        "time_bank": record.time_bank,
        "checks": [_recorded_check(check, record.check_valid_until[check.id]) for check in record.checks],
        "notes": record.notes,
        "clearances": list(record.clearances.values()),
    }


@bp.route(f"{PERSON}/dbs-checks", methods=["POST"])
@bp.access(service.require_broker)
@bp.arguments(DbsCheckIn)
@bp.response(201, DbsCheckOut)
@bp.problems(403, 404)
def record_dbs_check(body: dict[str, Any], person_id: int, actor: Person) -> DbsCheck:
    """Record a DBS certificate you have seen. Checks are never edited: a renewal is a new check."""
    time_bank_id = body.pop("time_bank_id")
    check = service.record_dbs_check(db.session, actor, person_id, time_bank_id, service.DbsCheckInput(**body))
    return check


@bp.route(f"{PERSON}/safeguarding-notes", methods=["POST"])
@bp.access(service.require_broker)
@bp.arguments(NoteIn)
@bp.response(201, NoteOut)
@bp.problems(403, 404)
def add_note(body: dict[str, Any], person_id: int, actor: Person) -> SafeguardingNote:
    """Add a safeguarding note. Only this bank's brokers read it; it is never edited or shown to the member."""
    note = service.add_note(db.session, actor, person_id, body["time_bank_id"], body["body"])
    return note


@bp.route(f"/banks/<{ID_CONVERTER}:bank_id>/expiring-checks")
@bp.token_required
@bp.response(200, ExpiringCheckOut(many=True))
@bp.problems(403)
def expiring_checks(bank_id: int, actor: Person) -> list[service.ExpiringCheck]:
    """Members whose latest DBS check stops counting within 30 days (or stopped in the last 30), soonest first."""
    return service.expiring_checks(db.session, actor, bank_id)


@bp.route(f"/banks/<{ID_CONVERTER}:bank_id>/expiring-checks/bookings")
@bp.token_required
@bp.response(200, LapsingBookingOut(many=True))
@bp.problems(403, 404)
def lapsing_bookings(bank_id: int, actor: Person) -> list[dict[str, Any]]:
    """Places and waiting-list entries on sessions still to come whose role needs a clearance the person
    will not hold on the session's date (most often: their DBS check runs out first), soonest first."""
    return [{
        "sign_up_id": item.sign_up.id, "status": item.sign_up.status, "person_id": item.sign_up.person_id,
        "name": item.name, "session_id": item.activity_session.id, **_titles(item.activity_session),
        "starts_at": item.activity_session.starts_at, "clearance": item.gap.clearance,
        "day": item.gap.day, "runs_out_on": item.gap.runs_out_on, "reason": item.gap.reason,
    } for item in attendance.bookings_needing_clearance(db.session, actor, bank_id)]


def _titles(activity_session: ActivitySession) -> dict[str, str | None]:
    """The session's activity and role, by their titles in English and (null if none was given) in Welsh."""
    role = activity_session.role
    return {"activity_title": role.activity.title, "activity_title_cy": role.activity.title_cy,
            "role_title": role.title, "role_title_cy": role.title_cy}

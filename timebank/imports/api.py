"""Timesheet imports over the JSON API, for brokers: check a file, read its report, apply it, list them.

A file is checked whole when it is sent (``POST /imports``), which stores it as ``checked`` or
``rejected`` with its row-by-row report; nothing moves until ``POST /imports/<id>/apply`` asks for every
row to be recorded, or none: a background job (202), followed on ``GET /imports/<id>`` (its ``job``).
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import fields_named_as_in_request, page_fields
from timebank.db import db
from timebank.imports import service
from timebank.imports.models import TimesheetImport
from timebank.imports.schemas import ImportIn, ImportListArgs, ImportOut, ImportPageOut
from timebank.jobs.api import job_out
from timebank.members.models import Person
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_imports", __name__, url_prefix="/api/v1",
    description="Paper timesheets as CSV, for brokers: checked whole, then recorded whole or not at all.",
)

IMPORT = f"/imports/<{ID_CONVERTER}:import_id>"


def _out(timesheet: TimesheetImport) -> dict[str, Any]:
    summary = service.summarise(timesheet)
    job = service.apply_job(db.session, timesheet)
    return {**{name: getattr(timesheet, name) for name in ImportOut().fields if hasattr(timesheet, name)},
            "people": summary.people, "first_on": summary.first_on, "last_on": summary.last_on,
            "job": job_out(job) if job is not None else None}


@bp.route("/imports")
@bp.access(service.require_broker)
@bp.arguments(ImportListArgs, location="query")
@bp.response(200, ImportPageOut)
@bp.problems(403)
def list_imports(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Imports of the banks you broker, newest first."""
    page = service.list_imports(db.session, actor, **query)
    return {"items": page.items, **page_fields(page)}


@bp.route("/imports", methods=["POST"])
@bp.access(service.require_broker)
@bp.arguments(ImportIn)
@bp.response(201, ImportOut, description="Checked and stored: see ``status`` and ``problems``.")
@bp.problems(403, 404)
def check(body: dict[str, Any], actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Check a whole timesheet file. Nothing is recorded: a file without problems is ``checked`` and can
    be applied; one with problems is ``rejected`` with a report, row by row. A file that cannot be read
    as a timesheet at all (not UTF-8, not comma-separated, a wrong heading row, too large) is a 422 on
    ``content``, and nothing is stored."""
    with fields_named_as_in_request({"file": "content"}):
        timesheet = service.check(db.session, actor, **body)
    return _out(timesheet), 201, {"Location": url_for("api_imports.get_import", import_id=timesheet.id)}


@bp.route(IMPORT)
@bp.token_required
@bp.response(200, ImportOut)
@bp.problems(403, 404)
def get_import(import_id: int, actor: Person) -> dict[str, Any]:
    """An import's summary and its problems, row by row."""
    return _out(service.visible_import(db.session, actor, import_id))


@bp.route(f"{IMPORT}/apply", methods=["POST"])
@bp.token_required
@bp.response(202, ImportOut, description="The rows are being recorded: follow ``job`` on the ``Location``.")
@bp.problems(403, 404, 409)
def apply(import_id: int, actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Ask for every row of a checked import to be recorded as a confirmed exchange, all in one
    transaction, by a background job. Poll ``GET /imports/<id>`` (the ``Location``): while ``job.state`` is
    ``queued`` or ``running``, ``job.progress_done`` of ``job.progress_total`` rows are done; then the import
    is ``applied``, or ``rejected`` with the row that stopped it if the books moved since the check (nothing
    recorded). Asking again while the job runs gives the same job."""
    service.enqueue_apply(db.session, actor, import_id)
    timesheet = service.visible_import(db.session, actor, import_id)
    return _out(timesheet), 202, {"Location": url_for("api_imports.get_import", import_id=import_id)}

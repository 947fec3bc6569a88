"""The import pages, for brokers (and admins): the template, upload and check, the report, and Apply.

Apply asks for a background job (``imports.tasks``) and returns at once to the import's page, which,
while the job waits or runs, shows how many rows are recorded and reloads itself every few seconds (a
``<meta http-equiv="refresh">``: no JavaScript), then shows the outcome.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for
from flask_babel import gettext

from timebank.auth.guards import current_person, members_only
from timebank.banks.service import bank_choices
from timebank.db import db
from timebank.forms import int_arg, unit_of_work
from timebank.imports import service
from timebank.imports.forms import ApplyForm, UploadForm
from timebank.imports.models import MAX_BYTES, ImportStatus
from timebank.jobs.models import JobState
from timebank.jobs.service import progress_of
from timebank.members.service import display_names
from timebank.types import ID_CONVERTER

bp = Blueprint("imports", __name__)

IMPORT = f"/imports/<{ID_CONVERTER}:import_id>"
#: While its job waits or runs, the import's page reloads itself this often.
REFRESH_SECONDS = 2


@bp.before_request
def _brokers_only() -> Any:
    refused = members_only()
    if refused is not None:
        return refused
    service.require_broker(db.session, current_person())
    return None


@bp.route("/imports")
def index() -> Any:
    actor = current_person()
    brokered = service.require_broker(db.session, actor)
    bank_id = int_arg("bank")
    page = service.list_imports(db.session, actor, time_bank_id=bank_id, page=int_arg("page") or 1,
                                per_page=current_app.config["PAGE_SIZE"])
    return render_template("imports/index.html", page=page, banks=bank_choices(db.session, brokered),
                           bank_id=bank_id, statuses=ImportStatus)


@bp.route("/imports/template.csv")
def template() -> Response:
    # The byte order mark tells Excel the file is UTF-8, so Welsh names (ŵ, ŷ) open correctly.
    return Response("\ufeff" + service.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=timesheet-template.csv"})


@bp.route("/imports/new", methods=["GET", "POST"])
def new() -> Any:
    actor = current_person()
    form = UploadForm()
    form.set_banks(bank_choices(db.session, service.require_broker(db.session, actor)))
    if form.validate_on_submit():
        upload = form.file.data
        with unit_of_work(form) as work:
            timesheet = service.check(db.session, actor, time_bank_id=form.time_bank_id.data,
                                      filename=upload.filename or "", content=upload.read(MAX_BYTES + 1))
        if work.done:
            return redirect(url_for("imports.detail", import_id=timesheet.id))
    return render_template("imports/new.html", form=form), 422 if form.errors else 200


def _render_detail(import_id: int, status: int = 200, error: Any = None) -> tuple[str, int]:
    timesheet = service.visible_import(db.session, current_person(), import_id)
    job = service.apply_job(db.session, timesheet)
    return render_template(
        "imports/detail.html",
        timesheet=timesheet,
        summary=service.summarise(timesheet),
        bank_name=dict(bank_choices(db.session, {timesheet.time_bank_id})).get(timesheet.time_bank_id, ""),
        names=display_names(db.session, [timesheet.uploaded_by_id, timesheet.applied_by_id]),
        form=ApplyForm(formdata=None),
        error=error,
        statuses=ImportStatus,
        job=job,
        job_states=JobState,
        progress=progress_of(job) if job is not None else None,
        working=(job is not None and job.state in (JobState.QUEUED, JobState.RUNNING)
                 and timesheet.status is ImportStatus.CHECKED),
        refresh_seconds=REFRESH_SECONDS,
    ), status


@bp.route(IMPORT)
def detail(import_id: int) -> Any:
    return _render_detail(import_id)


@bp.route(f"{IMPORT}/apply", methods=["POST"])
def apply(import_id: int) -> Any:
    form = ApplyForm()
    if not form.validate_on_submit():
        abort(400, description=gettext("This form is out of date. Please start again."))
    with unit_of_work(form) as work:
        service.enqueue_apply(db.session, current_person(), import_id)
    if work.error is not None:
        return _render_detail(import_id, work.status, work.error.message)
    return redirect(url_for("imports.detail", import_id=import_id), 303)

"""The import pages, for brokers (and admins): the template, upload and check, the report, and Apply.

Apply streams its page: the head first, then a progress line every twentieth of the rows, then the
outcome, so a broker importing a long file sees it moving without any JavaScript. Whether the import can
be applied is asked first, so a refusal is an ordinary page. The rows are then recorded in one unit of
work (``db.transaction``) inside the stream, committed once after the last row; any failure rolls all of
them back, and the page, already begun, says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template, stream_template, url_for
from flask_babel import gettext

from timebank.auth.guards import current_person, members_only
from timebank.banks.service import bank_choices
from timebank.db import db, transaction
from timebank.forms import int_arg, unit_of_work
from timebank.imports import service
from timebank.imports.forms import ApplyForm, UploadForm
from timebank.imports.models import MAX_BYTES, ImportStatus
from timebank.members.service import display_names
from timebank.types import ID_CONVERTER

bp = Blueprint("imports", __name__)

IMPORT = f"/imports/<{ID_CONVERTER}:import_id>"
#: Progress lines on the Apply page: one every this fraction of the rows.
PROGRESS_STEPS = 20


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
    return render_template(
        "imports/detail.html",
        timesheet=timesheet,
        summary=service.summarise(timesheet),
        bank_name=dict(bank_choices(db.session, {timesheet.time_bank_id})).get(timesheet.time_bank_id, ""),
        names=display_names(db.session, [timesheet.uploaded_by_id, timesheet.applied_by_id]),
        form=ApplyForm(formdata=None),
        error=error,
        statuses=ImportStatus,
    ), status


@bp.route(IMPORT)
def detail(import_id: int) -> Any:
    return _render_detail(import_id)


@dataclass
class _Outcome:
    #: Something other than a refused row stopped the apply (the database went away, say).
    failed: bool = False


def _progress(applying: service.Applying, outcome: _Outcome) -> Iterator[int]:
    """Rows done, every twentieth of the file. Recording them is the stream's unit of work: committed
    once after the last row, or, if anything fails (or the browser goes away), every row rolled back."""
    every = max(1, applying.total // PROGRESS_STEPS)
    try:
        with transaction():
            for done in applying.steps():
                if done % every == 0 or done == applying.total:
                    yield done
    except Exception:  # the page has already begun, so say what happened instead of an error page
        current_app.logger.exception("Applying timesheet import %s failed", applying.import_id)
        outcome.failed = True


@bp.route(f"{IMPORT}/apply", methods=["POST"])
def apply(import_id: int) -> Any:
    form = ApplyForm()
    if not form.validate_on_submit():
        abort(400, description=gettext("This form is out of date. Please start again."))
    # Asked before the page begins, so a refusal is an ordinary page. Nothing is written here: the rows are
    # the stream's own unit of work (``_progress``).
    with unit_of_work(form) as work:
        applying = service.Applying(db.session, current_person(), import_id)
    if work.error is not None:
        return _render_detail(import_id, work.status, work.error.message)
    outcome = _Outcome()
    return Response(stream_template("imports/applying.html", applying=applying, outcome=outcome,
                                    progress=_progress(applying, outcome), statuses=ImportStatus),
                    mimetype="text/html")

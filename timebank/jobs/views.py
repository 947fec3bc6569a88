"""The jobs page, for administrators: every background job with its state and progress, the failed ones
a filter away, each with a button to send it again."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from timebank.auth.guards import current_person, signed_in_only
from timebank.db import db, transaction
from timebank.forms import int_arg
from timebank.jobs import service
from timebank.jobs.models import JobState
from timebank.jobs.registry import label_of
from timebank.types import ID_CONVERTER

bp = Blueprint("jobs", __name__)


@bp.before_request
def _admins_only() -> Any:
    refused = signed_in_only()
    if refused is not None:
        return refused
    service.require_admin(db.session, current_person())
    return None


def _state_arg() -> JobState | None:
    try:
        return JobState(request.args.get("state", ""))
    except ValueError:
        return None


@bp.route("/jobs")
def index() -> Any:
    state = _state_arg()
    page = service.list_jobs(db.session, current_person(), state=state, page=int_arg("page") or 1,
                             per_page=current_app.config["PAGE_SIZE"])
    return render_template("jobs/index.html", page=page, state=state, states=JobState,
                           progress={job.id: service.progress_of(job) for job in page.items},
                           labels={job.id: label_of(job.kind) for job in page.items})


@bp.route(f"/jobs/<{ID_CONVERTER}:job_id>/retry", methods=["POST"])
def retry(job_id: int) -> Any:
    with transaction():
        job = service.retry(db.session, current_person(), job_id)
    flash(_l("Job %(number)d is queued again.", number=job.id), "success")
    return redirect(url_for("jobs.index", state=_state_arg()))

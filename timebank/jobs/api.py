"""Background jobs over the JSON API, for administrators: list them (the failed ones first of all) and
send a failed one again."""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import page_fields
from timebank.db import db
from timebank.jobs import service
from timebank.jobs.models import Job
from timebank.jobs.schemas import JobListArgs, JobOut, JobPageOut
from timebank.members.models import Person
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_jobs", __name__, url_prefix="/api/v1",
    description="Background jobs (timesheet imports, the daily reminders), for administrators.",
)


def job_out(job: Job) -> dict[str, Any]:
    """A job as ``JobOut`` (and ``JobProgressOut``) show it: progress live while it runs."""
    progress = service.progress_of(job)
    return {**{name: getattr(job, name) for name in JobOut().fields},
            "progress_done": progress.done, "progress_total": progress.total}


@bp.route("/jobs")
@bp.access(service.require_admin)
@bp.arguments(JobListArgs, location="query")
@bp.response(200, JobPageOut)
@bp.problems(403)
def list_jobs(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Every background job, newest first; `state=failed` for those that need an administrator."""
    page = service.list_jobs(db.session, actor, **query)
    return {"items": [job_out(job) for job in page.items], **page_fields(page)}


@bp.route(f"/jobs/<{ID_CONVERTER}:job_id>/retry", methods=["POST"])
@bp.access(service.require_admin)
@bp.response(202, JobOut, description="Sent to the workers again.")
@bp.problems(403, 404, 409)
def retry(job_id: int, actor: Person) -> dict[str, Any]:
    """Send a failed job to the workers again, with its attempts renewed (or one still queued, whose
    message was lost). The work is done once however often it is sent."""
    return job_out(service.retry(db.session, actor, job_id))

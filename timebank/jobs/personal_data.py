"""Jobs' part of what is held about a person (``timebank.personal_data``): the background jobs they asked
for (a timesheet to be recorded), by kind and state. A job holds ids and dates, never words about anyone.

Leaving keeps them as they are (``kept``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.jobs.models import Job
from timebank.personal_data import Part, iso


def export(session: Session, person: Any) -> dict[str, Any]:
    return {"jobs": [{
        "id": job.id, "kind": job.kind, "state": job.state.value, "time_bank_id": job.time_bank_id,
        "asked_at": iso(job.created_at), "finished_at": iso(job.finished_at),
    } for job in session.scalars(sa.select(Job).where(Job.requested_by_id == person.id).order_by(Job.id))]}


PART = Part(
    name="jobs", tables=("jobs",), sections=("jobs",), export=export,
    kept="a job is the record of work a member of staff asked for (a timesheet recorded); it holds ids and "
         "dates, never words about anyone",
)

"""The imports' background job: recording a checked timesheet (``service.enqueue_apply`` asks for it).

The whole file is applied in the job's one transaction (``jobs.runner``), so it goes in whole or not at
all, and a worker killed half-way leaves nothing: the redelivered job applies it once. The rows' progress
goes to the queue's store, which the import's page reads while the transaction is still open.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.imports import service
from timebank.jobs.models import Job
from timebank.jobs.registry import JobKind, Progress
from timebank.members.models import Person


def apply_import(session: Session, job: Job, progress: Progress) -> None:
    broker = session.get(Person, job.requested_by_id)
    if broker is None:
        raise LookupError("the job names nobody to record the import as")
    service.apply(session, broker, job.payload["import_id"], progress=progress)


JOB_KINDS = (JobKind(service.APPLY_JOB, apply_import, _l("Record a timesheet import")),)

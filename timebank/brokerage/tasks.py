"""Brokerage's background job: expiring introductions nobody answered in time, once a day
(``flask brokerage expire`` queues it, or runs it here). Safe to run again: an expired one is not
proposed any more."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.brokerage import service
from timebank.jobs.models import Job
from timebank.jobs.registry import JobKind, Progress

EXPIRE_JOB = "brokerage.expire"


def expire_introductions(session: Session, job: Job, progress: Progress) -> None:
    expired = service.expire_stale(session, dt.date.fromisoformat(job.payload["day"]))
    progress(1, 1)
    job.payload = {**job.payload, "expired": expired}


JOB_KINDS = (JobKind(EXPIRE_JOB, expire_introductions, _l("Expire introductions nobody answered in time")),)

"""The demo's email: what its year of notices and its forgotten password queued is written into the outbox
(the demo runs with no mail server), so `/outbox` shows emails in English and in Welsh from the start; and
one member who chose fewer emails. The emails are sent here, in the demo's one transaction, by the job
every worker runs (``jobs.runner.run_here``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.exchanges.reminders import confirmers
from timebank.jobs import runner
from timebank.jobs.models import Job, JobState
from timebank.ledger.models import Exchange, ExchangeState
from timebank.mail import service as mail
from timebank.mail.models import EmailKind
from timebank.notices import service as notices
from timebank.notices.models import NoticeKind

#: A member who turned two kinds of email off.
CHOOSES_FEWER = "Nia Bowen"


def load_mail(session: Session, cast: Any, today: dt.date) -> int:
    """The outbox's emails; how many. ``cast`` is the demo's cast (its bank, broker and people by name)."""
    # The demo's exchanges waiting for an answer, each reminded of as the daily job does once they have
    # waited three days (the demo's were all recorded just now), to English and Welsh speakers alike.
    waiting = session.scalars(sa.select(Exchange).where(Exchange.time_bank_id == cast.bank.id,
                                                        Exchange.state == ExchangeState.PENDING)
                              .order_by(Exchange.id))
    for exchange in waiting:
        notices.notify(session, confirmers(session, exchange), NoticeKind.EXCHANGE_PENDING, exchange.id,
                       notices.reminder_key(NoticeKind.EXCHANGE_PENDING, exchange.id, today),
                       time_bank_id=cast.bank.id)
    chooser = cast.people[CHOOSES_FEWER]
    mail.set_wanted(session, chooser.id, {EmailKind.LISTING_REVIEW: False, EmailKind.SESSION_PLACE: False})
    queued = session.scalars(sa.select(Job).where(Job.kind == mail.SEND_JOB, Job.state == JobState.QUEUED)
                             .order_by(Job.id)).all()
    for job in queued:
        runner.run_here(job)
    return len(queued)

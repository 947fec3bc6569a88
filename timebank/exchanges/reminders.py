"""Reminders for exchanges left waiting for an answer.

An exchange still pending three days after it was recorded reminds the people who can confirm it,
and again every week while it stays pending. Each reminder is keyed by the day it fell due, so the
daily job can run any number of times, on any days, and never makes a reminder twice; a day the job
did not run is caught up by the next run (one reminder for the latest due day, not one per missed week).
Brokers also see exchanges pending for more than a week in their banks (``stale_pending``). Only flushes.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.clock import UK, uk_day
from timebank.ledger.models import Account, Exchange, ExchangeState
from timebank.notices import service as notices
from timebank.notices.models import NoticeKind

#: Days after recording that the first reminder falls due.
FIRST_REMINDER_DAYS = 3
#: Days between later reminders.
REMIND_EVERY_DAYS = 7
#: Days after which a pending exchange shows on its brokers' home page.
STALE_DAYS = 7


def recorded_on(exchange: Exchange) -> dt.date:
    """The UK day the exchange was recorded."""
    return uk_day(exchange.created_at)


def recorded_before(day: dt.date) -> dt.datetime:
    """The first moment of a UK day, as a time to compare ``created_at`` with."""
    return dt.datetime.combine(day, dt.time(), tzinfo=UK).astimezone(dt.UTC)


def reminder_due_on(recorded: dt.date, today: dt.date) -> dt.date | None:
    """The latest day on or before ``today`` that a reminder fell due, or ``None`` if none has yet."""
    first = recorded + dt.timedelta(days=FIRST_REMINDER_DAYS)
    if today < first:
        return None
    weeks = (today - first).days // REMIND_EVERY_DAYS
    return first + dt.timedelta(days=weeks * REMIND_EVERY_DAYS)


def confirmers(session: Session, exchange: Exchange) -> set[int]:
    """The people who should answer: the confirming side (through ``people_to_tell``), or the bank's
    brokers when that side is the community pot."""
    account = session.get(Account, exchange.confirmer_account_id)
    if account is None or account.holder_id is None:
        return notices.brokers_of(session, exchange.time_bank_id)
    return notices.people_to_tell(session, account.holder_id, exchange.time_bank_id)


def send_pending_reminders(session: Session, today: dt.date) -> int:
    """Remind the confirming side of every exchange pending since at least three days ago; return how
    many notices were made."""
    cutoff = recorded_before(today - dt.timedelta(days=FIRST_REMINDER_DAYS - 1))
    pending = session.scalars(
        sa.select(Exchange)
        .where(Exchange.state == ExchangeState.PENDING, Exchange.created_at < cutoff)
        .order_by(Exchange.id)
    ).unique()
    made = 0
    for exchange in pending:
        due = reminder_due_on(recorded_on(exchange), today)
        if due is None:
            continue
        key = notices.reminder_key(NoticeKind.EXCHANGE_PENDING, exchange.id, due)
        made += notices.notify(session, confirmers(session, exchange), NoticeKind.EXCHANGE_PENDING, exchange.id, key,
                               time_bank_id=exchange.time_bank_id)
    return made


def stale_pending(session: Session, time_bank_ids: set[int], today: dt.date, *, limit: int = 20) -> list[Exchange]:
    """The ``limit`` exchanges pending longest (for more than a week) in these banks, oldest first: one branch
    per bank, each read along that bank's (created_at, id) pending index and stopped after ``limit`` rows, so
    the cost follows the banks, not how many exchanges wait in them."""
    if not time_bank_ids:
        return []
    cutoff = recorded_before(today - dt.timedelta(days=STALE_DAYS))
    branches = (
        sa.select(Exchange.id, Exchange.created_at)
        .where(Exchange.time_bank_id == bank_id, Exchange.state == ExchangeState.PENDING, Exchange.created_at < cutoff)
        .order_by(Exchange.created_at, Exchange.id).limit(limit).subquery()
        for bank_id in sorted(time_bank_ids)
    )
    oldest = sa.union_all(*(sa.select(branch.c.id, branch.c.created_at) for branch in branches)).subquery()
    ids = list(session.scalars(sa.select(oldest.c.id).order_by(oldest.c.created_at, oldest.c.id).limit(limit)))
    found = {e.id: e for e in session.scalars(sa.select(Exchange).where(Exchange.id.in_(ids))).unique()} if ids else {}
    return [found[i] for i in ids]

"""When the rules run: inside the unit of work that changes what they read, for the members it touches.

Nothing below this feature imports it. The ledger tells it of every exchange that comes to stand or is
reversed (``ledger.service.add_settlement_listener``, wired by the app factory); the session's
``after_flush`` shows it every redemption, expense, payment, sign-up, role and benefit profile written.
Each touched member (and the dates touched) is noted on the session; ``before_commit`` runs the rules
for those with a standing consent, so a commit that touches nobody who consented costs nothing and one
that does costs one statement to find them, then the member's evaluation.

Flags never block: if the rules fail, the failure is logged, the flags' writes are rolled back to a
savepoint and the commit goes on (``flask --app wsgi benefits run`` catches up).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import ActivitySession, Role, SignUp
from timebank.benefits import engine, profiles
from timebank.benefits.models import BenefitProfile
from timebank.clock import uk_today
from timebank.ledger.models import Account, Exchange
from timebank.money.models import Expense, Payment, Redemption

log = logging.getLogger(__name__)

#: ``session.info`` key: person id → (first, last) date touched; None for "recent and coming activity".
_TOUCHED = "timebank.benefits.touched"
#: Roles changed in this unit of work: their people are found at commit.
_ROLES = "timebank.benefits.roles"
#: How far back and ahead "recent and coming activity" reaches (a profile or a role changed).
RECENT_DAYS, COMING_DAYS = 90, 60


def touch(session: Session, person_id: int, day: dt.date | None) -> None:
    touched: dict[int, tuple[dt.date, dt.date] | None] = session.info.setdefault(_TOUCHED, {})
    if day is None or touched.get(person_id, ()) is None:
        touched[person_id] = None
        return
    first, last = touched.get(person_id) or (day, day)
    touched[person_id] = (min(first, day), max(last, day))


def on_settled(session: Session, exchange: Exchange) -> None:
    """An exchange came to stand or was reversed: both sides' people, on the day it happened."""
    for account in (exchange.giver, exchange.receiver):
        if account.holder_id is not None:
            touch(session, account.holder_id, exchange.occurred_on)


def _after_flush(session: Session, _context: Any) -> None:
    for row in (*session.new, *session.dirty):
        if isinstance(row, Redemption):
            touch(session, row.person_id, row.occurred_on)
        elif isinstance(row, Expense | Payment):
            touch(session, row.person_id, row.paid_on)
        elif isinstance(row, SignUp | BenefitProfile):
            touch(session, row.person_id, None)
        elif isinstance(row, Role) and session.is_modified(row):
            session.info.setdefault(_ROLES, set()).add(row.id)


def _people_of_roles(session: Session, role_ids: set[int]) -> set[int]:
    """Who gave time in these roles lately or is booked on them."""
    since = uk_today() - dt.timedelta(days=RECENT_DAYS)
    gave = sa.select(Account.holder_id).join(Exchange, Exchange.giver_account_id == Account.id).where(
        Exchange.role_id.in_(role_ids), Exchange.occurred_on >= since, Account.holder_id.is_not(None))
    booked = sa.select(SignUp.person_id).join(ActivitySession, ActivitySession.id == SignUp.session_id).where(
        ActivitySession.role_id.in_(role_ids))
    return set(session.scalars(sa.union(gave, booked)))


def _spans(session: Session) -> dict[int, tuple[dt.date, dt.date]]:
    """The members this unit of work touched who consented, each with the span to look at; forgets what was
    touched. One statement when someone was touched (two when a role changed)."""
    touched: dict[int, tuple[dt.date, dt.date] | None] = session.info.pop(_TOUCHED, {})
    roles: set[int] = session.info.pop(_ROLES, set())
    if roles:
        for person_id in _people_of_roles(session, roles):
            touched[person_id] = None
    if not touched:
        return {}
    today = uk_today()
    spans = {}
    for person_id in sorted(profiles.consenting(session, set(touched))):
        span = touched[person_id]
        start, end = span if span else (today - dt.timedelta(days=RECENT_DAYS), today + dt.timedelta(days=COMING_DAYS))
        # Every window holding a touched day.
        spans[person_id] = (start, end + dt.timedelta(days=engine.AFTER_DAYS))
    return spans


def run_touched(session: Session) -> engine.Outcome:
    """Run the rules for the members this unit of work touched who consented."""
    return engine.evaluate_many(session, ((person, *span) for person, span in _spans(session).items()),
                                reason="rules_run")


def _before_commit(session: Session) -> None:
    if not session.info.get(_TOUCHED) and not session.info.get(_ROLES):
        return
    spans = _spans(session)
    if not spans:
        return
    try:
        with session.begin_nested():
            engine.evaluate_many(session, ((person, *span) for person, span in spans.items()), reason="rules_run")
    except Exception:  # flags never block what the member did: the nightly run catches up
        log.exception("benefit rules failed; the flags will be brought up to date by the next `benefits run`")


def init() -> None:
    """Listen (the app factory calls this once; listening twice is harmless)."""
    from timebank.ledger import service as ledger

    ledger.add_settlement_listener(on_settled)
    # What a rolled-back unit of work touched may stay noted on its session: running the rules for those
    # members at a later commit changes nothing (the rules are idempotent).
    for event, listener in (("after_flush", _after_flush), ("before_commit", _before_commit)):
        if not sa.event.contains(Session, event, listener):
            sa.event.listen(Session, event, listener)

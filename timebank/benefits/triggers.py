"""When the rules run: inside the unit of work that changes what they read, for the members it touches.

Nothing below this feature imports it. The ledger tells it of every exchange that comes to stand or is
reversed (``ledger.service.add_settlement_listener``, wired by the app factory); the session's
``after_flush`` shows it every redemption, expense, payment, sign-up, role and benefit profile written.
Each touched member (the dates and the kinds of evidence touched) is noted on the session;
``before_commit`` runs the rules for those with a standing consent, so a commit that touches nobody who
consented costs one statement (their profiles, none found), and one that does costs that statement, then
the member's evaluation: only the rules that read what was touched, on only the evidence they read.

Flags never block: the rules' reads write nothing, and the flags' writes go in a savepoint; if the rules
fail, the failure is logged, those writes are rolled back and the commit goes on (``flask --app wsgi
benefits run`` catches up).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import ActivitySession, Role, SignUp
from timebank.benefits import engine, profiles
from timebank.benefits.models import BenefitProfile
from timebank.benefits.rulebook import Reference
from timebank.clock import uk_today
from timebank.ledger.models import Account, Exchange
from timebank.money.models import Expense, Payment, Redemption

log = logging.getLogger(__name__)

#: ``session.info`` key: person id → what was touched (``_Touched``).
_TOUCHED = "timebank.benefits.touched"
#: Roles changed in this unit of work: their people are found at commit.
_ROLES = "timebank.benefits.roles"
#: How far back and ahead "recent and coming activity" reaches (a profile or a role changed).
RECENT_DAYS, COMING_DAYS = 90, 60
#: What a role's change touches: the time given in it and the sessions booked on it.
_ROLE_KINDS = frozenset({Reference.EXCHANGE, Reference.SIGN_UP})


@dataclass
class _Touched:
    """The first and last day touched (``None``: recent and coming activity) and the kinds of evidence
    (``None``: every kind, as when the profile changed)."""

    first: dt.date | None
    last: dt.date | None
    kinds: frozenset[Reference] | None


def touch(session: Session, person_id: int, day: dt.date | None, kinds: frozenset[Reference] | None) -> None:
    touched: dict[int, _Touched] = session.info.setdefault(_TOUCHED, {})
    noted = touched.get(person_id)
    if noted is None:
        touched[person_id] = _Touched(day, day, kinds)
        return
    if day is None or noted.first is None or noted.last is None:
        noted.first = noted.last = None
    else:
        noted.first, noted.last = min(noted.first, day), max(noted.last, day)
    noted.kinds = None if kinds is None or noted.kinds is None else noted.kinds | kinds


_EXCHANGE = frozenset({Reference.EXCHANGE})


def on_settled(session: Session, exchange: Exchange) -> None:
    """An exchange came to stand or was reversed: both sides' people, on the day it happened."""
    for account in (exchange.giver, exchange.receiver):
        if account.holder_id is not None:
            touch(session, account.holder_id, exchange.occurred_on, _EXCHANGE)


def _after_flush(session: Session, _context: Any) -> None:
    for row in (*session.new, *session.dirty):
        if isinstance(row, Redemption):
            touch(session, row.person_id, row.occurred_on, frozenset({Reference.REDEMPTION}))
        elif isinstance(row, Expense):
            touch(session, row.person_id, row.paid_on, frozenset({Reference.EXPENSE}))
        elif isinstance(row, Payment):
            touch(session, row.person_id, row.paid_on, frozenset({Reference.PAYMENT}))
        elif isinstance(row, SignUp):
            touch(session, row.person_id, None, frozenset({Reference.SIGN_UP}))
        elif isinstance(row, BenefitProfile):
            touch(session, row.person_id, None, None)
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


def run_touched(session: Session) -> engine.Outcome:
    """Run the rules for the members this unit of work touched who consented, on what was touched: one
    statement finds them with their profiles (two when a role changed), then each member's evaluation.
    Forgets what was touched."""
    session.flush()  # what is still to be written may touch someone
    touched: dict[int, _Touched] = session.info.pop(_TOUCHED, {})
    roles: set[int] = session.info.pop(_ROLES, set())
    if roles:
        for person_id in _people_of_roles(session, roles):
            touch(session, person_id, None, _ROLE_KINDS)
        touched.update(session.info.pop(_TOUCHED, {}))
    outcome = engine.Outcome()
    if not touched:
        return outcome
    today = uk_today()
    found = profiles.standing_profiles(session, set(touched), actor_id=None, reason="rules_run")
    for person_id in sorted(found):
        noted = touched[person_id]
        start, end = ((noted.first, noted.last) if noted.first and noted.last
                      else (today - dt.timedelta(days=RECENT_DAYS), today + dt.timedelta(days=COMING_DAYS)))
        # Every window holding a touched day.
        outcome.add(engine.evaluate(session, person_id, start, end + dt.timedelta(days=engine.AFTER_DAYS),
                                    reason="rules_run", standing=found[person_id], kinds=noted.kinds))
    return outcome


def _before_commit(session: Session) -> None:
    # SQLAlchemy tells of a savepoint's release as a commit too (a keyed job, an email queued in the
    # middle of a confirm): the rules run once, when the outermost transaction commits.
    if session.in_nested_transaction():
        return
    # What is still to be written may touch someone: written now, outside the rules' guard, so that a
    # refusal of the caller's own work (a constraint) is the caller's, as it would be at the commit.
    session.flush()
    if not session.info.get(_TOUCHED) and not session.info.get(_ROLES):
        return
    try:
        run_touched(session)
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

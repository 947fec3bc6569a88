"""The broker's dashboard for one bank, and the bank's conversion from introduction to exchange or sign-up.
Read-only.

Each section is one query for a page of rows (``DASHBOARD_PER_PAGE`` on the dashboard, a "see all" page
with the usual pager beyond) and one count capped at ``pagination.COUNT_CAP``, each read along an index
that starts with the bank: applications (``ix_applications_time_bank_id``), requests
(``ix_listings_bank_kind_status_review``), sessions (``ix_activity_sessions_starts_at``, then their
role's activity), exchanges pending (``ix_exchanges_bank_pending_created``), quiet members (the bank's
accounts by the day of their last posting, ``ix_accounts_bank_last_posted``), disputes
(``ix_disputes_bank_status_id``), introductions (``ix_introductions_bank_state``), messages
(``ix_broker_messages_bank``), what to pass on to members who hear through their broker (the emails
not sent them, ``mail.service.for_broker``), recent activity (``ix_audit_events_bank_id``). DBS checks come from
``safeguarding.service.expiring_checks`` and benefit flags only as counts by severity from
``benefits.flags.waiting_counts`` (the dashboard never lists a flag).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, ActivitySession, ActivityStatus, Role, SignUp
from timebank.activities.service import HOLDING_A_PLACE
from timebank.audit.models import AuditEvent
from timebank.banks.models import TimeBank
from timebank.benefits import flags
from timebank.benefits.facts import Severity
from timebank.brokerage.contact import waiting_query
from timebank.brokerage.models import Answer, Introduction, IntroductionState
from timebank.clock import UK
from timebank.exchanges.models import Dispute, DisputeStatus
from timebank.exchanges.reminders import STALE_DAYS, recorded_before
from timebank.ledger.models import Account, Exchange, ExchangeState
from timebank.listings.models import Listing, ListingKind, ListingStatus
from timebank.mail import service as mail
from timebank.members.models import Person
from timebank.membership.models import OPEN_STATUSES, Application
from timebank.pagination import Page, paginate
from timebank.safeguarding import service as safeguarding
from timebank.types import utcnow

#: Rows of each section shown on the dashboard itself.
DASHBOARD_PER_PAGE = 10
#: A member with no exchange dated in this many days is listed as quiet.
QUIET_DAYS = 60
#: An exchange pending longer than this many days is listed (the same week as the reminders).
PENDING_DAYS = STALE_DAYS


def open_requests(session: Session, time_bank_id: int, *, page: int = 1,
                  per_page: int = DASHBOARD_PER_PAGE) -> Page[Listing]:
    """Open requests for help, soonest needed first (undated last)."""
    query = (sa.select(Listing).where(Listing.time_bank_id == time_bank_id, Listing.kind == ListingKind.REQUEST,
                                      Listing.status == ListingStatus.OPEN)
             .order_by(Listing.needed_on.is_(None), Listing.needed_on, Listing.id))
    return paginate(session, query, page=page, per_page=per_page)


def _places_taken() -> sa.ScalarSelect[int]:
    return (sa.select(sa.func.count(SignUp.id)).where(SignUp.session_id == ActivitySession.id,
                                                      SignUp.status.in_(HOLDING_A_PLACE))
            .correlate(ActivitySession).scalar_subquery())


def unfilled_sessions(session: Session, time_bank_id: int, *, page: int = 1,
                      per_page: int = DASHBOARD_PER_PAGE) -> Page[ActivitySession]:
    """Sessions still to come of the bank's published activities with places left, soonest first."""
    query = (sa.select(ActivitySession).join(Role, Role.id == ActivitySession.role_id)
             .join(Activity, Activity.id == Role.activity_id)
             .where(Activity.time_bank_id == time_bank_id, Activity.status == ActivityStatus.PUBLISHED,
                    ActivitySession.starts_at >= utcnow(), ActivitySession.cancelled_at.is_(None),
                    _places_taken() < ActivitySession.places)
             .order_by(ActivitySession.starts_at, ActivitySession.id))
    return paginate(session, query, page=page, per_page=per_page)


def _applications(session: Session, bank: TimeBank, today: dt.date, page: int, per_page: int) -> Page[Any]:
    query = (sa.select(Application).where(Application.time_bank_id == bank.id, Application.status.in_(OPEN_STATUSES))
             .order_by(Application.created_at, Application.id))
    return paginate(session, query, page=page, per_page=per_page)


def _pending_exchanges(session: Session, bank: TimeBank, today: dt.date, page: int, per_page: int) -> Page[Any]:
    cutoff = recorded_before(today - dt.timedelta(days=PENDING_DAYS))
    query = (sa.select(Exchange).where(Exchange.time_bank_id == bank.id, Exchange.state == ExchangeState.PENDING,
                                       Exchange.created_at < cutoff)
             .order_by(Exchange.created_at, Exchange.id))
    return paginate(session, query, page=page, per_page=per_page)


def _quiet_members(session: Session, bank: TimeBank, today: dt.date, page: int, per_page: int) -> Page[Any]:
    """People whose account was open for the whole span with nothing posted in it (``Account.last_posted_on``,
    kept by the ledger), quiet longest first, with how they like to be contacted (``people.contact_by``)."""
    since = today - dt.timedelta(days=QUIET_DAYS)
    opened_before = dt.datetime.combine(since, dt.time(), tzinfo=UK)
    query = (sa.select(Person).join(Account, Account.holder_id == Person.id)
             .where(Account.time_bank_id == bank.id,
                    sa.or_(Account.last_posted_on.is_(None), Account.last_posted_on < since),
                    Account.closed_at.is_(None), Account.opened_at < opened_before, Person.pseudonymised_at.is_(None))
             .order_by(Account.last_posted_on.asc().nulls_first(), Account.id))
    return paginate(session, query, page=page, per_page=per_page)


def _disputes(session: Session, bank: TimeBank, today: dt.date, page: int, per_page: int) -> Page[Any]:
    query = (sa.select(Dispute).where(Dispute.time_bank_id == bank.id, Dispute.status == DisputeStatus.OPEN)
             .order_by(Dispute.id))
    return paginate(session, query, page=page, per_page=per_page)


def _introductions(session: Session, bank: TimeBank, today: dt.date, page: int, per_page: int) -> Page[Any]:
    query = (sa.select(Introduction).where(Introduction.time_bank_id == bank.id,
                                           Introduction.state == IntroductionState.PROPOSED)
             .order_by(Introduction.created_at, Introduction.id))
    return paginate(session, query, page=page, per_page=per_page)


def _messages(session: Session, bank: TimeBank, today: dt.date, page: int, per_page: int) -> Page[Any]:
    return paginate(session, waiting_query(bank.id), page=page, per_page=per_page)


def _recent(session: Session, bank: TimeBank, today: dt.date, page: int, per_page: int) -> Page[Any]:
    query = sa.select(AuditEvent).where(AuditEvent.time_bank_id == bank.id).order_by(AuditEvent.id.desc())
    return paginate(session, query, page=page, per_page=per_page)


def _to_pass_on(session: Session, bank: TimeBank, today: dt.date, page: int, per_page: int) -> Page[Any]:
    """What members who hear through their broker have not been told yet (the emails not sent them)."""
    return mail.for_broker(session, bank.id, page=page, per_page=per_page)


def _requests(session: Session, bank: TimeBank, today: dt.date, page: int, per_page: int) -> Page[Any]:
    return open_requests(session, bank.id, page=page, per_page=per_page)


def _sessions(session: Session, bank: TimeBank, today: dt.date, page: int, per_page: int) -> Page[Any]:
    return unfilled_sessions(session, bank.id, page=page, per_page=per_page)


SectionQuery = Callable[[Session, TimeBank, dt.date, int, int], Page[Any]]

#: The dashboard's lists, in the order shown; each has a "see all" page at ``/brokerage/banks/<id>/<name>``.
SECTIONS: dict[str, SectionQuery] = {
    "applications": _applications,
    "requests": _requests,
    "sessions": _sessions,
    "introductions": _introductions,
    "messages": _messages,
    "to-pass-on": _to_pass_on,
    "pending-exchanges": _pending_exchanges,
    "disputes": _disputes,
    "quiet-members": _quiet_members,
    "recent": _recent,
}


def section(session: Session, bank: TimeBank, name: str, today: dt.date, *, page: int = 1,
            per_page: int = DASHBOARD_PER_PAGE) -> Page[Any]:
    return SECTIONS[name](session, bank, today, page, per_page)


@dataclass(frozen=True)
class Dashboard:
    bank: TimeBank
    sections: dict[str, Page[Any]]
    expiring_checks: list[safeguarding.ExpiringCheck]
    #: Benefit flags waiting for a broker, by severity; ``None`` for someone who is not a broker by role.
    waiting_flags: dict[Severity, int] | None
    conversion: Conversion


def dashboard(session: Session, actor: Person, bank: TimeBank, today: dt.date) -> Dashboard:
    """Every section's first page for a bank the actor brokers (the caller has checked that)."""
    waiting = flags.waiting_counts(session, flags.brokered_banks(session, actor) & {bank.id})
    return Dashboard(
        bank=bank,
        sections={name: section(session, bank, name, today) for name in SECTIONS},
        expiring_checks=safeguarding.expiring_checks(session, actor, bank.id, today),
        waiting_flags=waiting.get(bank.id),
        conversion=conversion(session, bank.id, today - dt.timedelta(days=CONVERSION_DAYS), today),
    )


# --- conversion ---------------------------------------------------------------------------------------

#: The dashboard's period for conversion: the last 90 days.
CONVERSION_DAYS = 90


@dataclass(frozen=True)
class Conversion:
    """Of the introductions made in a period: how many both sides accepted, and how many led to an
    exchange (requests) or a sign-up (roles)."""

    first: dt.date
    last: dt.date
    made: int
    accepted: int
    led_to_exchange: int
    led_to_sign_up: int

    @property
    def led_on(self) -> int:
        return self.led_to_exchange + self.led_to_sign_up


def conversion(session: Session, time_bank_id: int, first: dt.date, last: dt.date) -> Conversion:
    """One aggregate over the bank's introductions made from ``first`` to ``last`` (UK days, both included),
    along ``ix_introductions_bank_state``'s bank."""
    start = dt.datetime.combine(first, dt.time(), tzinfo=UK)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=UK)

    def counted(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    made, accepted, exchanges, sign_ups = session.execute(
        sa.select(sa.func.count(Introduction.id), counted(sa.and_(Introduction.candidate_answer == Answer.ACCEPTED,
                                          Introduction.other_answer == Answer.ACCEPTED)),
                  counted(Introduction.exchange_id.is_not(None)), counted(Introduction.sign_up_id.is_not(None)))
        .where(Introduction.time_bank_id == time_bank_id, Introduction.created_at >= start,
               Introduction.created_at < end)
    ).one()
    return Conversion(first, last, made, accepted, exchanges, sign_ups)

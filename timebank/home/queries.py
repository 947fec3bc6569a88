"""Read-only figures for the home page. Bank totals come from the monthly summaries the ledger keeps
(``ledger.summaries``), an account's chart from a GROUP BY over its own last months, never from loading
every exchange; the only rows loaded are each account's ten most recent exchanges.

"Hours exchanged" everywhere means confirmed exchanges that still stand (a reversed exchange and its
reversal cancel out, so neither counts), dated by the day the help happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, ActivitySession, InKindContribution, Role, SignUp, SignUpStatus
from timebank.attendance import service as attendance
from timebank.audit.models import AuditEvent
from timebank.banks.models import TimeBank
from timebank.benefits import flags
from timebank.benefits.facts import Severity
from timebank.benefits.flags import SuppressedCount
from timebank.benefits.rulebook import tax_year_of
from timebank.clock import UK
from timebank.exchanges import reminders
from timebank.exchanges import service as exchanges
from timebank.exchanges.models import Dispute, DisputeStatus
from timebank.jobs.models import Job, JobState
from timebank.ledger import summaries
from timebank.ledger.models import Account, AccountMonthFact, Exchange, ExchangeState, HolderKind
from timebank.listings.models import Listing, ListingKind, ListingStatus
from timebank.members import policy
from timebank.members.models import BankRole, BankRoleName, Holder, Person
from timebank.membership.models import OPEN_STATUSES, Application
from timebank.money.models import Redemption
from timebank.pagination import Count, capped_counts, keyset_page
from timebank.safeguarding import service as safeguarding
from timebank.suppression import suppressed

RECENT_LIMIT = 10
CHART_MONTHS = 12
ACTIVE_DAYS = 90

@dataclass(frozen=True)
class MonthTotals:
    #: The first day of the month.
    month: dt.date
    given_minutes: int
    received_minutes: int


@dataclass(frozen=True)
class AccountSummary:
    account: Account
    name: str
    bank_name: str
    recent: list[Exchange]
    months: list[MonthTotals]

    @property
    def busiest_month_minutes(self) -> int:
        return max((max(m.given_minutes, m.received_minutes) for m in self.months), default=0)


@dataclass(frozen=True)
class HomeAccounts:
    accounts: list[AccountSummary]
    #: Account id → holder name, and category id → label, for every recent exchange shown.
    names: dict[int, str]
    categories: dict[int, str]


def _month_starts(today: dt.date, count: int) -> list[dt.date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def monthly_totals(session: Session, account_id: int, today: dt.date, months: int = CHART_MONTHS) -> list[MonthTotals]:
    """Minutes given and received in each of the last ``months`` months (this one included): one branch
    per side, each read through the (side, occurred_on) index."""
    starts = _month_starts(today, months)
    month = summaries.month_start(Exchange.occurred_on)

    def side(name: str, column: sa.ColumnElement[int]) -> sa.Select[tuple[str, dt.date, int]]:
        return (sa.select(sa.literal(name).label("side"), month.label("month"), sa.func.sum(Exchange.amount_minutes))
                .where(column == account_id, summaries.STANDING, Exchange.occurred_on >= starts[0])
                .group_by(month))

    found = {(name, start): int(minutes or 0) for name, start, minutes in session.execute(
        sa.union_all(side("given", Exchange.giver_account_id), side("received", Exchange.receiver_account_id))
    )}
    return [MonthTotals(start, found.get(("given", start), 0), found.get(("received", start), 0)) for start in starts]


def recent_exchanges(session: Session, account_id: int, limit: int = RECENT_LIMIT) -> list[Exchange]:
    return keyset_page(session, Exchange.id, exchanges.account_branches(sa.select(Exchange.id), [account_id]),
                       sort=exchanges.NEWEST_FIRST, per_page=limit).items


def own_accounts(session: Session, person: Person, today: dt.date) -> HomeAccounts:
    """Each account the person holds or holds for an organisation, with its recent exchanges and chart."""
    accounts = policy.own_accounts(session, person)
    recent = {account.id: recent_exchanges(session, account.id) for account in accounts}
    shown = [e for found in recent.values() for e in found]
    # One query names the accounts and everyone in their exchanges (an account is a party to its own).
    labels = exchanges.account_labels(session, {account.id for account in accounts} | exchanges.party_ids(shown))
    summaries = [
        AccountSummary(
            account=account,
            name=labels[account.id][0],
            bank_name=labels[account.id][1],
            recent=recent[account.id],
            months=monthly_totals(session, account.id, today),
        )
        for account in accounts
    ]
    names = {account_id: name for account_id, (name, _bank) in labels.items()}
    return HomeAccounts(summaries, names, exchanges.category_labels(session, shown))


# --- brokers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankOverview:
    bank: TimeBank
    #: Counted up to ``COUNT_CAP``: a bank's page costs the same however many members or exchanges it has.
    members: Count
    pending_exchanges: Count
    minutes_this_month: int
    open_applications: int
    expiring_checks: int
    open_disputes: int
    #: Benefit flags a broker still has to look at, by severity; ``None`` where the person is not a broker by
    #: role (an admin as such reads the access log, not flags).
    waiting_flags: dict[Severity, int] | None = None

    @property
    def waiting_flags_total(self) -> int:
        return sum((self.waiting_flags or {}).values())


def brokered_banks(session: Session, person: Person) -> list[TimeBank]:
    """The banks the person runs, by name (admins: every bank); no query for someone who brokers none."""
    if person.is_admin:  # admins have a broker's powers in every bank
        return list(session.scalars(sa.select(TimeBank).order_by(TimeBank.name)))
    ids = policy.bank_ids_with_role(session, person, BankRoleName.BROKER)
    if not ids:
        return []
    return list(session.scalars(sa.select(TimeBank).where(TimeBank.id.in_(ids)).order_by(TimeBank.name)))


def _members(time_bank_id: int) -> sa.Select[tuple[int]]:
    return (sa.select(Account.id).join(Holder, Holder.id == Account.holder_id)
            .where(Account.time_bank_id == time_bank_id, Holder.pseudonymised_at.is_(None)))


def _pending(time_bank_id: int) -> sa.Select[tuple[int]]:
    return sa.select(Exchange.id).where(Exchange.time_bank_id == time_bank_id, Exchange.state == ExchangeState.PENDING)


def broker_overview(session: Session, person: Person, banks: list[TimeBank], today: dt.date) -> list[BankOverview]:
    """Each of ``banks`` (``brokered_banks``) at a glance. Members and pending exchanges are counted per bank up
    to a cap (one index range each, all banks in one statement); applications and disputes stay few, as brokers
    deal with them. Each figure is one statement however many banks (DBS checks ending too:
    ``safeguarding.expiring_in``)."""
    ids = [b.id for b in banks]
    if not ids:
        return []
    members = capped_counts(session, {bank_id: _members(bank_id) for bank_id in ids})
    pending = capped_counts(session, {bank_id: _pending(bank_id) for bank_id in ids})
    this_month = summaries.month_minutes(session, ids, today.replace(day=1))
    applications = dict(
        session.execute(
            sa.select(Application.time_bank_id, sa.func.count(Application.id))
            .where(Application.time_bank_id.in_(ids), Application.status.in_(OPEN_STATUSES))
            .group_by(Application.time_bank_id)
        ).all()
    )
    disputes = dict(
        session.execute(
            sa.select(Dispute.time_bank_id, sa.func.count(Dispute.id))
            .where(Dispute.time_bank_id.in_(ids), Dispute.status == DisputeStatus.OPEN)
            .group_by(Dispute.time_bank_id)
        ).all()
    )
    # One aggregate for every bank the person brokers by role (none, and no statement, for anyone else).
    waiting = flags.waiting_counts(session, flags.brokered_banks(session, person) & set(ids))
    expiring = safeguarding.expiring_in(session, banks, today)
    return [
        BankOverview(b, members[b.id], pending[b.id], int(this_month.get(b.id) or 0), applications.get(b.id, 0),
                     len(expiring.get(b.id, [])), disputes.get(b.id, 0), waiting.get(b.id))
        for b in banks
    ]


@dataclass(frozen=True)
class StalePending:
    """Exchanges in the broker's banks that have waited more than a week for an answer."""

    exchanges: list[Exchange]
    names: dict[int, str]
    categories: dict[int, str]


def stale_pending(session: Session, banks: list[TimeBank], today: dt.date) -> StalePending:
    found = reminders.stale_pending(session, {b.id for b in banks}, today)
    return StalePending(found, exchanges.holder_names(session, found), exchanges.category_labels(session, found))


# --- funders ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundedBankFigures:
    """Aggregates only. ``None`` means the number is too small to show without identifying people."""

    bank_name: str
    minutes_exchanged: int | None
    exchanges: int | None
    active_members: int | None
    #: Benefit-safe flags this tax year, by rule and severity, small counts suppressed (never whose).
    benefit_flags: tuple[SuppressedCount, ...] = ()


def funder_overview(session: Session, person: Person, today: dt.date) -> list[FundedBankFigures]:
    """Totals for the banks the person funds, and nothing else."""
    ids = policy.bank_ids_with_role(session, person, BankRoleName.FUNDER)
    if not ids:
        return []
    banks = list(session.scalars(sa.select(TimeBank).where(TimeBank.id.in_(ids)).order_by(TimeBank.name)))
    totals = summaries.bank_totals(session, list(ids))
    flag_counts = flags.funder_counts(session, set(ids), tax_year_of(today)[0], today)
    since = today - dt.timedelta(days=ACTIVE_DAYS)

    def took_part(side: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
        # One probe of the (side, occurred_on) index per member, so the cost follows the members, not the
        # exchanges. A scalar subquery with LIMIT 1, not EXISTS, which PostgreSQL would turn into a hashed
        # scan of every exchange in those months.
        first = (sa.select(Exchange.id).where(side == Account.id, summaries.STANDING, Exchange.occurred_on >= since)
                 .limit(1).correlate(Account).scalar_subquery())
        return first.is_not(None)

    active = dict(
        session.execute(
            sa.select(Account.time_bank_id, sa.func.count(Account.id))
            .where(Account.time_bank_id.in_(ids), Account.holder_id.is_not(None),  # the community pot is not a member
                   sa.or_(took_part(Exchange.giver_account_id), took_part(Exchange.receiver_account_id)))
            .group_by(Account.time_bank_id)
        ).all()
    )
    figures = []
    for bank in banks:
        minutes, count = totals.get(bank.id, (0, 0))
        shown_count = suppressed(count)
        figures.append(
            FundedBankFigures(
                bank_name=bank.name,
                minutes_exchanged=minutes if shown_count is not None else None,
                exchanges=shown_count,
                active_members=suppressed(active.get(bank.id, 0)),
                benefit_flags=tuple(flag_counts.get(bank.id, ())),
            )
        )
    return figures


# --- the first screen: a resident's next steps, an organisation's week --------------------------------

#: How many of each kind of next step the first screen shows (each list links to the rest).
NEXT_STEPS = 3
#: How many days ahead an organisation's week looks, and how far back a session not yet marked stays on it.
WEEK_DAYS, UNMARKED_DAYS = 7, 14
#: The most sessions an organisation's week lists.
WEEK_SESSIONS = 12


@dataclass(frozen=True)
class ComingUp:
    session: ActivitySession
    activity_title: str
    role_title: str
    waiting: bool
    #: The titles in Welsh, where given (``None``: Welsh pages show the English).
    activity_title_cy: str | None
    role_title_cy: str | None


@dataclass(frozen=True)
class NextSteps:
    #: Exchanges waiting for the person's answer (the newest few).
    to_answer: list[Exchange]
    #: Their places and waiting-list entries on sessions to come (the soonest few), and whether there are more.
    coming_up: list[ComingUp]
    more_coming_up: bool
    #: Account id → name, for the other side of each exchange waiting.
    names: dict[int, str]


def next_steps(session: Session, person: Person, own: set[int], now: dt.datetime) -> NextSteps:
    """The few things a member does next: answer the exchanges waiting for their accounts (``own``, which
    the page has read already), go to their sessions (the first few of ``attendance.service.upcoming``, in
    one statement). As many statements whether or not anything waits: the names are read with the member's
    own accounts always among them."""
    waiting = exchanges.newest_to_answer(session, own, NEXT_STEPS)
    names = {account_id: name for account_id, (name, _bank)
             in exchanges.account_labels(session, own | exchanges.party_ids(waiting)).items()}
    rows = session.execute(
        sa.select(ActivitySession, Activity.title, Role.title, SignUp.status, Activity.title_cy, Role.title_cy)
        .join(SignUp, SignUp.session_id == ActivitySession.id)
        .join(Role, Role.id == ActivitySession.role_id).join(Activity, Activity.id == Role.activity_id)
        .where(attendance.still_to_come(person.id, now))
        .order_by(ActivitySession.starts_at, SignUp.id).limit(NEXT_STEPS + 1)
    ).all()
    coming = [ComingUp(row, activity, role, status is SignUpStatus.WAITING, activity_cy, role_cy)
              for row, activity, role, status, activity_cy, role_cy in rows]
    return NextSteps(waiting, coming[:NEXT_STEPS], len(coming) > NEXT_STEPS, names)


@dataclass(frozen=True)
class WeekSession:
    session: ActivitySession
    activity_title: str
    role_title: str
    booked: int
    #: Started and not marked yet: "mark who came" is its next step.
    to_mark: bool
    #: The titles in Welsh, where given (``None``: Welsh pages show the English).
    activity_title_cy: str | None
    role_title_cy: str | None

    @property
    def unfilled(self) -> int:
        return max(self.session.places - self.booked, 0)


@dataclass(frozen=True)
class OrganisationWeek:
    organisation_id: int
    name: str
    sessions: list[WeekSession]
    #: Residents who gave hours in the organisation's name this month, and those hours.
    volunteers: int
    minutes: int
    #: In-kind contributions recorded this year (from 1 January).
    in_kind: int


def organisation_weeks(session: Session, person: Person, now: dt.datetime, today: dt.date) -> list[OrganisationWeek]:
    """For each organisation the person runs: its sessions today and this week and those begun but not
    marked (the last fortnight's), soonest first, with places booked; its volunteers and their hours this
    month (the ledger's month facts, in the banks where the person's organisations hold accounts); its
    in-kind contributions this year. Four statements whatever the number of organisations, each along an
    index that starts with the organisation or its bank."""
    access = policy.access_of(session, person)
    organisations = sorted(access.holder_ids - {person.id})
    if not organisations:
        return []
    names = dict(session.execute(sa.select(Holder.id, Holder.display_name).where(Holder.id.in_(organisations))).all())
    booked = (sa.select(sa.func.count()).where(SignUp.session_id == ActivitySession.id,
                                               SignUp.status.in_((SignUpStatus.BOOKED, SignUpStatus.ATTENDED)))
              .correlate(ActivitySession).scalar_subquery())
    day_start = dt.datetime.combine(today, dt.time(), tzinfo=UK)
    rows = session.execute(
        sa.select(ActivitySession, Activity.organisation_id, Activity.title, Role.title, booked, Activity.title_cy,
                  Role.title_cy)
        .join(Role, Role.id == ActivitySession.role_id).join(Activity, Activity.id == Role.activity_id)
        .where(Activity.organisation_id.in_(organisations), ActivitySession.cancelled_at.is_(None),
               sa.or_(ActivitySession.starts_at.between(day_start, day_start + dt.timedelta(days=WEEK_DAYS)),
                      sa.and_(ActivitySession.attendance_marked_at.is_(None), ActivitySession.starts_at < now,
                              ActivitySession.starts_at >= day_start - dt.timedelta(days=UNMARKED_DAYS))))
        .order_by(ActivitySession.starts_at, ActivitySession.id).limit(WEEK_SESSIONS * len(organisations))
    ).all()
    sessions: dict[int, list[WeekSession]] = {organisation: [] for organisation in organisations}
    for row, organisation, activity_title, role_title, count, activity_title_cy, role_title_cy in rows:
        if len(sessions[organisation]) < WEEK_SESSIONS:
            sessions[organisation].append(WeekSession(row, activity_title, role_title, int(count),
                                                      row.starts_at <= now and row.attendance_marked_at is None,
                                                      activity_title_cy, role_title_cy))
    fact, month = AccountMonthFact, today.replace(day=1)
    given = dict((organisation, (int(people), int(minutes or 0))) for organisation, people, minutes in session.execute(
        sa.select(fact.organisation_id, sa.func.count(sa.distinct(fact.account_id)), sa.func.sum(fact.given_minutes))
        .where(fact.time_bank_id.in_(sorted(set(access.account_banks.values()))), fact.month == month,
               fact.organisation_id.in_(organisations), fact.given_exchanges > 0,
               fact.holder_kind == HolderKind.RESIDENT)
        .group_by(fact.organisation_id)))
    in_kind = dict(session.execute(
        sa.select(InKindContribution.organisation_id, sa.func.count())
        .where(InKindContribution.organisation_id.in_(organisations),
               InKindContribution.given_on >= today.replace(month=1, day=1))
        .group_by(InKindContribution.organisation_id)).all())
    return [OrganisationWeek(organisation, names.get(organisation, ""), sessions[organisation],
                             *given.get(organisation, (0, 0)), int(in_kind.get(organisation, 0)))
            for organisation in organisations]


# --- spend partners: an organisation's spend offers and what members spent with it --------------------

#: How many open spend offers, and latest redemptions, each organisation's part of the home page shows.
SPEND_OFFERS = 10
LATEST_REDEMPTIONS = 5


@dataclass(frozen=True)
class SpendOfferFigures:
    listing: Listing
    redeemed_this_month: int


@dataclass(frozen=True)
class LatestRedemption:
    redemption: Redemption
    #: The member who spent the credits.
    name: str


@dataclass(frozen=True)
class SpendPartnerHome:
    offers: list[SpendOfferFigures]
    redemptions: list[LatestRedemption]


def spend_partners(session: Session, organisation_ids: list[int], today: dt.date) -> dict[int, SpendPartnerHome]:
    """For each of the organisations that is a spend partner (it has an open spend offer, or members have
    spent credits with it): its open spend offers still up, each with how many times it was taken up this
    month, and its latest redemptions, by the day they happened, newest first. Two statements whatever the
    number of organisations or offers: the offers along the listings' holder index, each offer's count and the
    latest redemptions along the redemptions' partner index (``ix_redemptions_partner_id``)."""
    if not organisation_ids:
        return {}
    taken_up = (sa.select(sa.func.count()).where(Redemption.partner_id == Listing.holder_id,
                                                 Redemption.listing_id == Listing.id,
                                                 Redemption.occurred_on >= today.replace(day=1))
                .correlate(Listing).scalar_subquery())
    offers: dict[int, list[SpendOfferFigures]] = {organisation: [] for organisation in organisation_ids}
    for listing, count in session.execute(
        sa.select(Listing, taken_up)
        .where(Listing.holder_id.in_(organisation_ids), Listing.kind == ListingKind.SPEND,
               Listing.status == ListingStatus.OPEN, Listing.review_on >= today)
        .order_by(Listing.title, Listing.id).limit(SPEND_OFFERS * len(organisation_ids))
    ).all():
        if len(offers[listing.holder_id]) < SPEND_OFFERS:
            offers[listing.holder_id].append(SpendOfferFigures(listing, int(count)))
    latest: dict[int, list[LatestRedemption]] = {organisation: [] for organisation in organisation_ids}
    for redemption, name in session.execute(
        sa.select(Redemption, Holder.display_name).join(Holder, Holder.id == Redemption.person_id)
        .where(Redemption.partner_id.in_(organisation_ids))
        .order_by(Redemption.occurred_on.desc(), Redemption.id.desc())
        .limit(LATEST_REDEMPTIONS * len(organisation_ids))
    ).all():
        if len(latest[redemption.partner_id]) < LATEST_REDEMPTIONS:
            latest[redemption.partner_id].append(LatestRedemption(redemption, name))
    return {organisation: SpendPartnerHome(offers[organisation], latest[organisation])
            for organisation in organisation_ids if offers[organisation] or latest[organisation]}


# --- admins: the install's banks, staff, jobs and audit log -------------------------------------------

#: How many failed or running jobs, and audit events, an admin's home shows (each list links to the rest).
ADMIN_JOBS = 5
ADMIN_EVENTS = 10


@dataclass(frozen=True)
class LoggedEvent:
    event: AuditEvent
    #: Who did it; ``None`` for the system itself.
    actor_name: str | None


@dataclass(frozen=True)
class AdminHome:
    #: Brokers and funders in each bank, by bank id and role (a bank with none of a role is missing it).
    staff: dict[int, dict[BankRoleName, int]]
    #: Jobs that failed or are running, newest first.
    jobs: list[Job]
    #: The audit log's newest events, in every bank and none.
    events: list[LoggedEvent]


def admin_overview(session: Session, person: Person, banks: list[TimeBank]) -> AdminHome | None:
    """What an admin looks at first (``None``, and no statement, for anyone else): the staff of ``banks`` (the
    banks the admin runs, ``brokered_banks``, whose members ``broker_overview`` has counted), counted by role
    along the bank roles' (bank, person, role) key; the newest failed or running jobs along
    ``ix_jobs_state_id``; the newest audit events along the primary key. Three statements, each bounded."""
    if not person.is_admin:
        return None
    staff: dict[int, dict[BankRoleName, int]] = {}
    ids = [bank.id for bank in banks]
    if ids:
        for bank_id, role, count in session.execute(
            sa.select(BankRole.time_bank_id, BankRole.role, sa.func.count())
            .where(BankRole.time_bank_id.in_(ids)).group_by(BankRole.time_bank_id, BankRole.role)
        ).all():
            staff.setdefault(bank_id, {})[role] = int(count)
    jobs = list(session.scalars(sa.select(Job).where(Job.state.in_((JobState.FAILED, JobState.RUNNING)))
                                .order_by(Job.id.desc()).limit(ADMIN_JOBS)))
    events = [LoggedEvent(event, name) for event, name in session.execute(
        sa.select(AuditEvent, Holder.display_name).outerjoin(Holder, Holder.id == AuditEvent.actor_id)
        .order_by(AuditEvent.id.desc()).limit(ADMIN_EVENTS)
    ).all()]
    return AdminHome(staff, jobs, events)

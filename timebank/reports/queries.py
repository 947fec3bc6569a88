"""The raw figures of a contribution report: one aggregate query per table, run in the database.

Design note:

* Every query takes a **scope** (a list of ``(bank id, organisation id or None, activity id or None)``: a
  whole bank, one organisation's work in it, or one activity; a row counts once however many scopes it
  falls in) and a **period** of whole months (``figures.Period``), and returns plain rows of codes and
  numbers. Nothing here is disclosure-controlled: ``reports.compute`` passes every table through
  ``reports.disclosure`` before anyone sees it.
* Hours come from the ledger's month facts (``ExchangeMonthFact``), people from each account's year facts
  (``AccountYearFact``: the months it gave and received in, as bits), never from exchanges: a report reads
  a few rows per bank and month, and one per member and year, whatever the number of exchanges. Both count
  standing exchanges in the month the help happened, net of reversals (``ledger.summaries``), and
  ``ledger verify`` re-derives them.
* Each cell comes with its **frequency**, what disclosure control judges it by: for hours the number of
  exchanges behind it, for people (and things counted) the count itself.
* **People** are the accounts of residents and organisations (never the community pot) with some standing
  exchange in the scope and period: **active**; **new**, opened in the period and active; **retained**,
  active in both halves of the period (the first half is the first ⌈n/2⌉ of its n months, so a one-month
  period retains nobody); **gave**, **received** and both. Demographics count active residents who agreed
  to be counted (``Profile.in_reports_at``), by the age band and postcode district they gave.
* **Outcomes**: an hour counts for the outcomes of the programme its role is tagged with; if its role has
  none of them, for those its activity is tagged with. An hour can serve several outcomes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, InKindContribution
from timebank.benefits import flags
from timebank.brokerage import queries as brokerage
from timebank.categories.models import Category
from timebank.clock import UK
from timebank.feedback.models import FeedbackAnswer
from timebank.ledger.models import Account, AccountYearFact, ExchangeMonthFact, HolderKind
from timebank.members.models import Holder
from timebank.profiles.models import Profile
from timebank.programmes.models import ActivityOutcome, ProgrammeOutcome, RoleOutcome
from timebank.reports.figures import Period

#: What a report covers in one bank: ``(bank id, organisation id or None, activity id or None)``.
Scope = tuple[int, int | None, int | None]


class Hours(NamedTuple):
    """One cell of an hours table: its key (one or two codes), minutes and the exchanges behind them."""

    key: tuple[str, ...]
    minutes: int
    exchanges: int


class People(NamedTuple):
    active: int
    new: int
    retained: int
    gave: int
    received: int
    gave_and_received: int


class InKind(NamedTuple):
    kind: str
    count: int
    minutes: int
    pence: int


class Introductions(NamedTuple):
    made: int
    accepted: int
    led_to_exchange: int
    led_to_sign_up: int


class Counted(NamedTuple):
    """A count of people or things under one key (an answer, a band, a district, a rule and severity)."""

    key: tuple[str, ...]
    count: int


def months_of(period: Period) -> list[dt.date]:
    """The first day of each month of the period, in order."""
    months, month = [], period.first.replace(day=1)
    while month <= period.last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def whole_banks(scopes: Sequence[Scope]) -> list[int]:
    """The banks the scope covers whole (introductions and flags are counted for those only)."""
    return sorted({bank for bank, organisation, activity in scopes if organisation is None and activity is None})


def _in_scope(scopes: Sequence[Scope], bank: Any, organisation: Any, activity: Any) -> sa.ColumnElement[bool]:
    """Rows of these columns that fall in any of the scopes."""
    return sa.or_(sa.false(), *(
        sa.and_(bank == bank_id, *([organisation == organisation_id] if organisation_id else []),
                *([activity == activity_id] if activity_id else []))
        for bank_id, organisation_id, activity_id in scopes
    ))


def _facts(scopes: Sequence[Scope], period: Period) -> sa.ColumnElement[bool]:
    fact = ExchangeMonthFact
    return sa.and_(_in_scope(scopes, fact.time_bank_id, fact.organisation_id, fact.activity_id),
                   fact.month.between(period.first, period.last))


def _hours(session: Session, keys: Sequence[sa.ColumnElement[Any]], query: sa.Select[Any]) -> list[Hours]:
    """Minutes and exchanges of the facts in ``query`` (already joined and filtered), grouped by ``keys``."""
    rows = session.execute(
        query.add_columns(sa.func.sum(ExchangeMonthFact.minutes), sa.func.sum(ExchangeMonthFact.exchanges))
        .group_by(*keys).order_by(*keys)
    )
    return [Hours(tuple(_code(value) for value in row[:-2]), int(row[-2]), int(row[-1]))
            for row in rows if row[-1]]


def _code(value: Any) -> str:
    return value.strftime("%Y-%m") if isinstance(value, dt.date) else str(value)


def kinds(session: Session, scopes: Sequence[Scope], period: Period) -> list[Hours]:
    """Hours by giver kind × receiver kind."""
    keys = (ExchangeMonthFact.giver_kind, ExchangeMonthFact.receiver_kind)
    return _hours(session, keys, sa.select(*keys).where(_facts(scopes, period)))


def categories(session: Session, scopes: Sequence[Scope], period: Period) -> list[Hours]:
    """Hours by category code."""
    return _hours(session, (Category.code,), sa.select(Category.code)
                  .join(Category, Category.id == ExchangeMonthFact.category_id).where(_facts(scopes, period)))


def forms(session: Session, scopes: Sequence[Scope], period: Period) -> list[Hours]:
    """Hours from activities, by the activity's form of co-production (other hours have no form)."""
    return _hours(session, (Activity.form,), sa.select(Activity.form)
                  .join(Activity, Activity.id == ExchangeMonthFact.activity_id).where(_facts(scopes, period)))


def matrix(session: Session, scopes: Sequence[Scope], period: Period) -> list[Hours]:
    """Hours from activities by who designed × who delivered them (the co-production matrix's cells)."""
    keys = (Activity.designed_by, Activity.delivered_by)
    return _hours(session, keys, sa.select(*keys)
                  .join(Activity, Activity.id == ExchangeMonthFact.activity_id).where(_facts(scopes, period)))


def months(session: Session, scopes: Sequence[Scope], period: Period) -> list[Hours]:
    """Hours by month (``YYYY-MM``); months without any are left out."""
    return _hours(session, (ExchangeMonthFact.month,),
                  sa.select(ExchangeMonthFact.month).where(_facts(scopes, period)))


def outcomes(session: Session, scopes: Sequence[Scope], period: Period, programme_id: int) -> list[Hours]:
    """Hours by the programme's outcome id: each hour counts for every outcome its role or its activity is
    tagged with (once for an outcome both are tagged with)."""
    fact = ExchangeMonthFact
    ours = sa.select(ProgrammeOutcome.id).where(ProgrammeOutcome.programme_id == programme_id)
    # A fact row is one by its key: UNION (not UNION ALL) keeps each (row, outcome) pair once.
    key = (fact.time_bank_id, fact.month, fact.giver_kind, fact.receiver_kind, fact.category_id,
           fact.organisation_id, fact.activity_id, fact.role_id, fact.minutes, fact.exchanges)
    tagged = sa.union(
        sa.select(RoleOutcome.outcome_id, *key)
        .join(RoleOutcome, RoleOutcome.role_id == fact.role_id)
        .where(_facts(scopes, period), RoleOutcome.outcome_id.in_(ours)),
        sa.select(ActivityOutcome.outcome_id, *key)
        .join(ActivityOutcome, ActivityOutcome.activity_id == fact.activity_id)
        .where(_facts(scopes, period), ActivityOutcome.outcome_id.in_(ours)),
    ).subquery("tagged")
    rows = session.execute(
        sa.select(tagged.c.outcome_id, sa.func.sum(tagged.c.minutes), sa.func.sum(tagged.c.exchanges))
        .group_by(tagged.c.outcome_id).order_by(tagged.c.outcome_id)
    )
    return [Hours((str(outcome),), int(minutes), int(count)) for outcome, minutes, count in rows if count]


def _uk_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=UK)


def _bits(months: Sequence[dt.date], year: sa.ColumnElement[int]) -> sa.ColumnElement[int]:
    """The bits of these months in the year facts' row of ``year`` (``0`` in a year with none of them)."""
    by_year: dict[int, int] = {}
    for month in months:
        by_year[month.year] = by_year.get(month.year, 0) | 1 << (month.month - 1)
    return sa.case(by_year, value=year, else_=0) if by_year else sa.literal(0)


def _active(scopes: Sequence[Scope], period: Period, among: sa.Select[tuple[int]] | None = None) -> sa.Subquery:
    """One row per active account (a resident's or an organisation's; ``among`` these accounts only, if given),
    saying (``1`` or ``0``) whether it gave and received in the scope and period, and whether it took part in
    each half of the period; read from its year facts, one row per year (and organisation and activity)
    whatever the length of the period."""
    fact = AccountYearFact
    months = months_of(period)
    half = (len(months) + 1) // 2
    both = fact.gave_months.bitwise_or(fact.received_months)

    def any_in(bits: sa.ColumnElement[int], among: Sequence[dt.date]) -> sa.ColumnElement[int]:
        return sa.func.max(sa.case((bits.bitwise_and(_bits(among, fact.year)) != 0, 1), else_=0))

    return (
        sa.select(fact.account_id, any_in(fact.gave_months, months).label("gave"),
                  any_in(fact.received_months, months).label("received"),
                  any_in(both, months[:half]).label("early"), any_in(both, months[half:]).label("late"))
        .where(_in_scope(scopes, fact.time_bank_id, fact.organisation_id, fact.activity_id),
               fact.year.between(period.first.year, period.last.year), fact.holder_kind != HolderKind.COMMUNITY_POT,
               *([fact.account_id.in_(among)] if among is not None else []))
        .group_by(fact.account_id)
        .having(any_in(both, months) > 0)
        .subquery("active")
    )


def people(session: Session, scopes: Sequence[Scope], period: Period) -> People:
    """Active, new, retained, giving, receiving and both, in one aggregate."""
    active = _active(scopes, period)
    opened = sa.and_(Account.opened_at >= _uk_start(period.first),
                     Account.opened_at < _uk_start(period.last + dt.timedelta(days=1)))

    def counted(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = session.execute(
        sa.select(sa.func.count(), counted(opened), counted(sa.and_(active.c.early > 0, active.c.late > 0)),
                  counted(active.c.gave > 0), counted(active.c.received > 0),
                  counted(sa.and_(active.c.gave > 0, active.c.received > 0)))
        .select_from(active).join(Account, Account.id == active.c.account_id)
    ).one()
    return People(*(int(value) for value in row))


def _consenting(scopes: Sequence[Scope], period: Period, key: sa.ColumnElement[Any]) -> sa.Select[Any]:
    """Active residents who agreed to be counted, by ``key``: those who agreed are found first (in the scope's
    banks), so that only their facts are read."""
    agreed = (
        sa.select(Account.id).join(Profile, Profile.holder_id == Account.holder_id)
        .where(Account.time_bank_id.in_(sorted({bank for bank, _, _ in scopes})),
               Account.holder_kind == HolderKind.RESIDENT, Profile.in_reports_at.is_not(None))
    )
    active = _active(scopes, period, among=agreed)
    return (
        sa.select(key, sa.func.count())
        .select_from(active)
        .join(Account, Account.id == active.c.account_id)
        .join(Holder, Holder.id == Account.holder_id)
        .join(Profile, Profile.holder_id == Account.holder_id)
        .where(key.is_not(None))
        .group_by(key).order_by(key)
    )


def age_bands(session: Session, scopes: Sequence[Scope], period: Period) -> list[Counted]:
    """Active residents who agreed to be counted in reports, by the age band they gave."""
    return [Counted((str(band),), count) for band, count in session.execute(
        _consenting(scopes, period, Profile.age_band))]


def districts(session: Session, scopes: Sequence[Scope], period: Period) -> list[Counted]:
    """Active residents who agreed to be counted in reports, by their postcode district."""
    return [Counted((district,), count) for district, count in session.execute(
        _consenting(scopes, period, Holder.postcode_district))]


def in_kind(session: Session, scopes: Sequence[Scope], period: Period) -> list[InKind]:
    """Organisations' contributions given in the period, by kind: how many, their minutes and their value."""
    given = InKindContribution
    return [InKind(str(kind), count, int(minutes), int(pence)) for kind, count, minutes, pence in session.execute(
        sa.select(given.kind, sa.func.count(), sa.func.coalesce(sa.func.sum(given.minutes), 0),
                  sa.func.coalesce(sa.func.sum(given.value_pence), 0))
        .where(_in_scope(scopes, given.time_bank_id, given.organisation_id, given.activity_id),
               given.given_on.between(period.first, period.last))
        .group_by(given.kind).order_by(given.kind)
    )]


def introductions(session: Session, scopes: Sequence[Scope], period: Period) -> Introductions:
    """Brokers' introductions made in the period and what came of them, in the banks the scope covers whole."""
    found = [brokerage.conversion(session, bank, period.first, period.last) for bank in whole_banks(scopes)]
    return Introductions(*(sum(getattr(each, name) for each in found) for name in Introductions._fields))


def _answers(session: Session, scopes: Sequence[Scope], period: Period,
             column: sa.ColumnElement[Any]) -> list[Counted]:
    answer = FeedbackAnswer
    return [Counted((str(value),), count) for value, count in session.execute(
        sa.select(column, sa.func.count())
        .where(_in_scope(scopes, answer.time_bank_id, answer.organisation_id, answer.activity_id),
               answer.answered_on.between(period.first, period.last), column.is_not(None))
        .group_by(column).order_by(column)
    )]


def answers_how(session: Session, scopes: Sequence[Scope], period: Period) -> list[Counted]:
    """Participants' answers to "How did it go?" (1 to 5), counted; never a comment."""
    return _answers(session, scopes, period, FeedbackAnswer.how_it_went)


def answers_again(session: Session, scopes: Sequence[Scope], period: Period) -> list[Counted]:
    """Participants' answers to "Would you do it again?", counted."""
    return _answers(session, scopes, period, FeedbackAnswer.again)


def benefit_flags(session: Session, scopes: Sequence[Scope], period: Period) -> list[Counted]:
    """Benefit-safe flags by rule and severity, in the banks the scope covers whole (raw counts: the report's
    disclosure control decides what is shown)."""
    totals: dict[tuple[str, str], int] = {}
    for _bank, rule_id, severity, count in flags.raw_counts(session, set(whole_banks(scopes)), period.first,
                                                             period.last):
        totals[rule_id, str(severity)] = totals.get((rule_id, str(severity)), 0) + count
    return [Counted(key, count) for key, count in sorted(totals.items())]

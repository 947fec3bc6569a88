"""What several rules share: the windows that end in a context's span, money and hours as the figures
give them, an expense's extra over its receipts (TB-03, and the weekly money of TB-05 to TB-07), and the
hours a member was paid for. Pure, like the rules."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, ExpensePaid, Given, PaymentReceived
from timebank.benefits.rulebook import (
    Context,
    Figure,
    Reference,
    assessment_period,
    benefit_week,
    pounds,
    rolling_28_days,
    tax_year_of,
)

T = TypeVar("T")
DAY = dt.timedelta(days=1)
#: A rolling window's length and a benefit week's.
WINDOW_DAYS = 28
WEEK_DAYS = 7


#: Each benefit's name as a broker's message shows it.
BENEFIT_NAMES = {
    Benefit.UC: _l("Universal Credit"),
    Benefit.NS_JSA: _l("New Style JSA"),
    Benefit.NS_ESA: _l("New Style ESA"),
    Benefit.ESA_IR: _l("income-related ESA"),
    Benefit.PIP: _l("PIP"),
    Benefit.ADP: _l("Adult Disability Payment"),
    Benefit.DLA: _l("DLA"),
    Benefit.AA: _l("Attendance Allowance"),
    Benefit.CA: _l("Carer's Allowance"),
    Benefit.CSP: _l("Carer Support Payment"),
    Benefit.PC: _l("Pension Credit"),
    Benefit.HB: _l("Housing Benefit"),
    Benefit.CTR: _l("Council Tax Reduction"),
    Benefit.SP: _l("State Pension"),
}


class BenefitNames(tuple):
    """Benefits for a message's ``%(benefits)s``: a tuple of their codes (what a flag stores, in
    ``Benefit`` order) that reads as their names, in the language of whoever reads the message."""

    def __new__(cls, benefits: Iterable[Benefit | str]) -> BenefitNames:
        chosen = {Benefit(b) for b in benefits}
        return super().__new__(cls, tuple(b.value for b in Benefit if b in chosen))

    def __str__(self) -> str:
        return ", ".join(str(BENEFIT_NAMES[Benefit(code)]) for code in self)


def benefits_of(ctx: Context, concerned: Iterable[Benefit]) -> BenefitNames:
    """The member's benefits among those a rule concerns."""
    return BenefitNames(ctx.profile.benefits & frozenset(concerned))


def pence(figure: Figure) -> int:
    """A figure in pounds as whole pence (£195.50 → 19550)."""
    return int(figure.value * 100)


def minutes(figure: Figure) -> Decimal:
    """A figure in hours as minutes (17.5 → 1050), exact."""
    return figure.value * 60


def days_back(ctx: Context) -> Iterator[dt.date]:
    """The span's days, latest first: pattern rules keep the latest window in the span where they hold."""
    day = ctx.span_end
    while day >= ctx.span_start:
        yield day
        day -= DAY


def weeks_ending_in(ctx: Context) -> list[tuple[dt.date, dt.date]]:
    """The member's benefit weeks that end in the span, earliest first."""
    start, end = benefit_week(ctx.span_start, ctx.profile.benefit_week_starts)
    weeks = []
    while start <= ctx.span_end:
        if ctx.in_span(end):
            weeks.append((start, end))
        start, end = start + WEEK_DAYS * DAY, end + WEEK_DAYS * DAY
    return weeks


def periods_ending_in(ctx: Context) -> list[tuple[dt.date, dt.date]]:
    """The member's UC assessment periods that end in the span, earliest first."""
    periods = []
    start, end = assessment_period(ctx.span_start, ctx.profile.uc_assessment_day)
    while start <= ctx.span_end:
        if ctx.in_span(end):
            periods.append((start, end))
        start, end = assessment_period(end + DAY, ctx.profile.uc_assessment_day)
    return periods


class ByDate(Generic[T]):
    """Records sorted by a date, for the records between two dates without a scan (a pattern rule asks
    for every day's 28-day window)."""

    def __init__(self, records: Iterable[T], date_of: Callable[[T], dt.date]) -> None:
        self.records = sorted(records, key=date_of)
        self.days = [date_of(record) for record in self.records]

    def between(self, start: dt.date, end: dt.date) -> Sequence[T]:
        return self.records[bisect.bisect_left(self.days, start): bisect.bisect_right(self.days, end)]


def latest_window(ctx: Context, holds: Callable[[dt.date, dt.date], T | None],
                  changes: Iterable[dt.date]) -> tuple[dt.date, dt.date, T] | None:
    """The latest 28-day window ending in the span for which ``holds(start, end)`` finds something, and what
    it found; ``None`` if it holds for none. A pattern keeps one key while it lasts, and re-evaluating a
    later span moves that flag's window instead of raising another.

    ``changes`` are the days on which what ``holds`` reads may change (``window_changes``: a record enters
    a window, or leaves it). Between them, and the days the figures change, a pattern holds on every day or
    on none, so only the last day before each change is asked, not every day of a long span. Figures that
    cannot say when they change (no ``effective_dates``) are asked about every day."""
    for day in last_days_before_changes(ctx, changes):
        start, end = rolling_28_days(day)
        found = holds(start, end)
        if found is not None:
            return start, end, found
    return None


def last_days_before_changes(ctx: Context, changes: Iterable[dt.date]) -> Iterable[dt.date]:
    """The span's end, and each day in the span that comes just before a change: latest first."""
    effective_dates = getattr(ctx.figures, "effective_dates", None)
    if effective_dates is None:
        return days_back(ctx)
    days = {ctx.span_end}
    for change in (*changes, *effective_dates()):
        day = change - DAY
        if ctx.in_span(day):
            days.add(day)
    return sorted(days, reverse=True)


def window_changes(days: Iterable[dt.date], *reaches: int) -> list[dt.date]:
    """The days a window ending on day d changes, for records on ``days``: a record dated r is in the window
    from d = r + reach for the first of ``reaches`` to the day before the next (a 28-day window: 0 and 28)."""
    return [day + reach * DAY for day in days for reach in reaches]


def references(kind: Reference, ids: Iterable[int]) -> tuple[tuple[Reference, int], ...]:
    return tuple((kind, record_id) for record_id in sorted(set(ids)))


def sum_minutes(given: Iterable[Given]) -> int:
    return sum(record.minutes for record in given)


# --- expenses (TB-03, and the money in a week or period) ----------------------------------------------


@dataclass(frozen=True)
class ExpenseCheck:
    """What TB-03 finds in one expense: why it may not be a repayment of actual costs, the pence paid
    beyond what costs allow, and the figures compared."""

    expense: ExpensePaid
    #: Codes, in order: above_receipts, flat_rate, no_receipt, mileage_rate.
    reasons: tuple[str, ...]
    #: What actual costs allow: receipts, plus miles at the approved rates for a mileage claim.
    allowed_pence: int
    #: Paid minus allowed, when positive.
    excess_pence: int
    thresholds: tuple[Figure, ...]


def miles_before(ctx: Context, expense: ExpensePaid) -> int:
    """Miles (in tenths) the member claimed earlier in the same tax year, across all organisations: HMRC's
    approved rate falls after 10,000 miles a tax year. The evidence holds the whole tax year."""
    start, _ = tax_year_of(expense.paid_on)
    return sum(
        other.miles_tenths or 0 for other in ctx.evidence.expenses
        if other.kind == "mileage" and start <= other.paid_on
        and (other.paid_on, other.expense_id) < (expense.paid_on, expense.expense_id)
    )


def check_expense(ctx: Context, expense: ExpensePaid) -> ExpenseCheck:
    day = expense.paid_on
    tolerance = ctx.figures.get("tb03_tolerance_gbp", day)
    no_receipt_max = ctx.figures.get("tb03_no_receipt_max_gbp", day)
    thresholds: list[Figure] = [tolerance]
    reasons: list[str] = []
    allowed = expense.amount_receipted_pence
    mileage = expense.kind == "mileage" and expense.miles_tenths is not None
    if mileage:
        first = ctx.figures.get("hmrc_amap_first_10000_miles", day)
        over = ctx.figures.get("hmrc_amap_over_10000_miles", day)
        band = ctx.figures.get("hmrc_amap_miles_band", day)
        thresholds += [first, over, band]
        band_tenths = int(band.value * 10)
        before = miles_before(ctx, expense)
        tenths = expense.miles_tenths or 0
        under_band = max(0, min(tenths, band_tenths - before))
        # Tenths of a mile times pence a mile: compare in tenths of a penny, so 45p on 45p is exact.
        approved_tenth_pence = under_band * first.value * 100 + (tenths - under_band) * over.value * 100
        paid_tenth_pence = tenths * (expense.rate_per_mile_pence or 0)
        if paid_tenth_pence > approved_tenth_pence:
            reasons.append("mileage_rate")
        allowed += int(approved_tenth_pence / 10)
    excess = expense.amount_paid_pence - allowed
    if excess > pence(tolerance) and "mileage_rate" not in reasons:
        reasons.insert(0, "above_receipts")
    if expense.flat_rate:
        reasons.append("flat_rate")
    if not mileage and expense.receipts_count == 0 and expense.amount_paid_pence > pence(no_receipt_max):
        reasons.append("no_receipt")
        thresholds.append(no_receipt_max)
    return ExpenseCheck(expense, tuple(reasons), allowed, max(0, excess), tuple(thresholds))


@dataclass(frozen=True)
class Money:
    """Payments and extra expenses in a window: what TB-05 to TB-07 add up."""

    total_pence: int
    payments: tuple[PaymentReceived, ...]
    expenses: tuple[ExpenseCheck, ...]

    @property
    def references(self) -> tuple[tuple[Reference, int], ...]:
        return (references(Reference.PAYMENT, (p.payment_id for p in self.payments))
                + references(Reference.EXPENSE, (c.expense.expense_id for c in self.expenses)))

    @property
    def organisations(self) -> str:
        names = {p.organisation_name for p in self.payments} | {c.expense.organisation_name for c in self.expenses}
        return ", ".join(sorted(names))

    @property
    def thresholds(self) -> tuple[Figure, ...]:
        seen: dict[tuple[str, dt.date], Figure] = {}
        for check in self.expenses:
            for figure in check.thresholds:
                seen[(figure.name, figure.effective_from)] = figure
        return tuple(seen.values())


def money_between(ctx: Context, start: dt.date, end: dt.date) -> Money:
    """Payments dated in the window, and the extra paid on expenses TB-03 would flag for it."""
    payments = tuple(p for p in ctx.evidence.payments if start <= p.paid_on <= end)
    checks = tuple(
        check for check in (check_expense(ctx, e) for e in ctx.evidence.expenses if start <= e.paid_on <= end)
        if check.reasons and check.excess_pence > 0
    )
    total = sum(p.amount_pence for p in payments) + sum(c.excess_pence for c in checks)
    return Money(total, payments, checks)


def paid_given(ctx: Context, start: dt.date, end: dt.date) -> list[Given]:
    """Time given in the window in an activity that paid the member in the same window: the time bank's
    nearest record of paid hours (it records no contracts)."""
    paying = {p.activity_id for p in ctx.evidence.payments if p.activity_id is not None and start <= p.paid_on <= end}
    return [
        g for g in ctx.evidence.given
        if start <= g.occurred_on <= end and g.role is not None and g.role.activity_id in paying
    ]


def pounds_of(figure: Figure) -> str:
    return pounds(pence(figure))


class Coded(str):
    """A code as a finding stores it (``fee``, ``public_body``), read as words in the reader's language from
    the subclass's ``LABELS`` (so a flag saved in English reads in Welsh too)."""

    __slots__ = ()
    LABELS: ClassVar[Mapping[str, Any]] = {}

    def __str__(self) -> str:
        return str(self.LABELS.get(self.lower(), self.lower()))

"""The shape every benefit rule has, and the windows they count in.

A rule is one small unit (``rules/tb01.py`` …): its id, the benefits it concerns, what it reads, its
window, its message templates (the member's words and the broker's, translated) and ``evaluate``, a pure
function from a ``Context`` (profile, evidence, figures, the span to look at) to ``Finding`` s. The
engine turns findings into flags: a finding's ``key`` names the evidence it rests on (``payment:12``,
``week:2026-04-06``, ``role:7``), so the same evidence found again updates the same flag instead of
raising a second one, and a flag whose key is no longer found in the span it was looked for in resolves
itself.

Rules never read the database, the clock or the request: everything is in the context.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from timebank.benefits.facts import Benefit, Evidence, Profile, Severity


class FigureKind(enum.StrEnum):
    #: Set by law or by the benefit's published rules (a rate, a limit).
    STATUTORY = "statutory"
    #: This product's own prompt for a conversation: never presented as law.
    HEURISTIC = "heuristic"


@dataclass(frozen=True)
class Figure:
    """One threshold as the data file gives it, in force from ``effective_from``."""

    name: str
    value: Decimal
    unit: str
    effective_from: dt.date
    kind: FigureKind
    source: str
    verified: bool
    #: The tax year of the file it came from, "2026/27".
    tax_year: str


class Figures(Protocol):
    """The thresholds in force on a date (``figures.FigureBook``)."""

    def get(self, name: str, on: dt.date) -> Figure: ...


class Window(enum.StrEnum):
    """What a rule counts over."""

    #: One record at a time (a redemption, an expense, a payment, an exchange).
    EVENT = "event"
    #: The member's benefit week (Monday to Sunday unless their profile says another start day).
    BENEFIT_WEEK = "benefit_week"
    #: The 28 days ending on a day.
    ROLLING_28_DAYS = "rolling_28_days"
    #: A Universal Credit assessment period (a calendar month unless the profile gives its start day).
    ASSESSMENT_PERIOD = "assessment_period"
    #: 6 April to 5 April.
    TAX_YEAR = "tax_year"


class Reference(enum.StrEnum):
    """The kinds of record a flag's evidence links to."""

    EXCHANGE = "exchange"
    REDEMPTION = "redemption"
    EXPENSE = "expense"
    PAYMENT = "payment"
    SIGN_UP = "sign_up"


@dataclass(frozen=True)
class Finding:
    """What a rule found: the evidence behind it and the figures it computed and compared."""

    rule_id: str
    key: str
    severity: Severity
    window_start: dt.date
    window_end: dt.date
    #: The records behind it, as (kind, id).
    references: tuple[tuple[Reference, int], ...]
    #: The thresholds it compared against (with their tax year, source, kind and verified flag).
    thresholds: tuple[Figure, ...] = ()
    #: What it computed, for the broker: name → value as shown ("£212.00", "18.5").
    computed: Mapping[str, str] = field(default_factory=dict)
    #: The placeholders of the rule's messages ({member} is filled by the engine).
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    profile: Profile
    evidence: Evidence
    figures: Figures
    #: Find what ends in this span (inclusive): windows that end in it, records dated in it.
    span_start: dt.date
    span_end: dt.date

    def in_span(self, day: dt.date) -> bool:
        return self.span_start <= day <= self.span_end


@dataclass(frozen=True)
class Rule:
    id: str
    #: A short name for lists and filters ("Credits turned into cash").
    title: Any  # a lazy string
    #: The benefits it concerns; it runs for a member who has any of them.
    benefits: frozenset[Benefit]
    #: The kinds of evidence it reads (``Reference`` values), for the docs and for choosing whom to re-run.
    reads: frozenset[Reference]
    window: Window
    #: How many days before the span's start the evidence must reach back for this rule.
    lookback_days: int
    #: Templates, lazy strings with %(name)s placeholders from ``Finding.params`` (and ``member``).
    member_text: Any
    broker_text: Any
    evaluate: Callable[[Context], list[Finding]]
    #: Runs for every member, consent or not, as a general good-practice check (TB-01, TB-03): its
    #: wording names no benefit and its evaluation reads no part of the profile.
    for_everyone: bool = False


# --- windows -------------------------------------------------------------------------------------------


def benefit_week(day: dt.date, starts: int = 0) -> tuple[dt.date, dt.date]:
    """The benefit week holding ``day``: seven days from the last ``starts`` weekday (0 Monday)."""
    start = day - dt.timedelta(days=(day.weekday() - starts) % 7)
    return start, start + dt.timedelta(days=6)


def rolling_28_days(day: dt.date) -> tuple[dt.date, dt.date]:
    """The 28 days ending on ``day``."""
    return day - dt.timedelta(days=27), day


def assessment_period(day: dt.date, start_day: int | None = None) -> tuple[dt.date, dt.date]:
    """The UC assessment period holding ``day``: from ``start_day`` of a month (its last day in a shorter
    month) to the day before that of the next; a calendar month without a start day."""
    start_day = start_day or 1

    def start_in(year: int, month: int) -> dt.date:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return dt.date(year, month, min(start_day, last))

    start = start_in(day.year, day.month)
    if start > day:
        start = start_in(day.year - (day.month == 1), 12 if day.month == 1 else day.month - 1)
    following = start_in(start.year + start.month // 12, start.month % 12 + 1)
    return start, following - dt.timedelta(days=1)


def tax_year_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The UK tax year holding ``day``: 6 April to 5 April."""
    year = day.year if day >= dt.date(day.year, 4, 6) else day.year - 1
    return dt.date(year, 4, 6), dt.date(year + 1, 4, 5)


def tax_year_label(day: dt.date) -> str:
    """ "2026/27" for any day from 6 April 2026 to 5 April 2027."""
    start, _ = tax_year_of(day)
    return f"{start.year}/{(start.year + 1) % 100:02d}"


def pounds(pence: int) -> str:
    """£1,234.50 (no rounding: whole pence)."""
    return f"£{pence // 100:,}.{pence % 100:02d}" if pence >= 0 else "−" + pounds(-pence)


def hours(minutes: int | Decimal) -> str:
    """18.5 (one decimal place, no trailing .0)."""
    value = Decimal(minutes) / 60
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text

"""What a contribution report is made of, once computed and disclosure-controlled: every output (the page,
its charts, the CSV files, the PDF and the JSON) is drawn from one ``Report``, so they always agree.

Design note:

* A report is a list of **tables**. Each has a stable ``key`` (the CSV file's name, the JSON's key, the
  chart's id), a **unit** (hours are kept as whole minutes; people and things as counts; money in pence; a
  share in tenths of a per cent), **row keys** and **column keys** that are codes, never words (holder kinds,
  category codes, co-production forms, outcome ids, ``YYYY-MM`` months …): the outputs put them into words
  in the reader's language (``reports.labels``), and a code is never a person.
* A **figure** is a value or ``None``, which means *suppressed*: the disclosure control
  (``reports.disclosure``) has hidden it, either because it counts fewer people than the threshold
  (primary) or because it would let one of those be worked out from a total (secondary). ``reason`` says
  which, so the outputs can say "fewer than 5" for a primary count of people and "hidden" otherwise.
* Totals are figures too, and are suppressed by the same rule; a table without totals has ``None`` there.
* The tables every report has, by key: ``kinds`` (giver kind × receiver kind, minutes, with totals),
  ``categories``, ``forms`` (co-production forms), ``outcomes`` (the programme's, not additive: an hour
  can serve several), ``matrix`` (designed by × delivered by, the nine cells), ``months`` (minutes),
  ``people`` (active, new, retained, gave, received, gave_and_received), ``reciprocity`` (permille),
  ``in_kind`` (contribution kinds × count, minutes, pence), ``introductions`` (made, accepted,
  led_to_exchange, led_to_sign_up), ``answers_how`` (1–5), ``answers_again`` (yes, no, not_sure),
  ``age_bands`` and ``districts`` (consenting active members only), and, for funders and brokers only,
  ``flags`` (rule × severity).
* ``previous`` is the same table for the previous period of the same length (same keys), disclosure-
  controlled together with the current one, so that no difference reveals a hidden figure.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field


class Unit(enum.StrEnum):
    MINUTES = "minutes"
    PEOPLE = "people"
    COUNT = "count"
    PENCE = "pence"
    #: Tenths of a per cent (a share of 41.5 % is 415), so no float is ever stored or compared.
    PERMILLE = "permille"


class Hidden(enum.StrEnum):
    #: Counts fewer people than the threshold (or hours made by fewer than the threshold).
    PRIMARY = "primary"
    #: Hidden so that a primary one cannot be worked out from a total or from the other period.
    SECONDARY = "secondary"


def hour_tenths(minutes: int) -> int:
    """Minutes in whole tenths of an hour, rounded half up, without their sign (750 → 125): every output
    writes hours with one decimal, rounded alike."""
    return (abs(minutes) * 10 + 30) // 60


@dataclass(frozen=True)
class Figure:
    value: int | None
    hidden: Hidden | None = None

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Table:
    key: str
    unit: Unit
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    #: ``cells[r][c]`` is the figure of ``rows[r]`` by ``columns[c]``.
    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...] | None = None
    column_totals: tuple[Figure, ...] | None = None
    total: Figure | None = None
    previous: Table | None = None
    #: Where columns hold different units (an in-kind table's count, minutes and pence), each column's.
    column_units: tuple[Unit, ...] | None = None

    def unit_of(self, column: str) -> Unit:
        return self.column_units[self.columns.index(column)] if self.column_units else self.unit

    def cell(self, row: str, column: str) -> Figure:
        return self.cells[self.rows.index(row)][self.columns.index(column)]


@dataclass(frozen=True)
class Period:
    """Whole months: ``first`` is a month's first day, ``last`` a month's last day."""

    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class SocialValue:
    """Hours × a value per hour: an estimate, shown with its method, source and year."""

    minutes: Figure
    pence_per_hour: int
    source: str
    year: int | None
    estimate_pence: Figure
    #: The source in Welsh, where given (the Welsh report shows ``source`` otherwise).
    source_cy: str | None = None


class Audience(enum.StrEnum):
    """Who the report is for, which decides what it may hold: organisations never see benefit counts."""

    FUNDER = "funder"
    BROKER = "broker"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class Report:
    title: str
    title_cy: str
    #: ``programme:<id>``, ``bank:<id>`` or ``organisation:<id>:<bank id>``: what the report covers.
    subject: str
    audience: Audience
    period: Period
    previous_period: Period
    suppress_below: int
    social_value: SocialValue
    tables: tuple[Table, ...]
    #: What the report's filters were, in codes (scopes, outcomes), for the CSV's README and the PDF's method.
    filters: dict[str, str] = field(default_factory=dict)
    #: Today, where the period runs past it (its last month is not over): the figures stop here.
    figures_to: dt.date | None = None

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

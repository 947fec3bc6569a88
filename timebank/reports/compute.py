"""A contribution report, computed: the raw aggregates of ``reports.queries`` for a period and the previous
period of the same length, every table passed through the disclosure control (``reports.disclosure``), into
the one ``figures.Report`` every output draws from.

Design note:

* Three reports, one computation: a **programme's** (its funder's users, and the brokers and admins of its
  banks: its scopes, outcomes, threshold and value of an hour), a **bank's** (its brokers: the whole bank)
  and an **organisation's** in one bank (its admins: the hours that belong to it, ``ExchangeMonthFact``).
  Introductions and benefit-safe flags are counted for the banks a report covers whole only, and flags
  only for funders and brokers, never for an organisation.
* Rows and columns are codes, the same in both periods (a code seen in either), so the two tables can be
  compared cell by cell and protected together. Tables with no row to show (no outcomes without a
  programme, no districts given, no flags) are left out.
* The **social value** is the total minutes × the programme's value of an hour ÷ 60, rounded half up to
  whole pence, hidden whenever the total is.
* Words are not made here: codes only (``reports.labels`` puts them into words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import CoProductionForm, Party
from timebank.banks.models import TimeBank
from timebank.benefits.facts import Severity
from timebank.categories.models import Category
from timebank.dates import add_months
from timebank.feedback.models import Again
from timebank.ledger.models import HolderKind
from timebank.members.models import Holder
from timebank.profiles.models import AgeBand, ContributionKind
from timebank.programmes.models import Programme, ProgrammeOutcome, ProgrammeScope
from timebank.reports import queries
from timebank.reports.disclosure import MINIMUM_THRESHOLD, RawCell, RawTable, hidden_share, protect, unprotected
from timebank.reports.figures import Audience, Figure, Period, Report, SocialValue, Table, Unit
from timebank.reports.queries import Scope

MINUTES = ("minutes",)
PEOPLE = ("people",)
COUNT = ("count",)
IN_KIND_COLUMNS = ("count", "minutes", "pence")
HOW_IT_WENT = ("1", "2", "3", "4", "5")


def periods(first_month: dt.date, last_month: dt.date) -> tuple[Period, Period]:
    """The whole months from ``first_month``'s to ``last_month``'s, and the same number of months just before."""
    first, after = first_month.replace(day=1), add_months(last_month.replace(day=1), 1)
    length = (after.year - first.year) * 12 + after.month - first.month
    return (Period(first, after - dt.timedelta(days=1)),
            Period(add_months(first, -length), first - dt.timedelta(days=1)))


def social_value_pence(minutes: int, pence_per_hour: int) -> int:
    """Minutes × a value per hour, in whole pence, rounded half up."""
    return (2 * minutes * pence_per_hour + 60) // 120


# --- raw tables ------------------------------------------------------------------------------------------


Cells = dict[tuple[str, ...], tuple[int, int]]


def _cells(rows: Sequence[queries.Hours] | Sequence[queries.Counted]) -> Cells:
    """Value and frequency by key: minutes and exchanges for hours, the count twice for people and things."""
    return {row.key: ((row.minutes, row.exchanges) if isinstance(row, queries.Hours) else (row.count, row.count))
            for row in rows}


def _sum(cells: Sequence[RawCell]) -> RawCell:
    return RawCell(sum(cell.value for cell in cells), sum(cell.frequency for cell in cells))


def _grid(key: str, unit: Unit, found: Cells, rows: Sequence[str], columns: Sequence[str]) -> RawTable:
    """A two-way table with its row, column and grand totals."""
    cells = tuple(tuple(RawCell(*found.get((row, column), (0, 0))) for column in columns) for row in rows)
    return RawTable(key, unit, tuple(rows), tuple(columns), cells,
                    row_totals=tuple(_sum(row) for row in cells),
                    column_totals=tuple(_sum(column) for column in zip(*cells, strict=True)),
                    total=_sum([cell for row in cells for cell in row]))


def _list(key: str, unit: Unit, found: Cells, rows: Sequence[str], *, column: tuple[str] = MINUTES,
          total: bool = True) -> RawTable:
    """A one-column table, with its grand total where its rows add up."""
    cells = tuple((RawCell(*found.get((row,), (0, 0))),) for row in rows)
    return RawTable(key, unit, tuple(rows), column, cells, total=_sum([row[0] for row in cells]) if total else None)


def _seen(*founds: Cells) -> list[str]:
    return sorted({key[0] for found in founds for key in found})


class _Computation:
    """The tables of one report: each built by the same function for both periods, then protected together."""

    def __init__(self, session: Session, scopes: Sequence[Scope], current: Period, previous: Period,
                 threshold: int) -> None:
        self.session, self.scopes, self.threshold = session, list(scopes), threshold
        self.current, self.previous = current, previous
        self.tables: list[Table] = []

    def both(self, query: Callable[[Session, Sequence[Scope], Period], list[queries.Hours] | list[queries.Counted]]
             ) -> tuple[Cells, Cells]:
        return (_cells(query(self.session, self.scopes, self.current)),
                _cells(query(self.session, self.scopes, self.previous)))

    def add(self, now: RawTable, before: RawTable) -> Table:
        table = protect(now, before, self.threshold)
        self.tables.append(table)
        return table

    def add_grid(self, key: str, unit: Unit, found: tuple[Cells, Cells], rows: Sequence[str],
                 columns: Sequence[str]) -> Table:
        return self.add(*(_grid(key, unit, each, rows, columns) for each in found))

    def add_list(self, key: str, unit: Unit, found: tuple[Cells, Cells], rows: Sequence[str], *,
                 column: tuple[str] = MINUTES, total: bool = True) -> Table:
        return self.add(*(_list(key, unit, each, rows, column=column, total=total) for each in found))

    def hours(self, outcome_ids: Sequence[int] | None, programme_id: int | None) -> Table:
        """The hours tables; returns the kinds table, whose total is the report's hours."""
        kinds = [kind.value for kind in HolderKind]
        table = self.add_grid("kinds", Unit.MINUTES, self.both(queries.kinds), kinds, kinds)
        categories = self.both(queries.categories)
        self.add_list("categories", Unit.MINUTES, categories, _seen(*categories) or self._all_categories())
        self.add_list("forms", Unit.MINUTES, self.both(queries.forms), [form.value for form in CoProductionForm])
        parties = [party.value for party in Party]
        self.add_grid("matrix", Unit.MINUTES, self.both(queries.matrix), parties, parties)
        if outcome_ids and programme_id is not None:
            outcomes = tuple(_cells(queries.outcomes(self.session, self.scopes, period, programme_id))
                             for period in (self.current, self.previous))
            self.add_list("outcomes", Unit.MINUTES, outcomes, [str(i) for i in outcome_ids], total=False)
        self.add(*(_list("months", Unit.MINUTES, _cells(queries.months(self.session, self.scopes, period)),
                         [month.strftime("%Y-%m") for month in queries.months_of(period)])
                   for period in (self.current, self.previous)))
        return table

    def _all_categories(self) -> list[str]:
        return list(self.session.scalars(sa.select(Category.code).order_by(Category.position, Category.code)))

    def named(self, query: Callable[[Session, Sequence[Scope], Period], queries.People | queries.Introductions]
              ) -> tuple[Cells, Cells]:
        """A query's named counts as one row each (the count is its own frequency), for both periods."""
        def cells(counts: queries.People | queries.Introductions) -> Cells:
            return {(name,): (value, value) for name, value in counts._asdict().items()}

        return (cells(query(self.session, self.scopes, self.current)),
                cells(query(self.session, self.scopes, self.previous)))

    def people(self) -> None:
        table = self.add_list("people", Unit.PEOPLE, self.named(queries.people), queries.People._fields,
                              column=PEOPLE, total=False)

        def share(people: Table) -> Figure:
            return hidden_share(people.cell("gave_and_received", PEOPLE[0]), people.cell("active", PEOPLE[0]))

        assert table.previous is not None
        previous = Table("reciprocity", Unit.PERMILLE, ("gave_and_received",), ("share",),
                         ((share(table.previous),),))
        self.tables.append(Table("reciprocity", Unit.PERMILLE, ("gave_and_received",), ("share",),
                                 ((share(table),),), previous=previous))
        self.add_list("age_bands", Unit.PEOPLE, self.both(queries.age_bands), [band.value for band in AgeBand],
                      column=PEOPLE)
        districts = self.both(queries.districts)
        if _seen(*districts):
            self.add_list("districts", Unit.PEOPLE, districts, _seen(*districts), column=PEOPLE)

    def in_kind(self) -> None:
        def raw(period: Period) -> RawTable:
            found = {row.kind: row for row in queries.in_kind(self.session, self.scopes, period)}
            kinds = [kind.value for kind in ContributionKind]
            cells = tuple(tuple(RawCell(value, found[kind].count if kind in found else 0)
                                for value in (found[kind][1:] if kind in found else (0, 0, 0)))
                          for kind in kinds)
            return RawTable("in_kind", Unit.COUNT, tuple(kinds), IN_KIND_COLUMNS, cells,
                            column_totals=tuple(_sum(column) for column in zip(*cells, strict=True)),
                            column_units=(Unit.COUNT, Unit.MINUTES, Unit.PENCE))

        # Organisations' own records, not people: shown whole (docs/disclosure.md).
        self.tables.append(unprotected(raw(self.current), raw(self.previous)))

    def banks_whole(self, audience: Audience) -> None:
        """Introductions, and (for funders and brokers) benefit-safe flags, in the banks covered whole."""
        if not queries.whole_banks(self.scopes):
            return
        self.add_list("introductions", Unit.COUNT, self.named(queries.introductions), queries.Introductions._fields,
                      column=COUNT, total=False)
        if audience is Audience.ORGANISATION:
            return
        flags = self.both(queries.benefit_flags)
        rules = sorted({key[0] for found in flags for key in found})
        if rules:
            self.add_grid("flags", Unit.COUNT, flags, rules, [severity.value for severity in Severity])

    def answers(self) -> None:
        self.add_list("answers_how", Unit.PEOPLE, self.both(queries.answers_how), HOW_IT_WENT, column=COUNT)
        self.add_list("answers_again", Unit.PEOPLE, self.both(queries.answers_again),
                      [again.value for again in Again], column=COUNT)


def _report(session: Session, scopes: Sequence[Scope], period: Period, audience: Audience, *, title: str,
            title_cy: str, subject: str, threshold: int, value: tuple[int, str, str | None, int | None],
            today: dt.date | None, programme_id: int | None = None) -> Report:
    current, previous = periods(period.first, period.last)
    computation = _Computation(session, scopes, current, previous, threshold)
    outcome_ids = list(session.scalars(
        sa.select(ProgrammeOutcome.id).where(ProgrammeOutcome.programme_id == programme_id)
        .order_by(ProgrammeOutcome.position, ProgrammeOutcome.id))) if programme_id is not None else None
    kinds = computation.hours(outcome_ids, programme_id)
    computation.people()
    computation.in_kind()
    computation.banks_whole(audience)
    computation.answers()
    pence_per_hour, source, source_cy, year = value
    minutes = kinds.total or Figure(None)
    estimate = Figure(None, minutes.hidden) if minutes.value is None else Figure(
        social_value_pence(minutes.value, pence_per_hour))
    return Report(
        title=title, title_cy=title_cy, subject=subject, audience=audience, period=current,
        previous_period=previous, suppress_below=threshold,
        social_value=SocialValue(minutes, pence_per_hour, source, year, estimate, source_cy),
        tables=tuple(computation.tables),
        filters={"scopes": " ".join(f"{bank}/{organisation or '-'}/{activity or '-'}"
                                    for bank, organisation, activity in scopes),
                 "months": f"{current.first:%Y-%m} {current.last:%Y-%m}", "audience": audience.value},
        figures_to=today if today is not None and current.first <= today <= current.last else None,
    )


def programme_report(session: Session, programme: Programme, period: Period, audience: Audience,
                     today: dt.date | None = None) -> Report:
    """A programme's report (for its funder, or the brokers of its banks) over its scopes. ``today``, where
    the period runs past it, is the day its figures stop (``Report.figures_to``)."""
    scopes = [(scope.time_bank_id, scope.organisation_id, scope.activity_id) for scope in session.scalars(
        sa.select(ProgrammeScope).where(ProgrammeScope.programme_id == programme.id).order_by(ProgrammeScope.id))]
    return _report(session, scopes, period, audience, title=programme.name,
                   title_cy=programme.name_cy or programme.name, subject=f"programme:{programme.id}",
                   threshold=programme.suppress_below,
                   value=(programme.value_per_hour_pence, programme.value_source, programme.value_source_cy,
                          programme.value_year), today=today, programme_id=programme.id)


def bank_report(session: Session, time_bank_id: int, period: Period, audience: Audience = Audience.BROKER,
                today: dt.date | None = None) -> Report:
    """A whole bank's report, for its brokers."""
    name = session.scalar(sa.select(TimeBank.name).where(TimeBank.id == time_bank_id)) or ""
    return _report(session, [(time_bank_id, None, None)], period, audience, title=name, title_cy=name,
                   subject=f"bank:{time_bank_id}", threshold=MINIMUM_THRESHOLD, value=(0, "", None, None),
                   today=today)


def organisation_report(session: Session, organisation_id: int, time_bank_id: int, period: Period,
                        today: dt.date | None = None) -> Report:
    """An organisation's report in one bank, for its admins: the hours that belong to it, no benefit counts."""
    name = session.scalar(sa.select(Holder.display_name).where(Holder.id == organisation_id)) or ""
    return _report(session, [(time_bank_id, organisation_id, None)], period, Audience.ORGANISATION, title=name,
                   title_cy=name, subject=f"organisation:{organisation_id}:{time_bank_id}",
                   threshold=MINIMUM_THRESHOLD, value=(0, "", None, None), today=today)

"""A report's codes in words, in the reader's language: every output (the page, the CSV files, the PDF and
the JSON) puts a table into words through ``grid``, so they show the same words and the same figures.

* Row and column codes are looked up in the table's own dimension (holder kinds, categories, forms of
  co-production, parties, outcomes, months, contribution kinds, flag rules and severities, age bands), then
  in the measures (``active``, ``minutes``, ``yes`` …); a code nobody named (a postcode district) is shown
  as it is, which is what it is.
* Words that other features already put on their forms (forms of co-production, parties, contribution
  kinds, severities, age bands, the answers to "How did it go?" and "Would you do it again?") are theirs:
  a front hands them in (``reports.forms.words``), since a core module may not import a front. So a report
  says "OK" and "75 or over" where the form did.
* A hidden figure reads "fewer than 5" (the report's threshold) when it is a primary count of people, and
  "hidden" otherwise (``hidden_words``: the tables' and the charts' words); hours have one decimal ("12.5
  hours"); money is in pounds; a share in per cent. The CSV files write the same figures as plain numbers
  (``plain_number``), hidden ones empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from timebank.activities.models import Activity
from timebank.banks.models import TimeBank
from timebank.benefits.rules import RULES_BY_ID
from timebank.categories.taxonomy import label_for
from timebank.i18n import in_language, local_text, soft_mutated
from timebank.ledger.models import HolderKind
from timebank.members.models import Holder
from timebank.programmes.models import ProgrammeOutcome
from timebank.reports.figures import Audience, Figure, Hidden, Report, Table, Unit, hour_tenths

HOLDER_KIND_LABELS = {
    HolderKind.RESIDENT: _l("Residents"),
    HolderKind.THIRD_SECTOR: _l("Third-sector groups"),
    HolderKind.PUBLIC_BODY: _l("Public bodies"),
    HolderKind.BUSINESS: _l("Businesses"),
    HolderKind.COMMUNITY_POT: _l("Community pot"),
}

#: Codes that measure something, whichever table (and whichever side of it) they are on.
MEASURES = {
    "minutes": _l("Hours"),
    "hours": _l("Hours"),
    "people": _l("People"),
    "count": _l("How many"),
    "pence": _l("Value"),
    "value": _l("Value"),
    "share": _l("Share"),
    "active": _l("Active members"),
    "new": _l("New members"),
    "retained": _l("Retained members (active in both halves)"),
    "gave": _l("Gave help"),
    "received": _l("Received help"),
    "gave_and_received": _l("Both gave and received"),
    "reciprocity": _l("Members who both gave and received"),
    "made": _l("Introductions made"),
    "accepted": _l("Accepted by both sides"),
    "led_to_exchange": _l("Led to an exchange"),
    "led_to_sign_up": _l("Led to a sign-up"),
    "answers": _l("Answers"),
}

#: Each table's title and one sentence of what it counts.
TITLES = {
    "kinds": (_l("Hours by who gave and who received"),
              _l("Hours given, by the kind of member who gave them (rows) and who received them (columns).")),
    "categories": (_l("Hours by kind of help"), _l("Hours given, by the category of the help.")),
    "forms": (_l("Hours by form of co-production"),
              _l("Hours given in activities, by their form of co-production.")),
    "outcomes": (_l("Hours by outcome"),
                 _l("Hours given towards each of the programme's outcomes. An hour can serve more than one "
                    "outcome, so this table does not add up to the total.")),
    "matrix": (_l("The co-production matrix"),
               _l("Hours given in activities, by who designed them (rows) and who delivered them (columns).")),
    "months": (_l("Hours by month"), _l("Hours given in each month of the period.")),
    "people": (_l("Members taking part"),
               _l("Members who gave or received help in the period; retained members were active in both "
                  "halves of it.")),
    "reciprocity": (_l("Reciprocity"), _l("The share of active members who both gave and received help.")),
    "in_kind": (_l("Organisations' contributions in kind"),
                _l("Rooms, equipment, training, staff time and funds organisations gave besides hours, with the "
                   "value they put on them.")),
    "introductions": (_l("Introductions"),
                      _l("Introductions brokers made in the period, and how many were taken up.")),
    "answers_how": (_l("How did it go?"),
                    _l("Participants' answers after a session or an exchange, on a five-point scale.")),
    "answers_again": (_l("Would you do it again?"), _l("Participants' answers after a session or an exchange.")),
    "age_bands": (_l("Active members by age"), _l("Active members who told us their age band and agreed to "
                                                  "be counted.")),
    "districts": (_l("Active members by area"), _l("Active members who agreed to be counted, by the district "
                                                   "of their postcode.")),
    "flags": (_l("Benefit-safe flags"),
              _l("Flags raised to protect members' benefits, counted by rule and severity only.")),
}


#: The heading above each table's row words (rows of a two-way table are its first dimension).
ROW_HEADINGS = {
    "kinds": _l("Who gave"),
    "categories": _l("Kind of help"),
    "forms": _l("Form of co-production"),
    "outcomes": _l("Outcome"),
    "matrix": _l("Designed by"),
    "months": _l("Month"),
    "in_kind": _l("Contribution"),
    "answers_how": _l("Answer"),
    "answers_again": _l("Answer"),
    "age_bands": _l("Age"),
    "districts": _l("Postcode district"),
    "flags": _l("Check"),
}

AUDIENCE_LABELS = {
    Audience.FUNDER: _l("The programme's funder"),
    Audience.BROKER: _l("The time bank's brokers"),
    Audience.ORGANISATION: _l("The organisation"),
}


def month_words(code: str) -> str:
    """``2026-04`` as "April 2026" (Welsh: "Ebrill 2026")."""
    return format_date(dt.date.fromisoformat(f"{code}-01"), "MMMM y")


@dataclass(frozen=True)
class Words:
    """What a report's codes say. ``shared`` maps a dimension to the words another feature gives its codes
    (``forms``, ``parties``, ``contribution_kinds``, ``severities``, ``age_bands``, ``how_it_went`` by
    "1" to "5", ``again``); ``outcomes`` an outcome's id to its English and Welsh names."""

    shared: Mapping[str, Mapping[str, Any]]
    outcomes: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: What the report covers, in words (``filter_words``): the README's and the PDF's filters.
    filters: tuple[tuple[str, str], ...] = ()

    def _dimension(self, key: str, axis: str) -> Mapping[str, Any]:
        match key, axis:
            case "kinds", _:
                return HOLDER_KIND_LABELS
            case "matrix", _:
                return self.shared["parties"]
            case "forms", "row":
                return self.shared["forms"]
            case "in_kind", "row":
                return self.shared["contribution_kinds"]
            case "flags", "row":
                return {rule_id: rule.title for rule_id, rule in RULES_BY_ID.items()}
            case "flags", "column":
                return self.shared["severities"]
            case "age_bands", "row":
                return self.shared["age_bands"]
            case "answers_how", "row":
                return self.shared["how_it_went"]
            case "answers_again", "row":
                return self.shared["again"]
        return {}

    def code(self, table: Table, axis: str, code: str) -> str:
        if (table.key, axis) == ("outcomes", "row") and code in self.outcomes:
            return self.outcome(code)
        if (table.key, axis) == ("months", "row"):
            return month_words(code)
        if (table.key, axis) == ("categories", "row"):
            return label_for(code)
        found = self._dimension(table.key, axis).get(code)
        if found is None:
            found = MEASURES.get(code, code)
        return str(found)

    def outcome(self, outcome_id: str) -> str:
        return local_text(*self.outcomes[outcome_id])

    @staticmethod
    def row_heading(key: str) -> str:
        return str(ROW_HEADINGS.get(key, _l("What")))

    @staticmethod
    def title(key: str) -> str:
        return str(TITLES[key][0]) if key in TITLES else key

    @staticmethod
    def note(key: str) -> str:
        return str(TITLES[key][1]) if key in TITLES else ""


def hours(minutes: int) -> str:
    """Minutes as hours with one decimal, rounded half up: 750 → "12.5 hours"."""
    tenths = hour_tenths(minutes)
    sign = "−" if minutes < 0 else ""
    return gettext("%(hours)s hours", hours=f"{sign}{tenths // 10:,}.{tenths % 10}")


def hidden_words(report: Report, unit: Unit, shown: Figure) -> str:
    """What a hidden figure says, in every table and on every chart: "fewer than 5" for a primary count of
    people, "hidden" for anything else."""
    if shown.hidden == Hidden.PRIMARY and unit == Unit.PEOPLE:
        return gettext("fewer than %(num)d", num=report.suppress_below)
    return gettext("hidden")


def plain_number(unit: Unit, value: int) -> str:
    """A shown figure as a number a spreadsheet reads, in the unit its CSV column names: hours with one
    decimal (rounded as the page rounds them), pounds with pence, a per cent with one decimal, counts whole;
    no thousands separators, a plain minus."""
    match unit:
        case Unit.MINUTES:
            tenths = hour_tenths(value)
            return f"{'-' if value < 0 else ''}{tenths // 10}.{tenths % 10}"
        case Unit.PENCE:
            return f"{'-' if value < 0 else ''}{abs(value) // 100}.{abs(value) % 100:02d}"
        case Unit.PERMILLE:
            return f"{value // 10}.{value % 10}"
    return str(value)


#: Each unit's words in a CSV column's heading ("Residents (hours)"); counts are whole numbers, unnamed.
UNIT_HEADINGS = {Unit.MINUTES: _l("%(column)s (hours)"), Unit.PENCE: _l("%(column)s (£)"),
                 Unit.PERMILLE: _l("%(column)s (per cent)")}


def unit_heading(heading: str, unit: Unit) -> str:
    """A CSV column's heading with its unit: "Residents (hours)"; "Hours" is its own unit's name already."""
    if unit not in UNIT_HEADINGS or (unit is Unit.MINUTES and heading == str(MEASURES["minutes"])):
        return heading
    return str(UNIT_HEADINGS[unit]) % {"column": heading}


def figure(report: Report, unit: Unit, shown: Figure) -> str:
    """One figure in words, as every output shows it."""
    if shown.value is None:
        return hidden_words(report, unit, shown)
    value = shown.value
    match unit:
        case Unit.MINUTES:
            return hours(value)
        case Unit.PENCE:
            return f"£{value // 100:,}.{value % 100:02d}"
        case Unit.PERMILLE:
            return f"{value // 10}.{value % 10}%"
    return f"{value:,}"


@dataclass(frozen=True)
class Grid:
    """A table in words: its key, title, note, heading row, and body rows (each starting with its row's
    words); the last row is the totals row where the table has totals. Beside the words, the figures they
    say: ``units[i]`` is the unit of ``header[i + 1]``'s column, ``figures[r][i]`` the figure of ``rows[r]``
    in it (``None`` where the table has none: a totals row's cell under a column without a total)."""

    key: str
    title: str
    note: str
    header: list[str]
    rows: list[list[str]]
    units: list[Unit] = field(default_factory=list)
    figures: list[list[Figure | None]] = field(default_factory=list)


@dataclass(frozen=True)
class _Compared:
    """A column comparing with the same months before: its heading, each row's figure, the total's."""

    heading: str
    unit: Unit
    rows: list[Figure | None]
    total: Figure | None


def _compared(table: Table, words: Words) -> list[_Compared]:
    """The previous period's figures beside the current ones: a row's total (or its one cell) where rows are
    the same in both periods (a months table's are not: only its total compares), else each column's."""
    before = table.previous
    if before is None:
        return []
    same = before.rows == table.rows

    def rows(figures: list[Figure]) -> list[Figure | None]:
        return list(figures) if same else [None] * len(table.rows)

    heading = gettext("Same months before")
    if len(table.columns) == 1:
        total = before.total or (before.column_totals[0] if before.column_totals else None)
        return [_Compared(heading, table.unit_of(table.columns[0]), rows([row[0] for row in before.cells]), total)]
    if before.row_totals is not None:
        return [_Compared(heading, table.unit, rows(list(before.row_totals)), before.total)]
    return [_Compared(gettext("%(column)s, same months before", column=words.code(table, "column", column)),
                      table.unit_of(column), rows([row[index] for row in before.cells]),
                      before.column_totals[index] if before.column_totals else None)
            for index, column in enumerate(table.columns)]


def grid(report: Report, table: Table, words: Words) -> Grid:
    columns = list(table.columns)
    compared = _compared(table, words)
    units = [table.unit_of(column) for column in columns]
    if table.row_totals is not None:
        units.append(table.unit)
    units += [column.unit for column in compared]

    figures: list[list[Figure | None]] = []
    for index in range(len(table.rows)):
        line: list[Figure | None] = list(table.cells[index])
        if table.row_totals is not None:
            line.append(table.row_totals[index])
        figures.append(line + [column.rows[index] for column in compared])
    if table.column_totals is not None or table.total is not None:
        totals: list[Figure | None] = list(table.column_totals) if table.column_totals is not None else (
            [table.total] if len(columns) == 1 else [None] * len(columns))
        if table.row_totals is not None:
            totals.append(table.total)
        figures.append(totals + [column.total for column in compared])

    header = [words.row_heading(table.key), *(words.code(table, "column", code) for code in columns)]
    if table.row_totals is not None:
        header.append(gettext("Total"))
    header += [column.heading for column in compared]
    names = [words.code(table, "row", code) for code in table.rows] + [gettext("Total")] * (
        len(figures) - len(table.rows))
    rows = [[name, *(figure(report, unit, shown) if shown is not None else "" for unit, shown in
                     zip(units, line, strict=True))] for name, line in zip(names, figures, strict=True)]
    return Grid(table.key, words.title(table.key), words.note(table.key), header, rows, units, figures)


def grids(report: Report, words: Words) -> list[Grid]:
    return [grid(report, table, words) for table in report.tables]


def outcome_names(session: Session, report: Report) -> dict[str, tuple[str, str]]:
    """The English and Welsh names of the outcomes the report's ``outcomes`` table counts, by id."""
    ids = [int(code) for table in report.tables if table.key == "outcomes" for code in table.rows if code.isdigit()]
    if not ids:
        return {}
    found = session.execute(sa.select(ProgrammeOutcome.id, ProgrammeOutcome.name, ProgrammeOutcome.name_cy)
                            .where(ProgrammeOutcome.id.in_(ids)))
    return {str(outcome_id): (name, name_cy) for outcome_id, name, name_cy in found}


def filter_words(session: Session, report: Report) -> tuple[tuple[str, str], ...]:
    """What the report covers, in words: each scope (a bank, an organisation's work in it, one activity),
    the programme's outcomes, and whom it is for. Scopes come as ``bank/organisation/activity`` ids, ``-``
    for none (``reports.compute``)."""
    covers = []
    for scope in report.filters.get("scopes", "").split():
        bank, organisation, activity = (None if part == "-" else int(part) for part in scope.split("/"))
        bank_name = session.scalar(sa.select(TimeBank.name).where(TimeBank.id == bank)) or ""
        if activity is not None:
            found_titles = session.execute(sa.select(Activity.title, Activity.title_cy)
                                           .where(Activity.id == activity)).first()
            title = local_text(*found_titles) if found_titles else ""
            covers.append(gettext("%(activity)s in %(bank)s", activity=title, bank=bank_name))
        elif organisation is not None:
            name = session.scalar(sa.select(Holder.display_name).where(Holder.id == organisation)) or ""
            covers.append(gettext("%(organisation)s in %(bank)s", organisation=name, bank=bank_name))
        else:
            covers.append(gettext("All of %(bank)s", bank=bank_name))
    found = [(gettext("Covers"), "; ".join(covers))] if covers else []
    outcomes = outcome_names(session, report)
    if outcomes:
        found.append((gettext("Outcomes"), "; ".join(
            local_text(*names) for names in outcomes.values())))
    found.append((gettext("Report for"), str(AUDIENCE_LABELS[report.audience])))
    return tuple(found)


def report_title(report: Report) -> str:
    return local_text(report.title, report.title_cy)


def period_words(first: dt.date, last: dt.date) -> str:
    """Whole months in words: "March 2026 to November 2026" (Welsh: "Mawrth 2026 i Dachwedd 2026"), or one
    month, "March 2026"."""
    if (first.year, first.month) == (last.year, last.month):
        return month_words(first.strftime("%Y-%m"))
    return gettext("%(first)s to %(last)s", first=month_words(first.strftime("%Y-%m")),
                   last=soft_mutated(month_words(last.strftime("%Y-%m"))))


def figures_to_words(report: Report) -> str | None:
    """Where the period runs past today, that its figures stop there: "Figures to 6 December 2026; this
    month is not over yet." (``None`` for a period that is over)."""
    if report.figures_to is None:
        return None
    return gettext("Figures to %(day)s; this month is not over yet.", day=format_date(report.figures_to, "long"))


def suppression_rule(report: Report) -> str:
    return gettext("A count of fewer than %(num)d people is shown as \"fewer than %(num)d\"; hours, money and "
                   "shares made of so few are shown as \"hidden\", and so is any figure that would let a hidden "
                   "one be worked out from a total or from the same months before.", num=report.suppress_below)


def has_estimate(report: Report) -> bool:
    """Whether the report values an hour (a programme that names a value); a bank's or an organisation's
    report does not, and says nothing of social value."""
    return report.social_value.pence_per_hour > 0


def estimate(report: Report) -> str:
    """The estimate itself, in pounds (or "hidden")."""
    return figure(report, Unit.PENCE, report.social_value.estimate_pence)


def value_source(report: Report) -> tuple[str, str | None]:
    """Where the value of an hour comes from, in the reader's language where the programme gives it, else in
    English; with the language it is in when that is not the reader's (``"en"``), for the page to mark. Empty
    where none is given."""
    value = report.social_value
    return in_language(value.source, value.source_cy)


def estimate_words(report: Report, *, marked: bool = False) -> str:
    """How the estimate is made. ``marked``: as HTML, the source in a ``lang`` span where it is not in the
    reader's language (a Welsh page showing an English source), every other word escaped."""
    value = report.social_value
    per_hour = f"£{value.pence_per_hour // 100:,}.{value.pence_per_hour % 100:02d}"
    source, language = value_source(report)
    source = source or gettext("no source given")
    if value.year is not None and str(value.year) not in source:  # "… April 2025 (GOV.UK)" names its year already
        source = f"{source} ({value.year})"
    words = gettext("An estimate, not a measured value: the hours given (%(hours)s) multiplied by a value of "
                    "%(per_hour)s an hour, from %(source)s.")
    values = {"hours": figure(report, Unit.MINUTES, value.minutes), "per_hour": per_hour, "source": source}
    if not marked:
        return words % values
    if language is not None:
        values["source"] = Markup('<span lang="{}">{}</span>').format(language, source)
    return escape(words) % values  # Markup: its % escapes each value (the source span is Markup already)

"""Which of a report's tables are drawn, and how: each chart is ``reports.charts``' drawing of one table,
with the words ``reports.labels`` gives it, so the chart and the table beside it say the same. Bars for
most tables (a two-way table's row totals), columns for the months, the heat grid for the co-production
matrix."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from timebank.reports import charts, labels
from timebank.reports.figures import Report, Table

#: The tables drawn, by key; the others (people, reciprocity, in kind, introductions, flags) are tables only.
CHARTED = frozenset({"kinds", "categories", "forms", "outcomes", "matrix", "months", "answers_how",
                     "answers_again", "age_bands", "districts"})

#: What each chart's value axis counts (the heat grid has none: its axes are who designed and delivered).
_AXES = {"kinds": _l("Hours"), "categories": _l("Hours"), "forms": _l("Hours"), "outcomes": _l("Hours"),
         "months": _l("Hours"), "answers_how": _l("Answers"), "answers_again": _l("Answers"),
         "age_bands": _l("Active members"), "districts": _l("Active members")}


def words(report: Report, table: Table, found: labels.Words) -> charts.Words:
    codes = {code: found.code(table, "column", code) for code in table.columns}
    codes.update({code: found.code(table, "row", code) for code in table.rows})
    return charts.Words(
        title=found.title(table.key), labels=codes,
        hidden=lambda figure, unit: labels.hidden_words(report, unit, figure),
        current=labels.period_words(report.period.first, report.period.last),
        previous=labels.period_words(report.previous_period.first, report.previous_period.last),
        axis=str(_AXES.get(table.key, "")),
        row_axis=gettext("Designed by") if table.key == "matrix" else "",
        column_axis=gettext("Delivered by") if table.key == "matrix" else "",
    )


def draw(report: Report, table: Table, found: labels.Words, format: charts.Format) -> bytes:
    said = words(report, table, found)
    if table.key == "matrix":
        return charts.heat_grid(table, said, format)
    if table.key == "months":
        return charts.months(table, said, format)
    return charts.bars(table, said, format)

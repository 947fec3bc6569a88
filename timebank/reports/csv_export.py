"""A report as CSV files, zipped, for spreadsheets: one file per table (named by the table's key) and
``README.txt`` naming the report, its period, the period it is compared with, its filters, the suppression
rule, and what the files' columns hold.

Each file has the page's table's rows and columns (``labels.grid``: the same figures, the same words for
rows), but its figures are numbers a spreadsheet can add up: each column's heading names its unit ("Residents
(hours)", hours with one decimal; "(£)", pounds and pence; "(per cent)"; counts of people or things are whole
numbers, unnamed), a hidden figure is an empty cell, and the last column, "Hidden figures", says which of the
row's figures are hidden and why, in the words the page uses ("fewer than 5", "hidden")."""

from __future__ import annotations

import csv
import io
import zipfile

from flask_babel import gettext

from timebank.reports import labels
from timebank.reports.figures import Report


def readme(report: Report, words: labels.Words) -> str:
    lines = [
        labels.report_title(report),
        "",
        gettext("Period: %(period)s", period=labels.period_words(report.period.first, report.period.last)),
        gettext("Compared with: %(period)s", period=labels.period_words(report.previous_period.first,
                                                                        report.previous_period.last)),
    ]
    if report.figures_to is not None:
        lines.append(labels.figures_to_words(report))
    lines += [f"{name}: {value}" for name, value in words.filters]
    lines += ["", gettext("Figures hidden to protect people"), labels.suppression_rule(report)]
    if labels.has_estimate(report):
        lines += ["", gettext("Social value"),
                  gettext("Estimated value: %(value)s", value=labels.estimate(report)), labels.estimate_words(report)]
    lines += ["", gettext("Columns"),
              gettext("The first column names each row; the last row, \"Total\", is the table's totals where it "
                      "has them."),
              gettext("Figures are numbers: a column whose heading ends \"(hours)\" is in hours, with one decimal; "
                      "\"(£)\" in pounds and pence; \"(per cent)\" a share out of 100. Other figures count people or "
                      "things, in whole numbers."),
              gettext("A hidden figure is an empty cell. The last column, \"Hidden figures\", names each hidden "
                      "figure of the row and says why: \"fewer than %(num)d\" where it counts fewer than "
                      "%(num)d people, \"hidden\" otherwise. An empty cell with nothing named there has no figure "
                      "(a total the table does not have).", num=report.suppress_below)]
    lines += ["", gettext("Files"),
              *(f"{table.key}.csv: {labels.Words.title(table.key)}" for table in report.tables)]
    return "\n".join(lines) + "\n"


def rows(report: Report, grid: labels.Grid) -> list[list[str]]:
    """A table as its CSV file's rows: the heading row, then each row's words, figures and hidden ones."""
    headings = [labels.unit_heading(heading, unit) for heading, unit in zip(grid.header[1:], grid.units,
                                                                           strict=True)]
    found = [[grid.header[0], *headings, gettext("Hidden figures")]]
    for words, figures in zip(grid.rows, grid.figures, strict=True):
        line = [words[0]]
        hidden = []
        for heading, unit, shown in zip(headings, grid.units, figures, strict=True):
            if shown is None or shown.value is None:
                line.append("")
                if shown is not None:
                    hidden.append(f"{heading}: {labels.hidden_words(report, unit, shown)}")
            else:
                line.append(labels.plain_number(unit, shown.value))
        found.append([*line, "; ".join(hidden)])
    return found


def report_zip(report: Report, words: labels.Words) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(report, words))
        for grid in labels.grids(report, words):
            text = io.StringIO()
            csv.writer(text).writerows(rows(report, grid))
            # A byte-order mark so that spreadsheet programs read the Welsh letters as UTF-8.
            archive.writestr(f"{grid.key}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()

"""A report as CSV files, zipped: one file per table (named by the table's key), each with a heading row
of column words in the reader's language, the row's words first, hidden figures in words and the totals
row last; and ``README.txt`` naming the report, its period, the period it is compared with, its filters
and the suppression rule. Everything in words comes from ``reports.labels``, as on the page."""

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
    lines += [f"{name}: {value}" for name, value in words.filters]
    lines += ["", gettext("Figures hidden to protect people"), labels.suppression_rule(report)]
    if labels.has_estimate(report):
        lines += ["", gettext("Social value"),
                  gettext("Estimated value: %(value)s", value=labels.estimate(report)), labels.estimate_words(report)]
    lines += ["", gettext("Files"),
              *(f"{table.key}.csv: {labels.Words.title(table.key)}" for table in report.tables)]
    return "\n".join(lines) + "\n"


def report_zip(report: Report, words: labels.Words) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(report, words))
        for grid in labels.grids(report, words):
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(grid.header)
            writer.writerows(grid.rows)
            # A byte-order mark so that spreadsheet programs read the Welsh letters as UTF-8.
            archive.writestr(f"{grid.key}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()

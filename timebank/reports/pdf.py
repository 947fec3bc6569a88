"""A report as a PDF to attach to a grant report: A4, the house's document (``paper.pdf``: fonts with every
Welsh letter, page numbers), a cover naming the programme, its funder and period, then each table with its
chart (a PNG handed in by the caller) and its figures, and the method: the estimate and the suppression
rule. Built from already-translated words, so the caller chooses the language."""

from __future__ import annotations

import io
from collections.abc import Mapping

from flask_babel import gettext

from timebank.paper.pdf import Document
from timebank.reports import labels
from timebank.reports.figures import Report

#: The chart's width on the page, in millimetres (A4 less the margins).
CHART_WIDTH = 180


def report_pdf(report: Report, words: labels.Words, *, funder: str, language: str,
               charts: Mapping[str, bytes] | None = None) -> bytes:
    title = labels.report_title(report)
    document = Document(title=title, language=language, footer=title)
    document.facts([
        (gettext("Funder"), funder),
        (gettext("Period"), labels.period_words(report.period.first, report.period.last)),
        (gettext("Compared with"), labels.period_words(report.previous_period.first, report.previous_period.last)),
        *words.filters,
    ])
    if labels.has_estimate(report):
        document.heading(gettext("Social value (an estimate)"))
        document.paragraph(gettext("Estimated value: %(value)s", value=labels.estimate(report)))
        document.paragraph(labels.estimate_words(report))
    for grid in labels.grids(report, words):
        document.add_page()
        document.heading(grid.title)
        document.paragraph(grid.note)
        if charts and grid.key in charts:
            document.image(io.BytesIO(charts[grid.key]), w=CHART_WIDTH)
            document.ln(2)
        first = 2 * max(1, len(grid.header) - 1)
        document.grid(grid.header, grid.rows, widths=[first, *([2] * (len(grid.header) - 1))], line_height=7,
                      align=["LEFT", *(["RIGHT"] * (len(grid.header) - 1))])
    document.add_page()
    document.heading(gettext("Method"))
    document.paragraph(labels.suppression_rule(report))
    if labels.has_estimate(report):
        document.paragraph(labels.estimate_words(report))
    return document.to_bytes()

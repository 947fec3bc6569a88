"""A report as a PDF to attach to a grant report: A4, the house's document (``paper.pdf``: fonts with every
Welsh letter, page numbers), a cover naming the programme, its funder and period, then each table with its
chart (a PNG handed in by the caller) and its figures, and the method: the estimate and the suppression
rule. Built from already-translated words, so the caller chooses the language."""

from __future__ import annotations

import io
from collections.abc import Mapping

from flask_babel import gettext
from PIL import Image

from timebank.paper.pdf import Document
from timebank.reports import labels
from timebank.reports.figures import Report

#: The chart's width on the page, in millimetres (A4 less the margins).
CHART_WIDTH = 180
#: A table's first column (the rows' words) against each figure's column, by weight.
FIRST_COLUMN, FIGURE_COLUMN = 3, 2
#: Tables wider than this many columns are set smaller, so "fewer than 5" and "346.0 hours" fit a column.
WIDE_TABLE, WIDE_TABLE_SIZE = 4, 8


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
    if report.figures_to is not None:
        document.paragraph(labels.figures_to_words(report))
    if labels.has_estimate(report):
        document.heading(gettext("Social value (an estimate)"))
        document.paragraph(gettext("Estimated value: %(value)s", value=labels.estimate(report)))
        document.paragraph(labels.estimate_words(report))
    for grid in labels.grids(report, words):
        document.add_page()
        document.heading(grid.title)
        document.paragraph(grid.note)
        if charts and grid.key in charts:
            _chart(document, charts[grid.key])
        figures = len(grid.header) - 1
        size = document.font_size_pt
        if figures > WIDE_TABLE:
            document.set_font_size(WIDE_TABLE_SIZE)
        document.grid(grid.header, grid.rows, widths=[FIRST_COLUMN, *([FIGURE_COLUMN] * figures)], line_height=6,
                      align=["LEFT", *(["RIGHT"] * figures)])
        document.set_font_size(size)
    document.add_page()
    document.heading(gettext("Method"))
    document.paragraph(labels.suppression_rule(report))
    if labels.has_estimate(report):
        document.paragraph(labels.estimate_words(report))
    return document.to_bytes()


def _chart(document: Document, png: bytes) -> None:
    """The chart across the page, or smaller if it would not fit below the heading (a long list of categories
    makes a tall chart): never cut off, never pushed onto a page of its own."""
    width_px, height_px = Image.open(io.BytesIO(png)).size
    room = document.h - document.b_margin - document.get_y() - 2
    width = min(CHART_WIDTH, room * width_px / height_px)
    document.image(io.BytesIO(png), w=width, x=document.l_margin + (CHART_WIDTH - width) / 2)
    document.ln(2)

"""The contribution report in JSON: the same tables the page shows, each figure with its value (``null`` when
hidden), why it is hidden, and its words in the request's language, from ``reports.labels`` as on the page;
row and column codes with their words. The period is chosen by month (``from``, ``to``: ``YYYY-MM``)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from timebank.api.schemas import InputSchema, record_id
from timebank.i18n import LOCALES
from timebank.reports import labels
from timebank.reports.figures import Audience, Figure, Hidden, Report, Table, Unit

#: ``YYYY-MM``, a month from year 2000 to 2099 (the bank's own dates are checked by the report's period).
MONTH = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"


def _month(name: str, description: str) -> fields.String:
    message = _l("Give a month as YYYY-MM.")
    return fields.String(data_key=name, validate=[validate.Length(equal=len("YYYY-MM"), error=message),
                                                  validate.Regexp(MONTH, error=message)],
                         metadata={"description": description, "example": "2026-04"})


class ReportArgs(InputSchema):
    start = _month("from", "The first month of the period; by default the programme's first month (a bank's or an "
                   "organisation's: twelve months before the last whole month).")
    end = _month("to", "The last month of the period (included), this month at the latest (its figures then stop "
                 "at today: figures_to); by default the programme's last month, or this month if that is sooner "
                 "(a bank's or an organisation's: the last whole month). At most 24 months after the first.")
    language = fields.String(validate=validate.OneOf(list(LOCALES)), metadata={
        "description": "The language of the words (labels, titles, hidden figures); by default the caller's."})


class OrganisationReportArgs(ReportArgs):
    bank = record_id(strict=False, metadata={
        "description": "The time bank the organisation's report is for (needed where it is in more than one)."})


class FigureOut(ma.Schema):
    value = fields.Integer(allow_none=True, metadata={"description": "The figure in the table's unit (hours as "
                                                                     "minutes), or null when hidden."})
    hidden = fields.Enum(Hidden, by_value=True, allow_none=True, metadata={
        "description": "primary: counts fewer people than the threshold; secondary: hidden so a primary one "
                       "cannot be worked out. Null when shown."})
    text = fields.String(metadata={"description": "The figure in words, as every output shows it "
                                                  "(\"12.5 hours\", \"fewer than 5\", \"hidden\")."})


class CodeOut(ma.Schema):
    code = fields.String(metadata={"description": "A code, never a person: a holder kind, a category, a month …"})
    label = fields.String()


class TableOut(ma.Schema):
    key = fields.String(metadata={"description": "The table's stable key (the CSV file's name)."})
    title = fields.String()
    note = fields.String()
    unit = fields.Enum(Unit, by_value=True)
    column_units = fields.List(fields.Enum(Unit, by_value=True), allow_none=True)
    rows = fields.List(fields.Nested(CodeOut))
    columns = fields.List(fields.Nested(CodeOut))
    cells = fields.List(fields.List(fields.Nested(FigureOut)), metadata={"description": "cells[row][column]."})
    row_totals = fields.List(fields.Nested(FigureOut), allow_none=True)
    column_totals = fields.List(fields.Nested(FigureOut), allow_none=True)
    total = fields.Nested(FigureOut, allow_none=True)
    previous = fields.Nested(lambda: TableOut(exclude=("previous",)), allow_none=True, metadata={
        "description": "The same table for the previous period of the same length."})


class PeriodOut(ma.Schema):
    first = fields.Date()
    last = fields.Date()


class SocialValueOut(ma.Schema):
    minutes = fields.Nested(FigureOut)
    pence_per_hour = fields.Integer()
    source = fields.String(metadata={"description": "Where the value of an hour comes from, in the language "
                                                    "asked for where the programme gives it (else in English)."})
    year = fields.Integer(allow_none=True)
    estimate_pence = fields.Nested(FigureOut)
    method = fields.String(metadata={"description": "How the estimate is made, in words: it is an estimate."})


class ReportOut(ma.Schema):
    title = fields.String()
    subject = fields.String(metadata={"description": "programme:<id>, bank:<id> or organisation:<id>:<bank id>."})
    audience = fields.Enum(Audience, by_value=True)
    period = fields.Nested(PeriodOut)
    previous_period = fields.Nested(PeriodOut)
    suppress_below = fields.Integer(metadata={"description": "Counts of people below this are hidden."})
    suppression_rule = fields.String()
    social_value = fields.Nested(SocialValueOut)
    filters = fields.Dict(keys=fields.String(), values=fields.String())
    figures_to = fields.Date(allow_none=True, metadata={
        "description": "Today, where the period runs past it (this month is not over yet): the figures stop here. "
                       "Null for a period that is over."})
    figures_to_note = fields.String(allow_none=True, metadata={"description": "The same, in words."})
    tables = fields.List(fields.Nested(TableOut))


def _figure(report: Report, unit: Unit, shown: Figure | None) -> dict[str, Any] | None:
    if shown is None:
        return None
    return {"value": shown.value, "hidden": shown.hidden, "text": labels.figure(report, unit, shown)}


def _table(report: Report, table: Table, words: labels.Words) -> dict[str, Any]:
    def figures(shown: tuple[Figure, ...] | None, units: list[Unit]) -> list[Any] | None:
        return None if shown is None else [_figure(report, unit, f) for unit, f in zip(units, shown, strict=True)]

    column_units = [table.unit_of(column) for column in table.columns]
    return {
        "key": table.key, "title": words.title(table.key), "note": words.note(table.key), "unit": table.unit,
        "column_units": list(table.column_units) if table.column_units else None,
        "rows": [{"code": code, "label": words.code(table, "row", code)} for code in table.rows],
        "columns": [{"code": code, "label": words.code(table, "column", code)} for code in table.columns],
        "cells": [figures(row, column_units) for row in table.cells],
        "row_totals": figures(table.row_totals, [table.unit] * len(table.rows)),
        "column_totals": figures(table.column_totals, column_units),
        "total": _figure(report, table.unit, table.total),
        "previous": _table(report, table.previous, words) if table.previous is not None else None,
    }


def report_out(report: Report, words: labels.Words) -> dict[str, Any]:
    """The report as ``ReportOut`` reads it, every word in the current language."""
    value = report.social_value
    return {
        "title": labels.report_title(report), "subject": report.subject, "audience": report.audience,
        "period": report.period, "previous_period": report.previous_period,
        "suppress_below": report.suppress_below, "suppression_rule": labels.suppression_rule(report),
        "social_value": {"minutes": _figure(report, Unit.MINUTES, value.minutes),
                         "pence_per_hour": value.pence_per_hour, "source": labels.value_source(report)[0],
                         "year": value.year,
                         "estimate_pence": _figure(report, Unit.PENCE, value.estimate_pence),
                         "method": labels.estimate_words(report)},
        "filters": dict(report.filters),
        "figures_to": report.figures_to, "figures_to_note": labels.figures_to_words(report),
        "tables": [_table(report, table, words) for table in report.tables],
    }

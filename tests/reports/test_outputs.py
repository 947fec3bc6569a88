"""The report's outputs from a report built by hand: every table in words (hidden figures, hours, months, in
English and Welsh), and the CSV files, the PDF and the JSON each saying exactly what the page's tables say."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from flask import Flask
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.reports.support import assert_csv_says_the_page
from timebank.reports import csv_export, labels, pdf
from timebank.reports.figures import (
    Audience,
    Figure,
    Hidden,
    Period,
    Report,
    SocialValue,
    Table,
    Unit,
)
from timebank.reports.forms import SHARED, words
from timebank.reports.schemas import ReportOut, report_out

HIDDEN = Figure(None, Hidden.SECONDARY)
FEWER = Figure(None, Hidden.PRIMARY)


def _f(*values: int | Figure) -> tuple[Figure, ...]:
    return tuple(value if isinstance(value, Figure) else Figure(value) for value in values)


def _kinds(scale: int) -> Table:
    kinds = ("resident", "third_sector", "public_body")
    return Table(
        key="kinds", unit=Unit.MINUTES, rows=kinds, columns=kinds,
        cells=(_f(600 * scale, 90, HIDDEN), _f(750 * scale, 0, 0), _f(HIDDEN, 0, 0)),
        row_totals=_f(HIDDEN, 750 * scale, HIDDEN), column_totals=_f(HIDDEN, 90, HIDDEN), total=Figure(2000 * scale),
    )


def sample_report(period: Period | None = None, audience: Audience = Audience.FUNDER) -> Report:
    """A report with something of each kind: totals, the same months before, hidden figures of both kinds,
    several units in one table, months and the programme's outcomes."""
    period = period or Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    previous = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    people = Table(key="people", unit=Unit.PEOPLE, rows=("active", "new", "retained"), columns=("people",),
                   cells=(_f(23), (FEWER,), _f(12)), previous=Table(
                       key="people", unit=Unit.PEOPLE, rows=("active", "new", "retained"), columns=("people",),
                       cells=(_f(19), _f(6), (HIDDEN,))))
    kinds = _kinds(1)
    return Report(
        title="Hollinbridge Well-being Fund", title_cy="Cronfa Les Hollinbridge", subject="programme:1",
        audience=audience, period=period, previous_period=previous, suppress_below=5,
        social_value=SocialValue(minutes=Figure(2000), pence_per_hour=1221, source="National Living Wage",
                                 year=2026, estimate_pence=Figure(40700)),
        tables=(
            Table(**{**kinds.__dict__, "previous": _kinds(2)}),
            Table(key="months", unit=Unit.MINUTES, rows=("2026-04", "2026-05", "2026-06"), columns=("minutes",),
                  cells=(_f(700), _f(645), _f(655)), total=Figure(2000)),
            people,
            Table(key="reciprocity", unit=Unit.PERMILLE, rows=("reciprocity",), columns=("share",),
                  cells=(_f(415),)),
            Table(key="in_kind", unit=Unit.COUNT, rows=("room", "funds"), columns=("count", "minutes", "pence"),
                  cells=(_f(3, 360, 4500), _f(1, HIDDEN, 25000)),
                  column_units=(Unit.COUNT, Unit.MINUTES, Unit.PENCE)),
            Table(key="answers_again", unit=Unit.PEOPLE, rows=("yes", "no", "not_sure"), columns=("answers",),
                  cells=(_f(14), (FEWER,), (FEWER,))),
        ),
        filters={"scopes": "1/-/-", "audience": "funder"},
    )


@pytest.fixture
def report() -> Report:
    return sample_report()


def _words() -> labels.Words:
    return labels.Words(shared=SHARED)


def test_hidden_figures_hours_and_money_in_words(app: Flask, report: Report) -> None:
    with app.test_request_context():
        assert labels.figure(report, Unit.PEOPLE, FEWER) == "fewer than 5"
        assert labels.figure(report, Unit.PEOPLE, HIDDEN) == "hidden"
        assert labels.figure(report, Unit.MINUTES, Figure(None, Hidden.PRIMARY)) == "hidden"
        assert labels.figure(report, Unit.MINUTES, Figure(750)) == "12.5 hours"
        assert labels.figure(report, Unit.MINUTES, Figure(20)) == "0.3 hours"
        assert labels.figure(report, Unit.MINUTES, Figure(600_000)) == "10,000.0 hours"
        assert labels.figure(report, Unit.PENCE, Figure(40_705)) == "£407.05"
        assert labels.figure(report, Unit.PERMILLE, Figure(415)) == "41.5%"
        assert labels.figure(report, Unit.PEOPLE, Figure(1234)) == "1,234"


def test_a_table_in_words_with_totals_and_the_months_before(app: Flask, report: Report) -> None:
    with app.test_request_context():
        kinds = labels.grid(report, report.table("kinds"), _words())
        people = labels.grid(report, report.table("people"), _words())
        months = labels.grid(report, report.table("months"), _words())
    assert kinds.title == "Hours by who gave and who received"
    assert kinds.header == ["Who gave", "Residents", "Third-sector groups", "Public bodies", "Total",
                            "Same months before"]
    assert kinds.rows[0] == ["Residents", "10.0 hours", "1.5 hours", "hidden", "hidden", "hidden"]
    assert kinds.rows[1] == ["Third-sector groups", "12.5 hours", "0.0 hours", "0.0 hours", "12.5 hours", "25.0 hours"]
    assert kinds.rows[-1] == ["Total", "hidden", "1.5 hours", "hidden", "33.3 hours", "66.7 hours"]
    assert people.rows == [["Active members", "23", "19"], ["New members", "fewer than 5", "6"],
                           ["Retained members (active in both halves)", "12", "hidden"]]
    assert [row[0] for row in months.rows] == ["April 2026", "May 2026", "June 2026", "Total"]


def test_welsh_words(app: Flask, report: Report) -> None:
    with app.test_request_context(), force_locale("cy"):
        months = labels.grid(report, report.table("months"), _words())
        assert labels.report_title(report) == "Cronfa Les Hollinbridge"
    assert [row[0] for row in months.rows][:3] == ["Ebrill 2026", "Mai 2026", "Mehefin 2026"]


def _page_cells(app: Flask, report: Report) -> list[list[list[str]]]:
    with app.test_request_context():
        return [[grid.header, *grid.rows] for grid in labels.grids(report, _words())]


def test_the_csv_files_say_what_the_tables_say(app: Flask, report: Report) -> None:
    with app.test_request_context():
        body = csv_export.report_zip(report, _words())
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.namelist() == ["README.txt", *(f"{table.key}.csv" for table in report.tables)]
    read = [list(csv.reader(io.StringIO(archive.read(f"{table.key}.csv").decode("utf-8-sig"))))
            for table in report.tables]
    for page, rows in zip(_page_cells(app, report), read, strict=True):
        assert_csv_says_the_page(page, rows)
    kinds, months, people, reciprocity, in_kind, _again = read
    assert kinds[0] == ["Who gave", "Residents (hours)", "Third-sector groups (hours)", "Public bodies (hours)",
                        "Total (hours)", "Same months before (hours)", "Hidden figures"]
    assert kinds[1] == ["Residents", "10.0", "1.5", "", "", "", "Public bodies (hours): hidden; Total (hours): "
                        "hidden; Same months before (hours): hidden"]
    assert months[0] == ["Month", "Hours", "Hidden figures"] and months[-1] == ["Total", "33.3", ""]
    assert people[2] == ["New members", "", "6", "People: fewer than 5"]
    assert reciprocity[1][1] == "41.5" and reciprocity[0][1] == "Share (per cent)"
    assert in_kind[0][1:4] == ["How many", "Hours", "Value (£)"] and in_kind[1][1:4] == ["3", "6.0", "45.00"]
    readme = archive.read("README.txt").decode()
    assert "Hollinbridge Well-being Fund" in readme
    assert "April 2026 to June 2026" in readme and "January 2026 to March 2026" in readme
    assert "fewer than 5" in readme
    assert "\"Hidden figures\"" in readme and "(hours)" in readme


def _pdf_text(body: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))


def test_the_pdf_holds_every_figure_in_english_and_welsh(app: Flask, report: Report) -> None:
    for language in ("en", "cy"):
        with app.test_request_context(), force_locale(language):
            body = pdf.report_pdf(report, _words(), funder="Ymddiriedolaeth Glannau", language=language)
            cells = [cell for grid in labels.grids(report, _words()) for row in grid.rows for cell in row]
        text = _pdf_text(body)
        assert body.startswith(b"%PDF")
        assert "Ymddiriedolaeth Glannau" in text
        missing = [cell for cell in cells if cell and re.sub(r"\s+", " ", cell) not in text]
        assert missing == []


def test_the_json_says_what_the_tables_say(app: Flask, report: Report) -> None:
    with app.test_request_context():
        out = ReportOut().dump(report_out(report, _words()))
        grids = labels.grids(report, _words())
    for table, grid in zip(out["tables"], grids, strict=True):
        assert [row["label"] for row in table["rows"]] == [row[0] for row in grid.rows[:len(table["rows"])]]
        assert [[cell["text"] for cell in row] for row in table["cells"]] == [
            row[1:1 + len(table["columns"])] for row in grid.rows[:len(table["rows"])]]
    people = out["tables"][2]
    assert people["cells"][1][0] == {"value": None, "hidden": "primary", "text": "fewer than 5"}
    assert people["previous"]["cells"][2][0] == {"value": None, "hidden": "secondary", "text": "hidden"}
    assert out["social_value"]["estimate_pence"]["text"] == "£407.00"


def test_the_words_of_other_features(app: Flask, report: Report, db_session) -> None:
    with app.test_request_context():
        found = words(db_session, report)
        matrix = Table(key="matrix", unit=Unit.MINUTES, rows=("professionals", "community"),
                       columns=("shared",), cells=(_f(60), _f(120)))
        assert labels.grid(report, matrix, found).rows[1][0] == "Residents"


_figures = st.one_of(st.integers(min_value=0, max_value=10**7).map(Figure),
                     st.sampled_from([FEWER, HIDDEN]))


@st.composite
def _tables(draw: st.DrawFn) -> Table:
    rows = tuple(f"2026-{month:02d}" for month in range(1, draw(st.integers(1, 6)) + 1))
    columns = tuple(draw(st.lists(st.sampled_from(["minutes", "people", "count", "pence"]), min_size=1,
                                  max_size=3, unique=True)))
    unit = draw(st.sampled_from(list(Unit)))

    def table(previous: Table | None) -> Table:
        cells = tuple(tuple(draw(_figures) for _ in columns) for _ in rows)
        totals = draw(st.booleans())
        return Table(key="months", unit=unit, rows=rows, columns=columns, cells=cells,
                     row_totals=tuple(draw(_figures) for _ in rows) if totals else None,
                     column_totals=tuple(draw(_figures) for _ in columns) if totals else None,
                     total=draw(_figures) if totals else None, previous=previous)

    return table(table(None) if draw(st.booleans()) else None)


@settings(max_examples=60, deadline=None)
@given(table=_tables())
def test_any_table_says_the_same_in_every_output_and_never_shows_a_hidden_value(app: Flask, table: Table) -> None:
    report = Report(**{**sample_report().__dict__, "tables": (table,)})
    with app.test_request_context():
        [grid] = labels.grids(report, _words())
        archive = zipfile.ZipFile(io.BytesIO(csv_export.report_zip(report, _words())))
        out = ReportOut().dump(report_out(report, _words()))
    assert all(len(row) == len(grid.header) for row in grid.rows)
    assert_csv_says_the_page([grid.header, *grid.rows],
                             list(csv.reader(io.StringIO(archive.read("months.csv").decode("utf-8-sig")))))
    body = grid.rows[:len(table.rows)]
    assert [[cell["text"] for cell in row] for row in out["tables"][0]["cells"]] == [
        row[1:1 + len(table.columns)] for row in body]
    for figures, texts in zip(table.cells, body, strict=True):
        for shown, text in zip(figures, texts[1:], strict=False):
            if shown.value is None:
                assert text in ("hidden", "fewer than 5")
            else:
                assert text != "hidden" and "fewer" not in text


def test_periods_in_words_one_month_once_and_welsh_mutating_the_month_after_i(app: Flask) -> None:
    march, november = dt.date(2026, 3, 1), dt.date(2026, 11, 30)
    with app.test_request_context():
        assert labels.period_words(march, november) == "March 2026 to November 2026"
        assert labels.period_words(march, dt.date(2026, 3, 31)) == "March 2026"
    with app.test_request_context(), force_locale("cy"):
        assert labels.period_words(march, november) == "Mawrth 2026 i Dachwedd 2026"
        assert labels.period_words(march, dt.date(2026, 3, 31)) == "Mawrth 2026"
        after_i = [labels.period_words(dt.date(2025, 12, 1), dt.date(2026, month, 1)).split(" i ")[1]
                   for month in range(1, 13)]
    assert after_i == [f"{name} 2026" for name in (
        "Ionawr", "Chwefror", "Fawrth", "Ebrill", "Fai", "Fehefin", "Orffennaf", "Awst", "Fedi", "Hydref",
        "Dachwedd", "Ragfyr")]


def test_answers_and_age_bands_say_what_their_forms_said(app: Flask, report: Report) -> None:
    how = Table(key="answers_how", unit=Unit.PEOPLE, rows=("1", "2", "3", "4", "5"), columns=("answers",),
                cells=tuple(_f(10) for _ in range(5)))
    ages = Table(key="age_bands", unit=Unit.PEOPLE, rows=("75_plus",), columns=("people",), cells=(_f(7),))
    with app.test_request_context():
        assert [row[0] for row in labels.grid(report, how, _words()).rows] == [
            "Very poorly", "Poorly", "OK", "Well", "Very well"]
        assert [row[0] for row in labels.grid(report, report.table("answers_again"), _words()).rows] == [
            "Yes, I would", "No, I would not", "Not sure"]
        assert labels.grid(report, ages, _words()).rows[0][0] == "75 or over"


def test_a_period_that_runs_past_today_says_so_in_every_output(app: Flask) -> None:
    report = Report(**{**sample_report(Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30))).__dict__,
                       "figures_to": dt.date(2026, 6, 12)})
    note = "Figures to 12 June 2026; this month is not over yet."
    with app.test_request_context():
        readme = zipfile.ZipFile(io.BytesIO(csv_export.report_zip(report, _words()))).read("README.txt").decode()
        text = _pdf_text(pdf.report_pdf(report, _words(), funder="Glannau", language="en"))
        out = ReportOut().dump(report_out(report, _words()))
        over = ReportOut().dump(report_out(sample_report(), _words()))
    assert note in readme and note in text
    assert (out["figures_to"], out["figures_to_note"]) == ("2026-06-12", note)
    assert (over["figures_to"], over["figures_to_note"]) == (None, None)


def test_a_chart_says_what_its_table_says_of_a_hidden_figure_and_names_what_it_counts(app: Flask,
                                                                                  report: Report) -> None:
    from timebank.reports import drawing

    with app.test_request_context():
        again = drawing.words(report, report.table("answers_again"), _words())
        kinds = drawing.words(report, report.table("kinds"), _words())
    assert again.figure(FEWER, Unit.PEOPLE) == "fewer than 5" and kinds.figure(HIDDEN, Unit.MINUTES) == "hidden"
    assert (again.axis, kinds.axis) == ("Answers", "Hours")

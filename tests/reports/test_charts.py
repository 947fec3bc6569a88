"""The report's charts (``reports.charts``): real SVG that parses and says every figure and label in words,
safe under the pages' strictest Content-Security-Policy, real PNG, readable colours."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.reports.support import raw
from timebank.reports import charts
from timebank.reports.charts import Format, Words
from timebank.reports.disclosure import protect
from timebank.reports.figures import Table, Unit

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

CATEGORIES = {"garden": "Garddio", "pets": "Cŵn a chathod", "shop": "Siopa ac ŷd", "it": "Computers"}
# Minutes, and the exchanges they came from: "pets" is made of 2 exchanges, so it is hidden.
CURRENT = raw([[600], [45], [1230], [300]], [[12], [2], [20], [6]], row_totals=False, column_totals=False,
              total=False, unit=Unit.MINUTES, rows=tuple(CATEGORIES))
PREVIOUS = raw([[480], [150], [900], [360]], [[9], [7], [18], [6]], row_totals=False, column_totals=False,
               total=False, unit=Unit.MINUTES, rows=tuple(CATEGORIES))


def categories() -> Table:
    return protect(CURRENT, PREVIOUS)


def words(**overrides) -> Words:
    return Words(**{"title": "Oriau fesul categori", "labels": CATEGORIES, "hidden": lambda figure, unit: "cudd",
                    "current": "2026–27", "previous": "2025–26", "axis": "Oriau", **overrides})


def texts(svg: bytes) -> list[str]:
    """Every piece of text the SVG draws, in order."""
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def assert_csp_safe(svg: bytes) -> ET.Element:
    """No ``style`` attribute, no ``<style>``, no script, nothing fetched: an SVG the pages' strictest
    policy (``default-src 'none'``) lets a browser draw in full."""
    root = ET.fromstring(svg)
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert element.tag not in (f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject")
        for name, value in element.attrib.items():
            if name.endswith("href"):
                assert value.startswith("#"), (name, value)
            assert not re.search(r"url\((?!#)", value), (name, value)
            assert not name.startswith("on"), name
    return root


def test_a_bar_chart_writes_every_label_and_value_and_hides_the_hidden():
    svg = charts.bars(categories(), words(), Format.SVG)

    root = assert_csp_safe(svg)
    drawn = texts(svg)
    for label in CATEGORIES.values():
        assert label in drawn
    # 600 minutes are 10.0 hours; 1,230 are 20.5; the previous period's 8.0, 15.0 and 6.0 beside them.
    for value in ("10.0", "20.5", "5.0", "8.0", "15.0", "6.0"):
        assert value in drawn
    assert drawn.count("cudd") == 2  # the pets in both periods, hidden together
    assert "0.8" not in drawn and "2.5" not in drawn  # neither period's pets figure, in any form
    assert "Oriau fesul categori" in drawn and "2026–27" in drawn and "2025–26" in drawn
    assert root.find(f"{SVG}title").text == "Oriau fesul categori"
    description = root.find(f"{SVG}desc").text
    assert "Cŵn a chathod: cudd" in description and "Garddio: 10.0" in description
    assert root.get("role") == "img"


def test_a_bar_chart_without_a_previous_period_named_draws_this_one_alone():
    svg = charts.bars(categories(), words(previous=""), Format.SVG)

    assert texts(svg).count("cudd") == 1
    assert "8.0" not in texts(svg)


def test_a_chart_is_the_same_bytes_every_time():
    assert charts.bars(categories(), words(), Format.SVG) == charts.bars(categories(), words(), Format.SVG)


def test_a_bar_chart_as_png_for_the_pdf():
    png = charts.bars(categories(), words(), Format.PNG)

    assert png.startswith(PNG_SIGNATURE)
    assert Format.PNG.media_type == "image/png" and Format.SVG.media_type == "image/svg+xml"


def test_a_table_of_several_columns_draws_its_row_totals_or_the_column_named():
    kinds = protect(*(raw([[600, 120], [300, 60]], [[10, 6], [8, 5]], unit=Unit.MINUTES),) * 2)
    labels = {"r0": "Residents", "r1": "Public bodies", "c0": "Residents", "c1": "Groups"}

    assert "12.0" in texts(charts.bars(kinds, words(labels=labels, previous=""), Format.SVG))  # 720 minutes
    assert "2.0" in texts(charts.bars(kinds, words(labels=labels, previous=""), Format.SVG, column="c1"))
    without_totals = protect(*(raw([[600, 120]], [[10, 6]], row_totals=False, column_totals=False,
                                   total=False),) * 2)
    with pytest.raises(ValueError, match="name the column"):
        charts.bars(without_totals, words(), Format.SVG)


def test_the_months_chart_sets_each_month_beside_the_same_month_a_year_before():
    months = raw([[m * 60] for m in (30, 2, 41)], [[10], [2], [12]], row_totals=False, column_totals=False,
                 total=True, unit=Unit.MINUTES)
    before = raw([[m * 60] for m in (20, 25, 35)], [[8], [9], [9]], row_totals=False, column_totals=False,
                 total=True, unit=Unit.MINUTES)
    labels = {"r0": "Ebrill", "r1": "Mai", "r2": "Mehefin"}
    svg = charts.months(protect(months, before), words(labels=labels), Format.SVG)

    assert_csp_safe(svg)
    drawn = texts(svg)
    assert {"Ebrill", "Mai", "Mehefin", "41.0", "35.0"} <= set(drawn)
    # May is made of 2 exchanges: hidden, and so is April, which with the total would give it away, in both
    # years.
    assert drawn.count("cudd") == 4 and "30.0" not in drawn and "20.0" not in drawn
    assert charts.months(protect(months, before), words(labels=labels), Format.PNG).startswith(PNG_SIGNATURE)


def test_the_heat_grid_writes_each_cell_in_a_colour_it_can_be_read_on():
    matrix = raw([[600, 3000, 90], [1200, 45, 0], [300, 4000, 9000]], [[10, 30, 6], [12, 3, 0], [5, 40, 90]],
                 row_totals=False, column_totals=False, total=False, unit=Unit.MINUTES)
    labels = {"r0": "Professionals", "r1": "Together", "r2": "Community",
              "c0": "Professionals", "c1": "Together", "c2": "Community"}
    svg = charts.heat_grid(protect(matrix, matrix), words(labels=labels, row_axis="Designed by",
                                                            column_axis="Delivered by"), Format.SVG)

    root = assert_csp_safe(svg)
    drawn = texts(svg)
    assert {"Professionals", "Together", "Community", "Designed by", "Delivered by"} <= set(drawn)
    assert {"10.0", "50.0", "1.5", "20.0", "0.0", "5.0", "66.7", "150.0", "cudd"} <= set(drawn)
    assert "0.8" not in drawn
    # Each value is written in black on the pale cells and in white on the darkest.
    colours = {t.text: t.get("fill", "#000000") for t in root.iter(f"{SVG}text")}  # black: no fill written
    assert colours["150.0"] == "#ffffff" and colours["1.5"] == "#000000"
    assert charts.heat_grid(protect(matrix, matrix), words(labels=labels), Format.PNG).startswith(PNG_SIGNATURE)


@given(st.from_regex(r"#[0-9A-F]{6}", fullmatch=True))
def test_text_on_any_cell_colour_contrasts_at_least_4_5_to_1(colour):
    assert charts.contrast(charts.text_colour(colour), colour) >= 4.5


def test_the_palette_and_the_written_text_meet_the_contrast_rule():
    assert charts.contrast(charts.INK, "#FFFFFF") >= 4.5
    assert charts.contrast(charts.MUTED, "#FFFFFF") >= 4.5


@pytest.mark.parametrize("value, unit, written", [
    (90, Unit.MINUTES, "1.5"), (61, Unit.MINUTES, "1.0"), (123_456, Unit.MINUTES, "2,057.6"),
    (-90, Unit.MINUTES, "−1.5"), (1234, Unit.PEOPLE, "1,234"), (415, Unit.PERMILLE, "41.5%"),
    (1_234_550, Unit.PENCE, "£12,346"), (7, Unit.COUNT, "7"),
])
def test_values_are_written_plainly(value, unit, written):
    assert charts.plain_value(value, unit) == written

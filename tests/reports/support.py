"""Tables for the report tests, made the way the report's queries make them."""

from __future__ import annotations

import re

from timebank.reports.disclosure import RawCell, RawTable
from timebank.reports.figures import Unit


def raw(cells: list[list[int]], frequencies: list[list[int]] | None = None, *, row_totals: bool = True,
        column_totals: bool = True, total: bool = True, unit: Unit = Unit.PEOPLE,
        rows: tuple[str, ...] | None = None, columns: tuple[str, ...] | None = None) -> RawTable:
    """A table whose totals add up, each cell's frequency its value unless given; rows ``r0``, ``r1`` … and
    columns ``c0``, ``c1`` … unless named."""
    frequencies = frequencies or cells
    pairs = [[RawCell(v, f) for v, f in zip(vs, fs, strict=True)] for vs, fs in zip(cells, frequencies, strict=True)]

    def add(group) -> RawCell:
        group = list(group)
        return RawCell(sum(p.value for p in group), sum(p.frequency for p in group))

    return RawTable(
        key="t", unit=unit,
        rows=rows or tuple(f"r{i}" for i in range(len(cells))),
        columns=columns or tuple(f"c{j}" for j in range(len(cells[0]))),
        cells=tuple(tuple(row) for row in pairs),
        row_totals=tuple(add(row) for row in pairs) if row_totals else None,
        column_totals=tuple(add(column) for column in zip(*pairs, strict=True)) if column_totals else None,
        total=add(p for row in pairs for p in row) if total else None,
    )


_UNIT_WORDS = re.compile(r"^(?P<heading>.*) \((hours|£|per cent)\)$")


def assert_csv_says_the_page(page: list[list[str]], rows: list[list[str]]) -> None:
    """A CSV file says what the page's table (heading row first) says, as numbers: the same rows, each
    column headed by the page's heading and its unit; each shown figure the page's, without its unit's words
    ("12.5 hours" is 12.5, "£407.05" is 407.05, "1,234" is 1234); each hidden one empty, and named with the
    page's words for it in the last column, "Hidden figures"."""
    assert len(rows) == len(page)
    header, *body = rows
    assert header[0] == page[0][0] and header[-1] == "Hidden figures"
    assert [(m.group("heading") if (m := _UNIT_WORDS.match(h)) else h) for h in header[1:-1]] == page[0][1:]
    assert all(_UNIT_WORDS.match(h) or h == "Hours" or not re.search(r"[a-z] hours$|£|%", text)
               for h, *texts in zip(header[1:-1], *(line[1:] for line in page[1:]), strict=True) for text in texts)
    for words, line in zip(page[1:], body, strict=True):
        assert line[0] == words[0]
        hidden = [f"{heading}: {text}" for heading, text in zip(header[1:-1], words[1:], strict=True)
                  if text == "hidden" or text.startswith("fewer than ")]
        assert line[-1] == "; ".join(hidden)
        for text, cell in zip(words[1:], line[1:-1], strict=True):
            if text == "" or text == "hidden" or text.startswith("fewer than "):
                assert cell == ""
            else:
                assert cell == re.sub(r" hours$|[£%,]", "", text).replace("−", "-"), (text, cell)

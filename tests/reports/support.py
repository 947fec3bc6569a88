"""Tables for the report tests, made the way the report's queries make them."""

from __future__ import annotations

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

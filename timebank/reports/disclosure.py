"""Disclosure control: which figures of a report table are hidden, so that no output names or reveals anyone.

Pure (no database): the report's queries give a ``RawTable`` for the period and the same table for the
previous period; ``protect`` gives the ``figures.Table`` every output draws. The method, in plain words for
funders and auditors, is ``docs/disclosure.md``.

Design note:

* Every figure comes with its **frequency**: how many people (or, for hours and counts, how many exchanges,
  answers or contributions) it is made of. A figure made of 1 to threshold − 1 of them is hidden
  (``Hidden.PRIMARY``). Zero is shown: it identifies nobody. Totals are figures like any other.
* A table's totals make **equations**: each row's cells add up to its row total, each column's to its column
  total, the row totals and the column totals each to the grand total (or, with no margins, every cell to
  the grand total). An attacker who knows every shown figure can solve them. Each equation is a *line*; each
  cell lies on at most two lines. Seen as a graph, lines are nodes (plus one *ground* node for the side of a
  cell that lies on fewer than two lines) and cells are edges. Over the hidden cells, a hidden cell can be
  worked out exactly **if and only if** it is a *bridge* of that graph (no cycle of hidden cells runs
  through it): the equations form a network matrix, whose row space is the graph's cut space. So:
* **secondary suppression**: while any hidden cell is a bridge, hides one more cell
  (``Hidden.SECONDARY``): one that closes a cycle through it if there is one, else one on either of its
  lines (on a line with a single hidden cell, that is the classic complement), else one next to its part of
  the graph. It takes an ordinary cell before a row or column total, those before the grand total (the
  headline, often repeated elsewhere in the report), and a zero last (a hidden zero protects little); then
  one already hidden in the other period; then the smallest. Each step hides one more cell, so it ends; when
  it does, no equation, and no combination of equations, gives any hidden figure.
* **across periods** the two tables are protected together: a figure hidden in one period is hidden in the
  other, so a comparison (a change, a difference of totals) never gives it; both are then protected again,
  until neither changes. Except a zero made of nobody (value and frequency 0, as every figure of a period
  when nothing happened): it is shown as 0, since knowing that nothing happened one period says nothing of
  the other period's hidden figure, and a hidden "nothing" would only puzzle the reader.
* A table without totals has no equations: primary suppression only.
* Interval disclosure (narrow bounds from non-negative cells) is not prevented; the threshold is what
  limits it. ``docs/disclosure.md`` states the limits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass

from timebank.reports.figures import Figure, Hidden, Table, Unit

#: The house minimum; a programme may set a higher threshold, never a lower one (``programmes.models``).
MINIMUM_THRESHOLD = 5
#: Permille: a share in tenths of a per cent.
PERMILLE = 1000

#: A cell's place in the table with its margins: ``(row, column)``; row ``len(rows)`` holds the column
#: totals, column ``len(columns)`` the row totals, and ``(len(rows), len(columns))`` is the grand total.
Position = tuple[int, int]


@dataclass(frozen=True)
class RawCell:
    value: int
    #: How many people (hours and counts: exchanges, answers, contributions) the value is made of.
    frequency: int


#: A figure nobody made: nothing to hide, in either period.
NOBODY = RawCell(0, 0)


@dataclass(frozen=True)
class RawTable:
    """A table as the queries give it, before disclosure control: the same shape as ``figures.Table``."""

    key: str
    unit: Unit
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[RawCell, ...], ...]
    row_totals: tuple[RawCell, ...] | None = None
    column_totals: tuple[RawCell, ...] | None = None
    total: RawCell | None = None
    column_units: tuple[Unit, ...] | None = None

    def __post_init__(self) -> None:
        if not self.rows or not self.columns:
            raise ValueError(f"table {self.key}: a table has at least one row and one column")
        if len(self.cells) != len(self.rows) or any(len(row) != len(self.columns) for row in self.cells):
            raise ValueError(f"table {self.key}: cells must be rows × columns")
        if self.row_totals is not None and len(self.row_totals) != len(self.rows):
            raise ValueError(f"table {self.key}: one row total per row")
        if self.column_totals is not None and len(self.column_totals) != len(self.columns):
            raise ValueError(f"table {self.key}: one column total per column")
        if self.column_units is not None and len(self.column_units) != len(self.columns):
            raise ValueError(f"table {self.key}: one unit per column")

    @property
    def shape(self) -> tuple[int, int, bool, bool, bool]:
        return (len(self.rows), len(self.columns), self.row_totals is not None,
                self.column_totals is not None, self.total is not None)

    def by_position(self) -> dict[Position, RawCell]:
        """Every cell of the table, margins included, by its position."""
        nrows, ncolumns = len(self.rows), len(self.columns)
        found = {(r, c): cell for r, row in enumerate(self.cells) for c, cell in enumerate(row)}
        found.update({(r, ncolumns): cell for r, cell in enumerate(self.row_totals or ())})
        found.update({(nrows, c): cell for c, cell in enumerate(self.column_totals or ())})
        if self.total is not None:
            found[nrows, ncolumns] = self.total
        return found


def protect(current: RawTable, previous: RawTable, threshold: int = MINIMUM_THRESHOLD) -> Table:
    """The current table, disclosure-controlled together with the previous period's (its ``previous``)."""
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(f"the threshold is at least {MINIMUM_THRESHOLD}, not {threshold}")
    if current.shape != previous.shape or current.column_units != previous.column_units:
        raise ValueError(f"table {current.key}: the previous period's table must have the same shape")
    layout = _Layout(current)
    now, before = current.by_position(), previous.by_position()

    def hidden_with(preference: Preference) -> tuple[dict[Position, Hidden], dict[Position, Hidden]]:
        hidden_now, hidden_before = _primary(now, threshold), _primary(before, threshold)
        while True:
            changed = _secure(layout, now, hidden_now, hidden_before, preference)
            changed |= _secure(layout, before, hidden_before, hidden_now, preference)
            for this, other, raw in ((hidden_now, hidden_before, now), (hidden_before, hidden_now, before)):
                for position in other.keys() - this.keys():
                    if raw[position] == NOBODY:  # a zero nobody made tells nothing of the other period
                        continue
                    this[position] = Hidden.SECONDARY
                    changed = True
            if not changed:
                return hidden_now, hidden_before

    def given_away(found: tuple[dict[Position, Hidden], dict[Position, Hidden]]) -> tuple[int, int]:
        """Fewest figures hidden, then the least hidden (both periods)."""
        return (len(found[0]), sum(now[p].value for p in found[0]) + sum(before[p].value for p in found[1]))

    # Each order of preference is safe on its own; neither always hides fewer, so the report keeps the better.
    hidden_now, hidden_before = min((hidden_with(preference) for preference in PREFERENCES), key=given_away)
    return _table(current, hidden_now, previous=_table(previous, hidden_before))


def unprotected(current: RawTable, previous: RawTable) -> Table:
    """A table that counts no person (what organisations gave in kind: their own records, which they
    publish), shown whole, with the previous period's beside it."""
    if current.shape != previous.shape or current.column_units != previous.column_units:
        raise ValueError(f"table {current.key}: the previous period's table must have the same shape")
    return _table(current, {}, previous=_table(previous, {}))


def hidden_share(numerator: Figure, denominator: Figure) -> Figure:
    """``numerator / denominator`` in permille, rounded half up; hidden if either is (a share of nothing is 0)."""
    if numerator.value is None or denominator.value is None:
        return Figure(None, Hidden.SECONDARY)
    if denominator.value == 0:
        return Figure(0)
    return Figure((2 * PERMILLE * numerator.value + denominator.value) // (2 * denominator.value))


@dataclass(frozen=True)
class _Line:
    """An equation of the table: its members add up to its total."""

    members: tuple[Position, ...]
    total: Position

    @property
    def cells(self) -> tuple[Position, ...]:
        return (*self.members, self.total)


class _Layout:
    """The equations of a table's shape, and the graph they make: a node per line, plus ``ground``."""

    def __init__(self, table: RawTable) -> None:
        nrows, ncolumns, has_row_totals, has_column_totals, has_total = table.shape
        rows, columns = range(nrows), range(ncolumns)
        lines = []
        if has_row_totals:
            lines += [_Line(tuple((r, c) for c in columns), (r, ncolumns)) for r in rows]
        if has_column_totals:
            lines += [_Line(tuple((r, c) for r in rows), (nrows, c)) for c in columns]
        if has_total:
            grand = (nrows, ncolumns)
            if has_row_totals:
                lines.append(_Line(tuple((r, ncolumns) for r in rows), grand))
            if has_column_totals:
                lines.append(_Line(tuple((nrows, c) for c in columns), grand))
            if not has_row_totals and not has_column_totals:
                lines.append(_Line(tuple((r, c) for r in rows for c in columns), grand))
        self.lines = tuple(lines)
        self.ground = len(lines)
        on_lines: dict[Position, list[int]] = defaultdict(list)
        for number, line in enumerate(lines):
            for position in line.cells:
                on_lines[position].append(number)
        #: Each cell's two ends: the lines it lies on, ``ground`` for a missing one.
        self.ends: dict[Position, tuple[int, int]] = {
            position: (*on_lines[position], *[self.ground] * (2 - len(on_lines[position])))
            for position in table.by_position()
        }
        self.margins = frozenset(p for p in self.ends if p[0] == nrows or p[1] == ncolumns)
        self.grand = (nrows, ncolumns) if has_total else None


def _primary(cells: Mapping[Position, RawCell], threshold: int) -> dict[Position, Hidden]:
    return {position: Hidden.PRIMARY for position, cell in cells.items() if 0 < cell.frequency < threshold}


def _secure(layout: _Layout, cells: Mapping[Position, RawCell], hidden: dict[Position, Hidden],
            hidden_elsewhere: Collection[Position], preference: Preference) -> bool:
    """Hide complements in one period's table until no hidden cell can be worked out; whether any was hidden."""

    def tier(position: Position) -> int:
        """What a complement gives away, least first: a cell, a row or column total, the grand total (the
        headline, and often shown elsewhere in the report), a zero (which protects little)."""
        if cells[position].value == 0:
            return 3
        return 2 if position == layout.grand else int(position in layout.margins)

    def cost(position: Position) -> tuple[bool, int, Position]:
        return position not in hidden_elsewhere, cells[position].value, position

    changed = False
    while (complement := _next_complement(layout, hidden, tier, cost, preference)) is not None:
        hidden[complement] = Hidden.SECONDARY
        changed = True
    return changed


def _next_complement(layout: _Layout, hidden: Collection[Position], tier: Callable[[Position], int],
                     cost: Callable[[Position], tuple], preference: Preference) -> Position | None:
    """A shown cell to hide so that a hidden one stops being a bridge, from the lowest tier that has one:
    one that closes a cycle through it; else one on either of its lines (a complement, as on a line with one
    hidden cell); else one that touches its part of the graph, so that a later step can close the cycle.
    Within a group, the cheapest (``cost``)."""
    ends = layout.ends
    for bridge in _bridges(layout, hidden):
        u, v = ends[bridge]
        side_u = _reachable(layout, hidden, u, without=bridge)
        side_v = _reachable(layout, hidden, v, without=bridge)
        shown = [p for p in ends if p not in hidden]
        groups = (
            [p for p in shown if {ends[p][0], ends[p][1]} & side_u and {ends[p][0], ends[p][1]} & side_v],
            [p for p in shown if {u, v} & set(ends[p])],
            [p for p in shown if (side_u | side_v) & set(ends[p])],
        )
        for group, levels in preference:
            if choice := [p for p in groups[group] if tier(p) in levels]:
                return min(choice, key=cost)
    return None


#: The orders in which ``_next_complement`` looks, as (group, tiers). By tier first: a cell before a row or
#: column total, before the grand total, before a zero, in whichever group has one (closing a cycle, lying on
#: the bridge's lines, touching its part of the graph). By cycle first: a cell or a row or column total that
#: closes a cycle before one that only lies on the bridge's lines, and so on; the grand total, then zeros,
#: last. Tier first keeps a two-by-two table's margins by hiding its whole body; cycle first keeps a bank's headline
#: figure (residents' hours for residents), which tier first hid to protect a cell of two exchanges.
Preference = tuple[tuple[int, tuple[int, ...]], ...]
PREFERENCES: tuple[Preference, ...] = (
    tuple((group, (level,)) for level in range(4) for group in range(3)),
    ((0, (0, 1)), (1, (0, 1)), (2, (0, 1)), (0, (2,)), (1, (2,)), (2, (2,)), (0, (3,)), (1, (3,)), (2, (3,))),
)


def _neighbours(layout: _Layout, hidden: Collection[Position]) -> dict[int, list[tuple[int, Position]]]:
    graph: dict[int, list[tuple[int, Position]]] = defaultdict(list)
    for position in hidden:
        u, v = layout.ends[position]
        graph[u].append((v, position))
        if u != v:
            graph[v].append((u, position))
    return graph


def _reachable(layout: _Layout, hidden: Collection[Position], start: int, without: Position) -> set[int]:
    graph, seen, todo = _neighbours(layout, hidden), {start}, [start]
    while todo:
        for node, edge in graph[todo.pop()]:
            if edge != without and node not in seen:
                seen.add(node)
                todo.append(node)
    return seen


def _bridges(layout: _Layout, hidden: Collection[Position]) -> Iterator[Position]:
    """The hidden cells that are bridges of the hidden cells' graph (Tarjan), in the order of their positions."""
    graph = _neighbours(layout, hidden)
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: list[Position] = []

    def visit(node: int, through: Position | None) -> None:
        order[node] = low[node] = len(order)
        for other, edge in graph[node]:
            if edge == through:
                continue
            if other not in order:
                visit(other, edge)
                low[node] = min(low[node], low[other])
                if low[other] > order[node]:
                    found.append(edge)
            else:
                low[node] = min(low[node], order[other])

    for node in list(graph):
        if node not in order:
            visit(node, None)
    yield from sorted(found)


def _table(raw: RawTable, hidden: Mapping[Position, Hidden], previous: Table | None = None) -> Table:
    nrows, ncolumns = len(raw.rows), len(raw.columns)

    def figure(position: Position, cell: RawCell) -> Figure:
        reason = hidden.get(position)
        return Figure(None, reason) if reason else Figure(cell.value)

    return Table(
        key=raw.key, unit=raw.unit, rows=raw.rows, columns=raw.columns,
        cells=tuple(tuple(figure((r, c), cell) for c, cell in enumerate(row)) for r, row in enumerate(raw.cells)),
        row_totals=(None if raw.row_totals is None
                    else tuple(figure((r, ncolumns), cell) for r, cell in enumerate(raw.row_totals))),
        column_totals=(None if raw.column_totals is None
                       else tuple(figure((nrows, c), cell) for c, cell in enumerate(raw.column_totals))),
        total=None if raw.total is None else figure((nrows, ncolumns), raw.total),
        previous=previous,
        column_units=raw.column_units,
    )

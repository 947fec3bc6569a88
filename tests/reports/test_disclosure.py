"""Disclosure control (``reports.disclosure``): worked examples on adversarial tables, and property tests
with two attackers who know every shown figure and every equation the totals make: one solves each line
for its single unknown (as anyone with a calculator would), the other does linear algebra on all the
equations together. Neither may ever recover a hidden figure, in either period."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reports.support import raw
from tests.support import examples
from timebank.reports.disclosure import MINIMUM_THRESHOLD, NOBODY, RawTable, hidden_share, protect
from timebank.reports.figures import Figure, Hidden, Table, Unit

#: Which margins a table has: row totals, column totals, grand total.
MARGINS = [(r, c, t) for r in (False, True) for c in (False, True) for t in (False, True)]


def values(table: Table) -> list[list[int | None]]:
    """The table as a reader sees it, margins included: the last column the row totals, the last row the
    column totals and the grand total (``None`` where hidden or absent)."""
    rows = [[f.value for f in row] + [table.row_totals[r].value if table.row_totals else None]
            for r, row in enumerate(table.cells)]
    last = [f.value for f in table.column_totals] if table.column_totals else [None] * len(table.columns)
    return [*rows, [*last, table.total.value if table.total else None]]


# The attackers ------------------------------------------------------------------------------------------

def equations(table: Table) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Every equation the table's totals make, as (members, total) positions in ``values(table)``."""
    nrows, ncolumns = len(table.rows), len(table.columns)
    rows, columns = range(nrows), range(ncolumns)
    found = []
    if table.row_totals:
        found += [([(r, c) for c in columns], (r, ncolumns)) for r in rows]
    if table.column_totals:
        found += [([(r, c) for r in rows], (nrows, c)) for c in columns]
    if table.total:
        if table.row_totals:
            found.append(([(r, ncolumns) for r in rows], (nrows, ncolumns)))
        if table.column_totals:
            found.append(([(nrows, c) for c in columns], (nrows, ncolumns)))
        if not table.row_totals and not table.column_totals:
            found.append(([(r, c) for r in rows for c in columns], (nrows, ncolumns)))
    return found


def hidden_positions(table: Table) -> set[tuple[int, int]]:
    nrows, ncolumns = len(table.rows), len(table.columns)
    found = {(r, c) for r, row in enumerate(table.cells) for c, f in enumerate(row) if f.suppressed}
    found |= {(r, ncolumns) for r, f in enumerate(table.row_totals or ()) if f.suppressed}
    found |= {(nrows, c) for c, f in enumerate(table.column_totals or ()) if f.suppressed}
    if table.total and table.total.suppressed:
        found.add((nrows, ncolumns))
    return found


def single_unknowns(table: Table) -> list[tuple[int, int]]:
    """The calculator attacker: each line (a row, a column, the totals) with one hidden figure gives it."""
    hidden = hidden_positions(table)
    return [next(p for p in (*members, total) if p in hidden) for members, total in equations(table)
            if sum(p in hidden for p in (*members, total)) == 1]


def determined(table: Table) -> set[tuple[int, int]]:
    """The algebra attacker: the hidden figures that all the equations together fix (Gauss–Jordan on the
    hidden unknowns: one is fixed when a reduced row has it alone)."""
    unknowns = sorted(hidden_positions(table))
    index = {p: i for i, p in enumerate(unknowns)}
    matrix = []
    for members, total in equations(table):
        row = [Fraction(0)] * len(unknowns)
        for p, sign in [*((m, 1) for m in members), (total, -1)]:
            if p in index:
                row[index[p]] += sign
        matrix.append(row)
    pivot_row = 0
    for column in range(len(unknowns)):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [x / lead for x in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column]:
                factor = matrix[r][column]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[pivot_row], strict=True)]
        pivot_row += 1
    return {unknowns[[i for i, x in enumerate(row) if x].pop()] for row in matrix if sum(1 for x in row if x) == 1}


def assert_safe(table: Table, source: RawTable, threshold: int) -> None:
    for position, cell in source.by_position().items():
        if 0 < cell.frequency < threshold:
            assert position in hidden_positions(table), f"{position} counts {cell.frequency}, shown"
    assert single_unknowns(table) == []
    assert determined(table) == set()


# Worked examples ----------------------------------------------------------------------------------------

def test_a_cell_of_3_in_a_2_by_2_with_totals_shows_fewer_than_5_and_no_total_reveals_it():
    current = raw([[3, 10], [20, 30]])
    table = protect(current, raw([[12, 10], [20, 30]]))

    assert table.cell("r0", "c0") == Figure(None, Hidden.PRIMARY)
    # The whole body goes: any one cell shown would give the others through the shown totals.
    assert values(table) == [[None, None, 13], [None, None, 50], [23, 40, 63]]
    assert {f.hidden for row in table.cells for f in row} == {Hidden.PRIMARY, Hidden.SECONDARY}
    # The previous period hides the same cells, so no change from it reveals the 3.
    assert values(table.previous) == [[None, None, 22], [None, None, 50], [32, 40, 72]]
    assert table.previous.cell("r0", "c0") == Figure(None, Hidden.SECONDARY)
    assert_safe(table, current, 5)


def test_a_small_cell_of_an_organisation_s_hours_does_not_hide_the_bank_s_headline_figure():
    # Hours by who gave (rows) and who received (columns): residents, a charity, a council. The charity gave
    # residents 3 hours in 2 exchanges; everything else is large or nothing.
    minutes = [[19260, 8370, 11550], [180, 0, 0], [1320, 0, 0]]
    exchanges = [[223, 65, 84], [2, 0, 0], [22, 0, 0]]
    current = raw(minutes, exchanges, unit=Unit.MINUTES)
    table = protect(current, raw([[0] * 3] * 3, unit=Unit.MINUTES))

    # Only the two organisations' hours for residents and their rows' totals: they hide each other, and
    # residents' hours for residents, for the charity and for the council stay.
    assert values(table) == [[19260, 8370, 11550, 39180], [None, 0, 0, None], [None, 0, 0, None],
                             [20760, 8370, 11550, 40680]]
    assert_safe(table, current, 5)


def test_a_row_with_one_small_cell_hides_its_smallest_other_cell():
    current = raw([[2, 40, 7, 9]], row_totals=True, column_totals=False, total=False)
    table = protect(current, current)

    assert values(table) == [[None, 40, None, 9, 58], [None, None, None, None, None]]
    assert table.cell("r0", "c2").hidden == Hidden.SECONDARY


def test_a_complement_hidden_in_a_row_that_breaks_its_column_is_followed_until_a_cycle_closes():
    current = raw([[3, 10, 8], [20, 30, 7], [9, 9, 9]])
    table = protect(current, raw([[13, 10, 8], [20, 30, 7], [9, 9, 9]]))

    # The 3's row takes the 8, whose column would then give it away, and so on: the four smallest cells on
    # a cycle close it.
    assert values(table) == [[None, 10, None, 21], [20, 30, 7, 57], [None, 9, None, 27], [32, 49, 24, 105]]
    assert_safe(table, current, 5)


def test_a_bridge_between_two_cycles_is_closed_though_every_line_hides_two():
    # Two blocks of small cells, each a cycle, and the row they share: every line holds two hidden cells,
    # yet rows 0 and 1 less columns 0 and 1 would give the cell joining the blocks.
    cells = [[2, 2, 50, 50], [2, 2, 40, 60], [50, 60, 2, 2], [70, 50, 2, 2]]
    current = raw(cells)
    table = protect(current, current)

    assert_safe(table, current, 5)


def test_all_cells_small_hides_everything_the_threshold_reaches():
    current = raw([[1, 2], [1, 1]])
    table = protect(current, current)

    assert values(table) == [[None, None, None], [None, None, None], [None, None, 5]]
    assert table.row_totals[0].hidden == Hidden.PRIMARY
    assert_safe(table, current, 5)


def test_zeros_are_shown_and_a_total_is_hidden_when_it_alone_would_give_a_small_one():
    current = raw([[3, 0], [0, 10]])
    table = protect(current, current)

    assert table.cell("r0", "c1") == Figure(0) and table.cell("r1", "c0") == Figure(0)
    # The 3 is its row's and its column's total too; the 10's row and column total would give it through
    # the grand total, so they go, and the 10 with them.
    assert values(table) == [[None, 0, None], [0, None, None], [None, None, 13]]
    assert_safe(table, current, 5)


def test_the_previous_period_hides_what_the_current_one_hides_and_the_other_way_round():
    current = raw([[30, 10], [20, 30]])
    previous = raw([[30, 4], [20, 30]])
    table = protect(current, previous)

    assert hidden_positions(table) == hidden_positions(table.previous) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert table.cell("r0", "c1").hidden == Hidden.SECONDARY
    assert table.previous.cell("r0", "c1").hidden == Hidden.PRIMARY
    # A row total shown in both periods with its cells shown in one would give the change, and so the figure.
    assert table.row_totals[0] == Figure(40) and table.previous.row_totals[0] == Figure(34)


def test_a_previous_period_when_nothing_happened_shows_its_zeros_not_hidden():
    # A new programme: a cell of 3 this period, nothing at all before. The zeros before are nobody's: shown.
    current = raw([[30, 3], [20, 30]])
    previous = raw([[0, 0], [0, 0]])
    table = protect(current, previous)

    assert table.cell("r0", "c1").hidden == Hidden.PRIMARY
    assert hidden_positions(table.previous) == set()
    assert table.previous.total == Figure(0) and table.previous.cell("r0", "c1") == Figure(0)
    # And the other way round: a small figure before, nothing now (a programme's last, empty month).
    reversed_ = protect(previous, current)
    assert hidden_positions(reversed_) == set() and hidden_positions(reversed_.previous) != set()


def test_a_one_column_table_with_a_total_protects_its_column():
    months = raw([[40], [3], [25], [60]], row_totals=False, column_totals=True, total=False, unit=Unit.MINUTES)
    table = protect(months, months)

    assert values(table) == [[40, None], [None, None], [None, None], [60, None], [128, None]]


def test_a_one_column_table_with_only_a_grand_total_is_a_column_too():
    months = raw([[40], [3], [25], [60]], row_totals=False, column_totals=False, total=True)
    table = protect(months, months)

    assert [f.value for row in table.cells for f in row] == [40, None, None, 60]
    assert table.total == Figure(128)


def test_hours_are_hidden_by_how_few_exchanges_make_them():
    minutes = raw([[600, 45], [120, 90]], [[12, 2], [6, 7]], unit=Unit.MINUTES)
    table = protect(minutes, minutes)

    assert table.cell("r0", "c1") == Figure(None, Hidden.PRIMARY)
    assert_safe(table, minutes, 5)


def test_a_table_without_totals_only_hides_the_small():
    outcomes = raw([[30, 3], [0, 12]], row_totals=False, column_totals=False, total=False)
    table = protect(outcomes, outcomes)

    assert values(table)[:2] == [[30, None, None], [0, 12, None]]
    assert table.row_totals is table.column_totals is table.total is None


def test_a_higher_threshold_hides_more():
    current = raw([[6, 30], [40, 30]])

    assert protect(current, current, 5).cell("r0", "c0") == Figure(6)
    assert protect(current, current, 10).cell("r0", "c0") == Figure(None, Hidden.PRIMARY)


def test_the_threshold_is_never_below_the_house_minimum():
    current = raw([[6, 30]])
    with pytest.raises(ValueError, match="at least 5"):
        protect(current, current, MINIMUM_THRESHOLD - 1)


def test_the_previous_table_has_the_same_shape():
    with pytest.raises(ValueError, match="same shape"):
        protect(raw([[6, 30]]), raw([[6, 30]], total=False))


def test_a_share_is_hidden_when_either_side_is():
    assert hidden_share(Figure(415), Figure(1000)) == Figure(415)
    assert hidden_share(Figure(2), Figure(3)) == Figure(667)
    assert hidden_share(Figure(1), Figure(8)) == Figure(125)
    assert hidden_share(Figure(0), Figure(0)) == Figure(0)
    assert hidden_share(Figure(None, Hidden.PRIMARY), Figure(40)) == Figure(None, Hidden.SECONDARY)
    assert hidden_share(Figure(7), Figure(None, Hidden.SECONDARY)) == Figure(None, Hidden.SECONDARY)


# Properties -----------------------------------------------------------------------------------------------

#: A cell's frequency: often zero, often small, often not.
ANY_FREQUENCY = st.one_of(st.just(0), st.integers(1, 6), st.integers(1, 40))
#: Never small under any threshold drawn (at most 9).
LARGE_FREQUENCY = st.integers(10, 40)


@st.composite
def periods(draw, frequency=ANY_FREQUENCY) -> tuple[RawTable, RawTable, int]:
    nrows, ncolumns = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    row_totals, column_totals, total = draw(st.sampled_from(MARGINS))

    def table() -> RawTable:
        frequencies = [[draw(frequency) for _ in range(ncolumns)] for _ in range(nrows)]
        minutes = [[f * draw(st.integers(30, 120)) for f in row] for row in frequencies]
        return raw(minutes, frequencies, row_totals=row_totals, column_totals=column_totals, total=total)

    return table(), table(), draw(st.integers(MINIMUM_THRESHOLD, 9))


@settings(max_examples=examples(4), deadline=None)
@given(periods())
def test_no_small_figure_is_shown_and_no_hidden_one_can_be_worked_out_in_either_period(case):
    current, previous, threshold = case
    table = protect(current, previous, threshold)

    assert_safe(table, current, threshold)
    assert_safe(table.previous, previous, threshold)
    # A figure hidden in one period is hidden in the other, unless it is a zero nobody made there.
    now, before = hidden_positions(table), hidden_positions(table.previous)
    assert all(current.by_position()[p] == NOBODY for p in before - now)
    assert all(previous.by_position()[p] == NOBODY for p in now - before)
    # Disclosure control hides figures, never alters them.
    for (r, c), cell in current.by_position().items():
        assert values(table)[r][c] in (None, cell.value)


@settings(max_examples=examples(2), deadline=None)
@given(periods(LARGE_FREQUENCY))
def test_a_table_with_no_small_figure_in_either_period_is_shown_whole(case):
    current, previous, threshold = case

    assert hidden_positions(protect(current, previous, threshold)) == set()

"""The windows the rules count in, as ``rules.common`` finds them in a context's span: benefit weeks from the
member's start day, UC assessment periods from their day of the month (the last day of a shorter month),
and the latest 28 days in the span where a pattern holds."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from timebank.benefits.facts import Evidence, Profile
from timebank.benefits.figures import figure_book
from timebank.benefits.rulebook import Context, assessment_period, benefit_week, tax_year_label
from timebank.benefits.rules.common import ByDate, latest_window, periods_ending_in, weeks_ending_in, window_changes

D = dt.date
DAY = dt.timedelta(days=1)


def span(start: dt.date, end: dt.date, **profile) -> Context:
    return Context(Profile(frozenset(), **profile), Evidence(start, end), figure_book(), start, end)


def test_benefit_weeks_that_end_in_the_span_from_the_members_start_day():
    # 6 April 2026 is a Monday. Weeks from Monday: the one ending Sunday 5 April is in; the one ending on
    # the 12th is not.
    assert weeks_ending_in(span(D(2026, 4, 1), D(2026, 4, 11))) == [(D(2026, 3, 30), D(2026, 4, 5))]
    # From Friday: the week from Friday 3 April spans 6 April.
    assert weeks_ending_in(span(D(2026, 4, 9), D(2026, 4, 16), benefit_week_starts=4)) == [
        (D(2026, 4, 3), D(2026, 4, 9)), (D(2026, 4, 10), D(2026, 4, 16))]
    assert weeks_ending_in(span(D(2026, 4, 10), D(2026, 4, 15), benefit_week_starts=4)) == []


def test_assessment_periods_from_their_day_of_the_month():
    assert periods_ending_in(span(D(2026, 1, 1), D(2026, 3, 31))) == [
        (D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 3, 31))]
    # From the 31st: in February from its last day.
    assert periods_ending_in(span(D(2026, 2, 1), D(2026, 3, 31), uc_assessment_day=31)) == [
        (D(2026, 1, 31), D(2026, 2, 27)), (D(2026, 2, 28), D(2026, 3, 30))]
    assert assessment_period(D(2026, 12, 20), 15) == (D(2026, 12, 15), D(2027, 1, 14))
    assert assessment_period(D(2027, 1, 3), 15) == (D(2026, 12, 15), D(2027, 1, 14))


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)), st.integers(0, 6),
       st.none() | st.integers(1, 31))
def test_every_day_is_in_one_week_and_one_period(day, starts, assessment_day):
    start, end = benefit_week(day, starts)
    assert start <= day <= end and end - start == 6 * DAY and start.weekday() == starts
    start, end = assessment_period(day, assessment_day)
    assert start <= day <= end and 27 <= (end - start).days <= 30
    assert assessment_period(end + DAY, assessment_day)[0] == end + DAY


def test_the_latest_28_days_in_the_span_where_a_pattern_holds():
    dated = ByDate([D(2026, 6, 1), D(2026, 6, 10)], lambda day: day)
    ctx = span(D(2026, 6, 1), D(2026, 7, 31))

    def both(start, end):
        return dated.between(start, end) if len(dated.between(start, end)) == 2 else None

    changes = window_changes(dated.days, 0, 28)
    assert changes == [D(2026, 6, 1), D(2026, 6, 29), D(2026, 6, 10), D(2026, 7, 8)]
    assert latest_window(ctx, both, changes)[:2] == (D(2026, 6, 1), D(2026, 6, 28))
    assert latest_window(ctx, lambda start, end: None, changes) is None
    # Only the span's end and the days before a change (of a record, or of a figure) are asked.
    asked = []
    latest_window(ctx, lambda start, end: asked.append(end), changes)
    assert asked == [D(2026, 7, 31), D(2026, 7, 7), D(2026, 6, 28), D(2026, 6, 9)]


def test_tax_year_labels():
    assert tax_year_label(D(2026, 4, 5)) == "2025/26"
    assert tax_year_label(D(2026, 4, 6)) == "2026/27"
    assert tax_year_label(D(2099, 12, 31)) == "2099/00"

"""Pounds and miles as people type them, read into whole pence and tenths of a mile."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timebank.money import errors, service
from timebank.money.models import MAX_PENCE


@pytest.mark.parametrize(("typed", "pence"), [
    ("12.50", 1250), ("£12.50", 1250), (" £ 12.5 ", 1250), ("12", 1200), ("0.05", 5), (".5", 50),
    ("£1,250.00", 125000), ("100000", MAX_PENCE), ("0", 0),
])
def test_pounds_are_read_as_whole_pence(typed, pence):
    assert service.parse_pounds(typed) == pence


@pytest.mark.parametrize("typed", ["", "£", ".", "-1", "−1.00", "1.234", "12,50", "1,2345", "100000.01", "12p",
                                   "1e3", "٣", "9" * 40, "£-5"])
def test_anything_else_is_refused_naming_the_field(typed):
    with pytest.raises(errors.InvalidAmount) as refused:
        service.parse_pounds(typed, field="amount_paid")
    assert refused.value.field == "amount_paid"


@given(st.integers(min_value=0, max_value=MAX_PENCE))
def test_any_pence_formatted_as_pounds_parses_back_to_the_same_pence(pence):
    assert service.parse_pounds(service.pounds_text(pence)) == pence
    pounds, rest = divmod(pence, 100)
    assert service.parse_pounds(f"£{pounds:,}.{rest:02d}") == pence


@pytest.mark.parametrize(("typed", "tenths"), [("12", 120), ("12.5", 125), ("0.1", 1), ("100000", 1_000_000)])
def test_miles_are_read_in_tenths(typed, tenths):
    assert service.parse_miles(typed) == tenths


@pytest.mark.parametrize("typed", ["", "0", "0.0", "12.55", "-3", "100000.1", "twelve"])
def test_bad_miles_are_refused(typed):
    with pytest.raises(errors.InvalidMiles):
        service.parse_miles(typed)

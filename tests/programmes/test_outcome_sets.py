"""The ready-made set is the seven well-being goals of Wales exactly as the shared reference gives them, in
English and Welsh, in the Act's order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from timebank.programmes.outcome_sets import OUTCOME_SETS, WALES_WELLBEING_GOALS

REFERENCE = Path(__file__).parents[2].parent / "shared" / "outcomes-wales.md"
_ROW = re.compile(r"^\|\s*(\d)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$")


def test_the_wales_goals_match_the_reference() -> None:
    if not REFERENCE.exists():
        pytest.skip(f"the shared reference is not beside this checkout ({REFERENCE})")
    rows = [match.groups() for line in REFERENCE.read_text(encoding="utf-8").splitlines()
            if (match := _ROW.match(line))]
    assert [(int(number), english, welsh) for number, english, welsh in rows] == [
        (number, goal.name, goal.name_cy) for number, goal in enumerate(WALES_WELLBEING_GOALS.outcomes, start=1)]


def test_every_set_has_distinct_codes_and_names() -> None:
    for outcome_set in OUTCOME_SETS.values():
        for attribute in ("code", "name", "name_cy"):
            values = [getattr(outcome, attribute) for outcome in outcome_set.outcomes]
            assert len(set(values)) == len(values), (outcome_set.code, attribute)

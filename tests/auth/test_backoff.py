"""The back-off schedule and how a wait is put into words, on their own (no database, no storage)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import config
from timebank import create_app
from timebank.auth.backoff import pause_after
from timebank.auth.limits import wait_in_words

SETTINGS = {"after": 5, "first": 30, "longest": 900}


def test_the_default_schedule_is_30_seconds_doubling_to_15_minutes():
    assert [pause_after(n, **SETTINGS) for n in range(1, 12)] == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]


@given(failures=st.integers(min_value=0, max_value=10**9), after=st.integers(1, 50), first=st.integers(1, 3600),
       longest=st.integers(1, 86400))
def test_a_pause_is_never_longer_than_the_longest_and_never_shrinks(failures, after, first, longest):
    pause = pause_after(failures, after=after, first=first, longest=longest)
    assert (pause == 0) is (failures < after)
    assert pause <= longest
    assert pause <= pause_after(failures + 1, after=after, first=first, longest=longest)
    if failures >= after:
        assert pause == min(longest, first * 2 ** min(failures - after, 32))


def test_a_wait_is_said_in_words_rounded_up():
    app = create_app(config.TestingConfig())
    with app.test_request_context():
        words = [wait_in_words(s) for s in (1, 59, 60, 61, 170, 900, 3600, 4500)]
    assert words == ["1 second", "59 seconds", "1 minute", "2 minutes", "3 minutes", "15 minutes", "1 hour",
                     "1 hour 15 minutes"]

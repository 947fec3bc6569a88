"""Small numbers are not shown to funders: a count from 1 to 4 could point to people
(``shared/outcomes-wales.md``), so it is shown as "fewer than 5". Zero is shown: it identifies nobody."""

from __future__ import annotations

#: Counts from 1 up to (not including) this are suppressed.
SUPPRESS_BELOW = 5


def suppressed(count: int) -> int | None:
    """The count as a funder may see it: ``None`` for 1 to 4."""
    return None if 0 < count < SUPPRESS_BELOW else count

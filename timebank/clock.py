"""The time bank's clock: UK local dates and times, below every feature.

Members live by UK local time: "today", the day a session falls on and the day help happened are all
UK dates, whatever the server's zone. Moments are stored as aware UTC (``timebank.types.UTCDateTime``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def uk_today() -> dt.date:
    return dt.datetime.now(UK).date()


def uk_day(moment: dt.datetime) -> dt.date:
    """The UK date of a moment (a session's start, when something was recorded)."""
    return moment.astimezone(UK).date()

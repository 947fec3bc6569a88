"""The one rule for dated records, below every feature (see docs/dates.md).

Every day a member, broker or organisation types is one of three kinds, each with its bounds:

* **happened in a bank** (an exchange's day, and so attendance, a redemption and a timesheet row; an
  expense or payment; a referee's reply): from the day the bank's books opened
  (``time_banks.opened_on``) to today;
* **planned** (a session, a request's day, a listing's review date, an interview): from today to a
  horizon ahead. An interview may also be recorded after it took place, so its earliest day is the
  bank's opening instead of today;
* **a document's date** (a DBS certificate's issue, an update-service status check): not before such
  documents existed, not in the future.

"Today" is the UK's (``timebank.clock``). A refusal is one ``DateOutOfRange`` naming the field and the
range in words ("Enter a date from 1 March 2019 to today"). Services check with these functions, and forms
and the API reach the same checks.

A bank's opening day is read by table name, as the ledger reads banks, so the ledger can check an
exchange's day without importing the banks feature. The opening day may only move within
``opening_days``: never later than the earliest record whose day it bounds (each feature registers its
own with ``dated_from_opening``) and never before ``EARLIEST_OPENING``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.clock import uk_today
from timebank.errors import DomainError

#: How far ahead anything may be planned: a session, an interview. Two years holds a programme booked a
#: year or more ahead, with room; a day beyond it is a typing mistake (2062 for 2026), not a plan.
PLANNING_HORIZON_MONTHS = 24
#: No bank's books open earlier: time banking began in the 1980s (the first UK time bank opened in 1998),
#: so an earlier day is a typing mistake even for a bank that ran on paper long before it came here.
EARLIEST_OPENING = dt.date(1980, 1, 1)
#: The Disclosure and Barring Service issued its first certificates on 1 December 2012 (the CRB's older
#: ones are not recorded: they are long past any bank's renewal period).
FIRST_DBS_CERTIFICATE = dt.date(2012, 12, 1)
#: The DBS update service began on 17 June 2013: no status check can be older.
FIRST_UPDATE_SERVICE_CHECK = dt.date(2013, 6, 17)

#: How a day sent as one value is read (pages ask for day, month and year in three boxes, and read one value
#: only from an address, a script or a test: ``forms.DayMonthYearField``): ISO, or DD/MM/YYYY.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
#: A day that is not in the calendar (31 February), or not made of numbers, in GOV.UK's words.
DATE_MESSAGE = _l("Enter a real date")
#: A time of day, local to the bank, as forms and the API read and write it: no seconds, no zone.
TIME_FORMAT = "%H:%M"

#: Banks by table name, so modules below the banks feature (the ledger) can read the opening day.
TIME_BANKS = sa.table("time_banks", sa.column("id", sa.Integer), sa.column("opened_on", sa.Date))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier, if negative), or the month's last day if it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


#: How the API document describes a day that happened in a bank (its range is the rule, not the form).
HAPPENED_IN_BANK = "From the day the bank's books opened (opened_on in GET /banks) to today, in the UK."


class DateOutOfRange(DomainError):
    code = "date-out-of-range"
    title = _l("Enter a date in the range allowed")

    def __init__(self, allowed: DateRange, field: str) -> None:
        super().__init__(allowed.message(), field=field)
        self.allowed = allowed


@dataclass(frozen=True)
class DateRange:
    """The days a field accepts, both ends included. ``today`` is the day the range was worked out on,
    so the message can say "today" instead of a date."""

    earliest: dt.date
    latest: dt.date
    today: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.earliest <= day <= self.latest

    def check(self, day: dt.date, field: str) -> dt.date:
        """The day, or a ``DateOutOfRange`` for ``field``."""
        if day not in self:
            raise DateOutOfRange(self, field)
        return day

    def message(self) -> str:
        """What to enter, in words: "Enter a date from 1 March 2019 to today"."""
        def spoken(day: dt.date) -> str:
            return gettext("today") if day == self.today else format_date(day, "long")

        return gettext("Enter a date from %(earliest)s to %(latest)s", earliest=spoken(self.earliest),
                       latest=spoken(self.latest))


# --- the kinds -------------------------------------------------------------------------------------


def opened_on(session: Session, time_bank_id: int) -> dt.date:
    """The day the bank's books opened. A bank that does not exist has no days at all: the caller has
    already found it (its accounts, its application), so this is never asked for one."""
    day = session.scalar(sa.select(TIME_BANKS.c.opened_on).where(TIME_BANKS.c.id == time_bank_id))
    if day is None:
        raise LookupError(f"time bank {time_bank_id} does not exist")
    return day


def happened(session: Session, time_bank_id: int, today: dt.date | None = None) -> DateRange:
    """Something that happened in the bank: from the day its books opened to today."""
    today = today or uk_today()
    return DateRange(opened_on(session, time_bank_id), today, today)


def planned(today: dt.date | None = None, *, until: dt.date | None = None,
            since: dt.date | None = None) -> DateRange:
    """Something planned: from today (``since``, where it may be recorded after the day) to the planning
    horizon (``until``, where the feature plans less far ahead)."""
    today = today or uk_today()
    return DateRange(since or today, until or add_months(today, PLANNING_HORIZON_MONTHS), today)


def document(first: dt.date, today: dt.date | None = None) -> DateRange:
    """A document's date: not before the first such document, not in the future."""
    today = today or uk_today()
    return DateRange(first, today, today)


# --- a bank's opening day --------------------------------------------------------------------------

#: For a bank, the earliest day among one feature's records that must fall on or after its opening.
EarliestRecord = Callable[[Session, int], dt.date | None]
_EARLIEST_RECORDS: list[EarliestRecord] = []


def dated_from_opening(query: EarliestRecord) -> EarliestRecord:
    """Register a feature's records dated from the bank's opening (a decorator): the opening day may
    never move past the earliest of them."""
    _EARLIEST_RECORDS.append(query)
    return query


def earliest_record(session: Session, time_bank_id: int) -> dt.date | None:
    """The earliest day of any record dated from the bank's opening, or ``None`` if it has none."""
    days = [day for query in _EARLIEST_RECORDS if (day := query(session, time_bank_id)) is not None]
    return min(days, default=None)


def opening(first_record: dt.date | None, today: dt.date | None = None) -> DateRange:
    """Where a bank's opening day may be: from ``EARLIEST_OPENING`` (a bank that ran on paper before it
    came here) to its first record, or today if that is sooner. (Books that already hold a record from
    before ``EARLIEST_OPENING``, entered before this rule, keep their opening on that record's day.)"""
    today = today or uk_today()
    latest = min(today, first_record) if first_record is not None else today
    return DateRange(min(EARLIEST_OPENING, latest), latest, today)


def opening_days(session: Session, time_bank_id: int, today: dt.date | None = None) -> DateRange:
    """Where this bank's opening day may be, given the records already in its books."""
    return opening(earliest_record(session, time_bank_id), today)

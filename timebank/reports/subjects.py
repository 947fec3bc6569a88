"""What a report is about, once the reader may read it (``reports.access``): how to compute it for a period,
the months one may choose, the months shown first and the words for its cover. The page, its downloads and
the JSON API all start here, so they choose the same period the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.banks.models import TimeBank
from timebank.dates import add_months
from timebank.i18n import soft_mutated
from timebank.members.models import Person
from timebank.programmes.models import Funder
from timebank.reports import access, compute, labels
from timebank.reports.errors import ReportPeriodRefused
from timebank.reports.figures import Audience, Period, Report


def month_code(day: dt.date) -> str:
    return day.strftime("%Y-%m")


def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Every month from ``first``'s to ``last``'s, as ``YYYY-MM``, oldest first."""
    codes, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        codes.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return codes


def last_whole_month(today: dt.date) -> dt.date:
    """The last day of the month before ``today``'s."""
    return today.replace(day=1) - dt.timedelta(days=1)


def month_end(today: dt.date) -> dt.date:
    """The last day of ``today``'s month: the latest a period may end (its figures stop at today)."""
    return add_months(today.replace(day=1), 1) - dt.timedelta(days=1)


def month_period(first: str, last: str) -> Period:
    """The whole months from ``first`` to ``last`` (``YYYY-MM``)."""
    start = dt.date.fromisoformat(f"{first}-01")
    end = dt.date.fromisoformat(f"{last}-01")
    following = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return Period(start, following - dt.timedelta(days=1))


#: The longest period a report covers, in months (two years: a programme's, and its comparison, stay quick).
MAX_MONTHS = 24


@dataclass(frozen=True)
class Subject:
    compute: Callable[[Period], Report]
    #: The first day of the first month one may choose; the last day of the last, this month (``latest``: a
    #: period that runs past today says its figures stop there, ``Report.figures_to``).
    earliest: dt.date
    latest: dt.date
    #: The period shown first: a programme's months up to this one; a bank's or an organisation's last twelve
    #: whole months.
    default: Period
    #: Who the report is for on its cover (the funder, the bank's agency, the organisation) and its heading,
    #: each in English and Welsh (the same where there is no Welsh).
    funder: tuple[str, str]
    heading: tuple[str, str]


def _year_to(earliest: dt.date, today: dt.date) -> Period:
    """The last twelve whole months before ``today``'s, from ``earliest`` at the soonest (this month, if the
    books opened in it)."""
    latest = max(earliest, last_whole_month(today))
    first = dt.date(latest.year - 1, latest.month, 1) + dt.timedelta(days=31)
    return Period(max(earliest, first.replace(day=1)), month_end(latest))


def programme(session: Session, person: Person, programme_id: int, today: dt.date) -> Subject:
    found, audience = access.readable_programme(session, person, programme_id)
    funder = session.get(Funder, found.funder_id)
    earliest = found.starts_on.replace(day=1)
    latest = month_end(max(earliest, today))
    return Subject(
        compute=lambda period: compute.programme_report(session, found, period, audience, today),
        earliest=earliest, latest=latest,
        default=Period(earliest, month_end(min(found.ends_on, latest))),
        funder=(funder.name, funder.name_cy or funder.name), heading=(found.name, found.name_cy or found.name),
    )


def bank(session: Session, person: Person, time_bank_id: int, today: dt.date) -> Subject:
    found = access.readable_bank(session, person, time_bank_id)
    earliest = found.opened_on.replace(day=1)
    return Subject(
        compute=lambda period: compute.bank_report(session, found.id, period, Audience.BROKER, today),
        earliest=earliest, latest=month_end(max(earliest, today)), default=_year_to(earliest, today),
        funder=(found.agency_name, found.agency_name), heading=(found.name, found.name),
    )


def organisation(session: Session, person: Person, organisation_id: int, time_bank_id: int | None,
                 today: dt.date) -> Subject:
    found, bank_id = access.readable_organisation(session, person, organisation_id, time_bank_id)
    in_bank = session.get(TimeBank, bank_id)
    earliest = in_bank.opened_on.replace(day=1)
    heading = f"{found.display_name} – {in_bank.name}"
    return Subject(
        compute=lambda period: compute.organisation_report(session, found.id, bank_id, period, today),
        earliest=earliest, latest=month_end(max(earliest, today)), default=_year_to(earliest, today),
        funder=(found.display_name, found.display_name), heading=(heading, heading),
    )


def chosen_period(subject: Subject, first: str | None, last: str | None) -> Period:
    """The whole months from ``first`` to ``last`` (``YYYY-MM``; the subject's default where not given), or
    ``ReportPeriodRefused`` naming the field at fault."""
    first = first or month_code(subject.default.first)
    last = last or month_code(subject.default.last)
    if first < month_code(subject.earliest):
        earliest = soft_mutated(labels.month_words(month_code(subject.earliest)))  # Welsh: "Dewiswch Fawrth …"
        raise ReportPeriodRefused(_l("Choose %(month)s or later.", month=earliest), field="from")
    if last > month_code(subject.latest):
        raise ReportPeriodRefused(_l("Choose this month or earlier."), field="to")
    if last < first:
        raise ReportPeriodRefused(_l("The last month cannot be before the first."), field="to")
    period = month_period(first, last)
    if len(months_between(period.first, period.last)) > MAX_MONTHS:
        raise ReportPeriodRefused(_l("Choose a period of up to %(num)d months.", num=MAX_MONTHS), field="to")
    return period

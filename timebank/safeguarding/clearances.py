"""Clearances, derived from the recorded checks. Nothing here is stored and nobody types one in.

The rules (say them to members in these words):

* **Home visits**: two satisfactory references and a current DBS check at basic level or above.
* **Children**: two satisfactory references and a current enhanced DBS check with the children's
  barred list.
* **Adults at risk**: two satisfactory references and a current enhanced DBS check with the adults'
  barred list.

A DBS certificate has no expiry date of its own; each bank decides how long it counts
(``TimeBank.dbs_renewal_months``, 36 by default, from the date of issue). A check on the DBS update
service counts for a year from the broker's last status check, if that is later. A check that ends
within ``EXPIRING_WITHIN`` days is flagged to brokers.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from timebank.dates import add_months
from timebank.membership.models import REFERENCES_NEEDED, MissingCheck
from timebank.safeguarding.models import DBS_ORDER, DbsCheck, DbsLevel, Workforce

EXPIRING_WITHIN = dt.timedelta(days=30)
UPDATE_SERVICE_MONTHS = 12


class Clearance(enum.StrEnum):
    HOME_VISITS = "home_visits"
    CHILDREN = "children"
    ADULTS_AT_RISK = "adults_at_risk"


LABELS = {
    Clearance.HOME_VISITS: _l("Home visits"),
    Clearance.CHILDREN: _l("Working with children"),
    Clearance.ADULTS_AT_RISK: _l("Working with adults at risk"),
}


def valid_until(check: DbsCheck, renewal_months: int) -> dt.date:
    """The last day the check counts as current."""
    until = add_months(check.issued_on, renewal_months)
    if check.update_service and check.status_checked_on is not None:
        until = max(until, add_months(check.status_checked_on, UPDATE_SERVICE_MONTHS))
    return until - dt.timedelta(days=1)


#: ``add_months`` moves a day to the end of a shorter month, so turning it round is exact only to within days.
_MONTHS_SLACK = dt.timedelta(days=7)


def may_end_between(first: dt.date, last: dt.date, renewal_months: int) -> sa.ColumnElement[bool]:
    """A SQL filter for the checks whose ``valid_until`` may fall from ``first`` to ``last``: every such check and
    a few more (test each with ``valid_until``). It reads the indexes on the dates, not every check."""

    def dated(column: sa.ColumnElement[dt.date], months: int) -> sa.ColumnElement[bool]:
        # valid_until is the day before add_months(column, months), or later where the update service says so.
        return column.between(add_months(first + dt.timedelta(days=1), -months) - _MONTHS_SLACK,
                              add_months(last + dt.timedelta(days=1), -months) + _MONTHS_SLACK)

    return sa.or_(dated(DbsCheck.issued_on, renewal_months),
                  sa.and_(DbsCheck.update_service, dated(DbsCheck.status_checked_on, UPDATE_SERVICE_MONTHS)))


def _covers(check: DbsCheck, clearance: Clearance) -> bool:
    if clearance == Clearance.HOME_VISITS:
        return DBS_ORDER.index(check.level) >= DBS_ORDER.index(DbsLevel.BASIC)
    if check.level != DbsLevel.ENHANCED_BARRED:
        return False
    wanted = Workforce.CHILDREN if clearance == Clearance.CHILDREN else Workforce.ADULTS
    return check.workforce in (wanted, Workforce.BOTH)


_NEEDS = {
    Clearance.HOME_VISITS: _l("a current DBS check at basic level or above"),
    Clearance.CHILDREN: _l("a current enhanced DBS check with the children's barred list"),
    Clearance.ADULTS_AT_RISK: _l("a current enhanced DBS check with the adults' barred list"),
}


@dataclass(frozen=True)
class ClearanceStatus:
    clearance: Clearance
    granted: bool
    #: The last day it holds, when granted.
    valid_until: dt.date | None = None
    expiring_soon: bool = False
    #: What it still needs, when not granted: the references, the DBS check, or both.
    missing: tuple[MissingCheck, ...] = field(default=())

    @property
    def label(self) -> Any:
        return LABELS[self.clearance]


def derive(
    checks: Iterable[DbsCheck], satisfactory_references: int, renewal_months: int, today: dt.date
) -> dict[Clearance, ClearanceStatus]:
    """Each clearance, from a person's checks and references, on ``today``: any day, such as the day of
    a session. A check counts from the day it was issued to its last day (``valid_until``)."""
    checks = list(checks)
    statuses = {}
    for clearance in Clearance:
        covering = [(check.issued_on, valid_until(check, renewal_months))
                    for check in checks if _covers(check, clearance)]
        current = [until for issued_on, until in covering if issued_on <= today <= until]
        missing = []
        if satisfactory_references < REFERENCES_NEEDED:
            missing.append(MissingCheck("references", _l("two satisfactory references (%(count)d so far)",
                                                         count=satisfactory_references)))
        if not current:
            ended = [until for _issued_on, until in covering if until < today]
            missing.append(MissingCheck("dbs-check", _NEEDS[clearance] if not ended else _l(
                "%(needs)s: the last one ran out on %(day)s", needs=_NEEDS[clearance],
                day=max(ended).strftime("%d/%m/%Y"))))
        if missing:
            statuses[clearance] = ClearanceStatus(clearance, granted=False, missing=tuple(missing))
        else:
            until = max(current)
            statuses[clearance] = ClearanceStatus(clearance, granted=True, valid_until=until,
                                                  expiring_soon=until - today <= EXPIRING_WITHIN)
    return statuses

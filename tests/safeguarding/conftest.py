"""Factories for safeguarding records, plus the joining factories a cleared member needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.membership.conftest import (  # noqa: F401 (fixtures shared with this directory)
    audited,
    hear_from_referees,
    make_application,
    make_joined,
    make_reference,
)
from timebank.banks.models import TimeBank
from timebank.clock import uk_today
from timebank.members.models import Person
from timebank.safeguarding import service as safeguarding
from timebank.safeguarding.models import DbsCheck, DbsLevel, Workforce
from timebank.safeguarding.service import DbsCheckInput


def years_ago(years: int, days: int = 0) -> dt.date:
    """A day ``years`` (of 365 days) and ``days`` before today."""
    return uk_today() - dt.timedelta(days=365 * years + days)


@pytest.fixture
def make_dbs_check(db_session: Session) -> Callable[..., DbsCheck]:
    """A DBS check a broker records: enhanced with both barred lists, issued a year ago, unless told."""

    def make(person: Person, bank: TimeBank, broker: Person, *, level: DbsLevel = DbsLevel.ENHANCED_BARRED,
             issued_on: dt.date | None = None, **fields: Any) -> DbsCheck:
        if level == DbsLevel.ENHANCED_BARRED:
            fields.setdefault("workforce", Workforce.BOTH)
        check = DbsCheckInput(level=level, issued_on=issued_on or years_ago(1), **fields)
        return safeguarding.record_dbs_check(db_session, broker, person.id, bank.id, check)

    return make

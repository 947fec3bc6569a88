"""Factories for activities: a council that runs them, its officer, a resident, and ready-made
activities, roles and sessions (made through the service, as the pages and API would)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.api.conftest import anonymous, api_as  # noqa: F401 (fixtures shared with this directory)
from tests.money.conftest import race  # noqa: F401 (copies of one request sent at once)
from timebank.activities import service
from timebank.activities.models import Activity, ActivitySession, CoProductionForm, Party, Role, RoleDirection
from timebank.banks.models import TimeBank
from timebank.members.models import Organisation, OrganisationType, Person


@pytest.fixture
def officer(make_person: Callable[..., Person]) -> Person:
    """Acts for the council."""
    return make_person("Olwen Officer")


@pytest.fixture
def council(make_organisation: Callable[..., Any], bank: TimeBank, officer: Person) -> Organisation:
    organisation, _ = make_organisation(bank, "Hollinbridge Council", admins=(officer,),
                                        organisation_type=OrganisationType.COUNCIL)
    return organisation


@pytest.fixture
def resident(make_member: Callable[..., Any], bank: TimeBank) -> Person:
    person, _ = make_member(bank, "Rhys Resident")
    return person


def new_activity(bank: TimeBank, organisation: Organisation, **changes: Any) -> service.NewActivity:
    values: dict[str, Any] = {
        "time_bank_id": bank.id, "organisation_id": organisation.id, "title": "Hospital transport",
        "summary": "Lifts to outpatient appointments.", "place": "Hollin Road surgery",
        "form": CoProductionForm.CO_DELIVERING, "designed_by": Party.SHARED, "delivered_by": Party.SHARED,
    }
    values.update(changes)
    return service.NewActivity(**values)


def role_details(**changes: Any) -> service.RoleDetails:
    values: dict[str, Any] = {
        "title": "Volunteer driver", "description": "Drive residents to appointments.", "category": "lifts",
        "abilities": ("lifts",), "direction": RoleDirection.GIVES, "places": 2, "credit_minutes": None,
        "clearance": None, "normally_paid": False, "service_user_involvement": False, "release_notice_hours": 24,
        "away_overnight": False,
    }
    values.update(changes)
    return service.RoleDetails(**values)


def next_weekday(weekday: int, after: dt.date) -> dt.date:
    """The first ``weekday`` (Monday 0) at least a week after ``after``."""
    day = after + dt.timedelta(days=7)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def make_activity(db_session: Session, bank: TimeBank, council: Organisation,
                  officer: Person) -> Callable[..., Activity]:
    """An activity of the council's with one role; published unless told."""

    def make(*, publish: bool = True, actor: Person | None = None, **changes: Any) -> Activity:
        actor = actor or officer
        activity, _ = service.create_activity(db_session, actor, new_activity(bank, council, **changes),
                                              uuid.uuid4().hex)
        service.add_role(db_session, actor, activity.id, role_details(), uuid.uuid4().hex)
        if publish:
            service.publish(db_session, actor, activity.id)
        return activity

    return make


@pytest.fixture
def add_sessions(db_session: Session, officer: Person, today: dt.date) -> Callable[..., list[ActivitySession]]:
    def add(role: Role, *, on: dt.date | None = None, weeks: int = 1, **changes: Any) -> list[ActivitySession]:
        new = service.NewSessions(on=on or today + dt.timedelta(days=7), start_time=dt.time(10),
                                  end_time=dt.time(12), weeks=weeks, **changes)
        made, _ = service.add_sessions(db_session, officer, role.activity_id, role.id, new, uuid.uuid4().hex)
        return made

    return add

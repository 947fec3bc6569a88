"""The programmes world: two funders (each with a reader who holds no account), the bank's broker and a
second bank with its own broker, the council with a published activity, and a programme of the first
funder's covering the bank."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.activities.conftest import council, make_activity, officer  # noqa: F401 (shared fixtures)
from tests.api.conftest import anonymous, api_as  # noqa: F401 (fixtures shared with this directory)
from timebank.activities.models import Activity
from timebank.banks.models import TimeBank
from timebank.members.models import Person
from timebank.programmes import service
from timebank.programmes.models import Funder, Programme


@pytest.fixture
def admin(make_person: Callable[..., Person]) -> Person:
    person = make_person("Ada Admin")
    person.is_admin = True
    return person


@pytest.fixture
def make_funder(db_session: Session, admin: Person, make_person: Callable[..., Person]) -> Callable[..., Any]:
    """A funder with one reader, who holds no account: (funder, reader)."""

    def make(name: str) -> tuple[Funder, Person]:
        funder = service.create_funder(db_session, admin, name, f"{name} (cy)")
        reader = make_person(f"Reader of {name}")
        service.add_funder_member(db_session, admin, funder.id, reader.email or "")
        return funder, reader

    return make


@pytest.fixture
def funder(make_funder: Callable[..., Any]) -> tuple[Funder, Person]:
    return make_funder("Quiet Valley Communities Fund")


@pytest.fixture
def other_funder(make_funder: Callable[..., Any]) -> tuple[Funder, Person]:
    return make_funder("Hillside Trust")


@pytest.fixture
def other_bank(make_bank: Callable[..., TimeBank]) -> TimeBank:
    return make_bank(name="Far Vale Time Bank")


@pytest.fixture
def other_broker(make_broker: Callable[..., Person], other_bank: TimeBank) -> Person:
    return make_broker(other_bank, "Osian Otherbroker")


def details(today: dt.date, **changes: Any) -> service.ProgrammeDetails:
    values: dict[str, Any] = {"name": "Stronger Together", "name_cy": "Cryfach Gyda'n Gilydd",
                              "starts_on": today - dt.timedelta(days=365), "ends_on": today}
    values.update(changes)
    return service.ProgrammeDetails(**values)


@pytest.fixture
def make_programme(db_session: Session, broker: Person, bank: TimeBank, today: dt.date) -> Callable[..., Programme]:
    def make(funder: Funder, *, actor: Person | None = None, scope: service.ScopeDetails | None = None,
             **changes: Any) -> Programme:
        return service.create_programme(db_session, actor or broker, funder.id, details(today, **changes),
                                        scope or service.ScopeDetails(time_bank_id=bank.id))

    return make


@pytest.fixture
def programme(make_programme: Callable[..., Programme], funder: tuple[Funder, Person]) -> Programme:
    return make_programme(funder[0])


@pytest.fixture
def activity(make_activity: Callable[..., Activity]) -> Activity:  # noqa: F811 (the imported fixture)
    return make_activity()

"""Fixtures for the money tests: a bank with a spend partner (run by Pat), a council that pays
expenses (run by Cai), a member, a spend offer and an activity; and helpers that fill in the inputs."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from tests.api.conftest import anonymous, api_as, books, make_funder  # noqa: F401 (fixtures shared with this directory)
from tests.conftest import Backend, new_database
from timebank.activities.models import Activity, CoProductionForm, Party
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.ledger.models import Account, Exchange
from timebank.listings.models import Listing, ListingKind
from timebank.members import service as members
from timebank.members.models import Organisation, OrganisationType, Person
from timebank.money import service
from timebank.money.models import ExpenseKind, PaymentKind, Redemption
from timebank.receipts import RedeemedFor


@dataclass
class Org:
    admin: Person
    organisation: Organisation
    account: Account


@dataclass
class Member:
    person: Person
    account: Account


@pytest.fixture
def partner(bank: TimeBank, make_person, make_organisation) -> Org:
    """A spend partner: a leisure trust whose admin is Pat."""
    admin = make_person("Pat Partner")
    organisation, account = make_organisation(bank, "Hollinbridge Leisure Trust", admins=(admin,))
    return Org(admin, organisation, account)


@pytest.fixture
def council(bank: TimeBank, make_person, make_organisation) -> Org:
    admin = make_person("Cai Council")
    organisation, account = make_organisation(bank, "Hollinbridge Council", admins=(admin,),
                                              organisation_type=OrganisationType.COUNCIL)
    return Org(admin, organisation, account)


@pytest.fixture
def member(bank: TimeBank, make_member) -> Member:
    return Member(*make_member(bank, "Mair Member"))


@pytest.fixture
def other_member(bank: TimeBank, make_member) -> Member:
    return Member(*make_member(bank, "Owen Other"))


@pytest.fixture
def other_bank(make_bank) -> TimeBank:
    return make_bank(name="Dyffryn Time Bank")


def category_id(session: Session, code: str) -> int:
    return session.execute(sa.select(Category.id).where(Category.code == code)).scalar_one()


@pytest.fixture
def spend_offer(db_session: Session, bank: TimeBank, partner: Org, today: dt.date) -> Listing:
    listing = Listing(time_bank_id=bank.id, holder_id=partner.organisation.id, kind=ListingKind.SPEND,
                      title="A swim at Hollinbridge Pool", category_id=category_id(db_session, "leisure-pass"),
                      price_minutes=60, receives=RedeemedFor.TIME_BASED_ACTIVITY,
                      review_on=today + dt.timedelta(days=90), created_by_id=partner.admin.id)
    db_session.add(listing)
    db_session.flush()
    return listing


@pytest.fixture
def activity(db_session: Session, bank: TimeBank, council: Org) -> Activity:
    activity = Activity(time_bank_id=bank.id, organisation_id=council.organisation.id, title="Park clean-up",
                        form=CoProductionForm.CO_DELIVERING, designed_by=Party.SHARED, delivered_by=Party.SHARED,
                        created_by_id=council.admin.id)
    db_session.add(activity)
    db_session.flush()
    return activity


@pytest.fixture
def expense_input(bank: TimeBank, council: Org, member: Member, today: dt.date) -> Callable[..., service.ExpenseInput]:
    """40 miles at 45p, £18.00 paid, £18.00 receipted on one receipt, today."""

    def make(**changes: Any) -> service.ExpenseInput:
        data: dict[str, Any] = {
            "organisation_id": council.organisation.id, "time_bank_id": bank.id, "person_id": member.person.id,
            "paid_on": today, "kind": ExpenseKind.MILEAGE, "amount_paid_pence": 1800,
            "amount_receipted_pence": 1800, "receipts_count": 1, "idempotency_key": uuid.uuid4().hex,
            "miles_tenths": 400, "rate_per_mile_pence": 45,
        }
        return service.ExpenseInput(**{**data, **changes})

    return make


@pytest.fixture
def payment_input(bank: TimeBank, council: Org, member: Member, today: dt.date) -> Callable[..., service.PaymentInput]:
    def make(**changes: Any) -> service.PaymentInput:
        data: dict[str, Any] = {
            "organisation_id": council.organisation.id, "time_bank_id": bank.id, "person_id": member.person.id,
            "paid_on": today, "kind": PaymentKind.HONORARIUM, "amount_pence": 2500,
            "idempotency_key": uuid.uuid4().hex, "note": "Panel member, March",
        }
        return service.PaymentInput(**{**data, **changes})

    return make


@pytest.fixture
def redemption_input(bank: TimeBank, partner: Org, member: Member,
                     today: dt.date) -> Callable[..., service.RedemptionInput]:
    """Mair spends an hour of credits on a swim, today."""

    def make(**changes: Any) -> service.RedemptionInput:
        data: dict[str, Any] = {
            "partner_id": partner.organisation.id, "time_bank_id": bank.id, "person_id": member.person.id,
            "item": "A swim", "redeemed_for": RedeemedFor.TIME_BASED_ACTIVITY, "credit_minutes": 60,
            "occurred_on": today, "idempotency_key": uuid.uuid4().hex,
        }
        return service.RedemptionInput(**{**data, **changes})

    return make


@pytest.fixture
def redemptions_of(db_session: Session) -> Callable[[Person], list[Redemption]]:
    return lambda person: list(db_session.scalars(sa.select(Redemption).where(Redemption.person_id == person.id)))


@pytest.fixture
def exchanges_of(db_session: Session) -> Callable[[Account], list[Exchange]]:
    return lambda account: list(db_session.scalars(sa.select(Exchange).where(
        sa.or_(Exchange.receiver_account_id == account.id, Exchange.giver_account_id == account.id))))


def balances(session: Session, *accounts: Account) -> list[int]:
    session.expire_all()
    return [session.get_one(Account, a.id).balance_minutes for a in accounts]


# --- copies of one request sent at once ---------------------------------------------------------------

RACERS = 4


@dataclass
class Race:
    """A committed bank with a council (run by ``admin_id``) and a member, and ``at_once``: run the same
    work in ``RACERS`` threads, each on its own connection, started together and committed for real."""

    bank_id: int
    admin_id: int
    organisation_id: int
    member_id: int
    at_once: Callable[[Callable[[Session], Any]], list[Any]]
    engine: sa.Engine


@pytest.fixture
def race(app: Flask, migrated_database: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Race]:
    """These tests commit, so they run on a database of their own, gone afterwards: committed on the suite's
    database, their bank stayed for the rest of the run, and a later test that lists every bank saw it."""
    with new_database(migrated_database.name, tmp_path_factory, copy_of=migrated_database) as database:
        yield from _race(app, database)


def _race(app: Flask, backend: Backend) -> Iterator[Race]:
    engine = backend.engine(pool_size=RACERS + 2, max_overflow=0) if backend.name == "postgresql" else backend.engine()
    with app.app_context(), Session(engine) as session:
        bank = banks.create_bank(session, slug=f"race-{uuid.uuid4().hex[:8]}", name="Race Bank",
                                 agency_name="Race Action", actor_id=None)
        admin = members.create_person(session, display_name="Rhian Racer", email=None)
        organisation = members.create_organisation(session, display_name="Race Council",
                                                   organisation_type=OrganisationType.COUNCIL, admin_ids=(admin.id,))
        members.join_bank(session, organisation, bank.id, actor_id=None)
        member = members.create_person(session, display_name="Mali Member", email=None)
        members.join_bank(session, member, bank.id, actor_id=None)
        session.commit()
        ids = (bank.id, admin.id, organisation.id, member.id)

    def at_once(work: Callable[[Session], Any]) -> list[Any]:
        results: list[Any] = [None] * RACERS
        failures: list[BaseException] = []
        barrier = threading.Barrier(RACERS)

        def racer(n: int) -> None:
            try:
                with app.app_context(), Session(engine) as session:
                    barrier.wait()
                    results[n] = work(session)
                    session.commit()
            except BaseException as error:  # surfaced below
                failures.append(error)

        threads = [threading.Thread(target=racer, args=(n,)) for n in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        if failures:
            raise failures[0]
        return results

    yield Race(*ids, at_once=at_once, engine=engine)
    engine.dispose()

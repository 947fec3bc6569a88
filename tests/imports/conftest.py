"""A bank with a broker and ten residents, and a way to write timesheets for them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.imports.service import COLUMNS
from timebank.ledger.models import Account, Exchange
from timebank.members.models import BankRoleName, Person

NAMES = ("Aled Jones", "Bea Evans", "Cai Morgan", "Dilys Price", "Efa Rees", "Ffion Hughes", "Gwyn Owen",
         "Huw Lewis", "Ieuan Davies", "Jac Thomas")


@dataclass
class Members:
    people: list[Person]
    accounts: list[Account]

    def number(self, index: int) -> str:
        return str(self.accounts[index].id)


@pytest.fixture
def members(make_member: Callable[..., tuple[Person, Account]], bank: TimeBank) -> Members:
    made = [make_member(bank, name) for name in NAMES]
    return Members([person for person, _ in made], [account for _, account in made])


@pytest.fixture
def row(members: Members, today: dt.date) -> Callable[..., dict[str, str]]:
    """One timesheet row: member ``giver`` gave member ``receiver`` half an hour of gardening yesterday."""

    def make(giver: int = 0, receiver: int = 1, /, **cells: str) -> dict[str, str]:
        values = {"date": (today - dt.timedelta(days=1)).strftime("%d/%m/%Y"), "giver": members.number(giver),
                  "giver_name": NAMES[giver], "receiver": members.number(receiver), "receiver_name": NAMES[receiver],
                  "hours": "0.5", "category": "gardening", "description": ""}
        values.update(cells)
        return values

    return make


def write_csv(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS, *, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def ring(row: Callable[..., dict[str, str]]) -> Callable[[int], list[dict[str, str]]]:
    """``n`` rows passing half an hour round the ten members in turn, each row with its own description,
    so every member gives as much as they receive and nobody goes below half an hour owed."""

    def make(n: int) -> list[dict[str, str]]:
        return [row(i % 10, (i + 1) % 10, description=f"Visit {i + 1}") for i in range(n)]

    return make


@pytest.fixture
def make_funder(db_session: Session, make_person: Callable[..., Person]) -> Callable[[TimeBank], Person]:
    def make(bank: TimeBank) -> Person:
        person = make_person("Fran Funder")
        banks.grant_role(db_session, time_bank_id=bank.id, person_id=person.id, role=BankRoleName.FUNDER,
                         actor_id=None)
        return person

    return make


def exchanges_by(db_session: Session, person: Person) -> list[Exchange]:
    return list(db_session.scalars(sa.select(Exchange).where(Exchange.recorded_by_id == person.id)
                                   .order_by(Exchange.id)))


def balances(db_session: Session, accounts: list[Account]) -> list[tuple[Any, ...]]:
    db_session.expire_all()
    return [tuple(db_session.execute(sa.select(
        Account.debits_pending_minutes, Account.credits_pending_minutes, Account.debits_posted_minutes,
        Account.credits_posted_minutes, Account.given_minutes, Account.received_minutes,
    ).where(Account.id == account.id)).one()) for account in accounts]

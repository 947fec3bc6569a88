"""Concurrency: eight threads, each with its own connection, working the same accounts with real
commits. Row locks (PostgreSQL) and BEGIN IMMEDIATE (SQLite) must let no update be lost and no floor
be breached. These tests commit, so each works on a database of its own (a copy of the migrated one),
dropped when it ends: nothing they commit is seen by any other test."""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.conftest import make_app, new_database
from tests.support import examples
from timebank.banks import service as banks
from timebank.categories.models import Category
from timebank.errors import DomainError
from timebank.ledger import checks, errors
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeState
from timebank.members import service as members

THREADS = 8
#: Attempts per thread: a share of the Hypothesis profile's examples (10 and 25 under ``ci``).
SPENDS = examples(0.1)
MIXED_WORK = examples(0.25)


@pytest.fixture
def own_database(migrated_database, tmp_path_factory):
    with new_database(migrated_database.name, tmp_path_factory, copy_of=migrated_database) as backend:
        yield make_app(backend), backend


@pytest.fixture
def committed(own_database):
    """A committed bank with five members on a database of its own, and a way to run work in threads on
    fresh connections."""
    app, backend = own_database
    engine = backend.engine(pool_size=THREADS + 2, max_overflow=0) if backend.name == "postgresql" else backend.engine()
    with app.app_context(), Session(engine) as session:
        bank = banks.create_bank(session, slug=f"race-{uuid.uuid4().hex[:8]}", name="Race Bank",
                                 agency_name="Race Action", actor_id=None)
        people = [members.create_person(session, display_name=f"Racer {i}", email=None) for i in range(5)]
        accounts = [members.join_bank(session, p, bank.id, actor_id=None) for p in people]
        category_id = session.scalar(sa.select(Category.id).where(Category.code == "other"))
        session.commit()
        world = {
            "bank_id": bank.id,
            "people": [p.id for p in people],
            "accounts": [a.id for a in accounts],
            "category_id": category_id,
        }

    def run_threads(work: Callable[[Session, int], Any]) -> list[Any]:
        results: list[Any] = [None] * THREADS
        failures: list[BaseException] = []
        barrier = threading.Barrier(THREADS)

        def worker(n: int) -> None:
            try:
                with app.app_context(), Session(engine) as session:
                    barrier.wait()
                    results[n] = work(session, n)
            except BaseException as error:  # surfaced below with the thread's traceback
                failures.append(error)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        if failures:
            raise failures[0]
        return results

    yield world, run_threads, engine
    with app.app_context(), Session(engine) as session:
        problems = checks.verify(session)
    engine.dispose()
    assert not problems, [str(p) for p in problems]


def attempt(session: Session, action: Callable[[], Any]) -> str:
    """Run one unit of work and commit it; a refusal rolls back. Returns the outcome's name."""
    try:
        action()
        session.commit()
        return "ok"
    except DomainError as error:
        session.rollback()
        return type(error).__name__


def test_eight_threads_cannot_spend_past_the_floor(committed, today):
    world, run_threads, engine = committed
    receiver, giver = world["accounts"][0], world["accounts"][1]
    giver_person = world["people"][1]

    def spend(session: Session, n: int) -> Counter:
        outcomes: Counter = Counter()
        for i in range(SPENDS):
            outcomes[attempt(session, lambda i=i: ledger.record_exchange(
                session, proposer_account_id=giver, counterpart_account_id=receiver, proposer_is_giver=True,
                amount_minutes=100, occurred_on=today, category_id=world["category_id"], description="",
                recorded_by_id=giver_person, idempotency_key=f"{n}-{i}-{uuid.uuid4().hex}",
            ))] += 1
        return outcomes

    totals = sum(run_threads(spend), Counter())
    # The floor is -10 hours: exactly six 100-minute promises fit; the rest are refused.
    assert totals == Counter({"ok": 6, "ExceedsBalanceFloor": THREADS * SPENDS - 6})

    with Session(engine) as session:
        pending = session.scalars(
            sa.select(Exchange.id)
            .where(Exchange.receiver_account_id == receiver, Exchange.state == ExchangeState.PENDING)
        ).all()
    assert len(pending) == 6

    def confirm_all(session: Session, n: int) -> Counter:
        outcomes: Counter = Counter()
        for exchange_id in random.Random(n).sample(pending, len(pending)):
            outcomes[attempt(session, lambda e=exchange_id: ledger.confirm_exchange(
                session, e, actor_id=world["people"][0], acting_for_account_id=receiver))] += 1
        return outcomes

    totals = sum(run_threads(confirm_all), Counter())
    assert totals == Counter({"ok": 6, "InvalidTransition": 6 * (THREADS - 1)})
    with Session(engine) as session:
        account = session.get(Account, receiver)
        assert (account.balance_minutes, account.debits_pending_minutes, account.received_minutes) == (-600, 0, 600)


def test_eight_threads_of_mixed_work_lose_no_update(committed, today):
    world, run_threads, engine = committed
    accounts, people = world["accounts"], world["people"]
    person_of = dict(zip(accounts, people, strict=True))

    def traffic(session: Session, n: int) -> Counter:
        rng = random.Random(n)
        outcomes: Counter = Counter()
        mine: list[int] = []

        def record() -> None:
            a, b = rng.sample(accounts, 2)
            exchange, _ = ledger.record_exchange(
                session, proposer_account_id=a, counterpart_account_id=b, proposer_is_giver=rng.random() < .5,
                amount_minutes=rng.choice([15, 30, 60, 90, 120]), occurred_on=today,
                category_id=world["category_id"], description="", recorded_by_id=person_of[a],
                idempotency_key=uuid.uuid4().hex,
            )
            mine.append(exchange.id)

        def answer(exchange_id: int, roll: float) -> None:
            exchange = session.get(Exchange, exchange_id)
            other = exchange.confirmer_account_id
            if roll < 0.85:
                ledger.confirm_exchange(session, exchange_id, actor_id=person_of[other], acting_for_account_id=other)
            elif roll < 0.95:
                ledger.decline_exchange(session, exchange_id, actor_id=person_of[other], acting_for_account_id=other)
            else:
                ledger.reverse_exchange(session, exchange_id, actor_id=people[0], reason="race")

        for _ in range(MIXED_WORK):
            roll = rng.random()
            if roll < 0.5 or not mine:
                outcomes[attempt(session, record)] += 1
            else:
                chosen = rng.choice(mine)
                outcomes[attempt(session, lambda chosen=chosen, roll=roll: answer(chosen, roll))] += 1
        return outcomes

    totals = sum(run_threads(traffic), Counter())
    assert totals["ok"] > THREADS * MIXED_WORK // 4  # at least a quarter of the attempts go through
    assert set(totals) <= {"ok", "ExceedsBalanceFloor", "ExceedsBalanceCeiling", "InvalidTransition",
                           errors.CannotReverseReversal.__name__}
    with Session(engine) as session:
        balances = session.scalars(sa.select(Account).where(Account.id.in_(accounts)))
        assert sum(a.balance_minutes for a in balances) == 0
        # The fixture's teardown runs every ledger check over the committed books.

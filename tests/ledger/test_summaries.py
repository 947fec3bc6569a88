"""Each bank's hours per month (``ledger.summaries``): kept by confirming and reversing in the same
transaction, re-derived by ``ledger verify``, written in one statement by the bulk seed."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from timebank.categories.models import Category
from timebank.demo import seed
from timebank.ledger import checks, summaries
from timebank.ledger import service as ledger
from timebank.ledger.models import BankMonthTotal


@pytest.fixture
def exchange_of(db_session, today):
    gardening = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))

    def made(giver, receiver, minutes, occurred_on=today, *, confirm=True):
        exchange, _ = ledger.record_exchange(
            db_session, proposer_account_id=giver[1].id, counterpart_account_id=receiver[1].id,
            proposer_is_giver=True, amount_minutes=minutes, occurred_on=occurred_on, category_id=gardening,
            description="", recorded_by_id=giver[0].id, idempotency_key=uuid.uuid4().hex)
        if confirm:
            ledger.confirm_exchange(db_session, exchange.id, actor_id=receiver[0].id,
                                    acting_for_account_id=receiver[1].id)
        return exchange

    return made


def _months(session, bank_id):
    return {row.month: (row.minutes, row.exchanges) for row in session.scalars(
        sa.select(BankMonthTotal).where(BankMonthTotal.time_bank_id == bank_id))}


def test_confirming_adds_to_the_month_the_help_happened_and_reversing_takes_it_out(
        db_session, make_bank, make_member, make_broker, exchange_of, today):
    bank = make_bank()
    aled, bea = make_member(bank), make_member(bank)
    this_month, last_month = today.replace(day=1), (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)

    first = exchange_of(aled, bea, 60, last_month)
    exchange_of(bea, aled, 30)
    exchange_of(aled, bea, 45)
    exchange_of(aled, bea, 500, confirm=False)  # pending: not yet hours exchanged
    assert _months(db_session, bank.id) == {last_month: (60, 1), this_month: (75, 2)}
    assert summaries.month_minutes(db_session, [bank.id], this_month) == {bank.id: 75}

    # The reversal is dated today but takes the original out of its own month, and counts nowhere itself.
    ledger.reverse_exchange(db_session, first.id, actor_id=make_broker(bank).id, reason="Recorded twice")
    assert _months(db_session, bank.id) == {last_month: (0, 0), this_month: (75, 2)}
    assert summaries.bank_totals(db_session, [bank.id]) == {bank.id: (75, 2)}
    assert checks.check_month_totals(db_session) == []


@pytest.mark.tampers
def test_ledger_verify_finds_a_month_that_does_not_add_up(db_session, make_bank, make_member, exchange_of, today):
    bank = make_bank()
    exchange_of(make_member(bank), make_member(bank), 90)
    db_session.execute(sa.update(BankMonthTotal).values(minutes=BankMonthTotal.minutes + 1))
    db_session.execute(sa.insert(BankMonthTotal).values(time_bank_id=bank.id, month=dt.date(2001, 1, 1),
                                                        minutes=5, exchanges=1))

    problems = checks.check_month_totals(db_session)
    assert [p.subject for p in problems] == [f"bank {bank.id} 2001-01", f"bank {bank.id} {today:%Y-%m}"]
    assert "kept minutes 91, exchanges 1; the exchanges say minutes 90, exchanges 1" in str(problems[1])


def test_the_bulk_seed_writes_every_month_of_its_bank(db_session):
    result = seed.seed(db_session.connection(), members=20, exchanges=300, seed=77)
    assert sum(minutes for minutes, _count in _months(db_session, result.time_bank_id).values()) > 0
    assert checks.check_month_totals(db_session) == []

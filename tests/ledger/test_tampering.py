"""Tampering: the database refuses edits and deletes of ledger entries, and when someone with direct
SQL access drops those guards and edits anyway, ``ledger verify`` finds it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from timebank.categories.models import Category
from timebank.ledger import checks
from timebank.ledger import service as ledger
from timebank.ledger.models import Exchange, Posting

pytestmark = pytest.mark.tampers

GUARDS = {
    "sqlite": {
        "postings": ["postings_no_update", "postings_no_delete"],
        "exchanges": ["exchanges_facts_fixed", "exchanges_state_forward", "exchanges_never_deleted"],
    },
}


@pytest.fixture
def books(db_session, make_bank, make_member, today):
    """Two confirmed exchanges and one pending, in one bank."""
    bank = make_bank()
    (aled, aled_acc), (bea, bea_acc) = make_member(bank, email=None), make_member(bank, email=None)
    category = db_session.scalar(sa.select(Category).where(Category.code == "gardening"))
    made = []
    for minutes in (60, 45, 30):
        exchange, _ = ledger.record_exchange(
            db_session, proposer_account_id=aled_acc.id, counterpart_account_id=bea_acc.id,
            proposer_is_giver=True, amount_minutes=minutes, occurred_on=today, category_id=category.id,
            description="", recorded_by_id=aled.id, idempotency_key=uuid.uuid4().hex,
        )
        made.append(exchange)
    for exchange in made[:2]:
        ledger.confirm_exchange(db_session, exchange.id, actor_id=bea.id, acting_for_account_id=bea_acc.id)
    db_session.flush()
    assert checks.verify(db_session) == []
    return made, aled_acc, bea_acc


def drop_guards(session, table):
    """What an intruder with SQL access would do first."""
    if session.bind.dialect.name == "postgresql":
        session.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
    else:
        for trigger in GUARDS["sqlite"][table]:
            session.execute(sa.text(f"DROP TRIGGER {trigger}"))


def found(session, check):
    return {p.check for p in checks.verify(session)} >= {check}


@pytest.mark.parametrize("statement", [
    "UPDATE postings SET amount_minutes = amount_minutes * 2",
    "DELETE FROM postings",
    "UPDATE exchanges SET amount_minutes = 5",
    "UPDATE exchanges SET activity_id = NULL",
    "UPDATE exchanges SET role_id = NULL",
    "UPDATE exchanges SET session_id = NULL",
    "UPDATE exchanges SET state = 'pending' WHERE state = 'confirmed'",
    "DELETE FROM exchange_events",
    "DELETE FROM exchanges",
])
def test_the_database_refuses_to_edit_or_delete_entries(db_session, books, statement):
    with pytest.raises(DBAPIError), db_session.begin_nested():
        db_session.execute(sa.text(statement))
    assert checks.verify(db_session) == []


def test_an_edited_amount_is_caught(db_session, books):
    drop_guards(db_session, "postings")
    first = books[0][0]
    db_session.execute(sa.update(Posting).where(Posting.exchange_id == first.id, Posting.amount_minutes > 0)
                       .values(amount_minutes=600))
    problems = checks.verify(db_session)
    assert {"chain", "zero-sum", "balances", "postings"} <= {p.check for p in problems}


def test_an_edited_exchange_date_is_caught_by_the_chain(db_session, books):
    drop_guards(db_session, "exchanges")
    first = books[0][0]
    db_session.execute(sa.update(Exchange).where(Exchange.id == first.id).values(occurred_on=dt.date(2001, 1, 1)))
    problems = checks.verify(db_session)
    # Both of its postings no longer match their hashes, and the hours moved out of the month the bank's
    # totals and month facts keep them in (ledger.summaries) into one that has none (for the facts: the
    # bank's, and each of its two accounts'), and into a year neither account's year facts have; nothing
    # else is wrong (each account has other exchanges in the month it left, so its bit stays set).
    assert [p.check for p in problems] == (["month-totals"] * 2 + ["exchange-facts"] * 2 + ["account-facts"] * 4
                                           + ["account-years"] * 2 + ["chain"] * 2)
    assert all("altered" in str(p) for p in problems if p.check == "chain")


def test_a_deleted_posting_is_caught(db_session, books):
    drop_guards(db_session, "postings")
    db_session.execute(sa.delete(Posting).where(Posting.exchange_id == books[0][1].id, Posting.amount_minutes < 0))
    assert {"chain", "zero-sum", "postings", "balances"} <= {p.check for p in checks.verify(db_session)}


def test_an_edited_cached_balance_is_caught(db_session, books):
    _, aled_acc, _bea_acc = books
    db_session.execute(sa.text("UPDATE accounts SET credits_posted_minutes = credits_posted_minutes + 60, "
                               "given_minutes = given_minutes + 60 WHERE id = :id"), {"id": aled_acc.id})
    problems = checks.verify(db_session)
    assert {p.check for p in problems} == {"balances", "zero-sum"}


def test_verify_command_reports_and_fails_on_a_tampered_database(app, db_session, books):
    runner = app.test_cli_runner()
    db_session.commit()  # into the test's outer transaction, which the CLI shares
    clean = runner.invoke(args=["ledger", "verify"])
    assert clean.exit_code == 0, clean.output
    assert "the books balance" in clean.output

    drop_guards(db_session, "postings")
    db_session.execute(sa.update(Posting).where(Posting.exchange_id == books[0][0].id).values(amount_minutes=1))
    db_session.commit()
    tampered = runner.invoke(args=["ledger", "verify"])
    assert tampered.exit_code == 1
    assert "[chain]" in tampered.output and "problem(s) found" in tampered.output

"""Property: whatever members do — record, confirm, decline, cancel, reverse, in any order, with
refusals along the way — every bank stays at zero, cached balances equal the entries, no floor or
ceiling is breached, and the books agree with a simple model kept alongside."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import examples
from timebank.categories.models import Category
from timebank.errors import DomainError
from timebank.ledger import checks
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeState

HOLDERS = 4  # indexes 0-2 residents, 3 a charity, 4 the bank's community pot


@dataclass
class Model:
    """What the books should say, worked out by hand."""

    balances: dict[int, int] = field(default_factory=dict)
    pending_out: dict[int, int] = field(default_factory=dict)
    exchanges: list[int] = field(default_factory=list)


record_op = st.tuples(
    st.just("record"),
    st.integers(0, HOLDERS),
    st.integers(0, HOLDERS),
    st.one_of(st.integers(1, 1440), st.sampled_from([0, -5, 1441, 10**9])),
    st.booleans(),
)
act_op = st.tuples(
    st.sampled_from(["confirm", "decline", "cancel", "reverse", "confirm-own"]),
    st.integers(0, 50),
)
operations = st.lists(st.one_of(record_op, record_op, act_op), min_size=1, max_size=25)


def snapshot(session, account_ids):
    rows = session.execute(
        sa.select(
            Account.id, Account.debits_pending_minutes, Account.credits_pending_minutes,
            Account.debits_posted_minutes, Account.credits_posted_minutes,
        ).where(Account.id.in_(account_ids)).order_by(Account.id)
    ).all()
    states = session.execute(sa.select(Exchange.id, Exchange.state).order_by(Exchange.id)).all()
    return rows, states


@settings(max_examples=examples(0.6), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_keeps_the_books_sound(db_session, make_bank, make_member, make_organisation,
                                            make_person, today, ops):
    savepoint = db_session.begin_nested()  # each example starts from the same empty bank
    try:
        bank = make_bank()
        broker = make_person("Broker", email=None, is_admin=True)  # no password: argon2 is slow on purpose
        people = [make_member(bank, f"Member {i}", email=None) for i in range(3)]
        _charity, charity_account = make_organisation(bank, admins=(people[0][0],))
        accounts = [account for _, account in people] + [charity_account, ledger.community_pot(db_session, bank.id)]
        actor_for = {account.id: person.id for person, account in people}
        actor_for[charity_account.id] = people[0][0].id
        actor_for[accounts[4].id] = broker.id
        category = db_session.scalar(sa.select(Category).where(Category.code == "other"))
        model = Model(balances={a.id: 0 for a in accounts}, pending_out={a.id: 0 for a in accounts})
        ids = [a.id for a in accounts]

        for op in ops:
            before = snapshot(db_session, ids)
            step = db_session.begin_nested()
            try:
                apply(db_session, op, accounts, actor_for, broker, category, today, model)
            except DomainError:
                step.rollback()
                assert snapshot(db_session, ids) == before, f"{op} was refused but changed something"
            else:
                step.commit()
            db_session.expire_all()
            check_model(db_session, accounts, model)
            problems = checks.verify(db_session)
            assert not problems, [str(p) for p in problems]
    finally:
        savepoint.rollback()
        db_session.expire_all()


def apply(session, op, accounts, actor_for, broker, category, today, model):
    if op[0] == "record":
        _, i, j, minutes, giver = op
        proposer, counterpart = accounts[i], accounts[j]
        exchange, _ = ledger.record_exchange(
            session, proposer_account_id=proposer.id, counterpart_account_id=counterpart.id,
            proposer_is_giver=giver, amount_minutes=minutes, occurred_on=today, category_id=category.id,
            description="", recorded_by_id=actor_for[proposer.id], idempotency_key=uuid.uuid4().hex,
        )
        model.exchanges.append(exchange.id)
        model.pending_out[exchange.receiver_account_id] += minutes
        return
    action, index = op
    if not model.exchanges:
        return
    exchange = session.get(Exchange, model.exchanges[index % len(model.exchanges)])
    confirmer, proposer = exchange.confirmer_account_id, exchange.proposer_account_id
    was_pending = exchange.state is ExchangeState.PENDING
    if action == "confirm":
        ledger.confirm_exchange(session, exchange.id, actor_id=actor_for[confirmer], acting_for_account_id=confirmer)
    elif action == "confirm-own":
        ledger.confirm_exchange(session, exchange.id, actor_id=actor_for[proposer], acting_for_account_id=proposer)
        raise AssertionError("confirming one's own proposal must be refused")
    elif action == "decline":
        ledger.decline_exchange(session, exchange.id, actor_id=actor_for[confirmer], acting_for_account_id=confirmer)
    elif action == "cancel":
        ledger.cancel_exchange(session, exchange.id, actor_id=actor_for[proposer], acting_for_account_id=proposer)
    else:
        reversal = ledger.reverse_exchange(session, exchange.id, actor_id=broker.id, reason="mistake")
        model.exchanges.append(reversal.id)
        model.balances[exchange.receiver_account_id] += exchange.amount_minutes
        model.balances[exchange.giver_account_id] -= exchange.amount_minutes
        return
    if was_pending:
        model.pending_out[exchange.receiver_account_id] -= exchange.amount_minutes
    if action == "confirm":
        model.balances[exchange.receiver_account_id] -= exchange.amount_minutes
        model.balances[exchange.giver_account_id] += exchange.amount_minutes


def check_model(session, accounts, model):
    assert sum(model.balances.values()) == 0
    for account in accounts:
        fresh = session.get(Account, account.id)
        assert fresh.balance_minutes == model.balances[account.id]
        assert fresh.debits_pending_minutes == model.pending_out[account.id]
        limits = ledger.effective_limits(session, fresh)
        if limits.floor_minutes is not None:
            assert fresh.available_minutes >= limits.floor_minutes
        if limits.ceiling_minutes is not None:
            assert fresh.balance_minutes + fresh.credits_pending_minutes <= limits.ceiling_minutes

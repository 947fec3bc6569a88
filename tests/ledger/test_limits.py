"""The balance-limit rule has one home, ``ledger.limits``: worked examples of the pure check, and a
property that the simulator (which the timesheet import runs over a whole file) and the ledger service
agree on every batch, movement by movement."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.support import examples
from timebank.categories.models import Category
from timebank.errors import DomainError
from timebank.ledger import errors
from timebank.ledger import service as ledger
from timebank.ledger.limits import Balance, Limit, Limits, Movement, breach, simulate_movements

RESIDENT = Limits(-600, 12000)


def test_the_floor_counts_what_is_pending_and_is_asked_first():
    # 1 hour available (2 h balance, 1 h owed on a pending exchange); the giver is 30 minutes off its ceiling.
    def crossed(minutes):
        return breach(minutes, receiver_available=60, receiver_floor=-600,
                      giver_towards_ceiling=11970, giver_ceiling=12000)

    assert crossed(30) is None
    assert crossed(31).limit is Limit.CEILING and crossed(31).limit_minutes == 12000
    assert crossed(661).limit is Limit.FLOOR and crossed(661).limit_minutes == -600
    assert breach(10**6, receiver_available=0, receiver_floor=None, giver_towards_ceiling=0, giver_ceiling=None) is None


def test_a_batch_is_simulated_in_order_and_names_its_first_breach():
    balances = {1: Balance(0, 0), 2: Balance(0, 0)}
    limits = {1: RESIDENT, 2: Limits(-60, 90)}
    # 2 pays 1 an hour (2 reaches its floor of -1 h), 1 pays 2 an hour back, then 2 pays 1 an hour again.
    batch = [Movement(2, 1, 60), Movement(1, 2, 60), Movement(2, 1, 60)]
    assert simulate_movements(limits, balances, batch) is None
    assert balances[2] == Balance(0, 0), "the caller's balances are copied, not moved"

    found = simulate_movements(limits, balances, [*batch, Movement(2, 1, 1)])
    assert (found.index, found.account_id, found.limit, found.limit_minutes) == (3, 2, Limit.FLOOR, -60)
    assert isinstance(found.error(), errors.ExceedsBalanceFloor)

    # Pending hours count against the giver's ceiling at once, and confirming them changes nothing there.
    found = simulate_movements(limits, balances, [Movement(1, 2, 60, confirmed=False), Movement(1, 2, 31)])
    assert (found.index, found.account_id, found.limit) == (1, 2, Limit.CEILING)
    assert isinstance(found.error(), errors.ExceedsBalanceCeiling)


ACCOUNTS = 4  # three residents and a charity
limit_overrides = st.tuples(st.one_of(st.none(), st.integers(-300, 0)), st.one_of(st.none(), st.integers(0, 300)))
movements = st.lists(
    st.tuples(st.integers(0, ACCOUNTS - 1), st.integers(1, ACCOUNTS - 1), st.integers(1, 240), st.booleans(),
              st.booleans()),
    min_size=1, max_size=12,
)


@settings(max_examples=examples(0.4), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(overrides=st.lists(limit_overrides, min_size=ACCOUNTS, max_size=ACCOUNTS), batch=movements)
def test_the_simulator_and_the_service_agree(db_session, make_bank, make_member, make_organisation, today,
                                             overrides, batch):
    savepoint = db_session.begin_nested()  # each example starts from the same empty bank
    try:
        bank = make_bank()
        people = [make_member(bank, f"Member {i}", email=None) for i in range(3)]
        _charity, charity_account = make_organisation(bank, admins=(people[0][0],))
        accounts = [account for _, account in people] + [charity_account]
        actor_for = {account.id: person.id for person, account in people} | {charity_account.id: people[0][0].id}
        for account, (floor, ceiling) in zip(accounts, overrides, strict=True):
            account.floor_minutes, account.ceiling_minutes = floor, ceiling
        db_session.flush()
        category = db_session.scalar(sa.select(Category).where(Category.code == "other"))
        planned = [
            Movement(accounts[receiver].id, accounts[(receiver + step) % ACCOUNTS].id, minutes, confirmed)
            for receiver, step, minutes, confirmed, _receiver_proposes in batch
        ]

        expected = simulate_movements(ledger.effective_limits_of(db_session, accounts),
                                      {account.id: Balance.of(account) for account in accounts}, planned)

        event(f"refused: {expected.limit if expected else None}")
        refused = None
        for index, (movement, (*_, receiver_proposes)) in enumerate(zip(planned, batch, strict=True)):
            proposer, counterpart = (
                (movement.receiver_account_id, movement.giver_account_id) if receiver_proposes
                else (movement.giver_account_id, movement.receiver_account_id)
            )
            try:
                exchange, _ = ledger.record_exchange(
                    db_session, proposer_account_id=proposer, counterpart_account_id=counterpart,
                    proposer_is_giver=not receiver_proposes, amount_minutes=movement.minutes, occurred_on=today,
                    category_id=category.id, description="", recorded_by_id=actor_for[proposer],
                    idempotency_key=uuid.uuid4().hex,
                )
            except DomainError as error:
                refused = (index, type(error))
                break
            if movement.confirmed:
                ledger.confirm_exchange(db_session, exchange.id, actor_id=actor_for[counterpart],
                                        acting_for_account_id=counterpart)

        if expected is None:
            assert refused is None, f"the service refused movement {refused[0]}, which the simulator allowed"
        else:
            assert refused == (expected.index, type(expected.error()))
    finally:
        savepoint.rollback()
        db_session.expire_all()


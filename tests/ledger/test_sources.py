"""Hours from a co-delivery session carry their activity, role and session as fixed facts: in the
request fingerprint, in the hash chain, copied onto a reversal, and guarded like every other fact."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from timebank.activities.models import (
    Activity,
    ActivitySession,
    CoProductionForm,
    Party,
    Role,
)
from timebank.categories.models import Category
from timebank.ledger import checks, errors
from timebank.ledger import service as ledger
from timebank.ledger.models import Exchange
from timebank.members.models import OrganisationType


@pytest.fixture
def garden(db_session, bank, make_organisation, make_member, make_person, today):
    """A council's community garden session, with one volunteer."""
    officer = make_person("Owen Officer")
    council, council_account = make_organisation(bank, "Hollinbridge Council", admins=(officer,),
                                                 organisation_type=OrganisationType.COUNCIL)
    _volunteer, volunteer_account = make_member(bank, "Gwen Grower")
    category = db_session.scalar(sa.select(Category).where(Category.code == "food-growing"))
    activity = Activity(time_bank_id=bank.id, organisation_id=council.id, title="Community garden",
                        form=CoProductionForm.CO_DELIVERING, designed_by=Party.SHARED,
                        delivered_by=Party.SHARED, created_by_id=officer.id)
    db_session.add(activity)
    db_session.flush()
    role = Role(activity_id=activity.id, title="Grower", category_id=category.id, places=10)
    db_session.add(role)
    db_session.flush()
    start = dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC)
    occasion = ActivitySession(role_id=role.id, starts_at=start, ends_at=start + dt.timedelta(hours=2), places=10)
    db_session.add(occasion)
    db_session.flush()
    source = ledger.Source(activity_id=activity.id, role_id=role.id, session_id=occasion.id)
    return officer, council_account, volunteer_account, category, source


def _attend(db_session, garden, today, key="attend-1"):
    officer, council_account, volunteer_account, category, source = garden
    exchange, created = ledger.record_exchange(
        db_session, proposer_account_id=council_account.id, counterpart_account_id=volunteer_account.id,
        proposer_is_giver=False, amount_minutes=120, occurred_on=today, category_id=category.id,
        description="Community garden", recorded_by_id=officer.id, idempotency_key=key, source=source,
    )
    ledger.confirm_exchange(db_session, exchange.id, actor_id=officer.id, acting_for_account_id=volunteer_account.id)
    return exchange, created


def test_an_exchange_keeps_its_source_and_a_reversal_copies_it(db_session, garden, today):
    exchange, _ = _attend(db_session, garden, today)
    source = garden[4]
    assert (exchange.activity_id, exchange.role_id, exchange.session_id) == (
        source.activity_id, source.role_id, source.session_id)
    reversal = ledger.reverse_exchange(db_session, exchange.id, actor_id=garden[0].id, reason="Was not there")
    assert (reversal.activity_id, reversal.role_id, reversal.session_id) == (
        exchange.activity_id, exchange.role_id, exchange.session_id)
    assert checks.verify(db_session) == []


def test_the_same_key_with_another_source_is_not_a_replay(db_session, garden, today):
    _attend(db_session, garden, today)
    officer, council_account, volunteer_account, category, source = garden
    with pytest.raises(errors.IdempotencyKeyReused):
        ledger.record_exchange(
            db_session, proposer_account_id=council_account.id, counterpart_account_id=volunteer_account.id,
            proposer_is_giver=False, amount_minutes=120, occurred_on=today, category_id=category.id,
            description="Community garden", recorded_by_id=officer.id, idempotency_key="attend-1",
            source=ledger.Source(activity_id=source.activity_id, role_id=source.role_id),
        )
    again, created = ledger.record_exchange(
        db_session, proposer_account_id=council_account.id, counterpart_account_id=volunteer_account.id,
        proposer_is_giver=False, amount_minutes=120, occurred_on=today, category_id=category.id,
        description="Community garden", recorded_by_id=officer.id, idempotency_key="attend-1", source=source,
    )
    assert created is False and again.session_id == source.session_id


@pytest.mark.tampers
def test_a_changed_source_is_caught_by_the_chain(db_session, garden, today):
    exchange, _ = _attend(db_session, garden, today)
    if db_session.bind.dialect.name == "postgresql":
        db_session.execute(sa.text("ALTER TABLE exchanges DISABLE TRIGGER USER"))
    else:
        db_session.execute(sa.text("DROP TRIGGER exchanges_facts_fixed"))
    db_session.execute(sa.update(Exchange).where(Exchange.id == exchange.id).values(session_id=None))
    assert [p.check for p in checks.verify(db_session)] == ["chain", "chain"]

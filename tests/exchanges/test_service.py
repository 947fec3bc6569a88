"""The member-facing exchange rules, below the pages and the API."""

from __future__ import annotations

import sqlalchemy as sa

from timebank.categories.models import Category
from timebank.exchanges import service
from timebank.ledger import service as ledger


def test_names_cover_members_and_the_community_pot(db_session, make_bank, make_member, make_person, today):
    bank = make_bank(name="Hollinbridge Time Bank")
    broker = make_person("Broker", email=None, is_admin=True)
    _, account = make_member(bank, "Aled Pryce", email=None)
    pot = ledger.community_pot(db_session, bank.id)
    category = db_session.scalar(sa.select(Category).where(Category.code == "community-events"))
    exchange, _ = ledger.record_exchange(
        db_session, proposer_account_id=pot.id, counterpart_account_id=account.id, proposer_is_giver=False,
        amount_minutes=120, occurred_on=today, category_id=category.id, description="Litter pick",
        recorded_by_id=broker.id, idempotency_key="pot-1",
    )
    assert service.holder_names(db_session, [exchange]) == {
        account.id: "Aled Pryce",
        pot.id: "Hollinbridge Time Bank community pot",
    }
    assert service.category_codes(db_session, [exchange]) == {category.id: "community-events"}
    assert service.category_labels(db_session, [exchange]) == {category.id: "Community events"}

"""The two ways to page a list (``timebank.pagination``): a count that stops at the cap, and pages by cursor
over a union of branches."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from timebank.categories.models import Category
from timebank.ledger import service as ledger
from timebank.ledger.models import Exchange
from timebank.pagination import Count, capped_count, capped_counts, keyset_page, paginate


def _exchanges(db_session, today, pairs):
    gardening = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
    return [ledger.record_exchange(
        db_session, proposer_account_id=giver[1].id, counterpart_account_id=receiver[1].id, proposer_is_giver=True,
        amount_minutes=30, occurred_on=today, category_id=gardening, description="", recorded_by_id=giver[0].id,
        idempotency_key=uuid.uuid4().hex)[0].id for giver, receiver in pairs]


def test_a_count_stops_at_the_cap_and_says_it_is_a_lower_bound(db_session, make_bank, make_member, today):
    bank = make_bank()
    aled, bea = make_member(bank), make_member(bank)
    _exchanges(db_session, today, [(aled, bea)] * 5)
    query = sa.select(Exchange).where(Exchange.time_bank_id == bank.id).order_by(Exchange.id)

    assert capped_count(db_session, query, cap=10) == (5, False)
    assert capped_count(db_session, query, cap=5) == (5, False)
    assert capped_count(db_session, query, cap=3) == (3, True)
    one = query.where(Exchange.id == query.order_by(None).with_only_columns(sa.func.min(Exchange.id)).scalar_subquery())
    assert capped_counts(db_session, {7: query, 8: one}, cap=3) == {7: Count(3, True), 8: Count(1, False)}
    assert capped_counts(db_session, {}) == {}
    page = paginate(db_session, query, page=1, per_page=2)
    assert (page.total, page.total_is_lower_bound, page.pages, page.has_next) == (5, False, 3, True)


def test_pages_by_cursor_over_branches_that_overlap(db_session, make_bank, make_member, today):
    bank = make_bank()
    aled, bea, cai = make_member(bank), make_member(bank), make_member(bank)
    ids = _exchanges(db_session, today, [(aled, bea), (bea, cai), (cai, aled), (aled, cai), (bea, aled)])
    ids_of = sa.select(Exchange.id)
    # Aled's exchanges as giver and as receiver: every one but the second, none twice.
    branches = [ids_of.where(Exchange.giver_account_id == aled[1].id),
                ids_of.where(Exchange.receiver_account_id == aled[1].id)]
    mine = [ids[4], ids[3], ids[2], ids[0]]

    def page(**cursor):
        found = keyset_page(db_session, Exchange.id, branches, per_page=3, **cursor)
        return [e.id for e in found.items], found.older, found.newer

    assert page() == (mine[:3], mine[2], None)
    assert page(before=mine[2]) == (mine[3:], None, mine[3])
    assert page(after=mine[3]) == (mine[:3], mine[2], None)
    assert page(after=mine[2]) == (mine[:2], mine[1], None)
    assert keyset_page(db_session, Exchange.id, [], per_page=3).items == []

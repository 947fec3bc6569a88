"""The on-behalf trail: when a broker records or answers for a member who is not online, the exchange's
history says who acted for whom, and the audit log lists it too. Acting for oneself or for one's own
organisation is not "on behalf"."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from timebank.audit.models import AuditEvent
from timebank.exchanges import service
from timebank.exchanges.service import Proposal, Side


@pytest.fixture
def dilys(make_member, bank):
    """A member who is not online: no email, contacted through her broker."""
    return make_member(bank, "Dilys Evans", email=None)


@pytest.fixture
def bea(make_member, bank):
    return make_member(bank, "Bea Okafor")


def on_behalf_audit(db_session, exchange_id: int) -> list[tuple[str, int, int | None]]:
    rows = db_session.execute(
        sa.select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.details)
        .where(AuditEvent.subject_type == "exchange", AuditEvent.subject_id == exchange_id)
        .order_by(AuditEvent.id)
    )
    return [(action, actor_id, details["acting_for_holder_id"]) for action, actor_id, details in rows]


def propose(db_session, actor, account, counterpart, key: str, today):
    return service.propose(db_session, actor, Proposal(
        account_id=account.id, side=Side.GIVER, counterpart_account_id=counterpart.id, minutes=60,
        occurred_on=today, category="gardening", description="", idempotency_key=key,
    ))


def test_recording_and_confirming_for_a_member_is_in_the_history_and_the_audit_log(
    db_session, browser, broker, dilys, bea, today
):
    (dilys_person, dilys_account), (bea_person, bea_account) = dilys, bea
    recorded, created = propose(db_session, broker, dilys_account, bea_account, "k1", today)
    assert created
    replayed, created = propose(db_session, broker, dilys_account, bea_account, "k1", today)
    assert (replayed.id, created) == (recorded.id, False)
    assert on_behalf_audit(db_session, recorded.id) == [("exchanges.recorded_on_behalf", broker.id, dilys_person.id)]

    # Bea proposes; the broker confirms for Dilys.
    other, _ = propose(db_session, bea_person, bea_account, dilys_account, "k2", today)
    service.confirm(db_session, broker, other.id)
    assert on_behalf_audit(db_session, other.id) == [("exchanges.confirmed_on_behalf", broker.id, dilys_person.id)]

    page = browser(bea_person).get(f"/exchanges/{other.id}").get_data(as_text=True)
    history = page.split('id="history"')[1]
    assert "by Bea Okafor" in history
    assert "by Nia Broker" in history and "on behalf of Dilys Evans" in history


def test_declining_and_cancelling_for_a_member_are_audited(db_session, broker, dilys, bea, today):
    (dilys_person, dilys_account), (bea_person, bea_account) = dilys, bea
    declined, _ = propose(db_session, bea_person, bea_account, dilys_account, "d1", today)
    service.decline(db_session, broker, declined.id, note="Dilys says it was another day")
    cancelled, _ = propose(db_session, broker, dilys_account, bea_account, "c1", today)
    service.cancel(db_session, broker, cancelled.id)
    assert on_behalf_audit(db_session, declined.id) == [("exchanges.declined_on_behalf", broker.id, dilys_person.id)]
    assert on_behalf_audit(db_session, cancelled.id) == [
        ("exchanges.recorded_on_behalf", broker.id, dilys_person.id),
        ("exchanges.cancelled_on_behalf", broker.id, dilys_person.id),
    ]


def test_acting_for_oneself_or_ones_organisation_is_not_on_behalf(
    db_session, make_person, make_organisation, bank, bea, today
):
    olwen = make_person("Olwen Admin")
    _charity, charity_account = make_organisation(bank, "Riverside Food Bank", admins=(olwen,))
    bea_person, bea_account = bea
    exchange, _ = propose(db_session, olwen, charity_account, bea_account, "o1", today)
    service.confirm(db_session, bea_person, exchange.id)
    assert on_behalf_audit(db_session, exchange.id) == []

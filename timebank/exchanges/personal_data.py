"""The exchanges feature's part of what is held about a person (``timebank.personal_data``): every
exchange on their accounts, and the disputes they raised or that were raised for them.

Leaving settles what is still pending on their accounts (closed by the ledger's part just before), through
the ledger: what they proposed is cancelled, what others proposed to them is declined, so other people's
balances are as if it had never been asked. Confirmed exchanges, with the words typed at the time, and
disputes stay as they are: the books are never edited, and a dispute is the bank's record of a question
about them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.categories.models import Category
from timebank.exchanges.models import Dispute
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeState
from timebank.members.models import Person
from timebank.personal_data import Part, iso


def _account_ids(session: Session, person: Person) -> list[int]:
    return list(session.scalars(sa.select(Account.id).where(Account.holder_id == person.id)))


def _on(account_ids: list[int]) -> sa.ColumnElement[bool]:
    return sa.or_(Exchange.receiver_account_id.in_(account_ids), Exchange.giver_account_id.in_(account_ids))


def export(session: Session, person: Person) -> dict[str, Any]:
    account_ids = _account_ids(session, person)
    exchanges = list(session.scalars(sa.select(Exchange).where(_on(account_ids)).order_by(Exchange.id)))
    categories: dict[int, str] = dict(session.execute(sa.select(Category.id, Category.code)).all())
    disputes = session.scalars(
        sa.select(Dispute).where(sa.or_(Dispute.raised_by_id == person.id,
                                        Dispute.raised_for_account_id.in_(account_ids))).order_by(Dispute.id))
    return {
        "exchanges": [{
            "id": e.id, "time_bank_id": e.time_bank_id, "state": e.state.value, "kind": e.kind.value,
            "receiver_account_id": e.receiver_account_id, "giver_account_id": e.giver_account_id,
            "amount_minutes": e.amount_minutes, "occurred_on": iso(e.occurred_on),
            "category": categories.get(e.category_id), "description": e.description,
            "recorded_at": iso(e.created_at),
        } for e in exchanges],
        "disputes": [{
            "id": d.id, "exchange_id": d.exchange_id, "time_bank_id": d.time_bank_id,
            "raised_for_account_id": d.raised_for_account_id, "raised_by_you": d.raised_by_id == person.id,
            "reason": d.reason, "status": d.status.value, "resolution_note": d.resolution_note,
            "raised_at": iso(d.created_at), "resolved_at": iso(d.resolved_at),
        } for d in disputes],
    }


def forget(session: Session, actor: Person, person: Person) -> None:
    """Close the leaver's pending exchanges through the ledger: cancel what they proposed, decline what
    others proposed to them."""
    accounts = set(_account_ids(session, person))
    if not accounts:
        return
    pending = session.scalars(
        sa.select(Exchange).where(Exchange.state == ExchangeState.PENDING, _on(list(accounts))).order_by(Exchange.id)
    ).all()
    for exchange in pending:
        own = exchange.receiver_account_id if exchange.receiver_account_id in accounts else exchange.giver_account_id
        if exchange.proposer_account_id == own:
            ledger.cancel_exchange(session, exchange.id, actor_id=actor.id, acting_for_account_id=own)
        else:
            ledger.decline_exchange(session, exchange.id, actor_id=actor.id, acting_for_account_id=own,
                                    note=str(_l("The member left the time bank.")))


PART = Part(name="exchanges", tables=("exchanges", "disputes"), sections=("exchanges", "disputes"),
            export=export, forget=forget)

"""The ledger's part of what is held about a person (``timebank.personal_data``): their accounts.

Leaving closes them first of all, through ``service.close_account`` under each account's lock, so that
nothing new can be recorded or confirmed on them by any route while the rest of leaving runs. The
exchanges on them are the exchanges feature's part; postings and exchange events stay as they are.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.ledger import service
from timebank.ledger.models import Account
from timebank.personal_data import Part


def accounts_of(session: Session, holder_id: int) -> list[Account]:
    return list(session.scalars(sa.select(Account).where(Account.holder_id == holder_id).order_by(Account.id)))


def export(session: Session, person: Any) -> dict[str, Any]:
    return {"accounts": [{
        "id": a.id, "time_bank_id": a.time_bank_id, "balance_minutes": a.balance_minutes,
        "given_minutes": a.given_minutes, "received_minutes": a.received_minutes,
    } for a in accounts_of(session, person.id)]}


def forget(session: Session, actor: Any, person: Any) -> None:
    for account in accounts_of(session, person.id):
        service.close_account(session, account.id)


PART = Part(
    name="ledger", tables=("accounts",), sections=("accounts",), export=export, forget=forget,
    exempt={
        "postings": "the hash-chained books: minutes per account, append-only (triggers refuse changes); the "
                    "accounts and exchanges they belong to are exported",
        "exchange_events": "each exchange's append-only history (state moves, who made them, for which account); "
                           "the exchanges themselves are exported, and the history is never edited",
        "account_month_facts": "derived books, like postings: each account's minutes given and received per "
                               "month, re-derived from the exchanges by ledger verify; the accounts and "
                               "exchanges they come from are exported",
        "account_year_facts": "derived books: the account month facts of each year folded into one row (the "
                              "months given and received in, as bits), re-derived by ledger verify",
    },
)

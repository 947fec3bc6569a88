"""The per-bank hash chain over postings.

Each posting's hash covers the previous hash, its own facts and the facts of its exchange, so changing
an amount, an account, a date, a category or the activity it came from after posting breaks every later
link. Names and other
personal data are deliberately left out: pseudonymising a member must not break the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib


def entry_hash(
    prev_hash: str,
    *,
    time_bank_id: int,
    sequence: int,
    exchange_id: int,
    account_id: int,
    amount_minutes: int,
    kind: str,
    receiver_account_id: int,
    giver_account_id: int,
    exchange_minutes: int,
    occurred_on: dt.date,
    category_id: int,
    reverses_exchange_id: int | None,
    source: tuple[int | None, int | None, int | None] = (None, None, None),
) -> str:
    """``source`` is the exchange's (activity, role, session); it joins the hash only when set, so
    entries written before exchanges had a source keep their hashes.

    The hash is of the values in this order, not of their names: the receiver comes before the giver, as
    it did under the sides' former names, so renaming them (issue 10) kept every hash."""
    parts = [
        str(part)
        for part in (
            prev_hash,
            time_bank_id,
            sequence,
            exchange_id,
            account_id,
            amount_minutes,
            kind,
            receiver_account_id,
            giver_account_id,
            exchange_minutes,
            occurred_on.isoformat(),
            category_id,
            "" if reverses_exchange_id is None else reverses_exchange_id,
        )
    ]
    if source != (None, None, None):
        parts.append(":".join("" if part is None else str(part) for part in source))
    canonical = "|".join(parts)
    return hashlib.sha256(canonical.encode()).hexdigest()

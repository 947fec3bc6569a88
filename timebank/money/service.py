"""Recording money and value given to members: expenses, payments and redemptions. Only flushes.

Nothing here moves hours. A redemption's credits move through ``ledger.service`` first (the caller's
exchange, or ``redeem`` below); this module only records what was received for them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from timebank.ledger.models import Exchange, ExchangeState
from timebank.money import errors
from timebank.money.models import CASH_LIKE, MAX_ITEM, MAX_PENCE, RedeemedFor, Redemption


def add_redemption(
    session: Session,
    *,
    exchange: Exchange,
    person_id: int,
    partner_id: int,
    item: str,
    redeemed_for: RedeemedFor,
    occurred_on: dt.date,
    recorded_by_id: int,
    face_value_pence: int | None = None,
    listing_id: int | None = None,
) -> Redemption:
    """Record what a member received for the credits ``exchange`` moved (member → spend partner).

    The exchange must already be confirmed; attendance at a spend partner's session and ``redeem`` both
    call this after confirming it.
    """
    item = item.strip()
    if not item or len(item) > MAX_ITEM:
        raise errors.InvalidItem()
    if redeemed_for in CASH_LIKE and face_value_pence is None:
        raise errors.FaceValueRequired()
    if face_value_pence is not None and not 0 <= face_value_pence <= MAX_PENCE:
        raise errors.InvalidAmount(field="face_value")
    if exchange.state is not ExchangeState.CONFIRMED:
        raise errors.ExchangeNotConfirmed()
    redemption = Redemption(
        time_bank_id=exchange.time_bank_id,
        person_id=person_id,
        partner_id=partner_id,
        listing_id=listing_id,
        exchange_id=exchange.id,
        credit_minutes=exchange.amount_minutes,
        redeemed_for=redeemed_for,
        item=item,
        face_value_pence=face_value_pence,
        occurred_on=occurred_on,
        recorded_by_id=recorded_by_id,
    )
    session.add(redemption)
    session.flush()
    return redemption

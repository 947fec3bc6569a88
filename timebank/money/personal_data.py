"""Money's part of what is held about a person (``timebank.personal_data``): the expenses and payments
organisations made to them, and what they received for credits they spent.

Leaving keeps all three as they are (``kept``): what was paid was paid, and the benefit rules read it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.members.models import Person
from timebank.money.models import Expense, Payment, Redemption
from timebank.personal_data import Part, iso


def export(session: Session, person: Person) -> dict[str, Any]:
    def rows(model: Any) -> list[Any]:
        return list(session.scalars(sa.select(model).where(model.person_id == person.id).order_by(model.id)))

    return {
        "expenses": [{
            "id": e.id, "time_bank_id": e.time_bank_id, "organisation_id": e.organisation_id,
            "activity_id": e.activity_id, "paid_on": iso(e.paid_on), "kind": e.kind.value,
            "amount_paid_pence": e.amount_paid_pence, "amount_receipted_pence": e.amount_receipted_pence,
            "receipts_count": e.receipts_count, "miles_tenths": e.miles_tenths,
            "rate_per_mile_pence": e.rate_per_mile_pence, "flat_rate": e.flat_rate, "note": e.note,
            "recorded_at": iso(e.created_at),
        } for e in rows(Expense)],
        "payments": [{
            "id": p.id, "time_bank_id": p.time_bank_id, "organisation_id": p.organisation_id,
            "activity_id": p.activity_id, "paid_on": iso(p.paid_on), "kind": p.kind.value,
            "amount_pence": p.amount_pence, "note": p.note, "recorded_at": iso(p.created_at),
        } for p in rows(Payment)],
        "redemptions": [{
            "id": r.id, "time_bank_id": r.time_bank_id, "partner_id": r.partner_id, "listing_id": r.listing_id,
            "exchange_id": r.exchange_id, "credit_minutes": r.credit_minutes, "redeemed_for": r.redeemed_for.value,
            "item": r.item, "face_value_pence": r.face_value_pence, "occurred_on": iso(r.occurred_on),
            "recorded_at": iso(r.created_at),
        } for r in rows(Redemption)],
    }


PART = Part(
    name="money", tables=("expenses", "payments", "redemptions"), sections=("expenses", "payments", "redemptions"),
    export=export,
    kept="records of money and value are never edited (what was paid was paid) and the benefit rules read them; "
         "from leaving on they are tied only to the pseudonym",
)

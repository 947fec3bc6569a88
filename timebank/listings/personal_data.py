"""Listings' part of what is held about a person (``timebank.personal_data``): their offers, requests
and spend offers, in their own words.

Leaving closes the open ones and wipes the words of every one (``service.close_for_leaver``); the rows
stay, for the record, so replies and redemptions that name them still make sense.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.categories.models import Category
from timebank.listings import service
from timebank.listings.models import Listing
from timebank.members.models import Person
from timebank.personal_data import Part, iso


def export(session: Session, person: Person) -> dict[str, Any]:
    rows = session.execute(
        sa.select(Listing, Category.code).join(Category, Category.id == Listing.category_id)
        .where(Listing.holder_id == person.id).order_by(Listing.id)
    ).all()
    return {"listings": [{
        "id": listing.id, "time_bank_id": listing.time_bank_id, "kind": listing.kind.value,
        "status": listing.status.value, "title": listing.title, "details": listing.details, "category": category,
        "place": listing.place, "is_remote": listing.is_remote, "needed_on": iso(listing.needed_on),
        "needed_at": iso(listing.needed_at), "estimated_minutes": listing.estimated_minutes,
        "price_minutes": listing.price_minutes, "receives": listing.receives.value if listing.receives else None,
        "review_on": iso(listing.review_on), "created_at": iso(listing.created_at),
    } for listing, category in rows]}


def forget(session: Session, actor: Person, person: Person) -> None:
    service.close_for_leaver(session, person.id, actor=actor)


PART = Part(name="listings", tables=("listings",), sections=("listings",), export=export, forget=forget)

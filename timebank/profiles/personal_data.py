"""Profiles' part of what is held about a person (``timebank.personal_data``): their profile, with its
abilities, languages, availability and travel, and what they chose to show other members.

Leaving deletes the profile and everything in it: none of it is needed once they have gone.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.categories.models import Category
from timebank.members.models import Person
from timebank.personal_data import Part, iso
from timebank.profiles.models import Profile
from timebank.profiles.service import TEXT_FIELDS


def export(session: Session, person: Person) -> dict[str, Any]:
    profile = session.get(Profile, person.id)
    if profile is None:
        return {"profile": None}
    categories: dict[int, str] = dict(session.execute(sa.select(Category.id, Category.code)).all())
    return {"profile": {
        **{name: getattr(profile, name) for name in TEXT_FIELDS},
        "abilities": [categories[a.category_id] for a in profile.abilities],
        "languages": [language.code for language in profile.languages],
        "availability": sorted([slot.weekday, slot.period.value] for slot in profile.availability),
        "can_travel": profile.can_travel,
        "travel_districts": [district.district for district in profile.travel_districts],
        "shown_to_other_members": {
            "name": profile.show_name, "area": profile.show_area,
            "abilities": profile.show_abilities, "contact": profile.show_contact,
        },
        "open_to_introductions": profile.open_to_introductions,
        "age_band": profile.age_band.value if profile.age_band else None,
        "counted_in_reports_since": iso(profile.in_reports_at),
    }}


def forget(session: Session, actor: Person, person: Person) -> None:
    profile = session.get(Profile, person.id)
    if profile is not None:
        session.delete(profile)


PART = Part(
    name="profiles",
    tables=("profiles", "abilities", "spoken_languages", "availability_slots", "travel_districts"),
    sections=("profile",), export=export, forget=forget,
)

"""Notices' part of what is held about a person (``timebank.personal_data``): the reminders and news
made for them, by kind and subject (a notice holds no words), and whether they were read.

Leaving keeps them as they are (``kept``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.members.models import Person
from timebank.notices.models import Notice
from timebank.personal_data import Part, iso


def export(session: Session, person: Person) -> dict[str, Any]:
    return {"notices": [{
        "id": n.id, "kind": n.kind.value, "subject_id": n.subject_id, "made_at": iso(n.created_at),
        "read_at": iso(n.read_at),
    } for n in session.scalars(sa.select(Notice).where(Notice.person_id == person.id).order_by(Notice.id))]}


PART = Part(
    name="notices", tables=("notices",), sections=("notices",), export=export,
    kept="a notice holds only a kind and the id of what it is about, never words, and nobody signs in as a "
         "former member to read it",
)

"""Programmes' part of what is held about a person (``timebank.personal_data``).

* **Funder memberships**: the funders a person reads reports for are in their download; leaving removes
  them (they can no longer sign in to read anything).
* Programmes and in-kind records name people only as the staff who made or recorded them, and a funder's
  membership names the admin who added someone (``exempt``): the agency's record of its own work.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.members.models import Person
from timebank.personal_data import Part, iso
from timebank.programmes.models import Funder, FunderMember


def export(session: Session, person: Person) -> dict[str, Any]:
    rows = session.execute(sa.select(FunderMember, Funder.name).join(Funder, Funder.id == FunderMember.funder_id)
                           .where(FunderMember.person_id == person.id).order_by(FunderMember.funder_id))
    return {"funder_memberships": [{"funder_id": member.funder_id, "funder": name, "since": iso(member.created_at)}
                                   for member, name in rows]}


def forget(session: Session, actor: Person, person: Person) -> None:
    session.execute(sa.delete(FunderMember).where(FunderMember.person_id == person.id))


PART = Part(
    name="programmes", tables=("funder_members",), sections=("funder_memberships",), export=export, forget=forget,
    exempt={
        "programmes": "who created the programme: the agency's record of its own work, not the person's data; "
                      "tied to the pseudonym if they leave",
        "in_kind_contributions": "who recorded what an organisation gave: the organisation's record of its own "
                                 "work; tied to the pseudonym if they leave",
    },
)

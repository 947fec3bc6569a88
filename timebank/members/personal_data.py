"""Members' part of what is held about a person (``timebank.personal_data``): who they are (name,
contact details, language, when they joined and left) and the organisations they act for.

Leaving is finished here, last of all parts: they stop acting for any organisation (each removal
audited), and the holder is renamed to a stable pseudonym ("Former member 7F3A2C") with every contact
detail and their password wiped, and can no longer sign in. The holder row itself stays, with its
accounts and every ledger row, so the books still verify.
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.members.models import ContactMethod, OrganisationAdmin, Person
from timebank.personal_data import Part, iso
from timebank.types import utcnow


def export(session: Session, person: Person) -> dict[str, Any]:
    return {
        "person": {
            "id": person.id,
            "name": person.display_name,
            "email": person.email,
            "phone": person.phone,
            "postcode": person.postcode,
            "contact_by": person.contact_by.value,
            "preferred_language": person.preferred_language.value,
            "joined_at": iso(person.created_at),
            "left_at": iso(person.pseudonymised_at),
        },
        "organisations": [{"id": o.id, "name": o.display_name} for o in person.organisations],
    }


def forget(session: Session, actor: Person, person: Person) -> None:
    for link in session.scalars(sa.select(OrganisationAdmin).where(OrganisationAdmin.person_id == person.id)).all():
        audit.record(session, "member.organisation_admin_removed", actor_id=actor.id, subject_type="organisation",
                     subject_id=link.organisation_id, person_id=person.id, reason="left")
        session.delete(link)
    person.display_name = f"Former member {secrets.token_hex(3).upper()}"
    person.email = person.phone = person.postcode = person.postcode_district = person.password_hash = None
    person.contact_by = ContactMethod.BROKER
    person.is_active = False
    person.is_admin = False
    person.pseudonymised_at = utcnow()
    session.flush()
    session.expire(person, ["organisations"])


PART = Part(name="members", tables=("holders", "people", "organisation_admins"),
            sections=("person", "organisations"), export=export, forget=forget)

"""Safeguarding's part of what is held about a person (``timebank.personal_data``): the DBS checks
recorded for them.

Leaving wipes the certificate numbers; the levels and dates stay, so the history of who was cleared when
stays whole. Brokers' notes are neither in the download nor wiped (see ``exempt``), nor is the record of
their safeguarding work in the activity log; the download says so and how to ask for them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.members.models import Person
from timebank.personal_data import Part, iso
from timebank.safeguarding.models import DbsCheck


def export(session: Session, person: Person) -> dict[str, Any]:
    return {"dbs_checks": [{
        "level": c.level.value, "workforce": c.workforce.value if c.workforce else None,
        "certificate_number": c.certificate_number, "issued_on": iso(c.issued_on),
        "update_service": c.update_service, "status_checked_on": iso(c.status_checked_on),
    } for c in session.scalars(sa.select(DbsCheck).where(DbsCheck.person_id == person.id).order_by(DbsCheck.id))]}


def forget(session: Session, actor: Person, person: Person) -> None:
    session.execute(sa.update(DbsCheck).where(DbsCheck.person_id == person.id).values(certificate_number=None))


PART = Part(
    name="safeguarding", tables=("dbs_checks",), sections=("dbs_checks",), export=export, forget=forget,
    exempt={"safeguarding_notes": "brokers' notes may concern other people's safety: withheld from the download "
                                  "(a subject access request to the time bank covers them) and kept for the "
                                  "bank when the member leaves"},
    withheld=(_l("Safeguarding notes written by brokers are not included here. To see what the time bank holds "
                 "about you, ask it for a subject access request."),),
    # Brokers' safeguarding work on the person's record (notes added, records looked at) goes with the notes.
    withheld_actions=("safeguarding.",),
)

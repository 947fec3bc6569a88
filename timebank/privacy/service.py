"""A member's own data: download all of it, or leave and be pseudonymised. Only flushes.

Every feature that holds something about a person contributes its part through the registry
(``timebank.personal_data``): its sections of the download and its share of leaving. This module
imports none of them; it checks who may activity_session, calls the parts, and audits.

The download is everything held about the person, section by section, except what a part withholds
(brokers' safeguarding notes, and the record of brokers' safeguarding work), which the download names
along with how to ask for it (a subject access request to the time bank).

Leaving keeps the books whole. The person's holder row, accounts, exchanges and postings stay exactly
as they were (the hash chain and every total still verify), but the holder is renamed to a stable
pseudonym ("Former member 7F3A2C") and everything that identifies them is wiped. The parts run in
``personal_data.FORGET_ORDER``, inside the caller's one transaction: the ledger closes their accounts
first, so nothing new can be recorded or confirmed on them by any route; their pending exchanges are
cancelled or declined; their places and waiting-list entries on sessions not yet marked are given up
(the first person waiting moves up and is told) and their private calendar address stops; their
listings are closed and their words wiped; their application statements and the referees they named,
their DBS certificate numbers, their profile, their name, email, phone, postcode and password are
wiped. Every way they could still get in ends: their sessions on every device, their API tokens (whose
names are wiped) and any password link; their roles and organisation admin links are removed.

Kept, because the time bank needs them: the amounts and dates of every exchange (with the words typed
at the time, which the ledger never edits), disputes, the levels and dates of DBS checks, safeguarding
notes, money records, notices and the audit log. Each is tied only to the pseudonym from now on; each
part says why it keeps what it keeps.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank import personal_data
from timebank.audit import service as audit
from timebank.errors import Conflict, NotFound
from timebank.members import policy
from timebank.members.models import Person


class AlreadyLeft(Conflict):
    code = "already-left"
    title = _l("This member has already left")


def export_data(session: Session, person: Person) -> dict[str, Any]:
    """Everything held about the person, as JSON-ready data, one section per key (see ``ExportOut``);
    the export itself is audited, and is the last entry of the activity log it contains."""
    audit.record(session, "privacy.data_exported", actor_id=person.id, subject_type="person", subject_id=person.id)
    registry = personal_data.registry()
    data: dict[str, Any] = {}
    for part in registry.parts:
        if part.export is not None:
            data |= part.export(session, person)
    data["withheld"] = [str(note) for note in registry.withheld]
    return data


def leaver(session: Session, actor: Person, person_id: int) -> Person:
    """The person who is leaving: the actor themselves, or a member of a bank the actor brokers."""
    person = session.get(Person, person_id)
    if person is None or not (person.id == actor.id or policy.brokers_holder(session, actor, person.id)):
        raise NotFound(_l("There is no such member"))
    if person.pseudonymised_at is not None:
        raise AlreadyLeft()
    return person


def leave(session: Session, actor: Person, person_id: int) -> Person:
    """Pseudonymise a member who leaves: every part's forget step, in order. Returns the person under
    their new pseudonym."""
    person = leaver(session, actor, person_id)
    for part in personal_data.registry().forgetting:
        part.forget(session, actor, person)
    session.flush()
    audit.record(session, "member.left", actor_id=actor.id, subject_type="person", subject_id=person.id,
                 pseudonym=person.display_name, by_broker=actor.id != person.id)
    return person

"""Who reads which report, decided before anything else is read: a programme's through
``programmes.policy`` (its funder's members, brokers of its banks, admins; anyone else is told it is not
there); a bank's by its brokers (and admins); an organisation's by those who act for it (and admins), for a
bank it is a member of."""

from __future__ import annotations

from sqlalchemy.orm import Session

from timebank.banks.models import TimeBank
from timebank.banks.service import brokered_bank
from timebank.errors import Forbidden, NotFound
from timebank.members import policy
from timebank.members.models import Organisation, Person
from timebank.programmes import policy as programmes
from timebank.programmes.models import Programme
from timebank.reports.figures import Audience


def readable_programme(session: Session, person: Person, programme_id: int) -> tuple[Programme, Audience]:
    """The programme and whom its report is for: its funder's members read the funder's report, brokers and
    admins the broker's."""
    programme = programmes.require_readable(session, person, programme_id)
    funded = programme.funder_id in set(session.scalars(programmes.funders_of_person(person.id)))
    return programme, Audience.FUNDER if funded else Audience.BROKER


def readable_bank(session: Session, person: Person, time_bank_id: int) -> TimeBank:
    return brokered_bank(session, person, time_bank_id)


def acts_for_organisation(session: Session, person: Person, organisation_id: int) -> Organisation:
    """The organisation, if the person acts for it (or is an admin): ``NotFound`` for one that is not there,
    ``Forbidden`` for someone who does not act for it."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound()
    if not (person.is_admin or organisation_id in policy.own_holder_ids(session, person)):
        raise Forbidden()
    return organisation


def readable_organisation(session: Session, person: Person, organisation_id: int,
                          time_bank_id: int | None) -> tuple[Organisation, int]:
    """The organisation and the bank its report is for: the one named, or its only bank when none is
    (``NotFound`` for a bank it is not a member of)."""
    organisation = acts_for_organisation(session, person, organisation_id)
    banks = policy.holder_bank_ids(session, organisation_id)
    if time_bank_id is None and len(banks) == 1:
        time_bank_id = next(iter(banks))
    if time_bank_id not in banks:
        raise NotFound()
    return organisation, time_bank_id


def administered_organisations(session: Session, person: Person) -> list[tuple[Organisation, int]]:
    """Each organisation the person acts for, with each bank it is a member of, for the list of reports."""
    return [(organisation, bank_id)
            for organisation in sorted(filter(None, (session.get(Organisation, holder_id)
                                                     for holder_id in policy.own_holder_ids(session, person)
                                                     if holder_id != person.id)),
                                       key=lambda found: found.display_name)
            for bank_id in sorted(policy.holder_bank_ids(session, organisation.id))]

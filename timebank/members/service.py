"""People and organisations: creating them, their contact details, and who acts for an organisation.
Only flushes; every change is audited.

Joining a bank goes through an application (``membership.service``), which calls ``join_bank`` on
approval. The demo loader and tests call ``join_bank`` directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.errors import Conflict, NotFound
from timebank.ledger import service as ledger
from timebank.ledger.models import Account
from timebank.members import errors, policy
from timebank.members.models import (
    ORGANISATION_KIND,
    ContactMethod,
    Holder,
    Language,
    Organisation,
    OrganisationAdmin,
    OrganisationType,
    Person,
)
from timebank.members.postcodes import district_of, normalise_postcode

MAX_NAME = 200
_PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
#: England and Wales: 6 or 7 digits (with an optional "-N" for a linked charity); Scotland: SC and 6
#: digits; Northern Ireland: NIC or NI and 6 digits, or 6 digits starting 100.
_CHARITY_NUMBER = re.compile(r"^(?:[0-9]{6,7}(?:-[0-9]{1,2})?|SC[0-9]{6}|NIC?[0-9]{6})$")


@dataclass(frozen=True)
class ContactDetails:
    """How to reach a person. ``contact_by`` must name a way the other fields make possible."""

    display_name: str
    email: str | None
    phone: str | None
    postcode: str | None
    contact_by: ContactMethod
    preferred_language: Language


def clean_name(raw: str, field: str = "display_name") -> str:
    name = " ".join(raw.split())
    if not name:
        raise errors.NameMissing(_l("Enter a name"), field=field)
    if len(name) > MAX_NAME:
        raise errors.NameTooLong(_l("Keep the name to 200 characters or fewer"), field=field)
    return name


def clean_email(raw: str | None, field: str = "email") -> str | None:
    if not raw or not raw.strip():
        return None
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise errors.InvalidEmail(_l("Enter an email address like name@example.org"), field=field) from None


def clean_phone(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    phone = " ".join(raw.split())
    if not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 7:
        raise errors.InvalidPhone(_l("Enter a phone number, like 01632 960 123"), field="phone")
    return phone


def clean_postcode(raw: str | None, *, required: bool = False) -> str | None:
    if not raw or not raw.strip():
        if required:
            raise errors.PostcodeMissing(_l("Enter your postcode"), field="postcode")
        return None
    postcode = normalise_postcode(raw)
    if postcode is None:
        raise errors.InvalidPostcode(_l("Enter a UK postcode, like HB3 2QT"), field="postcode")
    return postcode


def clean_charity_number(raw: str | None, organisation_type: OrganisationType) -> str | None:
    number = "".join((raw or "").split()).upper()
    if not number:
        if organisation_type == OrganisationType.CHARITY:
            raise errors.CharityNumberMissing(_l("Enter the registered charity number"), field="charity_number")
        return None
    if not _CHARITY_NUMBER.match(number):
        raise errors.InvalidCharityNumber(_l("Enter a charity number like 1234567, SC012345 or NIC100123"),
                                          field="charity_number")
    return number


def _check_contact_method(method: ContactMethod, *, email: str | None, phone: str | None) -> None:
    if method == ContactMethod.EMAIL and not email:
        raise errors.ContactDetailsMissing(_l("Give an email address, or choose another way to be contacted"),
                                           field="contact_by")
    if method in (ContactMethod.PHONE, ContactMethod.TEXT) and not phone:
        raise errors.ContactDetailsMissing(_l("Give a phone number, or choose another way to be contacted"),
                                           field="contact_by")


def _email_free(session: Session, email: str | None, person_id: int | None = None) -> None:
    if email is None:
        return
    holder = find_person_by_email(session, email)
    if holder is not None and holder.id != person_id:
        raise Conflict(_l("Someone has already joined with that email address"), field="email")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_person_by_email(session: Session, email: str) -> Person | None:
    return session.scalar(sa.select(Person).where(Person.email == normalise_email(email)))


def create_person(
    session: Session,
    *,
    display_name: str,
    email: str | None,
    password_hash: str | None = None,
    preferred_language: Language = Language.ENGLISH,
    phone: str | None = None,
    postcode: str | None = None,
    contact_by: ContactMethod | None = None,
    is_admin: bool = False,
    actor_id: int | None = None,
) -> Person:
    email = clean_email(email)
    _email_free(session, email)
    phone = clean_phone(phone)
    postcode = clean_postcode(postcode)
    contact_by = contact_by or (ContactMethod.EMAIL if email else ContactMethod.BROKER)
    _check_contact_method(contact_by, email=email, phone=phone)
    person = Person(
        display_name=clean_name(display_name),
        email=email,
        password_hash=password_hash,
        preferred_language=preferred_language,
        phone=phone,
        postcode=postcode,
        postcode_district=district_of(postcode) if postcode else None,
        contact_by=contact_by,
        is_admin=is_admin,
    )
    session.add(person)
    session.flush()
    audit.record(session, "member.person_created", actor_id=actor_id, subject_type="person", subject_id=person.id)
    return person


def managed_holder(session: Session, actor: Person, holder_id: int) -> Holder:
    """A holder whose details and profile the actor may change; anyone else is not there for them."""
    holder = session.get(Holder, holder_id)
    if holder is None or holder.pseudonymised_at is not None or not policy.may_manage_holder(session, actor, holder):
        raise NotFound(_l("There is no such member"))
    return holder


def managed_person(session: Session, actor: Person, person_id: int) -> Person:
    """A person whose contact details the actor may change (an organisation has none of its own here)."""
    person = managed_holder(session, actor, person_id)
    if not isinstance(person, Person):
        raise NotFound(_l("There is no such member"))
    return person


def update_contact(session: Session, actor: Person, person_id: int, details: ContactDetails) -> Person:
    """Change a person's name and contact details: their own, or (as a broker) a member's."""
    person = managed_person(session, actor, person_id)
    email = clean_email(details.email)
    if person.password_hash is not None and email is None:
        raise errors.EmailNeededToSignIn(_l("You sign in with your email address, so it cannot be removed"),
                                         field="email")
    _email_free(session, email, person.id)
    phone = clean_phone(details.phone)
    postcode = clean_postcode(details.postcode)
    _check_contact_method(details.contact_by, email=email, phone=phone)
    person.display_name = clean_name(details.display_name)
    person.email = email
    person.phone = phone
    person.postcode = postcode
    person.postcode_district = district_of(postcode) if postcode else None
    person.contact_by = details.contact_by
    person.preferred_language = details.preferred_language
    session.flush()
    audit.record(session, "member.contact_changed", actor_id=actor.id, subject_type="person", subject_id=person.id)
    return person


@dataclass(frozen=True)
class OrganisationDetails:
    display_name: str
    organisation_type: OrganisationType
    charity_number: str | None = None
    contact_email: str | None = None
    phone: str | None = None
    postcode: str | None = None


def _apply_organisation_details(organisation: Organisation, details: OrganisationDetails) -> None:
    postcode = clean_postcode(details.postcode)
    organisation.display_name = clean_name(details.display_name)
    organisation.organisation_type = details.organisation_type
    organisation.charity_number = clean_charity_number(details.charity_number, details.organisation_type)
    organisation.contact_email = clean_email(details.contact_email, "contact_email")
    organisation.phone = clean_phone(details.phone)
    organisation.postcode = postcode
    organisation.postcode_district = district_of(postcode) if postcode else None


def register_organisation(session: Session, actor: Person, details: OrganisationDetails) -> Organisation:
    """A signed-in person registers an organisation and becomes its first admin. The organisation then
    applies to a bank like anyone else."""
    organisation = Organisation()
    _apply_organisation_details(organisation, details)
    session.add(organisation)
    session.flush()
    session.add(OrganisationAdmin(organisation_id=organisation.id, person_id=actor.id))
    session.flush()
    audit.record(session, "member.organisation_created", actor_id=actor.id, subject_type="organisation",
                 subject_id=organisation.id, admins=[actor.id])
    return organisation


def managed_organisation(session: Session, actor: Person, organisation_id: int) -> Organisation:
    """An organisation the actor runs (as its admin, or as a broker of a bank it belongs to)."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or not policy.may_manage_holder(session, actor, organisation):
        raise NotFound(_l("There is no such organisation"))
    return organisation


def update_organisation(
    session: Session, actor: Person, organisation_id: int, details: OrganisationDetails
) -> Organisation:
    organisation = managed_organisation(session, actor, organisation_id)
    if details.organisation_type != organisation.organisation_type and (
        ORGANISATION_KIND[details.organisation_type] != organisation.holder_kind
    ) and session.scalar(sa.select(Account.id).where(Account.holder_id == organisation.id).limit(1)):
        raise errors.AccountKindWouldChange(
            _l("This would change the kind of account the organisation holds; ask a broker"), field="organisation_type")
    _apply_organisation_details(organisation, details)
    session.flush()
    audit.record(session, "member.organisation_changed", actor_id=actor.id, subject_type="organisation",
                 subject_id=organisation.id)
    return organisation


def add_organisation_admin(session: Session, actor: Person, organisation_id: int, email: str) -> Person:
    """Someone already signed up (by email) starts acting for the organisation."""
    organisation = managed_organisation(session, actor, organisation_id)
    person = find_person_by_email(session, clean_email(email) or "")
    if person is None or person.pseudonymised_at is not None:
        raise errors.NobodyWithThatEmail(_l("Nobody has joined with that email address. Ask them to join first."),
                                         field="email")
    if person in organisation.admins:
        raise Conflict(_l("They already act for this organisation"), field="email")
    session.add(OrganisationAdmin(organisation_id=organisation.id, person_id=person.id))
    session.flush()
    session.expire(organisation, ["admins"])
    audit.record(session, "member.organisation_admin_added", actor_id=actor.id, subject_type="organisation",
                 subject_id=organisation.id, person_id=person.id)
    return person


def remove_organisation_admin(session: Session, actor: Person, organisation_id: int, person_id: int) -> None:
    organisation = managed_organisation(session, actor, organisation_id)
    link = session.get(OrganisationAdmin, (organisation.id, person_id))
    if link is None:
        raise NotFound(_l("They do not act for this organisation"))
    if len(organisation.admins) <= 1:
        raise Conflict(_l("An organisation needs at least one person to act for it. Add another first."))
    session.delete(link)
    session.flush()
    session.expire(organisation, ["admins"])
    audit.record(session, "member.organisation_admin_removed", actor_id=actor.id, subject_type="organisation",
                 subject_id=organisation.id, person_id=person_id)


def create_organisation(
    session: Session,
    *,
    display_name: str,
    organisation_type: OrganisationType,
    charity_number: str | None = None,
    admin_ids: tuple[int, ...] = (),
    actor_id: int | None = None,
) -> Organisation:
    """An organisation made by the system (demo data, tests), with its admins already chosen."""
    organisation = Organisation(
        display_name=clean_name(display_name), organisation_type=organisation_type,
        charity_number=clean_charity_number(charity_number, organisation_type) if charity_number else None,
    )
    session.add(organisation)
    session.flush()
    for person_id in admin_ids:
        session.add(OrganisationAdmin(organisation_id=organisation.id, person_id=person_id))
    audit.record(session, "member.organisation_created", actor_id=actor_id, subject_type="organisation",
                 subject_id=organisation.id, admins=list(admin_ids))
    session.flush()
    return organisation


def join_bank(session: Session, holder: Holder, time_bank_id: int, *, actor_id: int | None) -> Account:
    account = ledger.open_account(
        session, time_bank_id=time_bank_id, holder_id=holder.id, holder_kind=holder.holder_kind
    )
    audit.record(session, "member.joined_bank", actor_id=actor_id, subject_type=holder.type.value,
                 subject_id=holder.id, time_bank_id=time_bank_id, account_id=account.id)
    return account


def display_names(session: Session, holder_ids: Iterable[int | None]) -> dict[int, str]:
    """Holders' names by id, in one query."""
    wanted = {holder_id for holder_id in holder_ids if holder_id is not None}
    if not wanted:
        return {}
    rows = session.execute(sa.select(Holder.id, Holder.display_name).where(Holder.id.in_(wanted)))
    return {holder_id: name for holder_id, name in rows}

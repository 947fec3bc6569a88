"""Editing profiles and organisations' contributions, and showing a profile to someone. Only flushes.

A profile is replaced as a whole from a ``ProfileUpdate`` (the page and the API both send every part),
which keeps the rules in one place: codes must be known, texts short enough, districts real-looking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.categories.service import abilities_by_code
from timebank.errors import NotFound
from timebank.ledger.models import Account
from timebank.members import policy
from timebank.members.models import ContactMethod, Holder, Organisation, Person
from timebank.members.postcodes import normalise_district
from timebank.members.service import managed_holder, managed_organisation
from timebank.profiles import errors
from timebank.profiles.languages import LANGUAGES
from timebank.profiles.models import (
    MAX_PROFILE_TEXT,
    Ability,
    AgeBand,
    AvailabilitySlot,
    Contribution,
    ContributionKind,
    Period,
    Profile,
    SpokenLanguage,
    TravelDistrict,
)
from timebank.types import utcnow

MAX_TRAVEL_DISTRICTS = 12
MAX_CONTRIBUTION = 500
#: The profile texts, in the order forms show them.
TEXT_FIELDS = ("about", "learn_or_share", "experience", "enjoys")


@dataclass(frozen=True)
class ProfileUpdate:
    abilities: tuple[str, ...] = ()
    about: str = ""
    learn_or_share: str = ""
    experience: str = ""
    enjoys: str = ""
    languages: tuple[str, ...] = ()
    availability: tuple[tuple[int, Period], ...] = ()
    can_travel: bool = True
    travel_districts: tuple[str, ...] = ()
    show_name: bool = True
    show_area: bool = True
    show_abilities: bool = True
    show_contact: bool = False
    #: ``False``: brokers are not to suggest them for requests and roles (matching leaves them out).
    open_to_introductions: bool = True
    #: People only: their age band, and whether reports to funders may count it with their postcode district
    #: (``Profile.in_reports_at``: set when they say yes, kept while they do, cleared when they say no).
    age_band: AgeBand | None = None
    in_reports: bool = False


def profile_of(session: Session, holder_id: int) -> Profile:
    """The holder's profile; an empty one (not yet saved) if they have not filled it in."""
    return session.get(Profile, holder_id) or Profile(
        holder_id=holder_id, about="", learn_or_share="", experience="", enjoys="", can_travel=True,
        show_name=True, show_area=True, show_abilities=True, show_contact=False, search_text="",
        abilities=[], languages=[], availability=[], travel_districts=[],
    )


def _districts(raw: Iterable[str]) -> list[str]:
    districts = []
    for value in raw:
        if not value.strip():
            continue
        district = normalise_district(value)
        if district is None:
            raise errors.DistrictNotRecognised(_l("Enter postcode districts like HB3, separated by commas"),
                                               field="travel_districts")
        if district not in districts:
            districts.append(district)
    if len(districts) > MAX_TRAVEL_DISTRICTS:
        raise errors.TooManyDistricts(_l("Name 12 districts or fewer"), field="travel_districts")
    return districts


def search_text_of(profile: Profile, categories: Iterable[Category]) -> str:
    """What full-text search looks through: ability names in English and Welsh, and the free text."""
    labels = []
    for locale in ("en_GB", "cy"):
        with force_locale(locale):
            labels.extend(str(category.label) for category in categories)
    return "\n".join([*dict.fromkeys(labels), *(getattr(profile, name) for name in TEXT_FIELDS)])


def update_profile(session: Session, actor: Person, holder_id: int, update: ProfileUpdate) -> Profile:
    holder = managed_holder(session, actor, holder_id)
    for name in TEXT_FIELDS:
        if len(getattr(update, name)) > MAX_PROFILE_TEXT:
            raise errors.ProfileTextTooLong(_l("Keep this to 2,000 characters or fewer"), field=name)
    categories = abilities_by_code(session, update.abilities)
    unknown = set(update.languages) - LANGUAGES.keys()
    if unknown:
        raise errors.UnknownLanguages(_l("Choose languages from the list"), field="languages")
    if any(not 0 <= weekday <= 6 for weekday, _ in update.availability):
        raise errors.UnknownAvailability(_l("Choose times from the weekly grid"), field="availability")
    districts = _districts(update.travel_districts) if update.can_travel else []

    profile = session.get(Profile, holder.id)
    if profile is None:
        profile = Profile(holder_id=holder.id)
        session.add(profile)
    for name in TEXT_FIELDS:
        setattr(profile, name, getattr(update, name).strip())
    profile.can_travel = update.can_travel
    profile.show_name = update.show_name
    profile.show_area = update.show_area
    profile.show_abilities = update.show_abilities
    profile.show_contact = update.show_contact
    profile.open_to_introductions = update.open_to_introductions
    is_person = isinstance(holder, Person)
    profile.age_band = update.age_band if is_person else None
    if not (is_person and update.in_reports):
        profile.in_reports_at = None
    elif profile.in_reports_at is None:
        profile.in_reports_at = utcnow()
    profile.abilities = [Ability(category_id=category.id) for category in categories]
    profile.languages = [SpokenLanguage(code=code) for code in dict.fromkeys(update.languages)]
    profile.availability = [AvailabilitySlot(weekday=weekday, period=period)
                            for weekday, period in dict.fromkeys(update.availability)]
    profile.travel_districts = [TravelDistrict(district=district) for district in districts]
    profile.search_text = search_text_of(profile, categories)
    session.flush()
    audit.record(session, "profile.updated", actor_id=actor.id, subject_type=holder.type.value,
                 subject_id=holder.id)
    return profile


def add_contribution(
    session: Session, actor: Person, organisation_id: int, kind: ContributionKind, description: str
) -> Contribution:
    holder = managed_organisation(session, actor, organisation_id)
    description = " ".join(description.split())
    if not description:
        raise errors.ContributionMissing(_l("Say what the organisation offers"), field="description")
    if len(description) > MAX_CONTRIBUTION:
        raise errors.ProfileTextTooLong(_l("Keep this to 500 characters or fewer"), field="description")
    contribution = Contribution(organisation_id=holder.id, kind=kind, description=description)
    session.add(contribution)
    session.flush()
    audit.record(session, "profile.contribution_added", actor_id=actor.id, subject_type="organisation",
                 subject_id=holder.id, contribution_id=contribution.id)
    return contribution


def remove_contribution(session: Session, actor: Person, organisation_id: int, contribution_id: int) -> None:
    managed_holder(session, actor, organisation_id)
    contribution = session.get(Contribution, contribution_id)
    if contribution is None or contribution.organisation_id != organisation_id:
        raise NotFound(_l("There is no such contribution"))
    session.delete(contribution)
    session.flush()
    audit.record(session, "profile.contribution_removed", actor_id=actor.id, subject_type="organisation",
                 subject_id=organisation_id, contribution_id=contribution_id)


def contributions_of(session: Session, organisation_id: int) -> list[Contribution]:
    return list(session.scalars(
        sa.select(Contribution).where(Contribution.organisation_id == organisation_id).order_by(Contribution.id)
    ))


# --- showing a profile -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    email: str | None
    phone: str | None
    contact_by: ContactMethod | None


@dataclass
class ProfileView:
    """A holder's profile as one viewer may see it. ``None`` marks what the member chose not to show;
    ``full`` is True for the member, their organisation's admins and their brokers."""

    holder: Holder
    full: bool
    name: str | None
    district: str | None
    profile: Profile
    show_abilities: bool
    abilities: list[Category] = field(default_factory=list)
    contact: Contact | None = None
    contributions: list[Contribution] = field(default_factory=list)
    admins: list[Person] = field(default_factory=list)


def may_see_profile(session: Session, viewer: Person, holder: Holder) -> tuple[bool, bool]:
    """(may see at all, sees everything). Fellow members of a bank see what the member chose to show;
    a member who has left is seen by brokers only."""
    if holder.pseudonymised_at is not None:
        brokered = policy.brokers_holder(session, viewer, holder.id)
        return brokered, brokered
    if policy.may_manage_holder(session, viewer, holder):
        return True, True
    holder_banks = set(session.scalars(sa.select(Account.time_bank_id).where(Account.holder_id == holder.id)))
    return bool(policy.member_bank_ids(session, viewer) & holder_banks), False


def brokered_accounts(session: Session, viewer: Person, holder_id: int) -> list[tuple[int, str]]:
    """(account id, bank name) for the holder's accounts in the banks the viewer brokers: the statements a
    broker may print for a member who is not online."""
    bank_ids = policy.broker_bank_ids(session, viewer)
    if not bank_ids:
        return []
    rows = session.execute(
        sa.select(Account.id, TimeBank.name).join(TimeBank, TimeBank.id == Account.time_bank_id)
        .where(Account.holder_id == holder_id, Account.time_bank_id.in_(bank_ids)).order_by(TimeBank.name)
    )
    return [(account_id, bank_name) for account_id, bank_name in rows]


def view_profile(session: Session, viewer: Person, holder_id: int) -> ProfileView:
    holder = session.get(Holder, holder_id)
    if holder is None:
        raise NotFound(_l("There is no such member"))
    visible, full = may_see_profile(session, viewer, holder)
    if not visible:
        raise NotFound(_l("There is no such member"))
    profile = profile_of(session, holder.id)

    def show(choice: bool) -> bool:
        return full or choice

    person = holder if isinstance(holder, Person) else None
    organisation = holder if isinstance(holder, Organisation) else None
    contact = None
    if show(profile.show_contact) or organisation is not None:
        if person is not None:
            contact = Contact(person.email, person.phone, person.contact_by)
        elif organisation is not None:
            contact = Contact(organisation.contact_email, organisation.phone, None)
    return ProfileView(
        holder=holder,
        full=full,
        # An organisation's name is always public; a person may keep theirs to brokers.
        name=holder.display_name if organisation is not None or show(profile.show_name) else None,
        district=holder.postcode_district if show(profile.show_area) else None,
        profile=profile,
        show_abilities=show(profile.show_abilities),
        abilities=_ability_categories(session, profile) if show(profile.show_abilities) else [],
        contact=contact,
        contributions=contributions_of(session, holder.id) if organisation is not None else [],
        admins=list(organisation.admins) if organisation is not None and full else [],
    )


def _ability_categories(session: Session, profile: Profile) -> list[Category]:
    ids = [ability.category_id for ability in profile.abilities]
    if not ids:
        return []
    return list(session.scalars(sa.select(Category).where(Category.id.in_(ids)).order_by(Category.position)))

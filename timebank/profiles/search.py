"""Finding people by ability, language, area and availability, and by words in their profile.

Who can be found, by whom:

* A broker finds everyone in the banks they broker, whatever the member chose to show, and also by name.
* A member (or an organisation admin) finds fellow members of their banks who show their abilities;
  the area filter only finds members who show their area. What a result card shows follows each
  member's choices (``ProfileCard``).
* Funders without an account find nobody: they see reports only.

Words are matched with PostgreSQL full-text search (``websearch_to_tsquery`` over ``search_text``, with
stemming, ranked) on PostgreSQL, and with every word as a case-insensitive substring on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectin_polymorphic

from timebank.categories.models import Category
from timebank.errors import Forbidden
from timebank.ledger.models import Account
from timebank.members import policy
from timebank.members.models import ContactMethod, Holder, Organisation, Person
from timebank.members.postcodes import normalise_district
from timebank.pagination import Page, paginate
from timebank.profiles import errors
from timebank.profiles.models import Ability, AvailabilitySlot, Period, Profile, SpokenLanguage, TravelDistrict

MAX_QUERY = 200
PER_PAGE = 20
#: A literal, not a bound parameter, so the expression matches the GIN index ``ix_profiles_search``.
TS_CONFIG = sa.literal_column("'english'::regconfig")
#: The ``people`` table alone: outer-joining the ``Person`` entity would bring in ``holders`` a second time.
_PEOPLE = Person.__table__


@dataclass(frozen=True)
class Criteria:
    q: str = ""
    ability: str | None = None
    language: str | None = None
    district: str | None = None
    weekday: int | None = None
    period: Period | None = None
    time_bank_id: int | None = None


@dataclass
class ProfileCard:
    holder_id: int
    is_organisation: bool
    #: ``None`` where the member keeps it to brokers.
    name: str | None
    district: str | None
    abilities: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    email: str | None = None
    phone: str | None = None
    contact_by: ContactMethod | None = None
    #: The viewer brokers this member, so sees everything.
    full: bool = False


def _words(q: str) -> list[str]:
    return [word for word in q.split() if word][:10]


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _text_match(session: Session, q: str) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[float] | None]:
    if session.get_bind().dialect.name == "postgresql":
        document = sa.func.to_tsvector(TS_CONFIG, Profile.search_text)
        query = sa.func.websearch_to_tsquery(TS_CONFIG, q)
        return document.bool_op("@@")(query), sa.func.ts_rank(document, query)
    lowered = sa.func.lower(Profile.search_text)
    return sa.and_(*(lowered.like(_like(word.lower()), escape="\\") for word in _words(q))), None


def require_searcher(session: Session, viewer: Person) -> None:
    """Finding people is for members and brokers of a time bank (a funder who holds no account is refused)."""
    if not (policy.broker_bank_ids(session, viewer) or policy.member_bank_ids(session, viewer)):
        raise Forbidden(_l("Searching for people is for members and brokers of a time bank"))


def search(session: Session, viewer: Person, criteria: Criteria, *, page: int = 1,
           per_page: int = PER_PAGE) -> Page[ProfileCard]:
    require_searcher(session, viewer)
    brokered = policy.broker_bank_ids(session, viewer)
    member_of = policy.member_bank_ids(session, viewer) - brokered
    if criteria.time_bank_id is not None:
        if criteria.time_bank_id not in brokered | member_of:
            raise errors.NotYourBank(_l("Choose one of your time banks"), field="time_bank_id")
        brokered &= {criteria.time_bank_id}
        member_of &= {criteria.time_bank_id}
    q = " ".join(criteria.q.split())
    if len(q) > MAX_QUERY:
        raise errors.SearchTooLong(_l("Keep the search to 200 characters or fewer"), field="q")

    in_brokered = sa.exists().where(Account.holder_id == Holder.id, Account.time_bank_id.in_(brokered))
    in_member_bank = sa.exists().where(Account.holder_id == Holder.id, Account.time_bank_id.in_(member_of))
    conditions: list[sa.ColumnElement[bool]] = [
        Holder.pseudonymised_at.is_(None),
        sa.or_(in_brokered, sa.and_(in_member_bank, Profile.show_abilities)),
        # People who cannot sign in any more (is_active false) stay findable only by their brokers.
        sa.or_(in_brokered, _PEOPLE.c.is_active.is_(None), _PEOPLE.c.is_active),
    ]
    rank = None
    if q:
        # A separate query per way of matching (rather than OR) lets PostgreSQL use its full-text index.
        matched, rank = _text_match(session, q)
        matching: sa.Select[tuple[int]] | sa.CompoundSelect = sa.select(Profile.holder_id).where(matched)
        if brokered:
            by_name = (
                sa.select(Account.holder_id)
                .join(Holder, Holder.id == Account.holder_id)
                .where(Account.time_bank_id.in_(brokered),
                       sa.func.lower(Holder.display_name).like(_like(q.lower()), escape="\\"))
            )
            matching = sa.union(matching, by_name)
        conditions.append(Holder.id.in_(matching))
    if criteria.ability:
        category = session.scalar(sa.select(Category).where(Category.code == criteria.ability))
        if category is None:
            raise errors.UnknownAbilities(_l("Choose an ability from the list"), field="ability")
        wanted = sa.select(Category.id).where(sa.or_(Category.id == category.id, Category.parent_id == category.id))
        conditions.append(sa.exists().where(Ability.holder_id == Holder.id, Ability.category_id.in_(wanted)))
    if criteria.language:
        conditions.append(sa.exists().where(SpokenLanguage.holder_id == Holder.id,
                                            SpokenLanguage.code == criteria.language))
    if criteria.district:
        district = normalise_district(criteria.district)
        if district is None:
            raise errors.DistrictNotRecognised(_l("Enter a postcode district like HB3"), field="district")
        travels_there = sa.and_(Profile.can_travel, sa.exists().where(TravelDistrict.holder_id == Holder.id,
                                                                      TravelDistrict.district == district))
        conditions.append(sa.and_(sa.or_(Holder.postcode_district == district, travels_there),
                                  sa.or_(in_brokered, Profile.show_area)))
    if criteria.weekday is not None or criteria.period is not None:
        slot = [AvailabilitySlot.holder_id == Holder.id]
        if criteria.weekday is not None:
            slot.append(AvailabilitySlot.weekday == criteria.weekday)
        if criteria.period is not None:
            slot.append(AvailabilitySlot.period == criteria.period)
        conditions.append(sa.exists().where(*slot))

    base = (
        sa.select(Holder.id)
        .join(Profile, Profile.holder_id == Holder.id)
        .outerjoin(_PEOPLE, _PEOPLE.c.id == Holder.id)
        .where(*conditions)
    )
    order = [rank.desc()] if rank is not None else []
    found = paginate(session, base.order_by(*order, Holder.display_name, Holder.id), page=page, per_page=per_page)
    return replace(found, items=_cards(session, found.items, brokered))


def _cards(session: Session, ids: list[int], brokered: set[int]) -> list[ProfileCard]:
    if not ids:
        return []
    holders = {h.id: h for h in session.scalars(
        sa.select(Holder).where(Holder.id.in_(ids)).options(selectin_polymorphic(Holder, [Person, Organisation]))
    )}
    profiles = {p.holder_id: p for p in session.scalars(sa.select(Profile).where(Profile.holder_id.in_(ids)))}
    full_ids = set(session.scalars(
        sa.select(Account.holder_id).where(Account.holder_id.in_(ids), Account.time_bank_id.in_(brokered))
    ))
    abilities: dict[int, list[str]] = {}
    for holder_id, code in session.execute(
        sa.select(Ability.holder_id, Category.code).join(Category, Category.id == Ability.category_id)
        .where(Ability.holder_id.in_(ids)).order_by(Category.position)
    ):
        abilities.setdefault(holder_id, []).append(code)
    languages: dict[int, list[str]] = {}
    for holder_id, code in session.execute(
        sa.select(SpokenLanguage.holder_id, SpokenLanguage.code).where(SpokenLanguage.holder_id.in_(ids))
    ):
        languages.setdefault(holder_id, []).append(code)

    cards = []
    for holder_id in ids:
        holder, profile = holders[holder_id], profiles[holder_id]
        full = holder_id in full_ids
        organisation = isinstance(holder, Organisation)
        card = ProfileCard(
            holder_id=holder_id,
            is_organisation=organisation,
            name=holder.display_name if full or organisation or profile.show_name else None,
            district=holder.postcode_district if full or profile.show_area else None,
            abilities=abilities.get(holder_id, []),
            languages=sorted(languages.get(holder_id, [])),
            full=full,
        )
        if full or organisation or profile.show_contact:
            if isinstance(holder, Person):
                card.email, card.phone, card.contact_by = holder.email, holder.phone, holder.contact_by
            elif isinstance(holder, Organisation):
                card.email, card.phone = holder.contact_email, holder.phone
        cards.append(card)
    return cards

"""Finding people by ability, language, area and availability, and by words in their profile.

Who can be found, by whom:

* A broker finds everyone in the banks they broker, whatever the member chose to show, and also by name.
* A member (or an organisation admin) finds fellow members of their banks who show their abilities;
  the area filter only finds members who show their area. What a result card shows follows each
  member's choices (``ProfileCard``).
* Funders without an account find nobody: they see reports only.

Words are matched with PostgreSQL full-text search (``websearch_to_tsquery`` over ``search_text``, with
stemming; a bounded set of the matches ranked, ``_relevance_first``) on PostgreSQL, and with every word as a
case-insensitive substring on SQLite. Counts stop at ``COUNT_CAP`` ("More than 100.").
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
#: A search counts its matches up to this many ("More than 100.").
COUNT_CAP = 100
#: A search for words ranks this many matches by relevance (its first three pages); the rest follow by name.
RANKED = 3 * PER_PAGE
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


def _full_text(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _document(search_text: sa.ColumnElement[str]) -> sa.ColumnElement[object]:
    return sa.func.to_tsvector(TS_CONFIG, search_text)


def _text_match(session: Session, q: str) -> sa.ColumnElement[bool]:
    if _full_text(session):
        return _document(Profile.search_text).bool_op("@@")(sa.func.websearch_to_tsquery(TS_CONFIG, q))
    lowered = sa.func.lower(Profile.search_text)
    return sa.and_(*(lowered.like(_like(word.lower()), escape="\\") for word in _words(q)))


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

    # Only the terms that can hold (no "IN ()" branch): each is a probe of the accounts' (bank, holder) index
    # per candidate, so PostgreSQL starts from the matches rather than from every account of the bank.
    in_brokered = sa.exists().where(Account.holder_id == Holder.id, Account.time_bank_id.in_(brokered))
    in_member_bank = sa.exists().where(Account.holder_id == Holder.id, Account.time_bank_id.in_(member_of))
    findable = [in_brokered] if brokered else []
    if member_of:
        findable.append(sa.and_(in_member_bank, Profile.show_abilities))
    # People who cannot sign in any more (is_active false) stay findable only by their brokers.
    active = sa.or_(_PEOPLE.c.is_active.is_(None), _PEOPLE.c.is_active)
    conditions: list[sa.ColumnElement[bool]] = [
        Holder.pseudonymised_at.is_(None),
        sa.or_(*findable),
        sa.or_(in_brokered, active) if brokered else active,
    ]
    if q:
        matched = _text_match(session, q)
        matching: sa.Select[tuple[int]] | sa.CompoundSelect = sa.select(Profile.holder_id).where(matched)
        matches = None
        if _full_text(session):
            # Read from the full-text index, always: left to itself PostgreSQL may rather parse every profile
            # of a small bank, which costs far more than it thinks.
            matches = matching.cte("matches").prefix_with("MATERIALIZED")
            matching = sa.select(matches.c.holder_id)
        if brokered:
            # A separate query per way of matching (rather than OR) lets PostgreSQL use its full-text index.
            by_name = (
                sa.select(Account.holder_id)
                .join(Holder, Holder.id == Account.holder_id)
                .where(Account.time_bank_id.in_(brokered),
                       sa.func.lower(Holder.display_name).like(_like(q.lower()), escape="\\"))
            )
            conditions.append(Holder.id.in_(sa.union(matching, by_name)))
        elif matches is not None:
            # Joined (a profile matches once), not IN, so the scan stops when the page or the count has enough.
            conditions.append(Holder.id == matches.c.holder_id)
        else:
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
    if q and _full_text(session):
        found = paginate(session, base, page=page, per_page=per_page, count_cap=COUNT_CAP,
                         rows=lambda offset, limit: _relevance_first(session, base, q, offset, limit))
    else:
        found = paginate(session, base.order_by(Holder.display_name, Holder.id), page=page, per_page=per_page,
                         count_cap=COUNT_CAP)
    return replace(found, items=_cards(session, found.items, brokered))


def _relevance_first(session: Session, base: sa.Select[tuple[int]], q: str, offset: int, limit: int) -> list[int]:
    """Rows ``offset`` to ``offset + limit`` of a search for words. Ranking reads each matching document
    again, so only a bounded set is ranked: the first ``RANKED`` matches the full-text index gives (no ORDER
    BY, so the scan stops there), by relevance; the other matches follow by name. A search in a bank of
    10,000 members then costs what it costs in a bank of 100; only pages past the ranked ones read every match."""
    window = base.add_columns(Holder.display_name, Profile.search_text).limit(RANKED).subquery()
    rank = sa.func.ts_rank(_document(window.c.search_text), sa.func.websearch_to_tsquery(TS_CONFIG, q))
    ids: list[int] = []
    if offset < RANKED:
        ids += session.scalars(sa.select(window.c.id).order_by(rank.desc(), window.c.display_name, window.c.id)
                               .offset(offset).limit(min(limit, RANKED - offset)))
    if offset + limit > RANKED:
        beyond = max(offset, RANKED)
        ids += session.scalars(base.where(Holder.id.not_in(sa.select(window.c.id)))
                               .order_by(Holder.display_name, Holder.id).offset(beyond - RANKED)
                               .limit(offset + limit - beyond))
    return ids


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

"""Listing, editing, renewing and closing offers, requests and spend offers, and finding them. Only flushes.

Who lists what (``_require_kind_for_holder``): residents list offers, drawn from the abilities on their
profile; residents and organisations ask for help on one occasion; organisations list spend offers.
Whoever may act for the holder lists for them: the resident, an organisation's admins, and the brokers
of the bank (recorded as acting on the member's behalf).

Who sees what (``is_shown``, ``visible_listing``, ``browse``): members of the bank see open listings
whose review date has not passed, of holders who have not left; the owner, the owner's organisation
admins and the bank's brokers also see expired and closed ones.

Sending the same new listing twice (an open listing with the same owner, bank, kind, title, category
and day already exists) returns the first one instead of making a copy: listing is idempotent by content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank import dates
from timebank.audit import service as audit
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.categories.service import category_by_code
from timebank.clock import UK, uk_today
from timebank.errors import NotFound
from timebank.ledger import errors as ledger_errors
from timebank.ledger import service as ledger
from timebank.ledger.models import Account
from timebank.listings import errors
from timebank.listings.models import (
    DEFAULT_REVIEW_DAYS,
    MAX_PLACE,
    MAX_REVIEW_DAYS,
    MAX_TITLE,
    REMIND_DAYS_BEFORE,
    Listing,
    ListingKind,
    ListingStatus,
)
from timebank.members import policy
from timebank.members.models import BankRole, BankRoleName, Holder, HolderType, Person
from timebank.members.postcodes import normalise_district
from timebank.notices.models import NoticeKind
from timebank.notices.service import notify, people_to_tell, reminder_key
from timebank.pagination import Page, paginate
from timebank.profiles import service as profiles
from timebank.profiles.models import Ability, Profile
from timebank.receipts import RedeemedFor

MAX_DETAILS = 2000
MAX_QUERY = 200
PER_PAGE = 20
#: "Roughly how long": 30 minutes to 8 hours, the choices a request offers.
ESTIMATE_CHOICES = (30, 60, 90, 120, 180, 240, 360, 480)
MAX_PRICE_MINUTES = 1440
#: A new spend offer starts in the time-for-time branch of the category tree ("Swims, classes and sessions").
DEFAULT_SPEND_CATEGORY = "leisure-pass"
#: What a spend offer may give that has a value in money: recordable, but the benefit rules read it.
DISCOURAGED_RECEIPTS = (RedeemedFor.GOODS, RedeemedFor.VOUCHER_FIXED_VALUE, RedeemedFor.GIFT_CARD, RedeemedFor.CASH)


@dataclass(frozen=True)
class ListingDetails:
    """What a listing says. ``review_on`` of ``None`` means the default for its kind."""

    title: str
    category: str
    details: str = ""
    place: str = ""
    is_remote: bool = False
    review_on: dt.date | None = None
    #: Requests only.
    needed_on: dt.date | None = None
    needed_at: dt.time | None = None
    estimated_minutes: int | None = None
    #: Spend offers only.
    price_minutes: int | None = None
    receives: RedeemedFor | None = None


def listing_days(today: dt.date | None = None) -> dates.DateRange:
    """The days a request's occasion or a listing's review date may fall on: planned, from today, but
    only as far ahead as a listing stays up before its review (``MAX_REVIEW_DAYS``), so the board of
    offers and requests stays fresh."""
    today = today or uk_today()
    return dates.planned(today, until=today + dt.timedelta(days=MAX_REVIEW_DAYS))


def is_shown(listing: Listing, today: dt.date) -> bool:
    """Shown to fellow members: open, and its review date has not passed."""
    return listing.status is ListingStatus.OPEN and listing.review_on >= today


def is_expired(listing: Listing, today: dt.date) -> bool:
    return listing.status is ListingStatus.OPEN and listing.review_on < today


def default_review_on(kind: ListingKind, today: dt.date, needed_on: dt.date | None = None) -> dt.date:
    """Requests: the day after the occasion; offers and spend offers: 90 days ahead."""
    latest = today + dt.timedelta(days=MAX_REVIEW_DAYS)
    if kind is ListingKind.REQUEST and needed_on is not None:
        return min(needed_on + dt.timedelta(days=1), latest)
    return today + dt.timedelta(days=DEFAULT_REVIEW_DAYS)


# --- checking what was sent ------------------------------------------------------------------------


def _require_kind_for_holder(kind: ListingKind, holder: Holder) -> None:
    if kind is ListingKind.OFFER and holder.type is not HolderType.PERSON:
        raise errors.OffersAreForPeople()
    if kind is ListingKind.SPEND and holder.type is not HolderType.ORGANISATION:
        raise errors.SpendOffersAreForOrganisations()


def ability_categories(session: Session, holder_id: int) -> list[Category]:
    """The categories on the holder's profile: what an offer may be about."""
    return list(session.scalars(
        sa.select(Category).join(Ability, Ability.category_id == Category.id)
        .where(Ability.holder_id == holder_id, Category.is_active).order_by(Category.position)
    ))


def _category(session: Session, kind: ListingKind, holder_id: int, code: str, current: Listing | None) -> Category:
    if current is not None:
        kept = session.get(Category, current.category_id)
        if kept is not None and kept.code == code:
            return kept  # an offer keeps its category when the ability later leaves the profile
    if kind is ListingKind.OFFER:
        abilities = ability_categories(session, holder_id)
        if not abilities:
            raise errors.NoAbilities()
        chosen = next((category for category in abilities if category.code == code), None)
        if chosen is None:
            raise errors.NotOwnAbility()
        return chosen
    return category_by_code(session, code)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _changed(name: str, value: Any, current: Listing | None) -> bool:
    """Whether a value is new: dates already on a listing are not checked against today again (an
    owner editing the words of last month's listing need not move its dates)."""
    return current is None or getattr(current, name) != value


def _check_occasion(details: ListingDetails, today: dt.date, current: Listing | None) -> None:
    if details.needed_on is None:
        raise errors.OccasionMissing()
    occasion_changed = _changed("needed_on", details.needed_on, current) or _changed(
        "needed_at", details.needed_at, current)
    if occasion_changed:
        listing_days(today).check(details.needed_on, "needed_on")
        now = dt.datetime.now(UK)
        if details.needed_on == now.date() and details.needed_at is not None and details.needed_at < now.time():
            raise errors.TimeInPast()
    if details.estimated_minutes is not None and details.estimated_minutes not in ESTIMATE_CHOICES:
        raise errors.InvalidEstimate()


def _check_price(details: ListingDetails) -> RedeemedFor:
    if details.price_minutes is None or not 1 <= details.price_minutes <= MAX_PRICE_MINUTES:
        raise errors.PriceMissing()
    return details.receives or RedeemedFor.TIME_BASED_ACTIVITY


def _columns(session: Session, kind: ListingKind, holder: Holder, details: ListingDetails, today: dt.date,
             current: Listing | None = None) -> dict[str, Any]:
    """The listing's columns from what was sent, or the first rule it breaks."""
    title = _one_line(details.title)
    if not title or len(title) > MAX_TITLE:
        raise errors.TitleMissing()
    text = details.details.strip()
    if len(text) > MAX_DETAILS:
        raise errors.DetailsTooLong()
    place = _one_line(details.place)
    if len(place) > MAX_PLACE:
        raise errors.PlaceTooLong()
    category = _category(session, kind, holder.id, details.category, current)

    columns: dict[str, Any] = {
        "title": title, "details": text, "place": place, "is_remote": details.is_remote,
        "category_id": category.id, "needed_on": None, "needed_at": None, "estimated_minutes": None,
        "price_minutes": None, "receives": None,
    }
    if kind is ListingKind.REQUEST:
        _check_occasion(details, today, current)
        columns.update(needed_on=details.needed_on, needed_at=details.needed_at,
                       estimated_minutes=details.estimated_minutes)
    elif details.needed_on is not None or details.needed_at is not None or details.estimated_minutes is not None:
        raise errors.OnlyRequestsHaveOccasion()
    if kind is ListingKind.SPEND:
        columns.update(price_minutes=details.price_minutes, receives=_check_price(details))
    elif details.price_minutes is not None or details.receives is not None:
        raise errors.OnlySpendOffersHavePrice()

    review_on = details.review_on or default_review_on(kind, today, details.needed_on)
    _check_review_on(kind, review_on, details.needed_on, today, current)
    columns["review_on"] = review_on
    return columns


def _check_review_on(kind: ListingKind, review_on: dt.date, needed_on: dt.date | None, today: dt.date,
                     current: Listing | None) -> None:
    review_changed = _changed("review_on", review_on, current)
    if review_changed:
        listing_days(today).check(review_on, "review_on")
    if (
        kind is ListingKind.REQUEST and needed_on is not None and review_on < needed_on
        and (review_changed or _changed("needed_on", needed_on, current))
    ):
        raise errors.ReviewBeforeOccasion()


# --- who lists for whom ----------------------------------------------------------------------------


def _holder_in_bank(session: Session, actor: Person, holder_id: int, time_bank_id: int) -> Holder:
    """The holder, if they hold an account in the bank and the actor acts for them there."""
    holder = session.get(Holder, holder_id)
    in_bank = holder is not None and ledger.account_of(session, holder_id, time_bank_id) is not None
    if holder is None or not in_bank or holder.pseudonymised_at is not None:
        raise errors.HolderNotFound()
    if holder.id not in policy.own_holder_ids(session, actor) and not policy.is_broker(session, actor, time_bank_id):
        raise errors.HolderNotFound()
    return holder


def require_someone_to_list_for(session: Session, actor: Person) -> None:
    """Someone who acts for no account (a funder) has nobody to list for: every holder is not there for
    them. Asked before a listing is read; ``_holder_in_bank`` then checks the holder it names."""
    if not policy.acts_for_some_account(session, actor):
        raise errors.HolderNotFound()


def manages(session: Session, actor: Person, listing: Listing) -> bool:
    """May change the listing: its owner, the owner's organisation admins, the bank's brokers."""
    return listing.holder_id in policy.own_holder_ids(session, actor) or policy.is_broker(
        session, actor, listing.time_bank_id)


def _on_behalf(session: Session, actor: Person, holder_id: int) -> bool:
    return holder_id not in policy.own_holder_ids(session, actor)


def visible_listing(session: Session, viewer: Person, listing_id: int, today: dt.date | None = None) -> Listing:
    """The listing, if the viewer may see it; otherwise it does not exist for them."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise errors.ListingNotFound()
    if manages(session, viewer, listing):
        return listing
    holder = session.get(Holder, listing.holder_id)
    if (
        holder is not None and holder.pseudonymised_at is None
        and is_shown(listing, today or uk_today())
        and listing.time_bank_id in policy.member_bank_ids(session, viewer)
    ):
        return listing
    raise errors.ListingNotFound()


def managed_listing(session: Session, actor: Person, listing_id: int, today: dt.date | None = None) -> Listing:
    listing = visible_listing(session, actor, listing_id, today)
    if not manages(session, actor, listing):
        raise errors.NotYourListing()
    return listing


# --- writing ---------------------------------------------------------------------------------------


def _audit(session: Session, action: str, actor: Person, listing: Listing, **details: Any) -> None:
    audit.record(session, action, actor_id=actor.id, subject_type="listing", subject_id=listing.id,
                 time_bank_id=listing.time_bank_id, kind=listing.kind.value, holder_id=listing.holder_id,
                 on_behalf=_on_behalf(session, actor, listing.holder_id), **details)


def create_listing(
    session: Session, actor: Person, *, holder_id: int, time_bank_id: int, kind: ListingKind,
    details: ListingDetails, today: dt.date | None = None,
) -> tuple[Listing, bool]:
    """List an offer, a request or a spend offer for a holder the actor acts for. Returns the listing
    and whether it is new (``False``: the same listing was sent again and is already open)."""
    today = today or uk_today()
    holder = _holder_in_bank(session, actor, holder_id, time_bank_id)
    _require_kind_for_holder(kind, holder)
    columns = _columns(session, kind, holder, details, today)
    same = session.scalar(
        sa.select(Listing).where(
            Listing.time_bank_id == time_bank_id, Listing.holder_id == holder.id, Listing.kind == kind,
            Listing.status == ListingStatus.OPEN, Listing.title == columns["title"],
            Listing.category_id == columns["category_id"],
            Listing.needed_on.is_(None) if columns["needed_on"] is None else Listing.needed_on == columns["needed_on"],
        ).limit(1)
    )
    if same is not None:
        return same, False
    listing = Listing(time_bank_id=time_bank_id, holder_id=holder.id, kind=kind, created_by_id=actor.id,
                      status=ListingStatus.OPEN, **columns)
    session.add(listing)
    session.flush()
    _audit(session, "listing.created", actor, listing)
    return listing, True


def details_of(session: Session, listing: Listing) -> ListingDetails:
    """What the listing says now, as it would be sent to change it."""
    category = session.get(Category, listing.category_id)
    return ListingDetails(
        title=listing.title, category=category.code if category else "", details=listing.details,
        place=listing.place, is_remote=listing.is_remote, review_on=listing.review_on,
        needed_on=listing.needed_on, needed_at=listing.needed_at, estimated_minutes=listing.estimated_minutes,
        price_minutes=listing.price_minutes, receives=listing.receives,
    )


def update_listing(session: Session, actor: Person, listing_id: int, changes: Mapping[str, Any],
                   today: dt.date | None = None) -> Listing:
    """Change what an open listing says. ``changes`` names any of ``ListingDetails``' fields; the rest
    stay as they are. Dates already on the listing are not checked against today again."""
    today = today or uk_today()
    listing = managed_listing(session, actor, listing_id, today)
    if listing.status is ListingStatus.CLOSED:
        raise errors.ListingClosed()
    holder = session.get(Holder, listing.holder_id)
    assert holder is not None
    details = replace(details_of(session, listing), **changes)
    columns = _columns(session, listing.kind, holder, details, today, current=listing)
    changed = sorted(name for name, value in columns.items() if getattr(listing, name) != value)
    for name in changed:
        setattr(listing, name, columns[name])
    session.flush()
    if changed:
        _audit(session, "listing.updated", actor, listing, fields=changed)
    return listing


def renew_listing(session: Session, actor: Person, listing_id: int, review_on: dt.date | None = None,
                  today: dt.date | None = None) -> Listing:
    """Move the review date on, which shows an expired listing again. By default: 90 days from today,
    or for a request the day after its occasion."""
    today = today or uk_today()
    listing = managed_listing(session, actor, listing_id, today)
    if listing.status is ListingStatus.CLOSED:
        raise errors.ListingClosed()
    if listing.kind is ListingKind.REQUEST and listing.needed_on is not None and listing.needed_on < today:
        raise errors.OccasionPassed()
    review_on = review_on or default_review_on(listing.kind, today, listing.needed_on)
    if review_on == listing.review_on:
        return listing
    _check_review_on(listing.kind, review_on, listing.needed_on, today, None)
    previous = listing.review_on
    listing.review_on = review_on
    session.flush()
    _audit(session, "listing.renewed", actor, listing, previous_review_on=previous.isoformat(),
           review_on=review_on.isoformat())
    return listing


def close_listing(session: Session, actor: Person, listing_id: int) -> Listing:
    """Close a listing: the request was met, or it is no longer offered. It is kept for the record.
    Closing a closed listing changes nothing."""
    listing = managed_listing(session, actor, listing_id)
    if listing.status is ListingStatus.CLOSED:
        return listing
    listing.status = ListingStatus.CLOSED
    session.flush()
    _audit(session, "listing.closed", actor, listing)
    return listing


#: What a leaver's listings say from then on (the words they wrote are wiped).
LEFT_TITLE = "Removed"


def close_for_leaver(session: Session, holder_id: int, *, actor: Person) -> list[Listing]:
    """A member is leaving (``privacy.leave`` has checked the actor may make them): close their open
    listings and wipe the words of every listing they hold, open or closed. The rows stay, for the record.
    Returns the listings that were open."""
    wiped = sa.and_(Listing.status == ListingStatus.CLOSED, Listing.title == LEFT_TITLE, Listing.details == "",
                    Listing.place == "")
    listings = list(session.scalars(
        sa.select(Listing).where(Listing.holder_id == holder_id, sa.not_(wiped)).order_by(Listing.id)))
    closed = []
    for listing in listings:
        was_open = listing.status is ListingStatus.OPEN
        listing.status, listing.title, listing.details, listing.place = ListingStatus.CLOSED, LEFT_TITLE, "", ""
        session.flush()
        _audit(session, "listing.closed" if was_open else "listing.wiped", actor, listing, reason="left")
        if was_open:
            closed.append(listing)
    return closed


@dataclass(frozen=True)
class SpendOffer:
    """A spend offer as a redemption is recorded against it (``money``): the facts it starts from."""

    id: int
    holder_id: int
    time_bank_id: int
    title: str
    category_id: int
    #: Both set on every spend offer (CHECK ``spend_has_price``).
    receives: RedeemedFor | None
    price_minutes: int | None


def _spend_offer(listing: Listing) -> SpendOffer:
    return SpendOffer(listing.id, listing.holder_id, listing.time_bank_id, listing.title, listing.category_id,
                      listing.receives, listing.price_minutes)


def spend_offer(session: Session, listing_id: int) -> SpendOffer | None:
    """The spend offer with this id, open or closed; ``None`` if there is none (or the listing is not one)."""
    listing = session.get(Listing, listing_id)
    if listing is None or listing.kind is not ListingKind.SPEND:
        return None
    return _spend_offer(listing)


def spend_offers_of(session: Session, holder_id: int, time_bank_ids: Iterable[int]) -> list[SpendOffer]:
    """A spend partner's spend offers in these banks, open or closed, by title."""
    return [_spend_offer(listing) for listing in session.scalars(
        sa.select(Listing).where(Listing.holder_id == holder_id, Listing.kind == ListingKind.SPEND,
                                 Listing.time_bank_id.in_(list(time_bank_ids)))
        .order_by(Listing.title, Listing.id)
    )]


def send_review_reminders(session: Session, today: dt.date) -> int:
    """Remind the owners of open listings whose review date is within ``REMIND_DAYS_BEFORE`` days.
    Each listing's reminder is made once per review date, however often this runs; returns how many
    notices were new."""
    due = session.scalars(
        sa.select(Listing).where(
            Listing.status == ListingStatus.OPEN,
            Listing.review_on.between(today, today + dt.timedelta(days=REMIND_DAYS_BEFORE)),
        ).order_by(Listing.id)
    )
    made = 0
    for listing in due:
        key = reminder_key(NoticeKind.LISTING_REVIEW, listing.id, listing.review_on)
        made += notify(session, people_to_tell(session, listing.holder_id, listing.time_bank_id),
                       NoticeKind.LISTING_REVIEW, listing.id, key, time_bank_id=listing.time_bank_id)
    return made


# --- finding ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    kind: ListingKind | None = None
    #: A category code; a top-level category includes its children.
    category: str | None = None
    q: str = ""
    district: str | None = None
    remote_only: bool = False
    time_bank_id: int | None = None
    #: Open listings past their review date that the viewer owns or brokers, instead of those shown.
    expired: bool = False


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _category_ids(session: Session, code: str) -> list[int]:
    category = session.scalar(sa.select(Category).where(Category.code == code))
    if category is None:
        raise ledger_errors.CategoryNotFound()
    children = session.scalars(sa.select(Category.id).where(Category.parent_id == category.id))
    return [category.id, *children]


def browse(session: Session, viewer: Person, criteria: Criteria, *, page: int = 1, per_page: int = PER_PAGE,
           today: dt.date | None = None) -> Page[Listing]:
    """Listings shown to the viewer in their banks, filtered; requests soonest first, the rest newest first."""
    today = today or uk_today()
    brokered = policy.broker_bank_ids(session, viewer)
    if criteria.expired:
        scope = sa.and_(
            Listing.status == ListingStatus.OPEN, Listing.review_on < today,
            sa.or_(Listing.holder_id.in_(policy.own_holder_ids(session, viewer)), Listing.time_bank_id.in_(brokered)),
        )
    else:
        banks = brokered | policy.member_bank_ids(session, viewer)
        scope = sa.and_(Listing.status == ListingStatus.OPEN, Listing.review_on >= today,
                        Listing.time_bank_id.in_(banks))
    query = (
        sa.select(Listing).join(Holder, Holder.id == Listing.holder_id)
        .where(scope, Holder.pseudonymised_at.is_(None))
    )
    if criteria.kind is not None:
        query = query.where(Listing.kind == criteria.kind)
    if criteria.time_bank_id is not None:
        query = query.where(Listing.time_bank_id == criteria.time_bank_id)
    if criteria.category:
        query = query.where(Listing.category_id.in_(_category_ids(session, criteria.category)))
    if criteria.remote_only:
        query = query.where(Listing.is_remote)
    if len(criteria.q) > MAX_QUERY:
        raise errors.QueryTooLong()
    for word in criteria.q.split()[:10]:
        pattern = _like(word)
        query = query.where(sa.or_(Listing.title.ilike(pattern, escape="\\"),
                                   Listing.details.ilike(pattern, escape="\\")))
    if criteria.district:
        district = normalise_district(criteria.district)
        if district is None:
            raise errors.InvalidDistrict()
        # Only owners who show their area are found by it (brokers find everyone in their banks).
        query = query.outerjoin(Profile, Profile.holder_id == Listing.holder_id).where(
            Holder.postcode_district == district,
            sa.or_(sa.func.coalesce(Profile.show_area, sa.true()), Listing.time_bank_id.in_(brokered)),
        )
    if criteria.kind is ListingKind.REQUEST:
        order: tuple[Any, ...] = (Listing.needed_on, sa.case((Listing.needed_at.is_(None), 0), else_=1),
                                  Listing.needed_at, Listing.id)
    else:
        order = (Listing.created_at.desc(), Listing.id.desc())
    return paginate(session, query.order_by(*order), page=page, per_page=per_page)


def my_listings(session: Session, actor: Person, *, page: int = 1, per_page: int = PER_PAGE) -> Page[Listing]:
    """Every listing of the actor and of the organisations they act for: open ones first, newest first."""
    query = (
        sa.select(Listing).where(Listing.holder_id.in_(policy.own_holder_ids(session, actor)))
        .order_by(sa.case((Listing.status == ListingStatus.OPEN, 0), else_=1), Listing.created_at.desc(),
                  Listing.id.desc())
    )
    return paginate(session, query, page=page, per_page=per_page)


# --- showing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListingCard:
    """A listing as one viewer sees it: the owner's name and area only where the owner shows them
    (``None`` otherwise), or where the viewer manages the listing."""

    listing: Listing
    owner_name: str | None
    area: str | None
    is_organisation: bool
    category_code: str
    category_label: str
    expired: bool


def cards(session: Session, viewer: Person, listings: Iterable[Listing], today: dt.date | None = None
          ) -> list[ListingCard]:
    """Cards for these listings, with owners and categories in one query each."""
    listings = list(listings)
    if not listings:
        return []
    today = today or uk_today()
    own = policy.own_holder_ids(session, viewer)
    brokered = policy.broker_bank_ids(session, viewer)
    owners = {
        row.id: row for row in session.execute(
            sa.select(Holder.id, Holder.type, Holder.display_name, Holder.postcode_district,
                      Profile.show_name, Profile.show_area)
            .outerjoin(Profile, Profile.holder_id == Holder.id)
            .where(Holder.id.in_({listing.holder_id for listing in listings}))
        )
    }
    categories = {c.id: c for c in session.scalars(
        sa.select(Category).where(Category.id.in_({listing.category_id for listing in listings})))}
    result = []
    for listing in listings:
        owner = owners[listing.holder_id]
        full = listing.holder_id in own or listing.time_bank_id in brokered
        organisation = owner.type is HolderType.ORGANISATION
        category = categories[listing.category_id]
        result.append(ListingCard(
            listing=listing,
            owner_name=owner.display_name if organisation or full or owner.show_name is not False else None,
            area=owner.postcode_district if full or owner.show_area is not False else None,
            is_organisation=organisation,
            category_code=category.code,
            category_label=category.label,
            expired=is_expired(listing, today),
        ))
    return result


@dataclass(frozen=True)
class ListingPage:
    card: ListingCard
    bank_name: str
    #: The viewer may edit, renew and close it.
    manages: bool
    #: The viewer manages it for someone else (a broker for a member).
    on_behalf: bool
    #: The owner's contact details, as the owner chose to show them (``None``: not shown).
    contact: profiles.Contact | None
    #: The bank's brokers, who introduce members to each other.
    brokers: list[Person]
    #: The viewer's own account in the listing's bank, for recording an exchange.
    own_account_id: int | None


def listing_page(session: Session, viewer: Person, listing_id: int, today: dt.date | None = None) -> ListingPage:
    """Everything the listing page shows, if the viewer may see the listing."""
    today = today or uk_today()
    listing = visible_listing(session, viewer, listing_id, today)
    try:
        contact = profiles.view_profile(session, viewer, listing.holder_id).contact
    except NotFound:
        contact = None
    bank = session.get(TimeBank, listing.time_bank_id)
    brokers = list(session.scalars(
        sa.select(Person).join(BankRole, BankRole.person_id == Person.id)
        .where(BankRole.time_bank_id == listing.time_bank_id, BankRole.role == BankRoleName.BROKER,
               Person.pseudonymised_at.is_(None))
        .order_by(Person.display_name, Person.id)
    ))
    return ListingPage(
        card=cards(session, viewer, [listing], today)[0],
        bank_name=bank.name if bank else "",
        manages=manages(session, viewer, listing),
        on_behalf=_on_behalf(session, viewer, listing.holder_id),
        contact=contact,
        brokers=brokers,
        own_account_id=own.id if (own := ledger.account_of(session, viewer.id, listing.time_bank_id)) else None,
    )


@dataclass(frozen=True)
class ListingOwner:
    """Someone the actor may list for, in one bank (where they hold ``account_id``)."""

    account_id: int
    holder_id: int
    time_bank_id: int
    name: str
    bank_name: str
    is_organisation: bool
    on_behalf: bool


def owners_to_list_for(session: Session, actor: Person, kind: ListingKind) -> list[ListingOwner]:
    """Everyone the actor may list this kind for, with their bank: themselves and their organisations
    first, then, for brokers, the members of the banks they broker."""
    own = policy.own_holder_ids(session, actor)
    brokered = policy.broker_bank_ids(session, actor)
    query = (
        sa.select(Account.id, Account.holder_id, Account.time_bank_id, Holder.display_name, Holder.type, TimeBank.name)
        .join(Holder, Holder.id == Account.holder_id)
        .join(TimeBank, TimeBank.id == Account.time_bank_id)
        .where(sa.or_(Account.holder_id.in_(own), Account.time_bank_id.in_(brokered)),
               Holder.pseudonymised_at.is_(None))
    )
    if kind is ListingKind.OFFER:
        query = query.where(Holder.type == HolderType.PERSON)
    elif kind is ListingKind.SPEND:
        query = query.where(Holder.type == HolderType.ORGANISATION)
    is_own = Account.holder_id.in_(own)
    rows = session.execute(query.order_by(sa.case((is_own, 0), else_=1), TimeBank.name, Holder.display_name,
                                          Account.id))
    return [
        ListingOwner(account_id, holder_id, bank_id, name, bank_name, holder_type is HolderType.ORGANISATION,
                     holder_id not in own)
        for account_id, holder_id, bank_id, name, holder_type, bank_name in rows
    ]


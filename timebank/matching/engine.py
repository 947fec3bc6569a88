"""The matching engine: who could help with a thing (a request, a role, a session), ranked, with reasons.

Design note:

* **Who is a candidate.** A person with an open account in the thing's bank and a profile, who has not
  left, has not asked brokers not to suggest them (``profiles.open_to_introductions``), is not the one
  asking, is not already introduced to this thing (or booked on the session), and, where the role needs a
  clearance, holds it **on the day of the thing** (the session's UK date, a request's ``needed_on``, today
  for a role as a whole). Clearance is asked of ``safeguarding.service.clearance_gaps`` only: SQL first
  narrows the question to those with any DBS check issued by that day (a necessary condition, not the
  rule), and the rule's answer is passed back to SQL as the list of cleared people. Those left out are
  counted per reason (``LeftOut``); members without a profile are simply not candidates.
* **How they rank.** Eight components, each a score from 0 to 1 multiplied by the bank's weight
  (``brokerage.models.MatchWeights``, or ``DEFAULT_WEIGHTS``); "declined this before" takes its weight
  away instead. The formulas are in docs/matching.md and ``components``. Benefit-safe flags are never
  read here.
* **Fast.** Filtering, scoring and ordering are one SQL statement: the bank's accounts joined to one
  grouped subquery per component (abilities, languages, availability slots, travel districts, recent
  exchanges, introductions), each read through an index, so the top 20 of 100,000 members costs joins,
  not a Python loop; and when nobody without an ability asked for could reach the page, only those with
  one are ranked (``_page_rows``). Only the page's rows come back to Python, where their reasons are put
  into words. The left-out reasons are rare and counted from partial indexes; the list's length and those
  without a clearance are counted up to ``LISTED_CAP``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, ActivitySession, Role, RoleAbility, SignUp, SignUpStatus
from timebank.brokerage.models import (
    DEFAULT_WEIGHTS,
    LIVE_STATES,
    WEIGHT_NAMES,
    Answer,
    Introduction,
    MatchWeights,
)
from timebank.categories.models import Category
from timebank.categories.service import related_category_ids
from timebank.categories.taxonomy import label_for
from timebank.clock import UK, uk_day, uk_today
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState, HolderKind
from timebank.listings.models import Listing, ListingKind
from timebank.matching import components as parts
from timebank.matching import districts
from timebank.members.models import Holder
from timebank.pagination import Count, Page, capped_count
from timebank.profiles.models import Ability, AvailabilitySlot, Period, Profile, SpokenLanguage, TravelDistrict
from timebank.safeguarding.clearances import Clearance
from timebank.safeguarding.models import DbsCheck, DbsLevel
from timebank.safeguarding.service import clearance_gaps
from timebank.types import utcnow

PER_PAGE = 20
#: The deepest page a broker can ask for (the 1,000 best candidates): past that, narrow the thing instead.
MAX_PAGE = 50
#: Candidates (and those without the clearance) are counted up to this many: "more than 1,000".
LISTED_CAP = MAX_PAGE * PER_PAGE
#: A role's availability is read against its next few sessions.
ROLE_SESSIONS = 10


class ThingKind(enum.StrEnum):
    REQUEST = "request"
    ROLE = "role"
    SESSION = "session"


Slot = tuple[int, Period | None]


@dataclass(frozen=True)
class Thing:
    """What people are matched to, as the engine reads it."""

    kind: ThingKind
    id: int
    time_bank_id: int
    title: str
    #: The day a clearance must hold on.
    day: dt.date
    clearance: Clearance | None
    #: The abilities it asks for (category ids).
    category_ids: tuple[int, ...]
    #: The languages of whoever asks (the requester, or the organisation running the activity).
    languages: tuple[str, ...]
    #: When: (weekday, part of the day), the part ``None`` when any part of that day will do.
    slots: tuple[Slot, ...]
    district: str | None
    is_remote: bool
    #: Holders left out because they are the ones asking.
    asker_ids: frozenset[int] = frozenset()
    listing_id: int | None = None
    role_id: int | None = None
    session_id: int | None = None
    #: The holder who asks (the requester, or the organisation), for its page and links.
    asker_id: int | None = None
    #: A role's title in Welsh, where given (a request's title is in whatever language its member wrote).
    title_cy: str | None = None


def period_at(moment: dt.time) -> Period:
    """The part of the day a UK clock time falls in: morning before noon, afternoon before 5 pm."""
    if moment < dt.time(12):
        return Period.MORNING
    return Period.AFTERNOON if moment < dt.time(17) else Period.EVENING


def _languages_of(session: Session, holder_id: int) -> tuple[str, ...]:
    return tuple(session.scalars(sa.select(SpokenLanguage.code).where(SpokenLanguage.holder_id == holder_id)
                                 .order_by(SpokenLanguage.code)))


def request_thing(session: Session, listing: Listing) -> Thing:
    assert listing.kind == ListingKind.REQUEST and listing.needed_on is not None
    holder = session.get(Holder, listing.holder_id)
    assert holder is not None
    period = period_at(listing.needed_at) if listing.needed_at is not None else None
    return Thing(
        kind=ThingKind.REQUEST, id=listing.id, time_bank_id=listing.time_bank_id, title=listing.title,
        day=listing.needed_on, clearance=None, category_ids=(listing.category_id,),
        languages=_languages_of(session, holder.id), slots=((listing.needed_on.weekday(), period),),
        district=holder.postcode_district, is_remote=listing.is_remote, asker_ids=frozenset({holder.id}),
        listing_id=listing.id, asker_id=holder.id,
    )


def _role_facts(session: Session, role: Role) -> tuple[Activity, tuple[int, ...], tuple[str, ...], str | None]:
    activity = session.get(Activity, role.activity_id)
    assert activity is not None
    wanted = (role.category_id, *session.scalars(
        sa.select(RoleAbility.category_id).where(RoleAbility.role_id == role.id).order_by(RoleAbility.category_id)))
    organisation = session.get(Holder, activity.organisation_id)
    return (activity, tuple(dict.fromkeys(wanted)), _languages_of(session, activity.organisation_id),
            organisation.postcode_district if organisation else None)


def _slot_of(activity_session: ActivitySession) -> Slot:
    start = activity_session.starts_at.astimezone(UK)
    return start.weekday(), period_at(start.time())


def role_thing(session: Session, role: Role, today: dt.date | None = None) -> Thing:
    """A role as a whole: undated, so a clearance is asked for today; its availability is read against
    its next sessions still to come."""
    activity, wanted, languages, district = _role_facts(session, role)
    coming = list(session.scalars(
        sa.select(ActivitySession)
        .where(ActivitySession.role_id == role.id, ActivitySession.cancelled_at.is_(None),
               ActivitySession.starts_at >= utcnow())
        .order_by(ActivitySession.starts_at).limit(ROLE_SESSIONS)))
    return Thing(
        kind=ThingKind.ROLE, id=role.id, time_bank_id=activity.time_bank_id, title=role.title,
        day=today or uk_today(), clearance=role.clearance, category_ids=wanted, languages=languages,
        slots=tuple(dict.fromkeys(_slot_of(s) for s in coming)), district=district,
        is_remote=bool(coming) and all(s.is_remote for s in coming), role_id=role.id,
        asker_id=activity.organisation_id, title_cy=role.title_cy,
    )


def session_thing(session: Session, activity_session: ActivitySession) -> Thing:
    role = session.get(Role, activity_session.role_id)
    assert role is not None
    activity, wanted, languages, district = _role_facts(session, role)
    return Thing(
        kind=ThingKind.SESSION, id=activity_session.id, time_bank_id=activity.time_bank_id, title=role.title,
        day=uk_day(activity_session.starts_at), clearance=role.clearance, category_ids=wanted,
        languages=languages, slots=(_slot_of(activity_session),), district=district,
        is_remote=activity_session.is_remote, role_id=role.id, session_id=activity_session.id,
        asker_id=activity.organisation_id, title_cy=role.title_cy,
    )


def weights_of(session: Session, time_bank_id: int) -> dict[str, int]:
    """The bank's weights, or the documented defaults when it has set none."""
    return weights_by_bank(session, {time_bank_id})[time_bank_id]


def weights_by_bank(session: Session, time_bank_ids: set[int]) -> dict[int, dict[str, int]]:
    """Each bank's weights (the defaults for a bank without its own), in one query."""
    rows = {row.time_bank_id: row for row in session.scalars(
        sa.select(MatchWeights).where(MatchWeights.time_bank_id.in_(time_bank_ids)))}
    return {bank_id: {name: getattr(rows[bank_id], name) for name in WEIGHT_NAMES} if bank_id in rows
            else dict(DEFAULT_WEIGHTS) for bank_id in time_bank_ids}


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    name: str
    #: 0 to 1 (for ``declined``: 1 when they declined this before).
    score: float
    weight: int
    #: The reason in words, for the broker.
    reason: Any

    @property
    def points(self) -> float:
        """What it adds to the total (``declined`` takes away)."""
        return (-1 if self.name == "declined" else 1) * self.score * self.weight


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    district: str | None
    total: float
    components: tuple[Component, ...]

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)


@dataclass(frozen=True)
class LeftOut:
    """How many members of the bank were not listed, per reason (each counted under the first that applies,
    in this order)."""

    asking: int = 0
    left: int = 0
    opted_out: int = 0
    already_involved: int = 0
    #: Counted up to ``LISTED_CAP`` (then "more than 1,000").
    no_clearance: int = 0
    no_clearance_is_lower_bound: bool = False

    def items(self) -> list[tuple[str, int]]:
        return [(name, getattr(self, name)) for name in (*COUNTED, "no_clearance")]


@dataclass(frozen=True)
class Matches:
    thing: Thing
    weights: dict[str, int]
    candidates: Page[Candidate]
    left_out: LeftOut
    #: The candidates' best possible total with these weights (for score bars).
    best_possible: int = field(default=0)


# --- the statement ---------------------------------------------------------------------------------


def _involved(thing: Thing) -> sa.Select[tuple[int]]:
    """People already in front of this thing: a live introduction to it, or a place on the session."""
    thing_filter = (Introduction.listing_id == thing.listing_id if thing.listing_id is not None
                    else Introduction.role_id == thing.role_id)
    introduced = sa.select(Introduction.candidate_id.label("holder_id")).where(
        thing_filter, Introduction.state.in_(LIVE_STATES))
    if thing.session_id is None:
        return introduced
    booked = sa.select(SignUp.person_id).where(SignUp.session_id == thing.session_id,
                                               SignUp.status != SignUpStatus.CANCELLED)
    return sa.union(introduced, booked)  # type: ignore[return-value]


def _members(thing: Thing) -> tuple[sa.FromClause, Any]:
    """The bank's accounts with their profiles (outer) and whether already involved (outer); ``_in_bank``
    keeps the residents' (people only, by ``holder_kind``: no need to read ``people``)."""
    involved = _involved(thing).subquery("involved")
    joined = (Account.__table__.outerjoin(Profile.__table__, Profile.holder_id == Account.holder_id)
              .outerjoin(involved, involved.c.holder_id == Account.holder_id))
    return joined, involved


def _counted_cases(thing: Thing, involved: Any) -> list[tuple[str, sa.ColumnElement[bool]]]:
    """Each reason for leaving a member out, in order. Someone who left has their accounts closed (leaving
    closes them first), so the account says it without reading the holder."""
    asking = Account.holder_id.in_(thing.asker_ids) if thing.asker_ids else sa.false()
    return [
        ("asking", asking),
        ("left", Account.closed_at.is_not(None)),
        ("no_profile", Profile.holder_id.is_(None)),
        ("opted_out", sa.not_(Profile.open_to_introductions)),
        ("already_involved", involved.c.holder_id.is_not(None)),
    ]


def _in_bank(thing: Thing) -> list[sa.ColumnElement[bool]]:
    return [Account.time_bank_id == thing.time_bank_id, Account.holder_kind == HolderKind.RESIDENT]


def _eligible(thing: Thing, involved: Any) -> list[sa.ColumnElement[bool]]:
    """Everything but the clearance: the negation of every left-out reason."""
    return [*_in_bank(thing), *(sa.not_(condition) for _name, condition in _counted_cases(thing, involved))]


#: The reasons counted (a member without a profile is not a candidate at all, and not counted: that would
#: read every profile of the bank).
COUNTED = ("asking", "left", "opted_out", "already_involved")


def _left_out(session: Session, thing: Thing) -> dict[str, int]:
    """How many are left out for each reason, in one statement of small counts: each reason is rare and read
    from an index (the requester, closed accounts, opted-out profiles, live introductions and places)."""
    joined, involved = _members(thing)
    counts = []
    earlier: list[sa.ColumnElement[bool]] = []
    for name, condition in _counted_cases(thing, involved):
        if name in COUNTED:
            counts.append(sa.select(sa.func.count()).select_from(joined)
                          .where(*_in_bank(thing), *earlier, condition).scalar_subquery().label(name))
        earlier.append(sa.not_(condition))
    return dict(session.execute(sa.select(*counts)).one()._mapping)


def _capped(session: Session, query: sa.Select[Any]) -> Count:
    total, more = capped_count(session, query, LISTED_CAP)
    return Count(total, more)


def _cleared_ids(session: Session, thing: Thing) -> list[int] | None:
    """The eligible people who hold the clearance on the thing's day (``None``: none needed). SQL only
    narrows whom to ask (a DBS check issued by then); ``clearance_gaps`` decides."""
    if thing.clearance is None:
        return None
    joined, involved = _members(thing)
    has_check = sa.exists().where(DbsCheck.person_id == Account.holder_id, DbsCheck.level != DbsLevel.NONE,
                                  DbsCheck.issued_on <= thing.day)
    asked = list(session.scalars(sa.select(Account.holder_id).select_from(joined)
                                 .where(*_eligible(thing, involved), has_check)))
    needs = [(person_id, thing.clearance, thing.day) for person_id in asked]
    gaps = clearance_gaps(session, thing.time_bank_id, needs)
    return [person_id for person_id in asked if (person_id, thing.clearance, thing.day) not in gaps]


def _ability_score(thing: Thing, related: dict[int, frozenset[int]]) -> tuple[Any, Any]:
    """(score, subquery): the share of the wanted abilities the person has (a parent matches its children)."""
    if not thing.category_ids:
        return sa.literal(1.0), None
    every = set().union(*related.values())
    matched = sum((sa.func.max(sa.case((Ability.category_id.in_(related[wanted]), 1), else_=0))
                   for wanted in thing.category_ids), sa.literal(0))
    sq = (sa.select(Ability.holder_id, matched.label("matched"))
          .where(Ability.category_id.in_(every)).group_by(Ability.holder_id).subquery("abilities_matched"))
    return sa.func.coalesce(sq.c.matched, 0) * 1.0 / len(thing.category_ids), sq


def _slot_condition(slot: Slot) -> sa.ColumnElement[bool]:
    weekday, period = slot
    if period is None:
        return AvailabilitySlot.weekday == weekday
    return sa.and_(AvailabilitySlot.weekday == weekday, AvailabilitySlot.period == period)


def _availability_score(thing: Thing) -> tuple[Any, Any]:
    if not thing.slots:
        return sa.literal(1.0), None
    matched = sum((sa.func.max(sa.case((_slot_condition(slot), 1), else_=0)) for slot in thing.slots),
                  sa.literal(0))
    sq = (sa.select(AvailabilitySlot.holder_id, matched.label("matched"))
          .where(sa.or_(*(_slot_condition(slot) for slot in thing.slots)))
          .group_by(AvailabilitySlot.holder_id).subquery("slots_matched"))
    return sa.func.coalesce(sq.c.matched, 0) * 1.0 / len(thing.slots), sq


def _language_score(thing: Thing) -> tuple[Any, Any]:
    if not thing.languages:
        return sa.literal(1.0), None
    sq = (sa.select(SpokenLanguage.holder_id).where(SpokenLanguage.code.in_(thing.languages))
          .group_by(SpokenLanguage.holder_id).subquery("speaks"))
    return sa.case((sq.c.holder_id.is_not(None), 1.0), else_=0.0), sq


def _travel_score(thing: Thing) -> tuple[Any, Any]:
    if thing.is_remote or thing.district is None:
        return sa.literal(1.0), None
    sq = (sa.select(TravelDistrict.holder_id).where(TravelDistrict.district == thing.district)
          .subquery("travels_there"))
    whens: list[tuple[Any, float]] = [
        (sa.not_(Profile.can_travel), 0.0),
        (Holder.postcode_district == thing.district, 1.0),
        (sq.c.holder_id.is_not(None), 1.0),
    ]
    whens += [(Holder.postcode_district.in_(sorted(band.districts)), band.score)
              for band in districts.bands(thing.district)]
    return sa.case(*whens, else_=0.0), sq


def _recent_minutes(thing: Thing, today: dt.date) -> Any:
    return (sa.select(Exchange.giver_account_id, sa.func.sum(Exchange.amount_minutes).label("minutes"))
            .where(Exchange.time_bank_id == thing.time_bank_id, Exchange.state == ExchangeState.CONFIRMED,
                   Exchange.kind == ExchangeKind.EXCHANGE,
                   Exchange.occurred_on.between(today - parts.RECENT_LOAD_WINDOW, today))
            .group_by(Exchange.giver_account_id).subquery("recent"))


def _last_asked(thing: Thing) -> Any:
    return (sa.select(Introduction.candidate_id, sa.func.max(Introduction.created_at).label("at"))
            .where(Introduction.time_bank_id == thing.time_bank_id)
            .group_by(Introduction.candidate_id).subquery("last_asked"))


def _declined(thing: Thing) -> Any:
    thing_filter = (Introduction.listing_id == thing.listing_id if thing.listing_id is not None
                    else Introduction.role_id == thing.role_id)
    return (sa.select(Introduction.candidate_id).where(thing_filter, Introduction.candidate_answer == Answer.DECLINED)
            .group_by(Introduction.candidate_id).subquery("declined"))


def ranking_statement(thing: Thing, weights: dict[str, int], related: dict[int, frozenset[int]],
                      cleared: Sequence[int] | None, *, today: dt.date, now: dt.datetime,
                      able_only: bool = False) -> sa.Select[Any]:
    """The one statement that filters, scores and orders the candidates (without LIMIT); with ``able_only``,
    only those who have at least one of the abilities asked for (read from the abilities' index)."""
    joined, involved = _members(thing)
    joined = joined.join(Holder.__table__, Holder.id == Account.holder_id)
    scores: dict[str, Any] = {}
    for name, (score, sq) in {"abilities": _ability_score(thing, related), "languages": _language_score(thing),
                              "availability": _availability_score(thing), "travel": _travel_score(thing)}.items():
        scores[name] = score
        if sq is not None:
            joining = joined.join if name == "abilities" and able_only else joined.outerjoin
            joined = joining(sq, sq.c.holder_id == Holder.id)
    recent = _recent_minutes(thing, today)
    last = _last_asked(thing)
    declined = _declined(thing)
    joined = (joined.outerjoin(recent, recent.c.giver_account_id == Account.id)
              .outerjoin(last, last.c.candidate_id == Holder.id)
              .outerjoin(declined, declined.c.candidate_id == Holder.id))
    minutes = sa.func.coalesce(recent.c.minutes, 0)
    scores["recent_load"] = parts.recent_load_sql(minutes)
    scores["reciprocity"] = parts.reciprocity_sql(Account.given_minutes, Account.received_minutes)
    scores["last_asked"] = parts.last_asked_sql(last.c.at, now)
    scores["declined"] = sa.case((declined.c.candidate_id.is_not(None), 1.0), else_=0.0)
    total = sum((scores[name] * (-weights[name] if name == "declined" else weights[name]) for name in WEIGHT_NAMES),
                sa.literal(0.0))
    conditions = _eligible(thing, involved)
    if cleared is not None:
        conditions.append(Holder.id.in_(cleared) if cleared else sa.false())
    return (sa.select(Holder.id, Holder.display_name, Holder.postcode_district, Profile.can_travel,
                      minutes.label("recent_minutes"), Account.given_minutes, Account.received_minutes,
                      last.c.at.label("last_asked_at"), *(scores[name].label(name) for name in WEIGHT_NAMES),
                      total.label("total"))
            .select_from(joined).where(*conditions)
            .order_by(sa.desc("total"), Holder.id))


def related_of(session: Session, thing: Thing) -> dict[int, frozenset[int]]:
    return related_category_ids(session, thing.category_ids)


def find(session: Session, thing: Thing, *, page: int = 1, per_page: int = PER_PAGE,
         today: dt.date | None = None) -> Matches:
    """The candidates for ``thing``, best first, one page at a time, and the counts of those left out."""
    page = min(max(1, page), MAX_PAGE)
    today = today or uk_today()
    weights = weights_of(session, thing.time_bank_id)
    counts = _left_out(session, thing)
    cleared = _cleared_ids(session, thing)
    joined, involved = _members(thing)
    eligible = sa.select(Account.holder_id).select_from(joined).where(*_eligible(thing, involved))
    listed = _capped(session, eligible if cleared is None else eligible.where(Account.holder_id.in_(cleared)))
    uncleared = (Count(0) if cleared is None
                 else _capped(session, eligible.where(Account.holder_id.not_in(cleared)) if cleared else eligible))
    related = related_of(session, thing)
    rows = _page_rows(session, partial(ranking_statement, thing, weights, related, cleared, today=today,
                                       now=utcnow()), weights, bool(thing.category_ids), page, per_page)
    held = _abilities_held(session, [row.id for row in rows], related)
    candidates = [Candidate(
        person_id=row.id, name=row.display_name, district=row.postcode_district, total=round(float(row.total), 1),
        components=tuple(Component(name, float(row._mapping[name]), weights[name],
                                   parts.reason(name, row, thing, held.get(row.id, ())))
                         for name in WEIGHT_NAMES),
    ) for row in rows]
    return Matches(
        thing=thing, weights=weights,
        candidates=Page(items=candidates, page=page, per_page=per_page, total=listed.total,
                        total_is_lower_bound=listed.total_is_lower_bound),
        left_out=LeftOut(**counts, no_clearance=uncleared.total,
                         no_clearance_is_lower_bound=uncleared.total_is_lower_bound),
        best_possible=sum(weights[name] for name in WEIGHT_NAMES if name != "declined"),
    )


def _page_rows(session: Session, statement: Callable[..., sa.Select[Any]], weights: dict[str, int],
               asks_abilities: bool, page: int, per_page: int) -> list[Any]:
    """One page of the ranking. Someone with none of the abilities asked for scores at most the other weights
    together; so when the page's last candidate among those who have one scores more than that, nobody else
    can be on the page, and the statement reads only them (a few thousand of 100,000, through the abilities'
    index). Otherwise (abilities weighed 0, few able people, a deep page) it ranks everyone. Either way the
    page is exactly the full ranking's."""
    offset = (page - 1) * per_page
    if asks_abilities and weights["abilities"]:
        window = session.execute(statement(able_only=True).limit(offset + per_page)).all()
        others_best = sum(weights[name] for name in WEIGHT_NAMES if name not in ("abilities", "declined"))
        if len(window) == offset + per_page and float(window[-1].total) > others_best:
            return window[offset:]
    return list(session.execute(statement().limit(per_page).offset(offset)).all())


def _abilities_held(session: Session, person_ids: list[int],
                    related: dict[int, frozenset[int]]) -> dict[int, list[str]]:
    """Of the page's candidates, the labels of the wanted abilities each one has (for the reasons)."""
    if not person_ids or not related:
        return {}
    every = set().union(*related.values())
    codes = dict(session.execute(sa.select(Category.id, Category.code).where(Category.id.in_(related))).all())
    held: dict[int, list[str]] = {}
    for holder_id, category_id in session.execute(
            sa.select(Ability.holder_id, Ability.category_id)
            .where(Ability.holder_id.in_(person_ids), Ability.category_id.in_(every))):
        for wanted, matches in related.items():
            label = label_for(codes[wanted])
            if category_id in matches and label not in held.setdefault(holder_id, []):
                held[holder_id].append(label)
    return held

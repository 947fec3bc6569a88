"""The engine the other way round: the things a resident could help with, for their home page and the
"things you could help with" page.

Design note:

* **What is looked at.** In each bank the person is a member of: open requests (not their own, needed from
  today to ``HORIZON_DAYS`` ahead, not past their review date) and sessions still to come of published
  roles where residents give time, with a free place and no place of theirs already. Each list is read
  soonest first through its index and stopped at ``POOL`` rows, so the cost does not grow with the bank.
* **Never** a thing whose role needs a clearance they will not hold **on the session's day**
  (``safeguarding.service.clearance_gaps``, one call per bank for every session together).
* **How they rank.** The four parts of a match about fit (abilities, languages, availability, travel), in
  the same formulas as the broker's ranking (``components``) with the bank's weights; only things that fit
  at least one of their abilities are shown, best fit first, then soonest.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.activities.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Role,
    RoleAbility,
    RoleDirection,
    SignUp,
    SignUpStatus,
)
from timebank.activities.service import role_titles
from timebank.brokerage.models import LIVE_STATES, Introduction
from timebank.categories.service import related_category_ids
from timebank.clock import UK, uk_day, uk_today
from timebank.listings.models import Listing, ListingKind, ListingStatus
from timebank.matching import components as parts
from timebank.matching.engine import Slot, period_at, weights_by_bank
from timebank.members import policy
from timebank.members.models import Holder, Person
from timebank.pagination import Page
from timebank.profiles.models import Ability, AvailabilitySlot, Period, Profile, SpokenLanguage, TravelDistrict
from timebank.safeguarding.clearances import Clearance
from timebank.safeguarding.service import clearance_gaps
from timebank.types import utcnow

#: How far ahead things are looked at.
HORIZON_DAYS = 60
#: The most requests, and the most sessions, read per visit (soonest first).
POOL = 100
PER_PAGE = 10
FIT = ("abilities", "languages", "availability", "travel")


@dataclass(frozen=True)
class Suggestion:
    kind: str
    id: int
    title: str
    day: dt.date
    starts_at: dt.datetime | None
    time_bank_id: int
    score: float
    reasons: list[Any] = field(default_factory=list)
    #: A session's title in Welsh, where given (a request's title is in whatever language its member wrote).
    title_cy: str | None = None


@dataclass(frozen=True)
class _Candidate:
    kind: str
    id: int
    title: str
    day: dt.date
    starts_at: dt.datetime | None
    time_bank_id: int
    asker_id: int
    wanted: tuple[int, ...]
    slot: Slot
    is_remote: bool
    clearance: Clearance | None = None
    title_cy: str | None = None


def _requests(session: Session, person: Person, banks: set[int], today: dt.date) -> list[_Candidate]:
    # A request they are already introduced to (waiting, or agreed and on its way to an exchange) is in hand.
    introduced = sa.exists().where(Introduction.listing_id == Listing.id, Introduction.candidate_id == person.id,
                                   Introduction.state.in_(LIVE_STATES))
    rows = session.scalars(
        sa.select(Listing).where(Listing.time_bank_id.in_(banks), Listing.kind == ListingKind.REQUEST,
                                 Listing.status == ListingStatus.OPEN, Listing.review_on >= today,
                                 Listing.holder_id != person.id, sa.not_(introduced),
                                 Listing.needed_on.between(today, today + dt.timedelta(days=HORIZON_DAYS)))
        .order_by(Listing.needed_on, Listing.id).limit(POOL))
    return [_Candidate("request", row.id, row.title, row.needed_on, None, row.time_bank_id, row.holder_id,
                       (row.category_id,),
                       (row.needed_on.weekday(), period_at(row.needed_at) if row.needed_at else None), row.is_remote)
            for row in rows if row.needed_on is not None]


def _sessions(session: Session, person: Person, banks: set[int]) -> list[_Candidate]:
    now = utcnow()
    taken = (sa.select(sa.func.count()).where(SignUp.session_id == ActivitySession.id,
                                              SignUp.status == SignUpStatus.BOOKED).scalar_subquery())
    mine = sa.exists().where(SignUp.session_id == ActivitySession.id, SignUp.person_id == person.id,
                             SignUp.status != SignUpStatus.CANCELLED)
    rows = session.execute(
        sa.select(ActivitySession, Role, Activity)
        .join(Role, Role.id == ActivitySession.role_id).join(Activity, Activity.id == Role.activity_id)
        .where(Activity.time_bank_id.in_(banks), Activity.status == ActivityStatus.PUBLISHED,
               Role.direction == RoleDirection.GIVES, ActivitySession.cancelled_at.is_(None),
               ActivitySession.starts_at.between(now, now + dt.timedelta(days=HORIZON_DAYS)),
               taken < ActivitySession.places, sa.not_(mine))
        .order_by(ActivitySession.starts_at, ActivitySession.id).limit(POOL)).all()
    abilities: dict[int, list[int]] = defaultdict(list)
    for role_id, category_id in session.execute(sa.select(RoleAbility.role_id, RoleAbility.category_id)
                                                .where(RoleAbility.role_id.in_({role.id for _s, role, _a in rows}))):
        abilities[role_id].append(category_id)
    found = []
    for activity_session, role, activity in rows:
        start = activity_session.starts_at.astimezone(UK)
        title, title_cy = role_titles(activity, role)
        found.append(_Candidate(
            "session", activity_session.id, title, uk_day(activity_session.starts_at),
            activity_session.starts_at, activity.time_bank_id, activity.organisation_id,
            tuple(dict.fromkeys((role.category_id, *abilities[role.id]))), (start.weekday(), period_at(start.time())),
            activity_session.is_remote, role.clearance, title_cy))
    return found


def _refused(session: Session, person: Person, things: list[_Candidate]) -> set[int]:
    """The sessions whose role needs a clearance the person will not hold on the session's day (one
    ``clearance_gaps`` call per bank with such sessions)."""
    by_bank: dict[int, list[_Candidate]] = defaultdict(list)
    for thing in things:
        if thing.clearance is not None:
            by_bank[thing.time_bank_id].append(thing)
    refused = set()
    for bank_id, needing in by_bank.items():
        gaps = clearance_gaps(session, bank_id, [(person.id, t.clearance, t.day) for t in needing])
        refused |= {t.id for t in needing if (person.id, t.clearance, t.day) in gaps}
    return refused


@dataclass(frozen=True)
class _Facts:
    """What the person's profile says, for the fit components."""

    held: set[int]
    spoken: set[str]
    free: set[tuple[int, Period]]
    travels_to: set[str]


def _facts(session: Session, person_id: int) -> _Facts:
    """The person's abilities, languages, free times and travel districts in one query."""
    def part(kind: str, first: Any, second: Any, table: Any) -> sa.Select[Any]:
        return (sa.select(sa.literal(kind).label("kind"), sa.cast(first, sa.String).label("first"),
                          sa.cast(second, sa.String).label("second")).where(table.holder_id == person_id))

    rows = session.execute(sa.union_all(
        part("ability", Ability.category_id, sa.literal(""), Ability),
        part("language", SpokenLanguage.code, sa.literal(""), SpokenLanguage),
        part("slot", AvailabilitySlot.weekday, AvailabilitySlot.period, AvailabilitySlot),
        part("travel", TravelDistrict.district, sa.literal(""), TravelDistrict),
    )).all()
    return _Facts(held={int(r.first) for r in rows if r.kind == "ability"},
                  spoken={r.first for r in rows if r.kind == "language"},
                  free={(int(r.first), Period(r.second)) for r in rows if r.kind == "slot"},
                  travels_to={r.first for r in rows if r.kind == "travel"})


def _askers(session: Session, holder_ids: set[int]) -> tuple[dict[int, str | None], dict[int, set[str]]]:
    """Each asker's district and languages, in one query."""
    districts: dict[int, str | None] = {}
    languages: dict[int, set[str]] = defaultdict(set)
    for holder_id, district, code in session.execute(
            sa.select(Holder.id, Holder.postcode_district, SpokenLanguage.code)
            .outerjoin(SpokenLanguage, SpokenLanguage.holder_id == Holder.id).where(Holder.id.in_(holder_ids))):
        districts[holder_id] = district
        if code is not None:
            languages[holder_id].add(code)
    return districts, languages


def things_for(session: Session, person: Person, *, page: int = 1, per_page: int = PER_PAGE,
               today: dt.date | None = None) -> Page[Suggestion]:
    """The things ``person`` could help with, best fit first. Empty without a profile."""
    today = today or uk_today()
    page = max(1, page)
    banks = policy.member_bank_ids(session, person)
    profile = session.get(Profile, person.id)
    if not banks or profile is None:
        return Page(items=[], page=page, per_page=per_page, total=0)
    facts = _facts(session, person.id)
    things = _requests(session, person, banks, today) + _sessions(session, person, banks)
    related = related_category_ids(session, {w for t in things for w in t.wanted})
    # Only what uses one of their abilities is shown, so only that is asked about clearances.
    things = [t for t in things if parts.ability_score(t.wanted, related, facts.held) > 0]
    refused = _refused(session, person, things)
    things = [t for t in things if not (t.kind == "session" and t.id in refused)]
    districts, languages = _askers(session, {t.asker_id for t in things})
    weights = weights_by_bank(session, banks)

    suggestions = []
    for thing in things:
        scores = {
            "abilities": parts.ability_score(thing.wanted, related, facts.held),
            "languages": parts.language_score(languages[thing.asker_id], facts.spoken),
            "availability": parts.availability_score((thing.slot,), facts.free),
            "travel": parts.travel_score(is_remote=thing.is_remote, district=districts.get(thing.asker_id),
                                         can_travel=profile.can_travel, home=person.postcode_district,
                                         travels_to=facts.travels_to),
        }
        suggestions.append(Suggestion(
            thing.kind, thing.id, thing.title, thing.day, thing.starts_at, thing.time_bank_id,
            round(parts.fit_score(weights[thing.time_bank_id], scores), 1), _reasons(scores), thing.title_cy))
    suggestions.sort(key=lambda s: (-s.score, s.day, s.kind, s.id))
    start = (page - 1) * per_page
    return Page(items=suggestions[start:start + per_page], page=page, per_page=per_page, total=len(suggestions))


def _reasons(scores: dict[str, float]) -> list[Any]:
    words = {"abilities": _l("Uses what you can do"), "languages": _l("In a language you speak"),
             "availability": _l("At a time you said you are free"), "travel": _l("Near you, or you can help from home")}
    return [words[name] for name in FIT if scores[name] == 1]

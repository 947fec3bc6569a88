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
from timebank.categories.service import related_category_ids
from timebank.clock import UK, uk_day, uk_today
from timebank.listings.models import Listing, ListingKind, ListingStatus
from timebank.matching import components as parts
from timebank.matching.engine import Slot, period_at, weights_of
from timebank.members import policy
from timebank.members.models import Holder, Person
from timebank.pagination import Page
from timebank.profiles.models import Ability, AvailabilitySlot, Profile, SpokenLanguage, TravelDistrict
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


def _requests(session: Session, person: Person, banks: set[int], today: dt.date) -> list[_Candidate]:
    rows = session.scalars(
        sa.select(Listing).where(Listing.time_bank_id.in_(banks), Listing.kind == ListingKind.REQUEST,
                                 Listing.status == ListingStatus.OPEN, Listing.review_on >= today,
                                 Listing.holder_id != person.id,
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
        found.append(_Candidate(
            "session", activity_session.id, f"{activity.title}: {role.title}", uk_day(activity_session.starts_at),
            activity_session.starts_at, activity.time_bank_id, activity.organisation_id,
            tuple(dict.fromkeys((role.category_id, *abilities[role.id]))), (start.weekday(), period_at(start.time())),
            activity_session.is_remote))
    return found


def _clearances(session: Session, person: Person, things: list[_Candidate]) -> set[int]:
    """The sessions whose role needs a clearance the person will not hold on the session's day."""
    clearance_of = dict(session.execute(
        sa.select(ActivitySession.id, Role.clearance).join(Role, Role.id == ActivitySession.role_id)
        .where(ActivitySession.id.in_([t.id for t in things if t.kind == "session"]), Role.clearance.is_not(None))
    ).all())
    by_bank: dict[int, list[_Candidate]] = defaultdict(list)
    for thing in things:
        if thing.kind == "session" and thing.id in clearance_of:
            by_bank[thing.time_bank_id].append(thing)
    refused = set()
    for bank_id, needing in by_bank.items():
        gaps = clearance_gaps(session, bank_id, [(person.id, clearance_of[t.id], t.day) for t in needing])
        refused |= {t.id for t in needing if (person.id, clearance_of[t.id], t.day) in gaps}
    return refused


def things_for(session: Session, person: Person, *, page: int = 1, per_page: int = PER_PAGE,
               today: dt.date | None = None) -> Page[Suggestion]:
    """The things ``person`` could help with, best fit first. Empty without a profile."""
    today = today or uk_today()
    page = max(1, page)
    banks = policy.member_bank_ids(session, person)
    profile = session.get(Profile, person.id)
    if not banks or profile is None:
        return Page(items=[], page=page, per_page=per_page, total=0)
    things = _requests(session, person, banks, today) + _sessions(session, person, banks)
    refused = _clearances(session, person, things)
    things = [t for t in things if not (t.kind == "session" and t.id in refused)]

    held = set(session.scalars(sa.select(Ability.category_id).where(Ability.holder_id == person.id)))
    spoken = set(session.scalars(sa.select(SpokenLanguage.code).where(SpokenLanguage.holder_id == person.id)))
    free = {(row.weekday, row.period) for row in session.scalars(
        sa.select(AvailabilitySlot).where(AvailabilitySlot.holder_id == person.id))}
    travels_to = set(session.scalars(sa.select(TravelDistrict.district).where(TravelDistrict.holder_id == person.id)))
    askers = {t.asker_id for t in things}
    districts = dict(session.execute(sa.select(Holder.id, Holder.postcode_district).where(Holder.id.in_(askers))).all())
    languages: dict[int, set[str]] = defaultdict(set)
    for holder_id, code in session.execute(sa.select(SpokenLanguage.holder_id, SpokenLanguage.code)
                                           .where(SpokenLanguage.holder_id.in_(askers))):
        languages[holder_id].add(code)
    related = related_category_ids(session, {w for t in things for w in t.wanted})
    weights = {bank_id: weights_of(session, bank_id) for bank_id in banks}

    suggestions = []
    for thing in things:
        scores = {
            "abilities": parts.ability_score(thing.wanted, related, held),
            "languages": parts.language_score(languages[thing.asker_id], spoken),
            "availability": parts.availability_score((thing.slot,), free),
            "travel": parts.travel_score(is_remote=thing.is_remote, district=districts.get(thing.asker_id),
                                         can_travel=profile.can_travel, home=person.postcode_district,
                                         travels_to=travels_to),
        }
        if scores["abilities"] == 0:
            continue
        suggestions.append(Suggestion(
            thing.kind, thing.id, thing.title, thing.day, thing.starts_at, thing.time_bank_id,
            round(parts.fit_score(weights[thing.time_bank_id], scores), 1), _reasons(scores)))
    suggestions.sort(key=lambda s: (-s.score, s.day, s.kind, s.id))
    start = (page - 1) * per_page
    return Page(items=suggestions[start:start + per_page], page=page, per_page=per_page, total=len(suggestions))


def _reasons(scores: dict[str, float]) -> list[Any]:
    words = {"abilities": _l("Uses what you can do"), "languages": _l("In a language you speak"),
             "availability": _l("At a time you said you are free"), "travel": _l("Near you, or you can help from home")}
    return [words[name] for name in FIT if scores[name] == 1]

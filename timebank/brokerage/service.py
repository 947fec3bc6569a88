"""Introductions: a broker puts candidates in front of a request or a role; both sides answer; an accepted
one becomes a pending exchange (a request) or a sign-up (a role). Only flushes; every action is audited.

* **The thing** is a request (an open listing of kind request) or a role of a published activity,
  perhaps one session of it. Its **other side** is the request's holder (a person, or an organisation's
  admins) or the organisation that runs the activity (its admins).
* **The day of the thing** is the session's UK date, the request's ``needed_on``, or — for a role with
  no session chosen — the soonest session still to come with a place (the one the sign-up will take),
  else today. Clearance is asked of ``safeguarding.service.require_clearance`` for that day, when the
  broker introduces and again when the candidate accepts.
* **Answering**: the candidate answers for themselves, the other side for itself; a broker of the bank
  may answer for either (``*_on_behalf``, shown as answered by a broker). A decline settles it at once;
  the second acceptance settles it as accepted and makes what it leads to, in the same unit of work:
  for a request, a pending exchange recorded through ``ledger.service.record_exchange`` (giver: the
  candidate, who proposes it; receiver: the requester's account, who confirms it); for a role, a sign-up
  through ``attendance.service.sign_up`` as the candidate (which checks clearance and places again).
* **Expiry**: a proposed introduction still unanswered after ``expires_on`` expires (``expire_stale``, a
  daily job); answering one past its day is refused even before the job has run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from timebank import dates
from timebank.activities.models import Activity, ActivitySession, ActivityStatus, Role, SignUp
from timebank.activities.service import role_titles, upcoming_sessions
from timebank.attendance import service as attendance
from timebank.audit import service as audit
from timebank.brokerage import errors
from timebank.brokerage.models import (
    DEFAULT_EXPIRY_DAYS,
    LIVE_STATES,
    MAX_MESSAGE,
    MAX_REASON,
    Answer,
    Introduction,
    IntroductionState,
)
from timebank.clock import uk_today
from timebank.i18n import local_text
from timebank.ledger import service as ledger
from timebank.ledger.models import Exchange
from timebank.listings.models import Listing, ListingKind, ListingStatus
from timebank.members import policy
from timebank.members.models import Holder, OrganisationAdmin, Person
from timebank.notices import service as notices
from timebank.notices.models import NoticeKind
from timebank.pagination import Page, paginate
from timebank.profiles.models import Profile
from timebank.safeguarding.clearances import Clearance
from timebank.safeguarding.service import require_clearance
from timebank.types import utcnow

#: The most people introduced to one thing in one go.
MAX_CANDIDATES = 20
#: The prefilled exchange's minutes when the request gave no estimate: an hour, which the requester
#: confirms or declines like any other exchange.
DEFAULT_MINUTES = 60
#: The latest a broker may set an introduction to expire.
MAX_EXPIRY_DAYS = 90


class Side:
    """Which side of an introduction answers."""

    CANDIDATE = "candidate"
    OTHER = "other"
    ALL = (CANDIDATE, OTHER)


@dataclass(frozen=True)
class Thing:
    """What candidates are introduced to, loaded once with what the rules need."""

    time_bank_id: int
    title: str
    #: The holder on the other side: the request's holder, or the activity's organisation.
    other_holder_id: int
    clearance: Clearance | None
    #: The day clearance must hold on (see the module's note).
    day: dt.date
    listing: Listing | None = None
    role: Role | None = None
    activity_session: ActivitySession | None = None
    #: A role's title in Welsh, where given (a request's title is in whatever language its member wrote).
    title_cy: str | None = None


@dataclass(frozen=True)
class NewIntroduction:
    candidate_ids: Sequence[int]
    listing_id: int | None = None
    role_id: int | None = None
    session_id: int | None = None
    message: str = ""
    expires_on: dt.date | None = None


# --- who --------------------------------------------------------------------------------------------


def require_a_broker(session: Session, actor: Person) -> None:
    """Introducing, notes and the dashboard are brokers' work: anyone who brokers no bank is refused first."""
    if not policy.broker_bank_ids(session, actor):
        raise errors.NotBrokerOfBank()


def require_broker_of(session: Session, actor: Person, time_bank_id: int) -> None:
    if not policy.is_broker(session, actor, time_bank_id):
        raise errors.NotBrokerOfBank()


def other_side_people(session: Session, holder_id: int) -> set[int]:
    """Who answers for the other side as themselves: the person, or the organisation's admins."""
    admins = set(session.scalars(sa.select(OrganisationAdmin.person_id)
                                 .where(OrganisationAdmin.organisation_id == holder_id)))
    return admins or {holder_id}


def _clean(text: str, limit: int, field: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise errors.TextTooLong(_l("Keep it to %(limit)s characters or fewer", limit=f"{limit:,}"), field=field)
    return text


# --- the thing --------------------------------------------------------------------------------------


def _soonest_open_session(session: Session, role: Role) -> ActivitySession | None:
    """The role's soonest session still to come, not cancelled, with a place left: the one a sign-up takes."""
    for entry in upcoming_sessions(session, [role.id]).get(role.id, []):
        if entry.activity_session.cancelled_at is None and entry.places_left > 0:
            return entry.activity_session
    return None


def _request(listing: Listing) -> Thing:
    # A request always has its day (``ck_listings_request_has_occasion``); today is the rule's fallback.
    return Thing(listing.time_bank_id, listing.title, listing.holder_id, None, listing.needed_on or uk_today(),
                 listing=listing)


def _role(session: Session, role: Role, chosen: ActivitySession | None) -> Thing:
    activity = role.activity
    dated = chosen or _soonest_open_session(session, role)
    day = attendance.session_day(dated) if dated is not None else uk_today()
    title, title_cy = role_titles(activity, role)
    return Thing(activity.time_bank_id, title, activity.organisation_id, role.clearance, day, role=role,
                 activity_session=chosen, title_cy=title_cy)


def default_expiry(thing: Thing, today: dt.date) -> dt.date:
    """``DEFAULT_EXPIRY_DAYS`` from today, but answered by the day before the thing when that comes sooner
    (an answer after the session is no answer)."""
    default = today + dt.timedelta(days=DEFAULT_EXPIRY_DAYS)
    return max(today, min(default, thing.day - dt.timedelta(days=1))) if thing.day > today else default


def load_thing(session: Session, *, listing_id: int | None, role_id: int | None,
               session_id: int | None) -> Thing:
    """The request or role (and session) an introduction is to, checked to be open."""
    if (listing_id is None) == (role_id is None):
        raise errors.OneThing(field="listing_id")
    if listing_id is not None:
        if session_id is not None:
            raise errors.SessionNotOfRole(field="session_id")
        listing = session.get(Listing, listing_id)
        if listing is None:
            raise errors.ThingNotFound(field="listing_id")
        if listing.kind is not ListingKind.REQUEST or listing.status is not ListingStatus.OPEN:
            raise errors.NotOpenRequest(field="listing_id")
        return _request(listing)
    role = session.get(Role, role_id)
    if role is None:
        raise errors.ThingNotFound(field="role_id")
    if role.activity.status is not ActivityStatus.PUBLISHED:
        raise errors.RoleNotOpen(field="role_id")
    chosen = None
    if session_id is not None:
        chosen = session.get(ActivitySession, session_id)
        if (chosen is None or chosen.role_id != role.id or chosen.cancelled_at is not None
                or attendance.has_started(chosen)):
            raise errors.SessionNotOfRole(field="session_id")
    return _role(session, role, chosen)


def thing_of(session: Session, introduction: Introduction) -> Thing:
    """The thing as it is now (without the open checks: a settled introduction still names it)."""
    if introduction.listing_id is not None:
        listing = session.get(Listing, introduction.listing_id)
        assert listing is not None
        return _request(listing)
    role = session.get(Role, introduction.role_id)
    assert role is not None
    return _role(session, role,
                 session.get(ActivitySession, introduction.session_id) if introduction.session_id else None)


# --- introducing ------------------------------------------------------------------------------------


def _check_candidate(session: Session, person_id: int, thing: Thing) -> Person:
    """The candidate, or the refusal that says why they cannot be introduced to the thing."""
    person = session.get(Person, person_id)
    account = ledger.account_of(session, person_id, thing.time_bank_id) if person is not None else None
    if person is None or account is None:
        raise errors.CandidateNotMember(field="candidate_ids")
    if person.pseudonymised_at is not None or account.closed_at is not None:
        raise errors.CandidateLeft(_l("%(name)s has left the time bank", name=person.display_name),
                                   field="candidate_ids")
    opted_in = session.scalar(sa.select(Profile.open_to_introductions).where(Profile.holder_id == person.id))
    if opted_in is False:
        raise errors.CandidateOptedOut(
            _l("%(name)s has asked not to be suggested for requests and roles", name=person.display_name),
            field="candidate_ids")
    if person.id == thing.other_holder_id or person.id in other_side_people(session, thing.other_holder_id):
        raise errors.CandidateIsRequester(field="candidate_ids")
    require_clearance(session, person, thing.time_bank_id, thing.clearance, thing.day, named=True,
                      field="candidate_ids")
    return person


def _live_for(session: Session, candidate_id: int, thing: Thing) -> Introduction | None:
    column = Introduction.listing_id if thing.listing is not None else Introduction.role_id
    thing_id = thing.listing.id if thing.listing is not None else thing.role.id  # type: ignore[union-attr]
    return session.scalar(sa.select(Introduction).where(
        Introduction.candidate_id == candidate_id, column == thing_id, Introduction.state.in_(LIVE_STATES)))


def introduce(session: Session, actor: Person, new: NewIntroduction) -> list[Introduction]:
    """Introduce each candidate to the thing: all of them, or (one refused) none."""
    require_a_broker(session, actor)
    thing = load_thing(session, listing_id=new.listing_id, role_id=new.role_id, session_id=new.session_id)
    require_broker_of(session, actor, thing.time_bank_id)
    candidate_ids = list(dict.fromkeys(new.candidate_ids))
    if not candidate_ids:
        raise errors.NoCandidates(field="candidate_ids")
    if len(candidate_ids) > MAX_CANDIDATES:
        raise errors.TooManyCandidates(field="candidate_ids")
    message = _clean(new.message, MAX_MESSAGE, "message")
    today = uk_today()
    expires_on = new.expires_on or default_expiry(thing, today)
    dates.planned(today, until=today + dt.timedelta(days=MAX_EXPIRY_DAYS)).check(expires_on, "expires_on")
    candidates = [_check_candidate(session, candidate_id, thing) for candidate_id in candidate_ids]
    for candidate in candidates:  # every refusal before anything is written
        if _live_for(session, candidate.id, thing) is not None:
            raise errors.AlreadyIntroduced(
                _l("%(name)s already has an introduction to this that is still open", name=candidate.display_name),
                field="candidate_ids")
    made = []
    for candidate in candidates:
        row = Introduction(
            time_bank_id=thing.time_bank_id, candidate_id=candidate.id,
            listing_id=thing.listing.id if thing.listing else None, role_id=thing.role.id if thing.role else None,
            session_id=thing.activity_session.id if thing.activity_session else None,
            message=message, introduced_by_id=actor.id, expires_on=expires_on,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # another broker introduced them at the same moment
            raise errors.AlreadyIntroduced(field="candidate_ids") from None
        audit.record(session, "brokerage.introduced", actor_id=actor.id, subject_type="introduction",
                     subject_id=row.id, time_bank_id=row.time_bank_id, candidate_id=candidate.id,
                     listing_id=row.listing_id, role_id=row.role_id, session_id=row.session_id,
                     expires_on=expires_on.isoformat())
        people = (notices.people_to_tell(session, candidate.id, row.time_bank_id)
                  | notices.people_to_tell(session, thing.other_holder_id, row.time_bank_id)) - {actor.id}
        notices.notify(session, people, NoticeKind.INTRODUCTION_MADE, row.id, f"introduction_made:{row.id}",
                       time_bank_id=row.time_bank_id)
        made.append(row)
    return made


# --- seeing -----------------------------------------------------------------------------------------


def sides_of(session: Session, actor: Person, introduction: Introduction, thing: Thing) -> set[str]:
    """The sides the actor answers for as themselves."""
    sides = set()
    if introduction.candidate_id == actor.id:
        sides.add(Side.CANDIDATE)
    if thing.other_holder_id in policy.own_holder_ids(session, actor):
        sides.add(Side.OTHER)
    return sides


@dataclass(frozen=True)
class IntroductionView:
    introduction: Introduction
    thing: Thing
    #: Sides the viewer answers for as themselves; a broker may answer for any side still to answer.
    own_sides: set[str]
    is_broker: bool

    @property
    def answerable(self) -> list[str]:
        """The sides the viewer may answer now (a broker: both, on behalf where not their own)."""
        if self.introduction.state is not IntroductionState.PROPOSED:
            return []
        open_sides = [side for side in Side.ALL if _answer_of(self.introduction, side) is None]
        return [side for side in open_sides if self.is_broker or side in self.own_sides]


def visible_introduction(session: Session, actor: Person, introduction_id: int) -> IntroductionView:
    """The introduction, for its candidate, its other side and the bank's brokers; nobody else sees it."""
    introduction = session.get(Introduction, introduction_id)
    if introduction is None:
        raise errors.IntroductionNotFound()
    thing = thing_of(session, introduction)
    own = sides_of(session, actor, introduction, thing)
    broker = policy.is_broker(session, actor, introduction.time_bank_id)
    if not own and not broker:
        raise errors.IntroductionNotFound()
    return IntroductionView(introduction, thing, own, broker)


# --- answering --------------------------------------------------------------------------------------


def _answer_of(introduction: Introduction, side: str) -> Answer | None:
    return introduction.candidate_answer if side == Side.CANDIDATE else introduction.other_answer


def _require_open(introduction: Introduction) -> None:
    if introduction.state is not IntroductionState.PROPOSED:
        raise errors.NotLive()
    if introduction.expires_on < uk_today():
        raise errors.Expired()


def answer(session: Session, actor: Person, introduction_id: int, side: str, given: Answer,
           reason: str = "") -> Introduction:
    """Record one side's answer, as that side or, for a broker, on its behalf; settle the introduction
    when it is declined or both have accepted."""
    view = visible_introduction(session, actor, introduction_id)
    introduction, thing = view.introduction, view.thing
    if side not in Side.ALL:
        raise errors.NotYourSide(field="side")
    on_behalf = side not in view.own_sides
    if on_behalf and not view.is_broker:
        raise errors.NotYourSide(field="side")
    _require_open(introduction)
    if _answer_of(introduction, side) is not None:
        raise errors.AlreadyAnswered()
    reason = _clean(reason, MAX_REASON, "reason")
    now = utcnow()
    if side == Side.CANDIDATE:
        if given is Answer.ACCEPTED:
            candidate = session.get(Person, introduction.candidate_id)
            assert candidate is not None
            require_clearance(session, candidate, thing.time_bank_id, thing.clearance, thing.day,
                              named=actor.id != candidate.id)
        introduction.candidate_answer, introduction.candidate_reason = given, reason
        introduction.candidate_answered_at, introduction.candidate_answered_by_id = now, actor.id
        introduction.candidate_on_behalf = on_behalf
    else:
        introduction.other_answer, introduction.other_reason = given, reason
        introduction.other_answered_at, introduction.other_answered_by_id = now, actor.id
        introduction.other_on_behalf = on_behalf
    if given is Answer.DECLINED:
        introduction.state, introduction.settled_at = IntroductionState.DECLINED, now
    elif introduction.candidate_answer is Answer.ACCEPTED and introduction.other_answer is Answer.ACCEPTED:
        introduction.state, introduction.settled_at = IntroductionState.ACCEPTED, now
        _lead_on(session, actor, introduction, thing)
    session.flush()
    audit.record(session, "brokerage.answered", actor_id=actor.id, subject_type="introduction",
                 subject_id=introduction.id, time_bank_id=introduction.time_bank_id, side=side, answer=given.value,
                 on_behalf=on_behalf, state=introduction.state.value)
    _tell_answered(session, actor, introduction, thing, side)
    return introduction


def _tell_answered(session: Session, actor: Person, introduction: Introduction, thing: Thing, side: str) -> None:
    """The broker who introduced them, and the side that did not just answer, hear of an answer."""
    bank = introduction.time_bank_id
    others = (notices.people_to_tell(session, thing.other_holder_id, bank) if side == Side.CANDIDATE
              else notices.people_to_tell(session, introduction.candidate_id, bank))
    people = (others | {introduction.introduced_by_id}) - {actor.id}
    notices.notify(session, people, NoticeKind.INTRODUCTION_ANSWERED, introduction.id,
                   f"introduction_answered:{introduction.id}:{side}", time_bank_id=introduction.time_bank_id)


def _lead_on(session: Session, actor: Person, introduction: Introduction, thing: Thing) -> None:
    """Make what an accepted introduction leads to, and name it on the row."""
    candidate = session.get(Person, introduction.candidate_id)
    assert candidate is not None
    if thing.listing is not None:
        introduction.exchange_id = _prefilled_exchange(session, actor, introduction, thing.listing).id
        return
    assert thing.role is not None
    target = thing.activity_session or _soonest_open_session(session, thing.role)
    if target is None:
        raise errors.NoSessionToJoin()
    # As the candidate: they agreed to come, and it is their place (the organisation's admins could not
    # sign someone else up). The service checks clearance and places once more.
    sign_up, _ = attendance.sign_up(session, candidate, target.id)
    introduction.sign_up_id = sign_up.id
    if introduction.session_id is None:
        introduction.session_id = target.id


def _prefilled_exchange(session: Session, actor: Person, introduction: Introduction, listing: Listing) -> Exchange:
    """The pending exchange for an accepted request: the candidate gives, the requester receives and
    confirms once the help is done. Dated the day it was needed, or today if that is still to come (an
    exchange records what happened, never the future)."""
    giver = ledger.require_account_of(session, introduction.candidate_id, listing.time_bank_id)
    receiver = ledger.require_account_of(session, listing.holder_id, listing.time_bank_id)
    today = uk_today()
    exchange, _ = ledger.record_exchange(
        session, proposer_account_id=giver.id, counterpart_account_id=receiver.id, proposer_is_giver=True,
        amount_minutes=listing.estimated_minutes or DEFAULT_MINUTES,
        occurred_on=min(listing.needed_on or today, today), category_id=listing.category_id,
        description=listing.title, recorded_by_id=actor.id, idempotency_key=f"introduction-{introduction.id}",
    )
    return exchange


def withdraw(session: Session, actor: Person, introduction_id: int) -> Introduction:
    """A broker of the bank takes back an introduction still waiting for its answers. Once both sides have
    accepted, what it led to (an exchange, a place) is theirs to cancel, so it cannot be withdrawn."""
    require_a_broker(session, actor)
    introduction = session.get(Introduction, introduction_id)
    if introduction is None:
        raise errors.IntroductionNotFound()
    require_broker_of(session, actor, introduction.time_bank_id)
    if introduction.state is not IntroductionState.PROPOSED:
        raise errors.NotLive()
    introduction.state = IntroductionState.WITHDRAWN
    introduction.settled_at = introduction.settled_at or utcnow()
    session.flush()
    audit.record(session, "brokerage.withdrawn", actor_id=actor.id, subject_type="introduction",
                 subject_id=introduction.id, time_bank_id=introduction.time_bank_id)
    return introduction


def expire_stale(session: Session, today: dt.date | None = None) -> int:
    """Expire every proposed introduction whose last day has passed; how many. Safe to run again."""
    today = today or uk_today()
    stale = list(session.scalars(sa.select(Introduction).where(
        Introduction.state == IntroductionState.PROPOSED, Introduction.expires_on < today)))
    now = utcnow()
    for introduction in stale:
        introduction.state, introduction.settled_at = IntroductionState.EXPIRED, now
        audit.record(session, "brokerage.expired", actor_id=None, subject_type="introduction",
                     subject_id=introduction.id, time_bank_id=introduction.time_bank_id)
    session.flush()
    return len(stale)


# --- lists ------------------------------------------------------------------------------------------


def _mine(session: Session, person: Person) -> sa.ColumnElement[bool]:
    """Introductions where the person is the candidate or answers for the other side."""
    own = policy.own_holder_ids(session, person)
    return sa.or_(
        Introduction.candidate_id == person.id,
        Introduction.listing_id.in_(sa.select(Listing.id).where(Listing.holder_id.in_(own))),
        Introduction.role_id.in_(sa.select(Role.id).join(Activity, Activity.id == Role.activity_id)
                                 .where(Activity.organisation_id.in_(own))),
    )


def my_introductions(session: Session, person: Person, *, page: int = 1, per_page: int = 20) -> Page[Introduction]:
    """The person's introductions, as candidate or requester, newest first."""
    query = (sa.select(Introduction).where(_mine(session, person))
             .order_by(Introduction.created_at.desc(), Introduction.id.desc()))
    return paginate(session, query, page=page, per_page=per_page)


def bank_introductions(session: Session, actor: Person, time_bank_id: int, *, state: IntroductionState | None = None,
                       page: int = 1, per_page: int = 20) -> Page[Introduction]:
    """A bank's introductions for its brokers, oldest first (the ones waiting longest at the top), by
    ``ix_introductions_bank_state``."""
    require_broker_of(session, actor, time_bank_id)
    query = sa.select(Introduction).where(Introduction.time_bank_id == time_bank_id)
    if state is not None:
        query = query.where(Introduction.state == state)
    return paginate(session, query.order_by(Introduction.created_at, Introduction.id), page=page, per_page=per_page)


@dataclass(frozen=True)
class Labels:
    """What a list of introductions shows beside each: names and the thing's title."""

    names: dict[int, str]
    #: A request's title as its member wrote it; "activity: role" in the reader's language (Welsh where given).
    titles: dict[int, str]


def labelled(session: Session, ids: Iterable[int]) -> tuple[dict[int, Introduction], Labels]:
    """These introductions with their candidates' names and things' titles, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}, Labels({}, {})
    rows = session.execute(
        sa.select(Introduction, Holder.display_name, Listing.title, Activity, Role)
        .join(Holder, Holder.id == Introduction.candidate_id)
        .outerjoin(Listing, Listing.id == Introduction.listing_id)
        .outerjoin(Role, Role.id == Introduction.role_id)
        .outerjoin(Activity, Activity.id == Role.activity_id)
        .where(Introduction.id.in_(wanted))
    ).all()
    return ({introduction.id: introduction for introduction, *_ in rows},
            Labels({introduction.candidate_id: name for introduction, name, *_ in rows},
                   {introduction.id: local_text(*role_titles(activity, role)) if role is not None else title or ""
                    for introduction, _, title, activity, role in rows}))


def labels_for(session: Session, introductions: Sequence[Introduction]) -> Labels:
    """Candidates' names and things' titles for a page of introductions, in one query."""
    return labelled(session, (i.id for i in introductions))[1]


def sign_up_of(session: Session, introduction: Introduction) -> SignUp | None:
    return session.get(SignUp, introduction.sign_up_id) if introduction.sign_up_id else None

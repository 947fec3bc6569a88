"""Taking part in a co-delivery activity: signing up for a session, the waiting list, cancelling,
marking attendance (which records and confirms one exchange per attendee), the member's upcoming
sessions and their private calendar address. Pages and the API both call these functions. Only flushes.

The rules that keep a session's list honest:

* One live sign-up per person per session (the partial UNIQUE index); asking again returns it.
* Booked places never exceed the session's places; everyone else waits, in the order they asked.
  Whenever a booked place is given up, the first person waiting takes it and is told.
* A place dropped with less notice than the role asks is told to the organisation's admins; a session
  called off is told to everyone who had a place or was waiting. Each notice is made once per sign-up.
* A member who leaves gives up every place and waiting-list entry on sessions not yet marked, even one
  under way (never late): their account is closed, so they could not be credited.
* Sign-ups and cancellations close when the session starts; attendance opens then, and is marked once.
* Safeguarding is judged on the session's date (``safeguarding.service.clearance_gaps``): at sign-up,
  when the waiting list moves (anyone whose clearance will not hold is passed over, stays waiting and is
  told), and at attendance, for everyone who came. Its organisers and the bank's brokers see every
  booking whose clearance will lapse before the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from timebank import dates
from timebank.activities import access
from timebank.activities import errors as activity_errors
from timebank.activities import service as activities
from timebank.activities.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    CalendarFeed,
    Role,
    RoleDirection,
    SignUp,
    SignUpStatus,
)
from timebank.attendance import errors
from timebank.audit import service as audit
from timebank.banks.models import TimeBank
from timebank.banks.service import brokered_bank
from timebank.clock import uk_day
from timebank.digests import digest, new_secret
from timebank.errors import DomainError
from timebank.ledger import service as ledger
from timebank.ledger.models import MAX_EXCHANGE_MINUTES, Account, Exchange, HolderKind
from timebank.members import policy
from timebank.members.models import ContactMethod, Person
from timebank.members.service import display_names
from timebank.money.models import MAX_ITEM
from timebank.money.service import add_redemption
from timebank.notices.models import NoticeKind
from timebank.notices.service import notify, people_to_tell
from timebank.pagination import Page, paginate
from timebank.picker import PICK_LIMIT, Candidate, pick
from timebank.receipts import RedeemedFor
from timebank.safeguarding.service import ClearanceGap, clearance_gaps, require_clearance
from timebank.types import utcnow

#: Sign-ups that hold or wait for a place (the partial UNIQUE index's "live").
LIVE = (SignUpStatus.BOOKED, SignUpStatus.WAITING, SignUpStatus.ATTENDED, SignUpStatus.ABSENT)
#: Sign-ups that take one of the session's places.
TAKING_A_PLACE = (SignUpStatus.BOOKED, SignUpStatus.ATTENDED, SignUpStatus.ABSENT)
#: Sign-ups still to be taken up: a place, or a waiting-list entry.
BOOKED_OR_WAITING = (SignUpStatus.BOOKED, SignUpStatus.WAITING)
#: How long a cancelled session stays in a calendar feed, marked cancelled, so phones notice.
CANCELLED_KEPT_IN_FEED = dt.timedelta(days=30)


# --- finding a session, and who may do what with it ------------------------------------------------


def visible_session(session: Session, actor: Person, session_id: int) -> ActivitySession:
    """The session, if the actor may see its activity; otherwise it does not exist for them."""
    activity_session = session.get(ActivitySession, session_id)
    if activity_session is None or not access.may_see(session, actor, activity_session.role.activity):
        raise errors.SessionNotFound()
    return activity_session


def run_session(session: Session, actor: Person, session_id: int) -> ActivitySession:
    """The session, if the actor runs its activity (its organisation's admins, the bank's brokers)."""
    activity_session = visible_session(session, actor, session_id)
    if not access.may_run(session, actor, activity_session.role.activity):
        raise errors.NotOrganiser()
    return activity_session


def _locked(session: Session, activity_session: ActivitySession) -> ActivitySession:
    """Lock the session row, so sign-ups and cancellations on one session queue behind each other."""
    return session.execute(
        sa.select(ActivitySession).where(ActivitySession.id == activity_session.id)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def has_started(activity_session: ActivitySession, now: dt.datetime | None = None) -> bool:
    return (now or utcnow()) >= activity_session.starts_at


def _target(session: Session, actor: Person, activity: Activity, person_id: int | None) -> Person:
    """Who the sign-up is for: the actor, or — for a broker of the bank — a member they choose."""
    if person_id is None or person_id == actor.id:
        return actor
    if not policy.is_broker(session, actor, activity.time_bank_id):
        raise errors.NotBrokerForOthers()
    person = session.get(Person, person_id)
    if (
        person is None
        or person.pseudonymised_at is not None
        or ledger.account_of(session, person.id, activity.time_bank_id) is None
    ):
        raise errors.NotAMember(_l("Choose a member of this time bank from the list"))
    return person


def _live_sign_up(session: Session, session_id: int, person_id: int) -> SignUp | None:
    return session.scalar(
        sa.select(SignUp).where(SignUp.session_id == session_id, SignUp.person_id == person_id,
                                SignUp.status != SignUpStatus.CANCELLED)
    )


def _count(session: Session, session_id: int, statuses: Sequence[SignUpStatus]) -> int:
    return session.scalar(
        sa.select(sa.func.count(SignUp.id)).where(SignUp.session_id == session_id, SignUp.status.in_(statuses))
    ) or 0


def places_left(session: Session, activity_session: ActivitySession) -> int:
    return max(0, activity_session.places - _count(session, activity_session.id, TAKING_A_PLACE))


def waiting_position(session: Session, sign_up: SignUp) -> int | None:
    """1 for the first person waiting; ``None`` for anyone not on the waiting list."""
    if sign_up.status is not SignUpStatus.WAITING:
        return None
    return session.scalar(
        sa.select(sa.func.count(SignUp.id)).where(
            SignUp.session_id == sign_up.session_id, SignUp.status == SignUpStatus.WAITING, SignUp.id <= sign_up.id
        )
    )


# --- signing up and cancelling ---------------------------------------------------------------------


def _require_open(activity_session: ActivitySession, activity: Activity) -> None:
    if activity.status is not ActivityStatus.PUBLISHED:
        raise errors.ActivityNotOpen()
    if activity_session.cancelled_at is not None:
        raise errors.SessionCancelled()
    if has_started(activity_session):
        raise errors.SessionStarted()


def session_day(activity_session: ActivitySession) -> dt.date:
    """The UK date the session falls on: the day its clearance must hold."""
    return uk_day(activity_session.starts_at)


def _without_credits_allowed(session: Session, activity_session: ActivitySession) -> bool:
    """The bank lets organisers record that someone without the role's clearance came, with no credits."""
    bank = session.get(TimeBank, activity_session.role.activity.time_bank_id)
    return bank is not None and bank.attendance_without_clearance


def _gaps(session: Session, activity_session: ActivitySession, person_ids: Iterable[int], *,
          day: dt.date | None = None) -> dict[int, ClearanceGap]:
    """Person id → why they will not hold the clearance the session's role needs on its date (or on ``day``,
    a date it may move to)."""
    clearance = activity_session.role.clearance
    if clearance is None:
        return {}
    day = day or session_day(activity_session)
    found = clearance_gaps(session, activity_session.role.activity.time_bank_id,
                           [(pid, clearance, day) for pid in person_ids])
    return {gap.person_id: gap for gap in found.values()}


def sign_up(session: Session, actor: Person, session_id: int, person_id: int | None = None) -> tuple[SignUp, bool]:
    """Book a place for the actor (or, for a broker, a member), or put them on the waiting list when
    the session is full. Returns ``(sign_up, created)``: asking again returns the live sign-up."""
    activity_session = visible_session(session, actor, session_id)
    activity = activity_session.role.activity
    person = _target(session, actor, activity, person_id)
    existing = _live_sign_up(session, activity_session.id, person.id)
    if existing is not None:
        return existing, False
    _require_open(activity_session, activity)
    if ledger.account_of(session, person.id, activity.time_bank_id) is None:
        raise errors.NotAMember()
    require_clearance(session, person, activity.time_bank_id, activity_session.role.clearance,
                      session_day(activity_session), named=person.id != actor.id,
                      field="person_id" if person.id != actor.id else None)

    locked = _locked(session, activity_session)
    status = SignUpStatus.BOOKED if places_left(session, locked) > 0 else SignUpStatus.WAITING
    row = SignUp(session_id=activity_session.id, person_id=person.id, status=status, signed_up_by_id=actor.id)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # The same person's other request got in first: theirs is the one sign-up.
        existing = _live_sign_up(session, activity_session.id, person.id)
        if existing is None:
            raise
        return existing, False
    audit.record(session, "attendance.signed_up", actor_id=actor.id, subject_type="sign_up", subject_id=row.id,
                 time_bank_id=activity.time_bank_id, session_id=activity_session.id, person_id=person.id,
                 status=status.value, on_behalf=person.id != actor.id)
    return row, True


@dataclass(frozen=True)
class Cancellation:
    sign_up: SignUp
    #: Less notice than the role asks for (recorded, never penalised).
    late: bool
    #: The people the waiting list moved onto the session.
    promoted: list[SignUp]
    #: False when it had already been cancelled (the button pressed twice).
    changed: bool


def cancel_sign_up(session: Session, actor: Person, session_id: int, person_id: int | None = None) -> Cancellation:
    """Give up a place (or leave the waiting list), for the actor or, for a broker, a member. A place
    given up goes to the first person waiting, who is told; with less notice than the role asks, the
    organisation running the activity is told too."""
    activity_session = visible_session(session, actor, session_id)
    activity = activity_session.role.activity
    person = _target(session, actor, activity, person_id)
    activity_session = _locked(session, activity_session)
    live = _live_sign_up(session, activity_session.id, person.id)
    if live is None:
        earlier = session.scalar(
            sa.select(SignUp).where(SignUp.session_id == activity_session.id, SignUp.person_id == person.id)
            .order_by(SignUp.id.desc()).limit(1)
        )
        if earlier is None:
            raise errors.NotSignedUp()
        return Cancellation(earlier, earlier.cancelled_late, [], changed=False)
    if activity_session.attendance_marked_at is not None:
        raise _already_marked(activity_session)
    if has_started(activity_session):
        raise errors.SessionStarted()
    return _give_up(session, actor, activity_session, live, counts_late=True)


def _give_up(session: Session, actor: Person, activity_session: ActivitySession, live: SignUp, *, counts_late: bool,
             **details: Any) -> Cancellation:
    """Cancel a live sign-up on a locked session that has not started; the first person waiting takes a
    booked place given up. A late cancellation (only when ``counts_late``) is told to the organisers."""
    activity = activity_session.role.activity
    now = utcnow()
    was_booked = live.status is SignUpStatus.BOOKED
    notice = dt.timedelta(hours=activity_session.role.release_notice_hours)
    late = counts_late and was_booked and now > activity_session.starts_at - notice
    live.status, live.cancelled_at, live.cancelled_late = SignUpStatus.CANCELLED, now, late
    session.flush()
    promoted = fill_free_places(session, activity_session) if was_booked else []
    if late:
        _tell(session, activity.organisation_id, activity.time_bank_id, NoticeKind.SIGN_UP_CANCELLED_LATE, live)
    audit.record(session, "attendance.cancelled", actor_id=actor.id, subject_type="sign_up", subject_id=live.id,
                 time_bank_id=activity.time_bank_id, session_id=activity_session.id, person_id=live.person_id,
                 late=late, on_behalf=live.person_id != actor.id, promoted=[s.id for s in promoted], **details)
    return Cancellation(live, late, promoted, changed=True)


def cancel_for_leaver(session: Session, actor: Person, person: Person) -> list[Cancellation]:
    """Cancel every place and waiting-list entry a member who is leaving holds on sessions whose
    attendance is not yet marked, in any bank (never counted as late). Each place given up on a session
    still to come goes to the first person waiting. A session already under way loses them too: their
    account is closed, so they could not be credited, and its organisers' list should not offer them.
    The caller has checked that the actor may make this person leave."""
    rows = list(session.scalars(
        sa.select(SignUp).join(ActivitySession, ActivitySession.id == SignUp.session_id)
        .where(SignUp.person_id == person.id, SignUp.status.in_(BOOKED_OR_WAITING),
               ActivitySession.cancelled_at.is_(None), ActivitySession.attendance_marked_at.is_(None))
        .order_by(ActivitySession.starts_at, SignUp.id)
    ))
    cancelled = []
    for row in rows:
        activity_session = _locked(session, row.activity_session)
        live = _live_sign_up(session, activity_session.id, person.id)
        if live is None or live.status not in BOOKED_OR_WAITING or activity_session.attendance_marked_at is not None:
            continue
        cancelled.append(_give_up(session, actor, activity_session, live, counts_late=False, reason="left"))
    return cancelled


def _tell(session: Session, holder_id: int, time_bank_id: int, kind: NoticeKind, row: SignUp, *,
          occasion: str = "") -> None:
    """A notice about a sign-up to the holder concerned (``people_to_tell``), made once per sign-up and kind
    (and ``occasion``, for news that can come more than once)."""
    notify(session, people_to_tell(session, holder_id, time_bank_id), kind, row.id,
           key=f"{kind.value}:{row.id}{occasion and ':' + occasion}", time_bank_id=time_bank_id)


def fill_free_places(session: Session, activity_session: ActivitySession) -> list[SignUp]:
    """Move people from the waiting list onto the session, first come first served, while places are
    free; tell each of them. Anyone whose clearance will not hold on the session's date is passed over:
    they stay waiting, and are told why (once), and the next person moves up. Returns who moved. Call
    with the session locked."""
    if activity_session.cancelled_at is not None or has_started(activity_session):
        return []
    free = places_left(session, activity_session)
    if free <= 0:
        return []
    waiting = list(session.scalars(
        sa.select(SignUp).where(SignUp.session_id == activity_session.id, SignUp.status == SignUpStatus.WAITING)
        .order_by(SignUp.id)
    ))
    gaps = _gaps(session, activity_session, [row.person_id for row in waiting])
    time_bank_id = activity_session.role.activity.time_bank_id
    moved: list[SignUp] = []
    for row in waiting:
        if len(moved) == free:
            break
        if row.person_id in gaps:
            _tell(session, row.person_id, time_bank_id, NoticeKind.PLACE_NEEDS_CLEARANCE, row)
            continue
        row.status = SignUpStatus.BOOKED
        moved.append(row)
        _tell(session, row.person_id, time_bank_id, NoticeKind.SESSION_PLACE, row)
    session.flush()
    return moved


def cancel_session(session: Session, actor: Person, session_id: int) -> ActivitySession:
    """The organiser calls the whole session off: every place and waiting-list entry is cancelled
    (never counted as late) and each person is told. Pressing it twice changes nothing more."""
    activity_session = _locked(session, run_session(session, actor, session_id))
    if activity_session.attendance_marked_at is not None:
        raise _already_marked(activity_session)
    if activity_session.cancelled_at is not None:
        return activity_session
    now = utcnow()
    activity_session.cancelled_at = now
    live = list(session.scalars(
        sa.select(SignUp).where(SignUp.session_id == activity_session.id,
                                SignUp.status.in_((SignUpStatus.BOOKED, SignUpStatus.WAITING)))
    ))
    activity = activity_session.role.activity
    for row in live:
        row.status, row.cancelled_at, row.cancelled_late = SignUpStatus.CANCELLED, now, False
        _tell(session, row.person_id, activity.time_bank_id, NoticeKind.SESSION_CANCELLED, row)
    session.flush()
    audit.record(session, "attendance.session_cancelled", actor_id=actor.id, subject_type="activity_session",
                 subject_id=activity_session.id, time_bank_id=activity.time_bank_id, sign_ups_cancelled=len(live))
    return activity_session


@dataclass(frozen=True)
class SessionMove:
    """A session's new day, times (UK) and place; what is unchanged is given as it is."""

    on: dt.date
    start_time: dt.time
    end_time: dt.time
    place: str = ""
    is_remote: bool = False


def move_session(session: Session, actor: Person, session_id: int, move: SessionMove) -> ActivitySession:
    """The organiser moves a session still to come to another time or place. Everyone booked or waiting is
    told (once for each move). A session whose role needs a clearance moves to another day only if every
    booked person will hold it on that day (``clearance_gaps``, with the new date); otherwise the organiser
    is told how many would not, and the session stays as it was."""
    activity_session = _locked(session, run_session(session, actor, session_id))
    if activity_session.cancelled_at is not None:
        raise errors.SessionCancelled()
    if has_started(activity_session):
        raise errors.SessionStarted()
    if move.end_time <= move.start_time:
        raise activity_errors.EndsBeforeStart()
    dates.planned().check(move.on, "on")
    starts_at, ends_at = activities.uk_moment(move.on, move.start_time), activities.uk_moment(move.on, move.end_time)
    if starts_at <= utcnow():
        raise errors.MoveIntoThePast()
    new = {"starts_at": starts_at, "ends_at": ends_at, "place": activities.clean_place(move.place),
           "is_remote": move.is_remote}
    changes = {name: [str(getattr(activity_session, name)), str(value)] for name, value in new.items()
               if getattr(activity_session, name) != value}
    if not changes:
        return activity_session
    live = list(session.scalars(sa.select(SignUp).where(SignUp.session_id == activity_session.id,
                                                        SignUp.status.in_(BOOKED_OR_WAITING)).order_by(SignUp.id)))
    if (day := uk_day(starts_at)) != session_day(activity_session):
        booked = [row.person_id for row in live if row.status is SignUpStatus.BOOKED]
        if gaps := _gaps(session, activity_session, booked, day=day):
            raise errors.MoveNeedsClearance(len(gaps))
    for name, value in new.items():
        setattr(activity_session, name, value)
    session.flush()
    activity = activity_session.role.activity
    occasion = utcnow().isoformat()
    for row in live:
        _tell(session, row.person_id, activity.time_bank_id, NoticeKind.SESSION_CHANGED, row, occasion=occasion)
    audit.record(session, "attendance.session_moved", actor_id=actor.id, subject_type="activity_session",
                 subject_id=activity_session.id, time_bank_id=activity.time_bank_id, changes=changes,
                 told=len(live))
    return activity_session


# --- attendance ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One line of the attendance list: did the person come, and for how many minutes' credit
    (``None``: the role's usual amount)."""

    person_id: int
    attended: bool
    minutes: int | None = None


@dataclass(frozen=True)
class AttendanceResult:
    activity_session: ActivitySession
    exchanges: list[Exchange]
    absent: int
    #: The people recorded as having come with no credits (no clearance on the day; the bank allows it).
    without_credits: list[int] = field(default_factory=list)

    @property
    def attended(self) -> int:
        return len(self.exchanges) + len(self.without_credits)

    @property
    def total_minutes(self) -> int:
        return sum(exchange.amount_minutes for exchange in self.exchanges)


def usual_minutes(activity_session: ActivitySession) -> int:
    """The credit for attending: the role's amount, or else the session's length (at most a day)."""
    if activity_session.role.credit_minutes is not None:
        return activity_session.role.credit_minutes
    return min(max(activity_session.length_minutes, 1), MAX_EXCHANGE_MINUTES)


def describe(activity_session: ActivitySession) -> str:
    """What the exchanges and redemptions from this session say: "activity – role"."""
    return f"{activity_session.role.activity.title} – {activity_session.role.title}"


def _already_marked(activity_session: ActivitySession) -> errors.AttendanceAlreadyMarked:
    assert activity_session.attendance_marked_at is not None
    return errors.AttendanceAlreadyMarked(format_date(uk_day(activity_session.attendance_marked_at)))


def _require_markable(activity_session: ActivitySession) -> None:
    if activity_session.cancelled_at is not None:
        raise errors.SessionCancelled()
    if activity_session.attendance_marked_at is not None:
        raise _already_marked(activity_session)
    if not has_started(activity_session):
        raise errors.SessionNotStarted()


def _check_list(session: Session, marks: Sequence[Mark], booked: dict[int, SignUp]) -> None:
    seen: set[int] = set()
    for mark in marks:
        if mark.person_id in seen:
            name = display_names(session, [mark.person_id]).get(mark.person_id, str(mark.person_id))
            raise errors.InvalidAttendance(_l("%(name)s is on the list twice", name=name))
        seen.add(mark.person_id)
    missing = sorted(set(booked) - seen)
    if missing:
        name = display_names(session, missing[:1]).get(missing[0], str(missing[0]))
        raise errors.InvalidAttendance(_l("Say whether %(name)s came", name=name))


def mark_attendance(session: Session, actor: Person, session_id: int, marks: Sequence[Mark]) -> AttendanceResult:
    """Record who came, in one step: for each attendee one exchange between the organisation and them
    (the organisation receives the help and the member earns; for a spend partner's session the member
    pays), confirmed at once for the member. Walk-ins (people with no place) are added as they come.
    If anyone's hours cannot be recorded, nothing at all is: the whole list is refused, naming them.

    Everyone who came must hold the clearance the role needs on the session's date, walk-ins as much
    as those booked. Where the bank allows it, someone who does not is recorded as having come with no
    credits (no exchange); otherwise the list is refused with the sign-up's reason, naming them."""
    activity_session = _locked(session, run_session(session, actor, session_id))
    _require_markable(activity_session)
    role, activity = activity_session.role, activity_session.role.activity
    live = {row.person_id: row for row in session.scalars(
        sa.select(SignUp).where(SignUp.session_id == activity_session.id, SignUp.status.in_(LIVE)))}
    _check_list(session, marks, {pid: row for pid, row in live.items() if row.status is SignUpStatus.BOOKED})
    organisation_account = ledger.account_of(session, activity.organisation_id, activity.time_bank_id)
    if organisation_account is None:
        raise errors.OrganiserHasNoAccount(_l("The organisation running this activity has no time account in this "
                                              "bank. Ask a broker to add it."))
    names = display_names(session, [mark.person_id for mark in marks])
    gaps = _gaps(session, activity_session, [mark.person_id for mark in marks if mark.attended])
    may_come_without_credits = _without_credits_allowed(session, activity_session)
    exchanges: list[Exchange] = []
    without_credits: list[int] = []
    absent = walk_ins = 0
    with session.begin_nested():
        for mark in marks:
            row = live.get(mark.person_id)
            if not mark.attended:
                if row is not None and row.status is SignUpStatus.BOOKED:
                    row.status = SignUpStatus.ABSENT
                    absent += 1
                continue
            name = names.get(mark.person_id, str(mark.person_id))
            account = _attendee_account(session, activity_session, mark.person_id, name)
            gap = gaps.get(mark.person_id)
            if gap is not None and not may_come_without_credits:
                raise errors.AttendeeNotRecorded(gap.refusal(name).message, person_id=mark.person_id,
                                                about_the_person=True)
            exchange = None if gap is not None else _credit(session, actor, activity_session, organisation_account,
                                                            account, mark, name)
            if row is None:
                row = SignUp(session_id=activity_session.id, person_id=mark.person_id, signed_up_by_id=actor.id)
                session.add(row)
                walk_ins += 1
            row.status, row.without_credits = SignUpStatus.ATTENDED, exchange is None
            if exchange is None:
                without_credits.append(mark.person_id)
            else:
                row.exchange_id = exchange.id
                exchanges.append(exchange)
        activity_session.attendance_marked_at, activity_session.attendance_marked_by_id = utcnow(), actor.id
        session.flush()
    result = AttendanceResult(activity_session, exchanges, absent, without_credits)
    audit.record(session, "attendance.marked", actor_id=actor.id, subject_type="activity_session",
                 subject_id=activity_session.id, time_bank_id=activity.time_bank_id, attended=result.attended,
                 absent=absent, total_minutes=result.total_minutes, walk_ins=walk_ins,
                 role_direction=role.direction.value, without_credits=without_credits)
    return result


def _attendee_account(session: Session, activity_session: ActivitySession, person_id: int, name: str) -> Account:
    """The attendee's account in the session's bank; only the bank's residents can be marked as coming."""
    account = ledger.account_of(session, person_id, activity_session.role.activity.time_bank_id)
    if account is None or account.holder_kind is not HolderKind.RESIDENT:
        raise errors.AttendeeNotRecorded(_l("%(name)s is not a member of this time bank", name=name),
                                         person_id=person_id, about_the_person=True)
    return account


def _credit(session: Session, actor: Person, activity_session: ActivitySession, organisation_account: Account,
            account: Account, mark: Mark, name: str) -> Exchange:
    """One attendee's exchange, recorded and confirmed for them; any refusal names the person."""
    role, activity = activity_session.role, activity_session.role.activity
    spends = role.direction is RoleDirection.SPENDS
    occurred_on = session_day(activity_session)
    try:
        exchange, _created = ledger.record_exchange(
            session,
            proposer_account_id=organisation_account.id,
            counterpart_account_id=account.id,
            proposer_is_giver=spends,
            amount_minutes=mark.minutes if mark.minutes is not None else usual_minutes(activity_session),
            occurred_on=occurred_on,
            category_id=role.category_id,
            description=describe(activity_session),
            recorded_by_id=actor.id,
            idempotency_key=f"attendance-{activity_session.id}-{mark.person_id}",
            source=ledger.Source(activity.id, role.id, activity_session.id),
        )
        ledger.confirm_exchange(session, exchange.id, actor_id=actor.id, acting_for_account_id=account.id)
        if spends:
            add_redemption(session, exchange=exchange, person_id=mark.person_id, partner_id=activity.organisation_id,
                           item=describe(activity_session)[:MAX_ITEM], redeemed_for=RedeemedFor.TIME_BASED_ACTIVITY,
                           occurred_on=occurred_on, recorded_by_id=actor.id)
    except DomainError as error:
        raise errors.AttendeeNotRecorded(_l("%(name)s: %(reason)s", name=name, reason=error.message),
                                         person_id=mark.person_id) from error
    return exchange


# --- what the pages show ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A sign-up on an organiser's list, with what they need to get in touch."""

    sign_up: SignUp
    name: str
    phone: str | None
    email: str | None
    #: The member asked to be contacted through their broker.
    via_broker: bool
    position: int | None
    #: For a place or a waiting-list entry: why the clearance the role needs will not hold on the day.
    clearance_gap: ClearanceGap | None = None


@dataclass(frozen=True)
class SessionView:
    activity_session: ActivitySession
    role: Role
    activity: Activity
    organisation_name: str
    place: str
    places_left: int
    #: The actor's own live sign-up, and their place in the queue when waiting.
    mine: SignUp | None
    my_position: int | None
    may_run: bool
    #: A broker of the bank may sign members up and cancel for them.
    may_act_for_others: bool
    #: Every sign-up by status; empty unless the actor runs the session or brokers the bank.
    lists: dict[SignUpStatus, list[Entry]]
    #: The people a cancelled session left without a place (to ring).
    to_tell: list[Entry]
    started: bool
    marked_by_name: str
    #: Why the actor, with no place yet, could not sign up for want of a clearance on the day (told
    #: before they try, instead of a Sign up button that can only be refused).
    my_clearance_gap: ClearanceGap | None = None

    @property
    def lapsing(self) -> list[Entry]:
        """Places and waiting-list entries whose clearance will not hold on the day (organisers, brokers)."""
        return [entry for status in BOOKED_OR_WAITING for entry in self.lists[status]
                if entry.clearance_gap is not None]


def session_view(session: Session, actor: Person, session_id: int) -> SessionView:
    activity_session = visible_session(session, actor, session_id)
    role, activity = activity_session.role, activity_session.role.activity
    may_run = access.may_run(session, actor, activity)
    is_broker = policy.is_broker(session, actor, activity.time_bank_id)
    mine = _live_sign_up(session, activity_session.id, actor.id)
    lists: dict[SignUpStatus, list[Entry]] = {status: [] for status in SignUpStatus}
    to_tell: list[Entry] = []
    if may_run or is_broker:
        for entry in _entries(session, activity_session):
            lists[entry.sign_up.status].append(entry)
            cancelled_at, called_off = entry.sign_up.cancelled_at, activity_session.cancelled_at
            if called_off is not None and cancelled_at is not None and cancelled_at >= called_off:
                to_tell.append(entry)
    names = display_names(session, [activity.organisation_id, activity_session.attendance_marked_by_id])
    return SessionView(
        activity_session=activity_session, role=role, activity=activity,
        organisation_name=names.get(activity.organisation_id, ""),
        place=activity_session.place or activity.place, places_left=places_left(session, activity_session), mine=mine,
        my_position=waiting_position(session, mine) if mine is not None else None, may_run=may_run,
        may_act_for_others=is_broker, lists=lists, to_tell=to_tell, started=has_started(activity_session),
        marked_by_name=names.get(activity_session.attendance_marked_by_id or 0, ""),
        my_clearance_gap=None if mine is not None else _gaps(session, activity_session, [actor.id]).get(actor.id),
    )


def _entries(session: Session, activity_session: ActivitySession) -> list[Entry]:
    rows = session.execute(
        sa.select(SignUp, Person).join(Person, Person.id == SignUp.person_id)
        .where(SignUp.session_id == activity_session.id).order_by(SignUp.id)
    ).all()
    gaps = _gaps(session, activity_session, [row.person_id for row, _person in rows if row.status in BOOKED_OR_WAITING])
    entries, waiting = [], 0
    for row, person in rows:
        if row.status is SignUpStatus.WAITING:
            waiting += 1
        entries.append(Entry(row, person.display_name, person.phone, person.email,
                             person.contact_by is ContactMethod.BROKER,
                             waiting if row.status is SignUpStatus.WAITING else None,
                             gaps.get(row.person_id) if row.status in BOOKED_OR_WAITING else None))
    return entries


def member_choices(session: Session, activity_session: ActivitySession, text: str = "", *,
                   exclude_statuses: Sequence[SignUpStatus], limit: int = PICK_LIMIT + 1,
                   only: Collection[int] | None = None) -> list[Candidate[None]]:
    """Residents of the activity's bank (person ids), by name, leaving out those whose sign-up has one of these
    statuses: those whose name contains ``text``, at most ``limit``, or those of ``only`` (``picker.pick``)."""
    time_bank_id = activity_session.role.activity.time_bank_id
    taken = sa.select(SignUp.person_id).where(SignUp.session_id == activity_session.id,
                                              SignUp.status.in_(exclude_statuses))
    rows = pick(
        session,
        sa.select(Person.id, Person.display_name, Person.postcode_district)
        .join(Account, Account.holder_id == Person.id)
        .where(Account.time_bank_id == time_bank_id, Person.pseudonymised_at.is_(None), Person.id.not_in(taken)),
        key=Person.id, name=Person.display_name, text=text, limit=limit, only=only,
    )
    return [Candidate(person_id, name, district) for person_id, name, district in rows]


@dataclass(frozen=True)
class AttendanceSheet:
    activity_session: ActivitySession
    #: The people with a place, by name: each is on the form, ticked as having come.
    booked: list[tuple[int, str]]
    usual_minutes: int
    #: Person id → why someone booked will not hold the role's clearance on the session's date.
    clearance_gaps: dict[int, ClearanceGap]
    #: The bank lets such a person be recorded as having come, with no credits.
    without_credits_allowed: bool


def attendance_sheet(session: Session, actor: Person, session_id: int) -> AttendanceSheet:
    """What the attendance form starts from, once the session has started and while it is unmarked."""
    activity_session = run_session(session, actor, session_id)
    _require_markable(activity_session)
    booked = session.execute(
        sa.select(Person.id, Person.display_name).join(SignUp, SignUp.person_id == Person.id)
        .where(SignUp.session_id == activity_session.id, SignUp.status == SignUpStatus.BOOKED)
        .order_by(Person.display_name)
    ).all()
    return AttendanceSheet(
        activity_session=activity_session, booked=[(person_id, name) for person_id, name in booked],
        usual_minutes=usual_minutes(activity_session),
        clearance_gaps=_gaps(session, activity_session, [person_id for person_id, _name in booked]),
        without_credits_allowed=_without_credits_allowed(session, activity_session),
    )


@dataclass(frozen=True)
class LapsingBooking:
    """A place or waiting-list entry whose clearance will not hold on the session's date."""

    sign_up: SignUp
    activity_session: ActivitySession
    name: str
    gap: ClearanceGap


def bookings_needing_clearance(session: Session, actor: Person, time_bank_id: int) -> list[LapsingBooking]:
    """For the bank's brokers: places and waiting-list entries on sessions still to come whose role
    needs a clearance the person will not hold on the session's date (most often a DBS check running
    out first), soonest first, so they can renew the check or find someone else in time."""
    bank = brokered_bank(session, actor, time_bank_id)
    rows = session.execute(
        sa.select(SignUp, ActivitySession, Role, Person.display_name)
        .join(ActivitySession, ActivitySession.id == SignUp.session_id)
        .join(Role, Role.id == ActivitySession.role_id)
        .join(Activity, Activity.id == Role.activity_id)
        .join(Person, Person.id == SignUp.person_id)
        .where(Activity.time_bank_id == bank.id, Role.clearance.is_not(None),
               SignUp.status.in_(BOOKED_OR_WAITING),
               ActivitySession.cancelled_at.is_(None), ActivitySession.starts_at > utcnow())
        .order_by(ActivitySession.starts_at, SignUp.id)
    ).all()
    needs = {row.id: (row.person_id, role.clearance, session_day(activity_session))
             for row, activity_session, role, _name in rows if role.clearance is not None}
    gaps = clearance_gaps(session, bank.id, needs.values())
    return [LapsingBooking(row, activity_session, name, gaps[needs[row.id]])
            for row, activity_session, _role, name in rows if needs[row.id] in gaps]


@dataclass(frozen=True)
class SheetLine:
    name: str
    account_id: int


@dataclass(frozen=True)
class SignInSheet:
    activity_session: ActivitySession
    organisation_name: str
    bank_name: str
    place: str
    people: list[SheetLine]


def sign_in_sheet(session: Session, actor: Person, session_id: int) -> SignInSheet:
    """Everyone with a place, with their member number (their account in the bank), for the paper sheet."""
    activity_session = run_session(session, actor, session_id)
    activity = activity_session.role.activity
    rows = session.execute(
        sa.select(Person.display_name, Account.id)
        .join(SignUp, SignUp.person_id == Person.id)
        .join(Account, sa.and_(Account.holder_id == Person.id, Account.time_bank_id == activity.time_bank_id))
        .where(SignUp.session_id == activity_session.id, SignUp.status.in_(TAKING_A_PLACE))
        .order_by(Person.display_name)
    ).all()
    bank = session.get(TimeBank, activity.time_bank_id)
    return SignInSheet(
        activity_session=activity_session,
        organisation_name=display_names(session, [activity.organisation_id]).get(activity.organisation_id, ""),
        bank_name=bank.name if bank else "", place=activity_session.place or activity.place,
        people=[SheetLine(name, account_id) for name, account_id in rows],
    )


# --- my sessions and the calendar feed -------------------------------------------------------------


def _with_activity(query: sa.Select[tuple[SignUp]]) -> sa.Select[tuple[SignUp]]:
    return query.join(ActivitySession, ActivitySession.id == SignUp.session_id).options(
        selectinload(SignUp.activity_session).selectinload(ActivitySession.role).selectinload(Role.activity)
    )


def still_to_come(person_id: int, now: dt.datetime) -> sa.ColumnElement[bool]:
    """A person's places and waiting-list entries on sessions that have not ended (sign-ups joined to their
    sessions), which ``upcoming`` lists and a member's home shows the first few of."""
    return sa.and_(SignUp.person_id == person_id, SignUp.status.in_((SignUpStatus.BOOKED, SignUpStatus.WAITING)),
                   ActivitySession.ends_at > now, ActivitySession.cancelled_at.is_(None))


def upcoming(session: Session, person: Person, *, page: int = 1, per_page: int = 20) -> Page[SignUp]:
    """The person's places and waiting-list entries on sessions that have not ended, soonest first."""
    query = _with_activity(sa.select(SignUp)).where(still_to_come(person.id, utcnow())).order_by(
        ActivitySession.starts_at, SignUp.id)
    return paginate(session, query, page=page, per_page=per_page)


def organisation_names(session: Session, sign_ups: Sequence[SignUp]) -> dict[int, str]:
    return display_names(session, [row.activity_session.role.activity.organisation_id for row in sign_ups])


def feed_sign_ups(session: Session, person: Person, now: dt.datetime | None = None) -> list[SignUp]:
    """What the calendar feed carries: booked sessions that have not ended, and sign-ups cancelled in
    the last 30 days (shown as cancelled so calendars take them away)."""
    now = now or utcnow()
    booked = sa.and_(SignUp.status == SignUpStatus.BOOKED, ActivitySession.ends_at > now)
    cancelled = sa.and_(SignUp.status == SignUpStatus.CANCELLED, SignUp.cancelled_at > now - CANCELLED_KEPT_IN_FEED)
    return list(session.scalars(
        _with_activity(sa.select(SignUp)).where(SignUp.person_id == person.id, sa.or_(booked, cancelled))
        .order_by(ActivitySession.starts_at, SignUp.id)
    ))


def calendar_feed(session: Session, person: Person) -> CalendarFeed | None:
    return session.scalar(sa.select(CalendarFeed).where(CalendarFeed.person_id == person.id))


def make_calendar_feed(session: Session, person: Person) -> str:
    """A new private calendar address for the person; the old one stops working. Returns the secret,
    which is shown once: only its SHA-256 is kept."""
    raw, token_sha256 = new_secret()
    feed = calendar_feed(session, person)
    if feed is None:
        feed = CalendarFeed(person_id=person.id, token_sha256=token_sha256)
        session.add(feed)
    else:
        feed.token_sha256, feed.created_at = token_sha256, utcnow()
    session.flush()
    audit.record(session, "attendance.calendar_address_made", actor_id=person.id, subject_type="person",
                 subject_id=person.id)
    return raw


def stop_calendar_feed(session: Session, person: Person, *, actor: Person | None = None, **details: Any) -> bool:
    """Stop the person's calendar address working (``actor``: who did it, when not the person, such as
    the broker of a member who leaves). Returns whether there was one."""
    feed = calendar_feed(session, person)
    if feed is None:
        return False
    session.delete(feed)
    session.flush()
    audit.record(session, "attendance.calendar_address_stopped", actor_id=(actor or person).id,
                 subject_type="person", subject_id=person.id, **details)
    return True


#: Longer than any address we make; anything longer is not looked up at all.
MAX_FEED_TOKEN = 100


def feed_owner(session: Session, raw: str) -> Person:
    """The person whose calendar address this is. The secret is the only credential."""
    if not raw or len(raw) > MAX_FEED_TOKEN:
        raise errors.CalendarFeedNotFound()
    person = session.scalar(
        sa.select(Person).join(CalendarFeed, CalendarFeed.person_id == Person.id)
        .where(CalendarFeed.token_sha256 == digest(raw))
    )
    if person is None or not person.is_active or person.pseudonymised_at is not None:
        raise errors.CalendarFeedNotFound()
    return person

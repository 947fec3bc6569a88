"""Publishing and running co-delivery activities: the activity, its partners, its roles and their
sessions. Only flushes; every change is audited with what changed.

Who may do what (``access``): the organisation's admins and the bank's brokers run an activity; drafts
are seen only by those who run it (and the admins of its partners); published and closed ones by every
member of the bank. A closed activity keeps its history and takes no more roles, sessions or edits.

Writes that can be sent twice (a new activity, role or series of sessions) carry an idempotency key
chosen by the form or client. The key is kept on the row it made (UNIQUE per creator, activity or role),
so sending it again returns what was made the first time, even when both copies arrive at once. A
replay is answered before the request is checked again: it returns what was made even if the activity
has closed since, or the series' first date has passed.

Sessions are typed in UK local time and stored in UTC. A weekly series keeps the same local time on
every date, across the clocks changing; a local time the clocks skip is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from timebank import dates
from timebank.activities import access
from timebank.activities import errors as err
from timebank.activities.models import (
    MAX_PLACE,
    MAX_PLACES,
    MAX_RELEASE_NOTICE_HOURS,
    MAX_TITLE,
    Activity,
    ActivityPartner,
    ActivitySession,
    ActivityStatus,
    CoProductionForm,
    Party,
    Role,
    RoleAbility,
    RoleDirection,
    SignUp,
    SignUpStatus,
)
from timebank.audit import service as audit
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.categories.service import abilities_by_code, category_by_code
from timebank.clock import UK, uk_day
from timebank.db import add_once
from timebank.ledger import service as ledger
from timebank.ledger.models import Account
from timebank.members import policy
from timebank.members.models import Organisation, Person
from timebank.notices import service as notices
from timebank.notices.models import NoticeKind
from timebank.pagination import Page, paginate
from timebank.safeguarding.clearances import Clearance
from timebank.types import utcnow

MAX_TEXT = 4000
MAX_WEEKS = 26
MAX_CREDIT_MINUTES = 24 * 60
#: Sign-ups that hold one of a session's places.
HOLDING_A_PLACE = (SignUpStatus.BOOKED, SignUpStatus.ATTENDED, SignUpStatus.ABSENT)


# --- what is typed in ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityDetails:
    """What can be changed on an activity after it is made."""

    title: str
    summary: str
    place: str
    form: CoProductionForm
    designed_by: Party
    delivered_by: Party
    #: The title and summary in Welsh (optional; blank or ``None``: Welsh pages show the English).
    title_cy: str | None = field(default=None, kw_only=True)
    summary_cy: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class NewActivity(ActivityDetails):
    time_bank_id: int
    organisation_id: int
    partner_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class RoleDetails:
    title: str
    description: str
    #: The exchange category code every attendance is recorded under.
    category: str
    #: Category codes of the abilities wanted.
    abilities: tuple[str, ...]
    direction: RoleDirection
    places: int
    #: ``None``: each session's length.
    credit_minutes: int | None
    clearance: Clearance | None
    normally_paid: bool
    service_user_involvement: bool
    release_notice_hours: int
    away_overnight: bool
    #: The title and description in Welsh (optional; blank or ``None``: Welsh pages show the English).
    title_cy: str | None = field(default=None, kw_only=True)
    description_cy: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class NewSessions:
    """One session, or a weekly series of ``weeks`` sessions on the same weekday and local times."""

    on: dt.date
    start_time: dt.time
    end_time: dt.time
    place: str = ""
    is_remote: bool = False
    #: ``None``: the role's number of places.
    places: int | None = None
    weeks: int = 1


@dataclass(frozen=True)
class SessionPlaces:
    """A session with how many places are taken and how many people wait."""

    activity_session: ActivitySession
    booked: int
    waiting: int

    @property
    def places_left(self) -> int:
        return max(0, self.activity_session.places - self.booked)


@dataclass(frozen=True)
class Filters:
    time_bank_id: int | None = None
    form: CoProductionForm | None = None
    designed_by: Party | None = None
    delivered_by: Party | None = None
    #: A category code; a top-level code also finds its children.
    ability: str | None = None
    upcoming: bool = False
    status: ActivityStatus | None = None


# --- finding and checking ----------------------------------------------------------------------------


def visible_activity(session: Session, actor: Person, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None or not access.may_see(session, actor, activity):
        raise err.ActivityNotFound()
    return activity


def activity_to_run(session: Session, actor: Person, activity_id: int) -> Activity:
    """The activity, for someone about to change it: 404 if they cannot see it, 403 if they may only look."""
    activity = visible_activity(session, actor, activity_id)
    if not access.may_run(session, actor, activity):
        raise err.NotRunningIt()
    return activity


def role_of(session: Session, actor: Person, activity_id: int, role_id: int, *, to_run: bool = False) -> Role:
    activity = (activity_to_run if to_run else visible_activity)(session, actor, activity_id)
    role = session.get(Role, role_id)
    if role is None or role.activity_id != activity.id:
        raise err.RoleNotFound()
    return role


def organisations_to_run(session: Session, actor: Person) -> list[tuple[Organisation, int]]:
    """(organisation, bank id) pairs the actor may publish activities for: their own organisations in
    each bank they hold an account in, and every organisation in the banks they broker."""
    brokered = policy.broker_bank_ids(session, actor)
    own = policy.own_holder_ids(session, actor) - {actor.id}
    rows = session.execute(
        sa.select(Organisation, Account.time_bank_id)
        .join(Account, Account.holder_id == Organisation.id)
        .where(sa.or_(Organisation.id.in_(own), Account.time_bank_id.in_(brokered)))
        .order_by(Organisation.display_name, Organisation.id, Account.time_bank_id)
    )
    return [(organisation, bank_id) for organisation, bank_id in rows]


def require_something_to_run(session: Session, actor: Person) -> list[tuple[Organisation, int]]:
    choices = organisations_to_run(session, actor)
    if not choices:
        raise err.NothingToRun()
    return choices


def organisations_in_bank(session: Session, time_bank_id: int) -> list[Organisation]:
    return list(session.scalars(
        sa.select(Organisation).join(Account, Account.holder_id == Organisation.id)
        .where(Account.time_bank_id == time_bank_id).order_by(Organisation.display_name, Organisation.id)
    ))


def _require_open(activity: Activity) -> None:
    if activity.status is ActivityStatus.CLOSED:
        raise err.ActivityClosed()


def _audit(session: Session, action: str, actor: Person, activity: Activity, **details: Any) -> None:
    audit.record(session, f"activities.{action}", actor_id=actor.id, subject_type="activity",
                 subject_id=activity.id, time_bank_id=activity.time_bank_id, **details)


def _plain(value: Any) -> Any:
    """A value as the audit log keeps it (JSON)."""
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return getattr(value, "value", value)


# --- activities ------------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise err.InvalidTitle()
    return title


def _clean_welsh_title(title: str | None) -> str | None:
    """A Welsh title is optional: ``None`` when blank."""
    title = " ".join((title or "").split())
    if len(title) > MAX_TITLE:
        raise err.InvalidTitle(field="title_cy")
    return title or None


def _clean_text(text: str, field: str) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise err.TextTooLong(field=field)
    return text


def clean_place(place: str) -> str:
    """A place as it is kept: its spaces tidied; too long is refused (an activity's, a session's, a move's)."""
    place = " ".join(place.split())
    if len(place) > MAX_PLACE:
        raise err.PlaceTooLong()
    return place


def _clean_details(details: ActivityDetails) -> dict[str, Any]:
    return {
        "title": _clean_title(details.title),
        "summary": _clean_text(details.summary, "summary"),
        "title_cy": _clean_welsh_title(details.title_cy),
        "summary_cy": _clean_text(details.summary_cy or "", "summary_cy") or None,
        "place": clean_place(details.place),
        "form": CoProductionForm(details.form),
        "designed_by": Party(details.designed_by),
        "delivered_by": Party(details.delivered_by),
    }


def role_titles(activity: Activity, role: Role) -> tuple[str, str | None]:
    """"Activity: role" for lists and headings, and the same in Welsh where either has its Welsh (the other
    as it is); ``None`` where neither has, for ``timebank.i18n.in_language``."""
    english = f"{activity.title}: {role.title}"
    if not (activity.title_cy or role.title_cy):
        return english, None
    return english, f"{activity.title_cy or activity.title}: {role.title_cy or role.title}"


def create_activity(session: Session, actor: Person, new: NewActivity,
                    idempotency_key: str | None = None) -> tuple[Activity, bool]:
    """A draft activity. Returns it and whether it was made now (``False``: the key was used before)."""
    choices = require_something_to_run(session, actor)

    def earlier() -> Activity | None:
        if idempotency_key is None:
            return None
        return session.scalar(sa.select(Activity).where(Activity.created_by_id == actor.id,
                                                        Activity.idempotency_key == idempotency_key))

    if (made := earlier()) is not None:
        return visible_activity(session, actor, made.id), False
    if session.get(TimeBank, new.time_bank_id) is None or new.time_bank_id not in {bank for _, bank in choices}:
        raise err.UnknownBank()
    if (new.organisation_id, new.time_bank_id) not in {(o.id, bank) for o, bank in choices}:
        raise err.UnknownOrganisation()
    activity = Activity(time_bank_id=new.time_bank_id, organisation_id=new.organisation_id,
                        status=ActivityStatus.DRAFT, created_by_id=actor.id, idempotency_key=idempotency_key,
                        **_clean_details(new))
    partners = list(dict.fromkeys(new.partner_ids))
    for partner_id in partners:
        _check_partner(session, activity, partner_id, field="partner_ids")
    activity, created = add_once(session, activity, earlier)
    if not created:
        return visible_activity(session, actor, activity.id), False
    session.add_all(ActivityPartner(activity_id=activity.id, organisation_id=partner_id) for partner_id in partners)
    session.flush()
    _audit(session, "created", actor, activity, organisation_id=new.organisation_id, partner_ids=partners)
    return activity, True


def update_activity(session: Session, actor: Person, activity_id: int, details: ActivityDetails) -> Activity:
    activity = activity_to_run(session, actor, activity_id)
    _require_open(activity)
    changes = {}
    for name, value in _clean_details(details).items():
        if getattr(activity, name) != value:
            changes[name] = [_plain(getattr(activity, name)), _plain(value)]
            setattr(activity, name, value)
    if changes:
        session.flush()
        _audit(session, "edited", actor, activity, changes=changes)
    if "place" in changes:
        _tell_place_moved(session, activity)
    return activity


def _tell_place_moved(session: Session, activity: Activity) -> None:
    """The activity's usual place moved: tell everyone booked or waiting on a session still to come that
    meets there (no place of its own, not remote), once for each change."""
    rows = session.execute(
        sa.select(SignUp.id, SignUp.person_id).join(ActivitySession, ActivitySession.id == SignUp.session_id)
        .join(Role, Role.id == ActivitySession.role_id)
        .where(Role.activity_id == activity.id, ActivitySession.place == "", ActivitySession.is_remote.is_(False),
               ActivitySession.cancelled_at.is_(None), ActivitySession.starts_at > utcnow(),
               SignUp.status.in_((SignUpStatus.BOOKED, SignUpStatus.WAITING)))
        .order_by(SignUp.id)
    ).all()
    changed_at = utcnow().isoformat()
    for sign_up_id, person_id in rows:
        notices.notify(session, notices.people_to_tell(session, person_id, activity.time_bank_id),
                       NoticeKind.SESSION_CHANGED, sign_up_id, f"{NoticeKind.SESSION_CHANGED.value}:{sign_up_id}:"
                       f"{changed_at}", time_bank_id=activity.time_bank_id)


def publish(session: Session, actor: Person, activity_id: int) -> Activity:
    """Members of the bank can see it and sign up. Publishing twice changes nothing."""
    activity = activity_to_run(session, actor, activity_id)
    if activity.status is ActivityStatus.PUBLISHED:
        return activity
    if activity.status is ActivityStatus.CLOSED:
        raise err.ClosedCannotReopen()
    if not activity.roles:
        raise err.NoRolesYet()
    activity.status = ActivityStatus.PUBLISHED
    activity.published_at = utcnow()
    session.flush()
    _audit(session, "published", actor, activity)
    return activity


def close(session: Session, actor: Person, activity_id: int) -> Activity:
    """No new sign-ups, roles or sessions; everything already recorded stays. Closing twice changes nothing."""
    activity = activity_to_run(session, actor, activity_id)
    if activity.status is ActivityStatus.CLOSED:
        return activity
    was = activity.status
    activity.status = ActivityStatus.CLOSED
    session.flush()
    _audit(session, "closed", actor, activity, was=was.value)
    return activity


def _check_partner(session: Session, activity: Activity, organisation_id: int, *, field: str) -> None:
    if organisation_id == activity.organisation_id:
        raise err.PartnerRunsIt(field=field)
    if (session.get(Organisation, organisation_id) is None
            or ledger.account_of(session, organisation_id, activity.time_bank_id) is None):
        raise err.PartnerNotInBank(field=field)


def add_partner(session: Session, actor: Person, activity_id: int, organisation_id: int) -> Activity:
    """Adding a partner already listed changes nothing."""
    activity = activity_to_run(session, actor, activity_id)
    _require_open(activity)
    _check_partner(session, activity, organisation_id, field="organisation_id")
    if session.get(ActivityPartner, (activity.id, organisation_id)) is None:
        session.add(ActivityPartner(activity_id=activity.id, organisation_id=organisation_id))
        session.flush()
        session.expire(activity, ["partners"])
        _audit(session, "partner_added", actor, activity, organisation_id=organisation_id)
    return activity


def remove_partner(session: Session, actor: Person, activity_id: int, organisation_id: int) -> Activity:
    """Removing one that is not listed changes nothing."""
    activity = activity_to_run(session, actor, activity_id)
    _require_open(activity)
    partner = session.get(ActivityPartner, (activity.id, organisation_id))
    if partner is not None:
        session.delete(partner)
        session.flush()
        session.expire(activity, ["partners"])
        _audit(session, "partner_removed", actor, activity, organisation_id=organisation_id)
    return activity


# --- roles -----------------------------------------------------------------------------------------


def _clean_role(session: Session, details: RoleDetails) -> tuple[dict[str, Any], list[Category]]:
    if not 1 <= details.places <= MAX_PLACES:
        raise err.InvalidPlaces()
    if details.credit_minutes is not None and not 1 <= details.credit_minutes <= MAX_CREDIT_MINUTES:
        raise err.InvalidCredit()
    if not 0 <= details.release_notice_hours <= MAX_RELEASE_NOTICE_HOURS:
        raise err.InvalidNotice()
    values = {
        "title": _clean_title(details.title),
        "description": _clean_text(details.description, "description"),
        "title_cy": _clean_welsh_title(details.title_cy),
        "description_cy": _clean_text(details.description_cy or "", "description_cy") or None,
        "category_id": category_by_code(session, details.category).id,
        "direction": RoleDirection(details.direction),
        "places": details.places,
        "credit_minutes": details.credit_minutes,
        "clearance": Clearance(details.clearance) if details.clearance is not None else None,
        "normally_paid": details.normally_paid,
        "service_user_involvement": details.service_user_involvement,
        "release_notice_hours": details.release_notice_hours,
        "away_overnight": details.away_overnight,
    }
    return values, abilities_by_code(session, details.abilities)


def add_role(session: Session, actor: Person, activity_id: int, details: RoleDetails,
             idempotency_key: str | None = None) -> tuple[Role, bool]:
    """A role of the activity. Returns it and whether it was made now (``False``: the key was used before)."""
    activity = activity_to_run(session, actor, activity_id)

    def earlier() -> Role | None:
        if idempotency_key is None:
            return None
        return session.scalar(sa.select(Role).where(Role.activity_id == activity.id,
                                                    Role.idempotency_key == idempotency_key))

    if (made := earlier()) is not None:
        return made, False
    _require_open(activity)
    values, abilities = _clean_role(session, details)
    role = Role(activity_id=activity.id, idempotency_key=idempotency_key, **values)
    role.abilities = [RoleAbility(category_id=category.id) for category in abilities]
    role, created = add_once(session, role, earlier)
    if created:
        session.expire(activity, ["roles"])
        _audit(session, "role_added", actor, activity, role_id=role.id, title=role.title)
    return role, created


def update_role(session: Session, actor: Person, activity_id: int, role_id: int, details: RoleDetails) -> Role:
    """Change a role. Sessions already made keep their own number of places."""
    role = role_of(session, actor, activity_id, role_id, to_run=True)
    _require_open(role.activity)
    values, abilities = _clean_role(session, details)
    changes = {}
    for name, value in values.items():
        if getattr(role, name) != value:
            changes[name] = [_plain(getattr(role, name)), _plain(value)]
            setattr(role, name, value)
    old_abilities = {a.category_id for a in role.abilities}
    new_abilities = {category.id for category in abilities}
    if old_abilities != new_abilities:
        codes = dict(session.execute(sa.select(Category.id, Category.code).where(
            Category.id.in_(old_abilities | new_abilities))).all())
        changes["abilities"] = [sorted(codes[i] for i in old_abilities), sorted(codes[i] for i in new_abilities)]
        for ability in role.abilities:
            if ability.category_id not in new_abilities:
                session.delete(ability)
        session.add_all(RoleAbility(role_id=role.id, category_id=i) for i in sorted(new_abilities - old_abilities))
    if changes:
        session.flush()
        session.expire(role, ["abilities"])
        _audit(session, "role_edited", actor, role.activity, role_id=role.id, changes=changes)
    return role


# --- sessions --------------------------------------------------------------------------------------


def uk_moment(on: dt.date, at: dt.time) -> dt.datetime:
    """A UK local date and time as a UTC moment. A time the clocks skip (they go forward) is refused;
    in the hour they go back, the first of the two moments is meant."""
    local = dt.datetime.combine(on, at.replace(tzinfo=None, fold=0), tzinfo=UK)
    moment = local.astimezone(dt.UTC)
    if moment.astimezone(UK).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise err.TimeSkipped()
    return moment


def _series_moment(day: dt.date, new: NewSessions, field: str) -> dt.datetime:
    """The start or end of one session of a series; a skipped time on a later week is the series' fault."""
    try:
        return uk_moment(day, getattr(new, field))
    except err.TimeSkipped:
        raise err.TimeSkipped(field=field if day == new.on else "weeks") from None


def add_sessions(session: Session, actor: Person, activity_id: int, role_id: int, new: NewSessions,
                 idempotency_key: str | None = None) -> tuple[list[ActivitySession], bool]:
    """One session or a weekly series. Returns them and whether they were made now (``False``: the key
    was used before, and the whole series it made is returned)."""
    role = role_of(session, actor, activity_id, role_id, to_run=True)
    if made := _series(session, role, idempotency_key):
        return made, False
    _require_open(role.activity)
    if not 1 <= new.weeks <= MAX_WEEKS:
        raise err.InvalidWeeks()
    if new.end_time <= new.start_time:
        raise err.EndsBeforeStart()
    allowed = dates.planned()
    allowed.check(new.on, "on")
    days = [new.on + dt.timedelta(weeks=week) for week in range(new.weeks)]
    if days[-1] not in allowed:
        raise err.SeriesTooLong(allowed.latest)
    places = role.places if new.places is None else new.places
    if not 1 <= places <= MAX_PLACES:
        raise err.InvalidPlaces()
    place = clean_place(new.place)
    made = [
        ActivitySession(
            role_id=role.id, starts_at=_series_moment(day, new, "start_time"),
            ends_at=_series_moment(day, new, "end_time"), place=place, is_remote=new.is_remote, places=places,
            idempotency_key=None if idempotency_key is None else _session_key(idempotency_key, week),
        )
        for week, day in enumerate(days)
    ]
    # The first session carries the series' key, so whichever copy of a resent series inserts it first
    # makes the whole series; the other gets that series back.
    _, created = add_once(session, made[0], lambda: _first_of_series(session, role, idempotency_key))
    if not created:
        return _series(session, role, idempotency_key), False
    session.add_all(made[1:])
    session.flush()
    _audit(session, "sessions_added", actor, role.activity, role_id=role.id, session_ids=[s.id for s in made],
           on=_plain(new.on), weeks=new.weeks, start_time=_plain(new.start_time), end_time=_plain(new.end_time),
           places=places)
    return made, True


@dates.dated_from_opening
def earliest_session(session: Session, time_bank_id: int) -> dt.date | None:
    """The UK day of the bank's earliest session: its books may not open after it (attendance at it is
    an exchange on that day)."""
    first = session.scalar(sa.select(sa.func.min(ActivitySession.starts_at)).join(Role).join(Activity)
                           .where(Activity.time_bank_id == time_bank_id))
    return uk_day(first) if first is not None else None


def _session_key(series_key: str, week: int) -> str:
    """The key of the ``week``-th session (from 0) of the series sent with ``series_key``."""
    return f"{series_key}:{week}"


def _first_of_series(session: Session, role: Role, key: str | None) -> ActivitySession | None:
    if key is None:
        return None
    return session.scalar(sa.select(ActivitySession).where(ActivitySession.role_id == role.id,
                                                           ActivitySession.idempotency_key == _session_key(key, 0)))


def _series(session: Session, role: Role, key: str | None) -> list[ActivitySession]:
    """The sessions of the role a series sent with this key made, in order; none if the key is new."""
    if key is None:
        return []
    keys = [_session_key(key, week) for week in range(MAX_WEEKS)]
    return list(session.scalars(sa.select(ActivitySession).where(
        ActivitySession.role_id == role.id, ActivitySession.idempotency_key.in_(keys)
    ).order_by(ActivitySession.starts_at)))


def with_places(session: Session, sessions: list[ActivitySession]) -> list[SessionPlaces]:
    """Each session with its places taken and people waiting, counted in one query."""
    ids = [s.id for s in sessions]
    counts: dict[tuple[int, SignUpStatus], int] = {}
    if ids:
        rows = session.execute(sa.select(SignUp.session_id, SignUp.status, sa.func.count()).where(
            SignUp.session_id.in_(ids)).group_by(SignUp.session_id, SignUp.status))
        counts = {(session_id, status): count for session_id, status, count in rows}
    return [SessionPlaces(s, booked=sum(counts.get((s.id, status), 0) for status in HOLDING_A_PLACE),
                          waiting=counts.get((s.id, SignUpStatus.WAITING), 0)) for s in sessions]


def upcoming_sessions(session: Session, role_ids: Iterable[int]) -> dict[int, list[SessionPlaces]]:
    """Sessions still to start (cancelled ones included, to say so), by role, soonest first."""
    ids = set(role_ids)
    if not ids:
        return {}
    found = list(session.scalars(sa.select(ActivitySession).where(
        ActivitySession.role_id.in_(ids), ActivitySession.starts_at >= utcnow()).order_by(ActivitySession.starts_at)))
    by_role: dict[int, list[SessionPlaces]] = {}
    for entry in with_places(session, found):
        by_role.setdefault(entry.activity_session.role_id, []).append(entry)
    return by_role


def role_sessions(session: Session, role: Role, *, earlier: bool, page: int, per_page: int) -> Page[SessionPlaces]:
    """A role's sessions still to come (soonest first) or already started (latest first)."""
    now = utcnow()
    query = sa.select(ActivitySession).where(ActivitySession.role_id == role.id)
    if earlier:
        query = query.where(ActivitySession.starts_at < now).order_by(ActivitySession.starts_at.desc())
    else:
        query = query.where(ActivitySession.starts_at >= now).order_by(ActivitySession.starts_at)
    found = paginate(session, query.order_by(ActivitySession.id), page=page, per_page=per_page)
    return replace(found, items=with_places(session, found.items))


# --- lists -----------------------------------------------------------------------------------------


def _visible(session: Session, actor: Person) -> sa.ColumnElement[bool]:
    """Mirrors ``access.may_see`` as a query condition."""
    own = policy.own_holder_ids(session, actor)
    partnered = sa.select(ActivityPartner.activity_id).where(ActivityPartner.organisation_id.in_(own))
    return sa.or_(
        Activity.organisation_id.in_(own),
        Activity.time_bank_id.in_(policy.broker_bank_ids(session, actor)),
        Activity.id.in_(partnered),
        sa.and_(Activity.status != ActivityStatus.DRAFT,
                Activity.time_bank_id.in_(policy.member_bank_ids(session, actor))),
    )


def list_activities(session: Session, actor: Person, filters: Filters, *, page: int = 1,
                    per_page: int = 20) -> Page[Activity]:
    """Activities the actor may see. Without a status filter, members see published ones and those
    who run activities see their drafts and closed ones too."""
    query = sa.select(Activity).where(_visible(session, actor)).options(
        selectinload(Activity.roles).selectinload(Role.abilities), selectinload(Activity.partners))
    if filters.status is not None:
        query = query.where(Activity.status == filters.status)
    else:
        own = policy.own_holder_ids(session, actor)
        query = query.where(sa.or_(Activity.status == ActivityStatus.PUBLISHED, Activity.organisation_id.in_(own),
                                   Activity.time_bank_id.in_(policy.broker_bank_ids(session, actor))))
    if filters.time_bank_id is not None:
        query = query.where(Activity.time_bank_id == filters.time_bank_id)
    if filters.form is not None:
        query = query.where(Activity.form == filters.form)
    if filters.designed_by is not None:
        query = query.where(Activity.designed_by == filters.designed_by)
    if filters.delivered_by is not None:
        query = query.where(Activity.delivered_by == filters.delivered_by)
    if filters.ability:
        parent = aliased(Category)
        wanted = (sa.select(RoleAbility.role_id).join(Category, Category.id == RoleAbility.category_id)
                  .outerjoin(parent, parent.id == Category.parent_id)
                  .where(sa.or_(Category.code == filters.ability, parent.code == filters.ability)))
        query = query.where(Activity.id.in_(sa.select(Role.activity_id).where(Role.id.in_(wanted))))
    if filters.upcoming:
        coming = (sa.select(Role.activity_id).join(ActivitySession, ActivitySession.role_id == Role.id)
                  .where(ActivitySession.starts_at >= utcnow(), ActivitySession.cancelled_at.is_(None)))
        query = query.where(Activity.id.in_(coming))
    query = query.order_by(Activity.created_at.desc(), Activity.id.desc())
    return paginate(session, query, page=page, per_page=per_page)


def ability_codes(session: Session, roles: Iterable[Role]) -> dict[int, str]:
    """Category id → code for these roles' categories and abilities, in one query."""
    ids = {r.category_id for r in roles} | {a.category_id for r in roles for a in r.abilities}
    if not ids:
        return {}
    return dict(session.execute(sa.select(Category.id, Category.code).where(Category.id.in_(ids))).all())


def partner_ids(activity: Activity) -> list[int]:
    return sorted(p.organisation_id for p in activity.partners)


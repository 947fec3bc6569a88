"""Answering "how did it go?" and reading the answers. Only flushes.

* A **thing** is what an answer is about: a session (those who came, sign-up status attended, answer) or a
  confirmed exchange (its person sides answer; an organisation's side does not). An attendance exchange
  (``exchange.session_id``) is answered about as its session, so one visit is never counted twice.
* ``own_session`` / ``own_exchange`` decide who may answer for themselves: a thing nobody may see is not
  there (404); one they may see but did not take part in is refused (403).
* ``answer`` writes the one answer per person per thing (answering again changes it): on the page, by
  the email's signed link (``feedback.links``), or on paper through a broker of the bank (``paper_thing``).
* **Readers** of answers with their comments are the bank's brokers (and admins) and the admins of the
  organisation the thing belongs to; nobody else, and no report, ever reads a comment.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, ActivitySession, Role, SignUp, SignUpStatus
from timebank.clock import uk_day
from timebank.feedback import errors
from timebank.feedback.models import MAX_COMMENT, Again, Channel, FeedbackAnswer
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState, HolderKind
from timebank.members import policy
from timebank.members.models import Holder, Person
from timebank.pagination import Page, paginate
from timebank.types import utcnow

#: The words of the five-point scale, 1 to 5 (the form's choices and the list's column).
SCALE = (1, 2, 3, 4, 5)


class ThingKind(enum.StrEnum):
    SESSION = "session"
    EXCHANGE = "exchange"


@dataclass(frozen=True)
class Thing:
    """A session or a confirmed exchange, as answers are kept about it."""

    kind: ThingKind
    id: int
    time_bank_id: int
    #: The activity's organisation for a session; for an exchange, the one the ledger attributes it to.
    organisation_id: int | None
    activity_id: int | None
    #: The UK day of the thing: the session's day, the exchange's date.
    answered_on: dt.date
    #: The activity's title, or the other side's name for an exchange (filled per reader by ``title_for``).
    title: str
    #: The people who may answer: those who came, or the person sides of the exchange.
    participant_ids: frozenset[int]
    #: A session's activity title in Welsh, where given.
    title_cy: str | None = None


@dataclass(frozen=True)
class Answers:
    """What someone said; every question may be left out, but not all of them."""

    how_it_went: int | None = None
    again: Again | None = None
    comment: str = ""


# --- the things --------------------------------------------------------------------------------------


def session_thing(session: Session, session_id: int) -> Thing:
    row = session.execute(
        sa.select(ActivitySession, Activity)
        .join(Role, Role.id == ActivitySession.role_id).join(Activity, Activity.id == Role.activity_id)
        .where(ActivitySession.id == session_id)
    ).one_or_none()
    if row is None:
        raise errors.FeedbackThingNotFound()
    activity_session, activity = row
    came = session.scalars(sa.select(SignUp.person_id).where(SignUp.session_id == session_id,
                                                              SignUp.status == SignUpStatus.ATTENDED))
    return Thing(ThingKind.SESSION, session_id, activity.time_bank_id, activity.organisation_id, activity.id,
                 uk_day(activity_session.starts_at), activity.title, frozenset(came), activity.title_cy)


def _is_organisation(account: Account) -> bool:
    return account.holder_kind in (HolderKind.THIRD_SECTOR, HolderKind.PUBLIC_BODY, HolderKind.BUSINESS)


def exchange_thing(session: Session, exchange: Exchange) -> Thing:
    """The thing an exchange is answered as: its session, if it recorded attendance."""
    if exchange.session_id is not None:
        return session_thing(session, exchange.session_id)
    giver, receiver = exchange.giver, exchange.receiver
    organisation_id = next((a.holder_id for a in (giver, receiver) if _is_organisation(a)), None)
    if exchange.activity_id is not None:
        organisation_id = session.scalar(sa.select(Activity.organisation_id)
                                         .where(Activity.id == exchange.activity_id))
    people = frozenset(a.holder_id for a in (giver, receiver)
                       if a.holder_kind is HolderKind.RESIDENT and a.holder_id is not None)
    return Thing(ThingKind.EXCHANGE, exchange.id, exchange.time_bank_id, organisation_id, exchange.activity_id,
                 exchange.occurred_on, "", people)


def _settled(exchange: Exchange) -> Exchange:
    """An exchange is answered about once it stands: confirmed, and not reversed (nor a reversal)."""
    if exchange.kind is not ExchangeKind.EXCHANGE or exchange.state is not ExchangeState.CONFIRMED:
        raise errors.NotSettled()
    return exchange


def _exchange(session: Session, actor: Person | None, exchange_id: int) -> Exchange:
    exchange = session.get(Exchange, exchange_id)
    if exchange is None or (actor is not None and not policy.may_view_exchange(session, actor, exchange)):
        raise errors.FeedbackThingNotFound()
    return exchange


def thing_of(session: Session, kind: ThingKind, thing_id: int) -> Thing:
    """The thing, whoever asks (the email's link: its signature is the proof)."""
    if kind is ThingKind.SESSION:
        return session_thing(session, thing_id)
    return exchange_thing(session, _settled(_exchange(session, None, thing_id)))


def _took_part(thing: Thing, person: Person) -> Thing:
    if person.id not in thing.participant_ids:
        raise errors.NotAParticipant()
    return thing


def own_session(session: Session, actor: Person, session_id: int) -> Thing:
    """A session the actor came to (the API's and the page's access rule)."""
    return _took_part(session_thing(session, session_id), actor)


def own_exchange(session: Session, actor: Person, exchange_id: int) -> Thing:
    """A confirmed exchange the actor was a person side of (or the session it recorded, if they came)."""
    exchange = _exchange(session, actor, exchange_id)
    thing = _took_part(exchange_thing(session, exchange), actor)
    _settled(exchange)
    return thing


def own(session: Session, actor: Person, kind: ThingKind, thing_id: int) -> Thing:
    return (own_session if kind is ThingKind.SESSION else own_exchange)(session, actor, thing_id)


def brokered(session: Session, actor: Person, kind: ThingKind, thing_id: int) -> Thing:
    """A thing in a bank the actor brokers: where they type in answers given on paper."""
    if kind is ThingKind.SESSION:
        thing = session_thing(session, thing_id)
        if not policy.is_broker(session, actor, thing.time_bank_id):
            raise errors.NotBrokerOfThing()
        return thing
    exchange = _exchange(session, actor, thing_id)
    if not policy.is_broker(session, actor, exchange.time_bank_id):
        raise errors.NotBrokerOfThing()
    return exchange_thing(session, _settled(exchange))


def brokered_session(session: Session, actor: Person, session_id: int) -> Thing:
    return brokered(session, actor, ThingKind.SESSION, session_id)


def brokered_exchange(session: Session, actor: Person, exchange_id: int) -> Thing:
    return brokered(session, actor, ThingKind.EXCHANGE, exchange_id)


@dataclass(frozen=True)
class Offers:
    """What a session's or an exchange's page offers the viewer (``templates/feedback/_offers.html``)."""

    kind: ThingKind
    id: int
    #: "How did it go?": they took part.
    answer: bool
    #: Type in an answer given on paper: they broker the bank, and someone took part.
    paper: bool
    #: Where they read the answers with comments: the bank's (its brokers), or the organisation's (its admins).
    bank_id: int | None = None
    organisation_id: int | None = None


def offers(session: Session, actor: Person, kind: ThingKind, thing_id: int) -> Offers:
    try:
        answer = bool(own(session, actor, kind, thing_id))
    except (errors.FeedbackThingNotFound, errors.NotAParticipant, errors.NotSettled):
        answer = False
    try:
        thing = brokered(session, actor, kind, thing_id)
    except (errors.FeedbackThingNotFound, errors.NotBrokerOfThing, errors.NotSettled):
        thing = None
    if thing is not None:
        return Offers(kind, thing_id, answer, bool(thing.participant_ids), bank_id=thing.time_bank_id)
    organisation_id = None
    if kind is ThingKind.SESSION:
        organisation_id = session.scalar(
            sa.select(Activity.organisation_id).join(Role, Role.activity_id == Activity.id)
            .join(ActivitySession, ActivitySession.role_id == Role.id).where(ActivitySession.id == thing_id))
        if organisation_id not in policy.own_holder_ids(session, actor):
            organisation_id = None
    return Offers(kind, thing_id, answer, False, organisation_id=organisation_id)


def participants(session: Session, thing: Thing) -> list[tuple[int, str]]:
    """Those who may answer, by name (the broker's choice on the paper form)."""
    return [tuple(row) for row in session.execute(  # type: ignore[misc]
        sa.select(Holder.id, Holder.display_name).where(Holder.id.in_(thing.participant_ids),
                                                        Holder.pseudonymised_at.is_(None))
        .order_by(Holder.display_name, Holder.id))]


# --- answering ---------------------------------------------------------------------------------------


def current_answer(session: Session, thing: Thing, person_id: int) -> FeedbackAnswer | None:
    column = FeedbackAnswer.session_id if thing.kind is ThingKind.SESSION else FeedbackAnswer.exchange_id
    return session.scalar(sa.select(FeedbackAnswer).where(FeedbackAnswer.person_id == person_id,
                                                          column == thing.id))


def check_answers(answers: Answers) -> Answers:
    """The one rule for what may be said (forms and the API call it before writing, through ``answer``)."""
    comment = answers.comment.strip()
    if len(comment) > MAX_COMMENT:
        raise errors.CommentTooLong(gettext("Write %(most)d characters or fewer.", most=MAX_COMMENT))
    if answers.how_it_went is None and answers.again is None and not comment:
        raise errors.NothingAnswered()
    if answers.how_it_went is not None and answers.how_it_went not in SCALE:
        raise errors.NothingAnswered(field="how_it_went")
    return Answers(answers.how_it_went, answers.again, comment)


def answer(session: Session, thing: Thing, person_id: int, answers: Answers, *, channel: Channel,
           recorded_by_id: int | None = None) -> FeedbackAnswer:
    """Keep the person's answer about the thing, or change the one they gave; the caller has decided who
    may say it (``own``, a signed link, ``brokered``)."""
    if person_id not in thing.participant_ids:
        raise errors.ChooseAParticipant() if recorded_by_id is not None else errors.NotAParticipant()
    answers = check_answers(answers)
    row = current_answer(session, thing, person_id)
    if row is None:
        row = FeedbackAnswer(
            time_bank_id=thing.time_bank_id, organisation_id=thing.organisation_id, activity_id=thing.activity_id,
            session_id=thing.id if thing.kind is ThingKind.SESSION else None,
            exchange_id=thing.id if thing.kind is ThingKind.EXCHANGE else None,
            person_id=person_id, answered_on=thing.answered_on, channel=channel)
        session.add(row)
    row.how_it_went, row.again, row.comment = answers.how_it_went, answers.again, answers.comment
    row.channel, row.recorded_by_id, row.updated_at = channel, recorded_by_id, utcnow()
    session.flush()
    return row


# --- reading -----------------------------------------------------------------------------------------


def require_bank_reader(session: Session, actor: Person, time_bank_id: int) -> None:
    if not policy.is_broker(session, actor, time_bank_id):
        raise errors.NotAReader()


def require_organisation_reader(session: Session, actor: Person, organisation_id: int) -> None:
    if not (actor.is_admin or organisation_id in policy.own_holder_ids(session, actor)):
        raise errors.NotAReader()


def _newest_first(query: sa.Select[tuple[FeedbackAnswer]], session: Session, page: int,
                  per_page: int) -> Page[FeedbackAnswer]:
    return paginate(session, query.order_by(FeedbackAnswer.answered_on.desc(), FeedbackAnswer.id.desc()),
                    page=page, per_page=per_page)


def bank_answers(session: Session, actor: Person, time_bank_id: int, *, page: int = 1,
                 per_page: int = 20) -> Page[FeedbackAnswer]:
    """A bank's answers with their comments, newest first (``ix_feedback_answers_bank_on``): its brokers'."""
    require_bank_reader(session, actor, time_bank_id)
    return _newest_first(sa.select(FeedbackAnswer).where(FeedbackAnswer.time_bank_id == time_bank_id),
                         session, page, per_page)


def organisation_answers(session: Session, actor: Person, organisation_id: int, *, page: int = 1,
                         per_page: int = 20) -> Page[FeedbackAnswer]:
    """The answers about an organisation's sessions and exchanges, newest first: its admins'."""
    require_organisation_reader(session, actor, organisation_id)
    return _newest_first(sa.select(FeedbackAnswer).where(FeedbackAnswer.organisation_id == organisation_id),
                         session, page, per_page)


def names_of(session: Session, answers: list[FeedbackAnswer]) -> dict[int, str]:
    """Person id → name, for the people still on a page of answers (those who left have none)."""
    people = {a.person_id for a in answers if a.person_id is not None}
    return dict(session.execute(sa.select(Holder.id, Holder.display_name)  # type: ignore[arg-type]
                                .where(Holder.id.in_(people))).all()) if people else {}


def thing_titles(session: Session, answers: list[FeedbackAnswer]) -> dict[int, str]:
    """Answer id → what it is about, in words (the activity's title; an exchange's number)."""
    titles = dict(session.execute(sa.select(Activity.id, Activity.title).where(
        Activity.id.in_({a.activity_id for a in answers if a.activity_id is not None}))).all())
    return {a.id: (titles.get(a.activity_id, "") if a.session_id is not None or a.activity_id is not None
                   else gettext("Exchange number %(id)s", id=a.exchange_id)) for a in answers}

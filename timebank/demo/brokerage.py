"""The demo's brokerage: introductions in every state, contact notes and a conversation with the broker,
all in the demo bank, through the brokerage services (only flushes).

The requests and sessions are the ones the co-delivery part made (``data.REQUESTS`` and the activities'
sessions still to come); who is introduced to what is below, by name. One introduction ran out of time:
it is made like the others and then dated back, as the history of a bank that has run for years would
hold it, before the expiry job runs.

Before those, the bank's history of introductions to members' requests, month by month (``PAST``): each
request is listed as of its day, the broker introduces someone, the sides answer and the requester confirms
the help it led to, all through the services; then the introduction (and its request) is dated back to
its month, like the one that ran out of time. About half were accepted and led to help; the others were
declined, ran out of time or were withdrawn, so the funder's report shows a conversion, not a formality.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import ActivitySession, Role
from timebank.brokerage import contact, queries, service
from timebank.brokerage.models import Answer, Introduction, IntroductionState
from timebank.brokerage.service import Side
from timebank.clock import UK
from timebank.dates import add_months
from timebank.ledger import service as ledger
from timebank.listings import service as listings
from timebank.listings.models import Listing, ListingKind
from timebank.members.models import Person

#: (candidate, request title): both accept, so a pending exchange waits for the requester to confirm it.
ACCEPTED_REQUEST = ("Carys Pritchard", "Help with a school uniform grant form")
#: (candidate, request title, reason): the candidate declines.
DECLINED_REQUEST = ("Dave Hebden", "Lift to Carreg Wen surgery", "My van is in the garage until the 20th.")
#: (candidate, request title): waiting for both answers.
PROPOSED_REQUEST = ("Rhodri Mathias", "Lift to Carreg Wen surgery")
#: (candidate, role title): both accept, so the candidate has a place on the soonest session with one.
ACCEPTED_ROLE = ("Tomasz Nowak", "Garden volunteer")
#: (candidate, role title): the broker withdrew it (the volunteer had already booked another day).
WITHDRAWN_ROLE = ("Isla Mackintosh", "Panel member")
#: (candidate, request title): nobody answered in time.
EXPIRED_REQUEST = ("Callum Pike", "Stewards for the Christmas lights switch-on")

BROKER_MESSAGE = "You two live five minutes apart; I think you would get on."


class Past(NamedTuple):
    """An introduction to a member's request, ``months_ago`` months (and a few days) before the demo's day,
    and how it ended: accepted (and the help done), declined (with the candidate's reason), expired or
    withdrawn."""

    months_ago: int
    requester: str
    candidate: str
    category: str
    title: str
    minutes: int
    ended: IntroductionState
    reason: str = ""


ACCEPTED, DECLINED = IntroductionState.ACCEPTED, IntroductionState.DECLINED
EXPIRED, WITHDRAWN = IntroductionState.EXPIRED, IntroductionState.WITHDRAWN
#: Days from an introduction to the request's day, and to each side's answer.
NEEDED_AFTER_DAYS, ANSWERED_AFTER_DAYS = 7, 2
PAST = (
    # The year before the funder's.
    Past(21, "Margaret Ashworth", "Ray Thornton", "lifts", "Lift to the eye clinic at Hollinbridge hospital", 90,
         ACCEPTED),
    Past(20, "Winston Beckford", "Rhodri Mathias", "gardening", "Dig over the vegetable patch for spring", 120,
         ACCEPTED),
    Past(19, "Jean Braddock", "Dave Hebden", "diy", "Put up a grab rail by the back door", 60, DECLINED,
         "The van's off the road this month, sorry."),
    Past(18, "Morag Kerr", "Callum Pike", "computer-help", "Set up a tablet to video-call my sister", 60, ACCEPTED),
    Past(17, "Gethin Llewellyn", "Hamish Rennie", "bookkeeping", "Look over the chapel's accounts", 120, ACCEPTED),
    Past(16, "Isla Mackintosh", "Euan Drummond", "music", "A first guitar lesson for my nephew", 60, EXPIRED),
    Past(15, "Siobhán Doherty", "Niamh Gallagher", "form-filling", "Help with a Carer's Allowance form", 60,
         ACCEPTED),
    Past(14, "Nasreen Akhtar", "Priya Chauhan", "english-practice", "English conversation over a cuppa", 60,
         ACCEPTED),
    Past(13, "Ciarán Byrne", "Padraig Quinn", "diy", "Ease a sticking front door", 60, WITHDRAWN),
    # The funder's year.
    Past(12, "Margaret Ashworth", "Delroy Campbell", "lifts", "Lift to the Remembrance service at the cenotaph", 90,
         ACCEPTED),
    Past(11, "Farhana Begum", "Niamh Gallagher", "form-filling", "Help with a free school meals form", 60, ACCEPTED),
    Past(10, "Bilal Rashid", "Tomasz Nowak", "diy", "Put up curtain poles in the new flat", 90, DECLINED,
         "I'm working away that fortnight; ask me next month?"),
    Past(9, "Winston Beckford", "Padraig Quinn", "gardening", "Prune the old apple tree", 90, ACCEPTED),
    Past(8, "Jean Braddock", "Rohan Mistry", "computer-help", "Help to order the shopping online", 60, ACCEPTED),
    Past(7, "Agnieszka Wiśniewska", "Hamish Rennie", "bookkeeping", "Set up a simple household budget", 60, EXPIRED),
    Past(6, "Morag Kerr", "Ray Thornton", "shopping", "Lift to the wool shop in town", 60, DECLINED,
         "Away at my daughter's that week."),
    Past(5, "Magda Kowalczyk", "Kwabena Asante", "diy", "Carry a wardrobe upstairs", 60, ACCEPTED),
    Past(4, "Nasreen Akhtar", "Yaw Mensah", "shopping", "Help carrying the weekly shop home", 60, ACCEPTED),
    Past(3, "Adaeze Okonkwo", "Euan Drummond", "tutoring", "GCSE maths revision for my daughter", 60, WITHDRAWN),
    Past(2, "Leyla Demir", "Dafydd Rhys-Owen", "diy", "Fix a wobbly kitchen cupboard door", 30, ACCEPTED),
    Past(2, "Folake Adeyemi", "Callum Pike", "computer-help", "Sort out the home printer", 60, EXPIRED),
    Past(1, "Hodan Abdi", "Beverley Ellis", "visits", "An afternoon's company for my grandmother", 90, ACCEPTED),
)


#: Newcomers the broker introduced to a role, months before the demo's day: (months ago, role title, candidate).
#: Each came to the role's first session from then on (``codelivery`` marks who came).
TO_SESSIONS = (
    (19, "Garden volunteer", "Isla Mackintosh"),
    (15, "Warm space host", "Niamh Gallagher"),
    (12, "Garden volunteer", "Harjit Sandhar"),
    (6, "Garden volunteer", "Magda Kowalczyk"),
    (4, "Panel member", "Kwabena Asante"),
    (1, "Warm space host", "Annie McCluskey"),
)
SESSION_MESSAGE = "A friendly group, and they'd love another pair of hands. Shall I put you down for the next one?"


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UK)


def _date_back(made: Introduction, made_on: dt.date, last_day: dt.date) -> None:
    """An introduction made just now, dated back to ``made_on``: answered two days later, open until
    ``last_day``."""
    answered = _moment(made_on + dt.timedelta(days=ANSWERED_AFTER_DAYS), 14)
    made.created_at, made.expires_on = _moment(made_on, 11), last_day
    if made.candidate_answered_at is not None:
        made.candidate_answered_at = answered
    if made.other_answered_at is not None:
        made.other_answered_at = answered
    if made.settled_at is not None:
        made.settled_at = answered


def introduce_to_session(session: Session, broker: Person, organisation_admin: Person, candidate: Person,
                         activity_session: ActivitySession, day: dt.date) -> Introduction:
    """The broker introduces ``candidate`` to a session on ``day``, a week and a half before; both sides
    accept, which signs them up. Through the services: the caller holds the session as it stood then,
    still to come, and puts it back on its day before marking who came. Then dated back."""
    [made] = service.introduce(session, broker, service.NewIntroduction(
        [candidate.id], role_id=activity_session.role_id, session_id=activity_session.id, message=SESSION_MESSAGE))
    service.answer(session, candidate if candidate.email else broker, made.id, Side.CANDIDATE, Answer.ACCEPTED)
    service.answer(session, organisation_admin, made.id, Side.OTHER, Answer.ACCEPTED)
    _date_back(made, day - dt.timedelta(days=NEEDED_AFTER_DAYS + 3), day - dt.timedelta(days=1))
    return made


def _past_introduction(session: Session, broker: Person, bank_id: int, people: dict[str, Person],
                       today: dt.date, past: Past) -> Introduction:
    """One of ``PAST``, through the services, then dated back to its day."""
    made_on = add_months(today, -past.months_ago) + dt.timedelta(days=3)
    requester, candidate = people[past.requester], people[past.candidate]

    def acting_for(person: Person) -> Person:
        return person if person.email else broker

    request, _ = listings.create_listing(
        session, acting_for(requester), holder_id=requester.id, time_bank_id=bank_id, kind=ListingKind.REQUEST,
        today=made_on, details=listings.ListingDetails(
            title=past.title, category=past.category, estimated_minutes=past.minutes,
            needed_on=made_on + dt.timedelta(days=NEEDED_AFTER_DAYS)))
    [made] = service.introduce(session, broker, service.NewIntroduction(
        [candidate.id], listing_id=request.id, message=BROKER_MESSAGE))
    if past.ended is WITHDRAWN:
        service.withdraw(session, broker, made.id)
    elif past.ended is DECLINED:
        service.answer(session, acting_for(candidate), made.id, Side.CANDIDATE, Answer.DECLINED, past.reason)
    elif past.ended is ACCEPTED:
        service.answer(session, acting_for(candidate), made.id, Side.CANDIDATE, Answer.ACCEPTED)
        service.answer(session, acting_for(requester), made.id, Side.OTHER, Answer.ACCEPTED)
        assert made.exchange_id is not None
        receiver = ledger.require_account_of(session, requester.id, bank_id)
        ledger.confirm_exchange(session, made.exchange_id, actor_id=acting_for(requester).id,
                                acting_for_account_id=receiver.id)
    listings.close_listing(session, acting_for(requester), request.id)
    request.created_at = _moment(made_on, 11)
    _date_back(made, made_on, made_on + dt.timedelta(days=NEEDED_AFTER_DAYS - 1))
    return made

#: (member, days ago, note): contact notes, never health or benefit details.
NOTES = (
    ("Margaret Ashworth", 3, "Rang to check the surgery lift is still needed: yes, 10:20 on the day."),
    ("Hodan Abdi", 12, "Met at the warm space. Keen to help with form-filling in Somali and English."),
)
#: A conversation: the member writes, the broker replies, the member writes again (waiting for a reply).
CONVERSATION = ("Annie McCluskey", (
    (False, "Hello, is there anything I could help with on Saturday mornings?"),
    (True, "Hello Annie! The garden group meets on Saturdays at ten: shall I introduce you?"),
    (False, "Yes please, and could it be from next month? I'm away until then."),
))


def load_past_introductions(session: Session, broker: Person, bank_id: int, people: dict[str, Person],
                            today: dt.date) -> int:
    """``PAST``, oldest first; how many. Loaded before the rest of the history, as the requesters' first help
    of their months, so that every requester has the room in their balance the accepted ones take."""
    made = [_past_introduction(session, broker, bank_id, people, today, past) for past in PAST]
    service.expire_stale(session, today)  # the daily job
    for introduction in made:
        if introduction.state is IntroductionState.EXPIRED:  # it ran out the day after its last day
            introduction.settled_at = _moment(introduction.expires_on + dt.timedelta(days=1), 6)
    return len(made)


def load_brokerage(session: Session, broker: Person, bank_id: int, people: dict[str, Person],
                   today: dt.date) -> int:
    """Returns how many introductions were made."""
    requests = {listing.title: listing for listing in session.scalars(
        sa.select(Listing).where(Listing.time_bank_id == bank_id))}
    sessions = queries.unfilled_sessions(session, bank_id, per_page=100).items
    roles: dict[str, ActivitySession] = {}
    for activity_session in sessions:
        roles.setdefault(activity_session.role.title, activity_session)

    def introduce_to_request(name: str, title: str) -> int:
        [made] = service.introduce(session, broker, service.NewIntroduction(
            [people[name].id], listing_id=requests[title].id, message=BROKER_MESSAGE))
        return made.id

    def introduce_to_role(name: str, title: str) -> int:
        role: Role = roles[title].role
        [made] = service.introduce(session, broker, service.NewIntroduction([people[name].id], role_id=role.id))
        return made.id

    def other_side(introduction_id: int) -> Person:
        """Who answers for the other side: the requester if online, else the broker for them."""
        view = service.visible_introduction(session, broker, introduction_id)
        answering = session.get(Person, view.thing.other_holder_id)
        return answering if answering is not None and answering.email else broker

    accepted = introduce_to_request(*ACCEPTED_REQUEST)
    service.answer(session, people[ACCEPTED_REQUEST[0]], accepted, Side.CANDIDATE, Answer.ACCEPTED)
    service.answer(session, other_side(accepted), accepted, Side.OTHER, Answer.ACCEPTED, "Thank you so much.")

    name, title, reason = DECLINED_REQUEST
    declined = introduce_to_request(name, title)
    service.answer(session, broker, declined, Side.CANDIDATE, Answer.DECLINED, reason)  # he rang the broker

    introduce_to_request(*PROPOSED_REQUEST)

    role_accepted = introduce_to_role(*ACCEPTED_ROLE)
    service.answer(session, people[ACCEPTED_ROLE[0]], role_accepted, Side.CANDIDATE, Answer.ACCEPTED)
    service.answer(session, broker, role_accepted, Side.OTHER, Answer.ACCEPTED)

    service.withdraw(session, broker, introduce_to_role(*WITHDRAWN_ROLE))

    ran_out = introduce_to_request(*EXPIRED_REQUEST)
    row = service.visible_introduction(session, broker, ran_out).introduction
    row.expires_on = today - dt.timedelta(days=1)
    service.expire_stale(session, today)

    for name, days_ago, body in NOTES:
        contact.add_note(session, broker, people[name].id, bank_id, today - dt.timedelta(days=days_ago), body)
    member = people[CONVERSATION[0]]
    for from_broker, body in CONVERSATION[1]:
        if from_broker:
            contact.reply(session, broker, member.id, bank_id, body)
        else:
            contact.write_to_brokers(session, member, bank_id, body)
    return 6

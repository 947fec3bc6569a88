"""The demo's brokerage: introductions in every state, contact notes and a conversation with the broker,
all in the demo bank, through the brokerage services (only flushes).

The requests and sessions are the ones the co-delivery part made (``data.REQUESTS`` and the activities'
sessions still to come); who is introduced to what is below, by name. One introduction ran out of time:
it is made like the others and then dated back, as the history of a bank that has run for years would
hold it, before the expiry job runs.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import ActivitySession, Role
from timebank.brokerage import contact, queries, service
from timebank.brokerage.models import Answer
from timebank.brokerage.service import Side
from timebank.listings.models import Listing
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

    expired = introduce_to_request(*EXPIRED_REQUEST)
    row = service.visible_introduction(session, broker, expired).introduction
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

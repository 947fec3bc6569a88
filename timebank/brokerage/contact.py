"""Keeping in touch: brokers' dated contact notes about a member, and the conversation between a member
and their bank's brokers. Only flushes; writes are audited.

* **Notes** are broker-only (a broker of a bank the member belongs to or applied to), dated by the day of
  the contact, appended and never edited. The page warns not to record health or benefit details: those
  belong, with consent, in the benefit-safe feature, never in free text.
* **Messages**: a member writes to the brokers of a bank they belong to; any of its brokers replies.
  ``answered_at`` is what the brokers' "waiting for a reply" list reads (by ``ix_broker_messages_bank``):
  a member's message is stamped when a broker replies, and a broker's own reply is stamped as it is
  written, so NULL means exactly "a member's message still waiting".
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank import dates
from timebank.audit import service as audit
from timebank.brokerage import errors
from timebank.brokerage.models import MAX_MESSAGE, MAX_NOTE, BrokerNote, Message
from timebank.brokerage.service import require_a_broker, require_broker_of
from timebank.members import policy
from timebank.members.models import Person
from timebank.pagination import Page, paginate
from timebank.types import utcnow


def _body(text: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise errors.TextMissing(field="body")
    if len(text) > limit:
        raise errors.TextTooLong(_l("Keep it to %(limit)s characters or fewer", limit=f"{limit:,}"), field="body")
    return text


def member_of_bank(session: Session, actor: Person, person_id: int, time_bank_id: int) -> Person:
    """The member, for a broker of ``time_bank_id`` they belong to (or applied to)."""
    require_a_broker(session, actor)
    require_broker_of(session, actor, time_bank_id)
    person = session.get(Person, person_id)
    if person is None or time_bank_id not in policy.holder_bank_ids(session, person.id):
        raise errors.PersonNotInBank()
    return person


# --- notes ------------------------------------------------------------------------------------------


def add_note(session: Session, actor: Person, person_id: int, time_bank_id: int, contacted_on: dt.date,
             body: str) -> BrokerNote:
    person = member_of_bank(session, actor, person_id, time_bank_id)
    dates.happened(session, time_bank_id).check(contacted_on, "contacted_on")
    note = BrokerNote(time_bank_id=time_bank_id, person_id=person.id, author_id=actor.id, contacted_on=contacted_on,
                      body=_body(body, MAX_NOTE))
    session.add(note)
    session.flush()
    audit.record(session, "brokerage.note_added", actor_id=actor.id, subject_type="person", subject_id=person.id,
                 time_bank_id=time_bank_id, note_id=note.id)
    return note


def notes_of(session: Session, actor: Person, person_id: int, time_bank_id: int, *, page: int = 1,
             per_page: int = 20) -> Page[BrokerNote]:
    """The bank's notes about the member, latest contact first (``ix_broker_notes_person``)."""
    person = member_of_bank(session, actor, person_id, time_bank_id)
    query = (sa.select(BrokerNote).where(BrokerNote.person_id == person.id, BrokerNote.time_bank_id == time_bank_id)
             .order_by(BrokerNote.created_at.desc(), BrokerNote.id.desc()))
    return paginate(session, query, page=page, per_page=per_page)


# --- messages ---------------------------------------------------------------------------------------


def require_some_bank(session: Session, actor: Person) -> None:
    """Messages are for members: someone who belongs to no bank has no conversation, whatever they ask."""
    if not policy.holder_bank_ids(session, actor.id):
        raise errors.NotMemberOfBank()


def require_member(session: Session, actor: Person, time_bank_id: int) -> None:
    if time_bank_id not in policy.holder_bank_ids(session, actor.id):
        raise errors.NotMemberOfBank()


def write_to_brokers(session: Session, actor: Person, time_bank_id: int, body: str) -> Message:
    """A member's message to their bank's brokers."""
    require_member(session, actor, time_bank_id)
    message = Message(time_bank_id=time_bank_id, person_id=actor.id, author_id=actor.id, author_is_broker=False,
                      body=_body(body, MAX_MESSAGE))
    session.add(message)
    session.flush()
    audit.record(session, "brokerage.message_sent", actor_id=actor.id, subject_type="person", subject_id=actor.id,
                 time_bank_id=time_bank_id, message_id=message.id)
    return message


def reply(session: Session, actor: Person, person_id: int, time_bank_id: int, body: str) -> Message:
    """A broker's reply in the member's conversation; it answers every message of theirs still waiting."""
    person = member_of_bank(session, actor, person_id, time_bank_id)
    now = utcnow()
    message = Message(time_bank_id=time_bank_id, person_id=person.id, author_id=actor.id, author_is_broker=True,
                      body=_body(body, MAX_MESSAGE), answered_at=now)
    session.add(message)
    session.execute(sa.update(Message).where(Message.time_bank_id == time_bank_id, Message.person_id == person.id,
                                             Message.answered_at.is_(None)).values(answered_at=now))
    session.flush()
    audit.record(session, "brokerage.message_replied", actor_id=actor.id, subject_type="person",
                 subject_id=person.id, time_bank_id=time_bank_id, message_id=message.id)
    return message


def conversation(session: Session, actor: Person, person_id: int, time_bank_id: int, *, page: int = 1,
                 per_page: int = 20) -> Page[Message]:
    """The conversation, newest first: for the member (who has now read the brokers' replies) or a broker."""
    if person_id == actor.id:
        require_member(session, actor, time_bank_id)
        session.execute(sa.update(Message).where(
            Message.time_bank_id == time_bank_id, Message.person_id == actor.id, Message.author_is_broker.is_(True),
            Message.read_at.is_(None)).values(read_at=utcnow()))
    else:
        member_of_bank(session, actor, person_id, time_bank_id)
    query = (sa.select(Message).where(Message.person_id == person_id, Message.time_bank_id == time_bank_id)
             .order_by(Message.id.desc()))
    return paginate(session, query, page=page, per_page=per_page)


def waiting_query(time_bank_id: int) -> sa.Select[tuple[Message]]:
    """Members' messages waiting for a reply in a bank, oldest first."""
    return (sa.select(Message).where(Message.time_bank_id == time_bank_id, Message.answered_at.is_(None))
            .order_by(Message.id))


def waiting(session: Session, actor: Person, time_bank_id: int, *, page: int = 1,
            per_page: int = 20) -> Page[Message]:
    require_broker_of(session, actor, time_bank_id)
    return paginate(session, waiting_query(time_bank_id), page=page, per_page=per_page)


def my_banks_unread(session: Session, person: Person) -> int:
    """Brokers' replies the member has not read yet, across their banks."""
    return session.scalar(sa.select(sa.func.count(Message.id)).where(
        Message.person_id == person.id, Message.author_is_broker.is_(True), Message.read_at.is_(None))) or 0

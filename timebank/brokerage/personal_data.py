"""Brokerage's part of what is held about a person (``timebank.personal_data``).

* **Introductions** where they are the candidate are in their download (the thing, the answers, the
  dates). Leaving withdraws their live ones (as candidate) and wipes what was written on them: the
  broker's message and the reasons they gave.
* **Messages** with their bank's brokers are theirs: in the download; leaving wipes every body (the rows
  stay, so the brokers' counts of replies stay whole).
* **Broker notes** follow safeguarding notes exactly: not in the download (they may concern other people)
  and kept when the member leaves; the download says so and how to ask for them (a subject access
  request). Brokers' note-taking in the activity log goes with them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.brokerage.models import LIVE_STATES, Introduction, IntroductionState, Message
from timebank.members.models import Person
from timebank.personal_data import Part, iso
from timebank.types import utcnow


def export(session: Session, person: Person) -> dict[str, Any]:
    introductions = session.scalars(sa.select(Introduction).where(Introduction.candidate_id == person.id)
                                    .order_by(Introduction.id))
    messages = session.scalars(sa.select(Message).where(Message.person_id == person.id).order_by(Message.id))
    return {
        "introductions": [{
            "id": i.id, "time_bank_id": i.time_bank_id, "listing_id": i.listing_id, "role_id": i.role_id,
            "session_id": i.session_id, "state": i.state.value, "message": i.message, "made_at": iso(i.created_at),
            "expires_on": iso(i.expires_on),
            "your_answer": i.candidate_answer.value if i.candidate_answer else None, "your_reason": i.candidate_reason,
            "answered_at": iso(i.candidate_answered_at), "answered_by_a_broker": i.candidate_on_behalf,
            "other_answer": i.other_answer.value if i.other_answer else None,
            "exchange_id": i.exchange_id, "sign_up_id": i.sign_up_id,
        } for i in introductions],
        "broker_messages": [{
            "time_bank_id": m.time_bank_id, "from_a_broker": m.author_is_broker, "body": m.body,
            "sent_at": iso(m.created_at), "read_at": iso(m.read_at),
        } for m in messages],
    }


def forget(session: Session, actor: Person, person: Person) -> None:
    now = utcnow()
    session.execute(sa.update(Introduction).where(
        Introduction.candidate_id == person.id, Introduction.state.in_(LIVE_STATES),
    ).values(state=IntroductionState.WITHDRAWN, settled_at=sa.func.coalesce(Introduction.settled_at, now)))
    session.execute(sa.update(Introduction).where(Introduction.candidate_id == person.id)
                    .values(message="", candidate_reason=""))
    session.execute(sa.update(Introduction).where(Introduction.other_answered_by_id == person.id)
                    .values(other_reason=""))
    session.execute(sa.update(Message).where(Message.person_id == person.id).values(body=""))


PART = Part(
    name="brokerage", tables=("introductions", "broker_messages"), sections=("introductions", "broker_messages"),
    export=export, forget=forget,
    exempt={"broker_notes": "brokers' contact notes, like safeguarding notes, may concern other people: withheld "
                            "from the download (a subject access request to the time bank covers them) and kept "
                            "for the bank when the member leaves"},
    withheld=(_l("Contact notes written by brokers are not included here. To see what the time bank holds about "
                 "you, ask it for a subject access request."),),
    withheld_actions=("brokerage.note_",),
)

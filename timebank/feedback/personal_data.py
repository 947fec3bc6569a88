"""Participants' voice's part of what is held about a person (``timebank.personal_data``).

* Their **answers** are theirs: in their download, with their comments. Leaving keeps each answer in the
  counts (how it went, again, the day) but takes the person off it and wipes the comment, which may
  say who they are. Answers a broker typed in stay the broker's record of their work (``recorded_by``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.feedback.models import FeedbackAnswer
from timebank.members.models import Person
from timebank.personal_data import Part, iso


def export(session: Session, person: Person) -> dict[str, Any]:
    answers = session.scalars(sa.select(FeedbackAnswer).where(FeedbackAnswer.person_id == person.id)
                              .order_by(FeedbackAnswer.id))
    return {"feedback_answers": [{
        "time_bank_id": a.time_bank_id, "session_id": a.session_id, "exchange_id": a.exchange_id,
        "day": iso(a.answered_on), "how_it_went": a.how_it_went, "again": a.again.value if a.again else None,
        "comment": a.comment, "channel": a.channel.value, "recorded_by_a_broker": a.recorded_by_id is not None,
        "answered_at": iso(a.created_at), "changed_at": iso(a.updated_at),
    } for a in answers]}


def forget(session: Session, actor: Person, person: Person) -> None:
    session.execute(sa.update(FeedbackAnswer).where(FeedbackAnswer.person_id == person.id)
                    .values(person_id=None, comment=""))


PART = Part(name="feedback", tables=("feedback_answers",), sections=("feedback_answers",), export=export,
            forget=forget)

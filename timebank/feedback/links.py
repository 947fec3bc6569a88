"""The "how did it go?" link in an email: it opens the answer form for one person and one thing without
signing in. It carries ``[person id, kind, thing id, issued at]`` signed with the app's secret
(itsdangerous, its own salt, as the unsubscribe link), works for ``VALID_FOR``, and lets its holder say
how that one thing went for that one person, and nothing else. Anything else (tampered, old, someone who
has left, a thing they no longer took part in) is a plain 404."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from timebank.feedback import errors, service
from timebank.feedback.service import Thing, ThingKind
from timebank.members.models import Person
from timebank.types import utcnow

SALT = "timebank.feedback.answer"
VALID_FOR = dt.timedelta(days=30)


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def answer_token(person_id: int, kind: ThingKind, thing_id: int, issued_at: dt.datetime | None = None) -> str:
    return _signer().dumps([person_id, kind.value, thing_id, int((issued_at or utcnow()).timestamp())])


def read_answer_token(session: Session, token: str) -> tuple[Person, Thing]:
    """Whose answer and about what the token names; ``FeedbackThingNotFound`` for anything else."""
    try:
        person_id, kind_value, thing_id, issued = _signer().loads(token)
        kind = ThingKind(kind_value)
        issued_at = dt.datetime.fromtimestamp(issued, dt.UTC)
    except (BadSignature, ValueError, TypeError, OverflowError):
        raise errors.FeedbackThingNotFound() from None
    if not (isinstance(person_id, int) and isinstance(thing_id, int)) or utcnow() - issued_at > VALID_FOR:
        raise errors.FeedbackThingNotFound()
    person = session.get(Person, person_id)
    if person is None or person.pseudonymised_at is not None:
        raise errors.FeedbackThingNotFound()
    try:
        thing = service.thing_of(session, kind, thing_id)
    except errors.NotSettled:
        raise errors.FeedbackThingNotFound() from None
    if person.id not in thing.participant_ids:
        raise errors.FeedbackThingNotFound()
    return person, thing

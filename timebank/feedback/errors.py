"""What the participants' voice refuses. Each refusal has its own stable code; those about one field of the
form or body name it (``field``), so pages put them next to it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, DomainError, Forbidden, NotFound


class FeedbackThingNotFound(NotFound):
    """The session or exchange is not there, or not one the person may see; a bad or old email link too."""

    code = "feedback-thing-not-found"
    title = _l("There is no such session or exchange")


class NotAParticipant(Forbidden):
    """Only a person who came to the session, or who was a side of the exchange, answers about it."""

    code = "feedback-not-a-participant"
    title = _l("Only the people who took part can say how it went")


class NotSettled(Conflict):
    """An exchange is answered about once it is confirmed (and not reversed)."""

    code = "feedback-exchange-not-confirmed"
    title = _l("You can say how it went once the exchange is confirmed")


class NothingAnswered(DomainError):
    code = "feedback-nothing-answered"
    title = _l("Answer at least one question")


class CommentTooLong(DomainError):
    code = "feedback-comment-too-long"
    title = _l("The comment is too long")
    field = "comment"


class ChooseAParticipant(DomainError):
    """A broker typing in a paper answer names someone who took part."""

    code = "feedback-choose-a-participant"
    title = _l("Choose someone who took part")
    field = "person_id"


class NotBrokerOfThing(Forbidden):
    """Answers on paper are typed in by the bank's brokers."""

    code = "feedback-not-broker"
    title = _l("Only the time bank's brokers can record answers given on paper")


class NotAReader(Forbidden):
    """Answers with their comments are for the bank's brokers and the organisation's admins."""

    code = "feedback-not-a-reader"
    title = _l("Only the time bank's brokers and the organisation's admins can read these answers")

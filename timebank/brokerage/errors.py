"""What brokerage refuses: introductions, broker notes and messages. Each refusal has its own stable code;
those about one field of a form or body name it (``field``), so pages put them next to it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, DomainError, Forbidden, NotFound


class NotBrokerOfBank(Forbidden):
    """Introductions, notes and the dashboard are a bank's brokers' work."""

    code = "not-broker-of-bank"
    title = _l("Only the time bank's brokers can do this")


class IntroductionNotFound(NotFound):
    code = "introduction-not-found"
    title = _l("There is no such introduction")


class ThingNotFound(NotFound):
    """The request or role named is not there, or not in a bank the broker runs."""

    code = "introduction-thing-not-found"
    title = _l("There is no such request or role")


class OneThing(DomainError):
    """An introduction is to one request or one role, never both or neither."""

    code = "introduction-one-thing"
    title = _l("Choose one request or one role to introduce people to")


class NotOpenRequest(Conflict):
    code = "introduction-request-not-open"
    title = _l("People can only be introduced to an open request for help")


class RoleNotOpen(Conflict):
    code = "introduction-role-not-open"
    title = _l("People can only be introduced to a role of a published activity")


class SessionNotOfRole(DomainError):
    code = "introduction-session-not-of-role"
    title = _l("Choose a session of this role that is still to come")


class NoCandidates(DomainError):
    code = "introduction-no-candidates"
    title = _l("Choose at least one person to introduce")


class TooManyCandidates(DomainError):
    code = "introduction-too-many-candidates"
    title = _l("Introduce at most 20 people at once")


class CandidateNotMember(DomainError):
    code = "candidate-not-member"
    title = _l("Only members of this time bank can be introduced")


class CandidateLeft(DomainError):
    code = "candidate-left"
    title = _l("This person has left the time bank")


class CandidateOptedOut(DomainError):
    code = "candidate-opted-out"
    title = _l("This person has asked not to be suggested for requests and roles")


class CandidateIsRequester(DomainError):
    code = "candidate-is-requester"
    title = _l("Someone cannot be introduced to their own request")


class AlreadyIntroduced(Conflict):
    code = "already-introduced"
    title = _l("This person already has an introduction to this that is still open")


class TextTooLong(DomainError):
    """A message, reason, note or message to the brokers is longer than its limit."""

    code = "brokerage-text-too-long"


class TextMissing(DomainError):
    code = "brokerage-text-missing"
    title = _l("Write something first")


class NotLive(Conflict):
    """Only a proposed introduction can be answered or withdrawn."""

    code = "introduction-not-live"
    title = _l("This introduction is no longer open")


class Expired(Conflict):
    code = "introduction-expired"
    title = _l("This introduction has run out of time: ask your broker about it")


class AlreadyAnswered(Conflict):
    code = "introduction-already-answered"
    title = _l("This side has already answered")


class NotYourSide(Forbidden):
    code = "introduction-not-your-side"
    title = _l("Only that side, or a broker for them, can answer for it")


class NoSessionToJoin(Conflict):
    code = "introduction-no-session"
    title = _l("This role has no session still to come with a place: the organiser needs to add one first")


class NotMemberOfBank(NotFound):
    """A member writes only to the brokers of a bank they belong to."""

    code = "not-member-of-bank"
    title = _l("You are not a member of that time bank")


class PersonNotInBank(NotFound):
    code = "brokerage-person-not-in-bank"
    title = _l("There is no such member")

"""The kinds of email grouped into the few plain choices a member makes on their email settings, and the
subject line each group's emails carry (the body is the notice's own words: ``notices.messages``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from timebank.mail.models import EmailKind


@dataclass(frozen=True)
class Choice:
    #: Stable: the form's field name and the API's ``group``.
    code: str
    label: Any
    hint: Any
    subject: Any
    kinds: tuple[EmailKind, ...]


#: The choice only staff (brokers and admins) are offered.
STAFF = "staff"

CHOICES = (
    Choice("exchanges", _l("Exchanges and disputes"),
           _l("An exchange waits for you to confirm it; a dispute is raised or settled."),
           _l("An exchange or dispute needs you"),
           (EmailKind.EXCHANGE_PENDING, EmailKind.DISPUTE_RAISED, EmailKind.DISPUTE_RESOLVED)),
    Choice("introductions", _l("Introductions"),
           _l("A broker introduces you to someone who could help, or someone you could help."),
           _l("An introduction from your time bank"),
           (EmailKind.INTRODUCTION_MADE, EmailKind.INTRODUCTION_ANSWERED)),
    Choice("sessions", _l("Sessions you signed up for"),
           _l("A place comes free for you, or a session is moved or cancelled."),
           _l("News about a session"),
           (EmailKind.SESSION_PLACE, EmailKind.PLACE_NEEDS_CLEARANCE, EmailKind.SESSION_CANCELLED,
            EmailKind.SESSION_CHANGED, EmailKind.SIGN_UP_CANCELLED_LATE)),
    Choice("feedback", _l("How did it go?"),
           _l("After an exchange is confirmed or you come to a session, a link to say how it went."),
           _l("How did it go?"), (EmailKind.EXCHANGE_CONFIRMED, EmailKind.SESSION_ATTENDED)),
    Choice("listings", _l("Your listings"), _l("A listing of yours is due for review."),
           _l("A listing of yours is due for review"), (EmailKind.LISTING_REVIEW,)),
    Choice("checks", _l("Your DBS check"), _l("Your DBS check stops counting soon."),
           _l("Your DBS check needs renewing"), (EmailKind.DBS_EXPIRING,)),
    Choice(STAFF, _l("For staff"), _l("Someone you look after asked for a new password."),
           _l("Someone asked for a new password"), (EmailKind.PASSWORD_HELP,)),
)

#: Links to choose a password are always sent: they are how a person gets in, and nobody else asked for them.
ALWAYS_SENT = (EmailKind.PASSWORD_SET_UP, EmailKind.PASSWORD_RESET)

_CHOICE_OF = {kind: choice for choice in CHOICES for kind in choice.kinds}
CHOICE_CODES = tuple(choice.code for choice in CHOICES)


def choice_of(kind: EmailKind) -> Choice | None:
    """The choice a kind belongs to; ``None`` for the kinds always sent."""
    return _CHOICE_OF.get(kind)


def choice_named(code: str) -> Choice | None:
    return next((choice for choice in CHOICES if choice.code == code), None)

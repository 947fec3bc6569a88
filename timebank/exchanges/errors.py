"""What the dispute rules refuse, in words a member understands. (The ledger's own refusals are in
``timebank.ledger.errors``.)"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, DomainError, Forbidden, NotFound


class ReasonRequired(DomainError):
    title = _l("Say what is wrong with this exchange")
    field = "reason"


class ReasonTooLong(DomainError):
    title = _l("Keep the reason under 1,000 characters")
    field = "reason"


class SideRequired(DomainError):
    title = _l("Choose whose side you are raising this for")
    field = "account"


class NotDisputable(Conflict):
    title = _l("Only a confirmed exchange can be disputed. This one is not confirmed, or it is a reversal.")


class AlreadyDisputed(Conflict):
    title = _l("Someone has already raised this exchange with a broker. You will hear when it is dealt with.")


class DisputeNotFound(NotFound):
    title = _l("We could not find that dispute")


class OnlyBrokersResolve(Forbidden):
    title = _l("Only the time bank's brokers can deal with disputes")


class NoteRequired(DomainError):
    title = _l("Write a note saying how the dispute was dealt with")
    field = "note"


class NoteTooLong(DomainError):
    title = _l("Keep the note under 1,000 characters")
    field = "note"


class DisputeClosed(Conflict):
    title = _l("This dispute has already been dealt with")

"""What the dispute rules refuse, in words a member understands. (The ledger's own refusals are in
``timebank.ledger.errors``.)"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, DomainError, Forbidden, NotFound


class ReasonRequired(DomainError):
    code = "dispute-reason-required"
    title = _l("Say what is wrong with this exchange")
    field = "reason"


class ReasonTooLong(DomainError):
    code = "reason-too-long"
    title = _l("Keep the reason under 1,000 characters")
    field = "reason"


class SideRequired(DomainError):
    code = "side-required"
    title = _l("Choose whose side you are raising this for")
    field = "account"


class NotDisputable(Conflict):
    code = "not-disputable"
    title = _l("Only a confirmed exchange can be disputed. This one is not confirmed, or it is a reversal.")


class AlreadyDisputed(Conflict):
    code = "already-disputed"
    title = _l("Someone has already raised this exchange with a broker. You will hear when it is dealt with.")


class DisputeNotFound(NotFound):
    code = "dispute-not-found"
    title = _l("We could not find that dispute")


class OnlyBrokersResolve(Forbidden):
    code = "only-brokers-resolve"
    title = _l("Only the time bank's brokers can deal with disputes")


class NoteRequired(DomainError):
    code = "note-required"
    title = _l("Write a note saying how the dispute was dealt with")
    field = "note"


class NoteTooLong(DomainError):
    code = "note-too-long"
    title = _l("Keep the note under 1,000 characters")
    field = "note"


class DisputeClosed(Conflict):
    code = "dispute-closed"
    title = _l("This dispute has already been dealt with")

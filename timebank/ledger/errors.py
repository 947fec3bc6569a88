"""What the ledger refuses, in words a member understands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, DomainError, Forbidden, NotFound


class InvalidAmount(DomainError):
    title = _l("Enter the time as whole minutes between 1 minute and 24 hours")
    field = "minutes"


class SameAccount(DomainError):
    title = _l("Choose someone else: you cannot exchange time with yourself")
    field = "counterpart"


class AccountNotFound(NotFound):
    title = _l("We could not find that time account")


class AccountInOtherBank(DomainError):
    title = _l("Both sides must belong to the same time bank")
    field = "counterpart"


class CategoryNotFound(DomainError):
    title = _l("Choose a category from the list")
    field = "category"


class DescriptionTooLong(DomainError):
    title = _l("Keep the description under 1,000 characters")
    field = "description"


class ExceedsBalanceFloor(DomainError):
    title = _l("This would take the account below its lowest allowed balance")
    field = "minutes"


class ExceedsBalanceCeiling(DomainError):
    title = _l("This would take the account above its highest allowed balance")
    field = "minutes"


class IdempotencyKeyReused(DomainError):
    title = _l("This form was already sent with different details. Please start again.")
    field = "idempotency_key"


class InvalidIdempotencyKey(DomainError):
    title = _l("This form is missing its reference. Please reload the page and try again.")
    field = "idempotency_key"


class AccountClosed(Conflict):
    """An exchange would be recorded or confirmed on the account of someone who has left. A 409, not a
    422: nothing in the request is wrong, it clashes with what has happened since (the account closed)."""

    title = _l("This time account is closed because its holder has left the time bank. No new exchanges "
               "can be recorded or confirmed on it.")
    field = "account"

    @classmethod
    def on(cls, field: str) -> AccountClosed:
        """The refusal for the side concerned: ``account`` (the side acted for) or ``counterpart``."""
        if field == "counterpart":
            return cls(_l("The other side's time account is closed because they have left the time bank. "
                          "No new exchanges can be recorded or confirmed with them."), field=field)
        return cls(field=field)


class ExchangeNotFound(NotFound):
    title = _l("We could not find that exchange")


class NotAParty(Forbidden):
    title = _l("Only the two people in an exchange can do that")


class CannotConfirmOwnProposal(Forbidden):
    title = _l("You recorded this exchange, so the other person confirms or declines it")


class OnlyProposerCanCancel(Forbidden):
    title = _l("Only the person who recorded this exchange can cancel it")


class InvalidTransition(Conflict):
    title = _l("This exchange cannot change in that way")


class CannotReverseReversal(Conflict):
    title = _l("A reversal cannot itself be reversed; record a new exchange instead")


class ReasonRequired(DomainError):
    title = _l("Say why this exchange is being reversed")
    field = "reason"

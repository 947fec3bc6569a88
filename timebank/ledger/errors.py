"""What the ledger refuses, in words a member understands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, DomainError, Forbidden, NotFound


class InvalidAmount(DomainError):
    code = "invalid-amount"
    title = _l("Enter the time as whole minutes between 1 minute and 24 hours")
    field = "minutes"


class SameAccount(DomainError):
    code = "same-account"
    title = _l("Choose someone else: you cannot exchange time with yourself")
    field = "counterpart"


class AccountNotFound(NotFound):
    code = "account-not-found"
    title = _l("We could not find that time account")


class AccountInOtherBank(DomainError):
    code = "account-in-other-bank"
    title = _l("Both sides must belong to the same time bank")
    field = "counterpart"


class CategoryNotFound(DomainError):
    code = "category-not-found"
    title = _l("Choose a category from the list")
    field = "category"


class DescriptionTooLong(DomainError):
    code = "description-too-long"
    title = _l("Keep the description under 1,000 characters")
    field = "description"


class ExceedsBalanceFloor(DomainError):
    code = "exceeds-balance-floor"
    title = _l("This would take the account below its lowest allowed balance")
    field = "minutes"


class ExceedsBalanceCeiling(DomainError):
    code = "exceeds-balance-ceiling"
    title = _l("This would take the account above its highest allowed balance")
    field = "minutes"


class IdempotencyKeyReused(DomainError):
    code = "idempotency-key-reused"
    title = _l("This form was already sent with different details. Please start again.")
    field = "idempotency_key"


class InvalidIdempotencyKey(DomainError):
    code = "invalid-idempotency-key"
    title = _l("This form is missing its reference. Please reload the page and try again.")
    field = "idempotency_key"


class AccountClosed(Conflict):
    """An exchange would be recorded or confirmed on the account of someone who has left. A 409, not a
    422: nothing in the request is wrong, it clashes with what has happened since (the account closed)."""

    code = "account-closed"

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
    code = "exchange-not-found"
    title = _l("We could not find that exchange")


class NotAParty(Forbidden):
    code = "not-a-party"
    title = _l("Only the two people in an exchange can do that")


class CannotConfirmOwnProposal(Forbidden):
    code = "cannot-confirm-own-proposal"
    title = _l("You recorded this exchange, so the other person confirms or declines it")


class OnlyProposerCanCancel(Forbidden):
    code = "only-proposer-can-cancel"
    title = _l("Only the person who recorded this exchange can cancel it")


class InvalidTransition(Conflict):
    code = "invalid-transition"
    title = _l("This exchange cannot change in that way")


class CannotReverseReversal(Conflict):
    code = "cannot-reverse-reversal"
    title = _l("A reversal cannot itself be reversed; record a new exchange instead")


class ReasonRequired(DomainError):
    code = "reason-required"
    title = _l("Say why this exchange is being reversed")
    field = "reason"

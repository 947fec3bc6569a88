"""What the synthetic bank generator (``flask seed``) refuses."""

from __future__ import annotations

from timebank.errors import DomainError


class TooFewMembers(DomainError):
    """A bank needs at least two members to exchange anything."""

    code = "too-few-members"


class NegativeExchanges(DomainError):
    """The number of exchanges cannot be negative."""

    code = "negative-exchanges"

"""What making an API token can refuse. (Signing in, passwords and links refuse with the classes beside
their rules: ``auth.service``, ``auth.passwords``, ``auth.limits``, ``auth.tokens``.)"""

from __future__ import annotations

from timebank.errors import DomainError


class TokenNameMissing(DomainError):
    """A token needs a name, to tell it apart later."""

    code = "token-name-missing"


class TokenNameTooLong(DomainError):
    """A token's name is longer than the limit."""

    code = "token-name-too-long"


class TokenLifetimeOutOfRange(DomainError):
    """A token's lifetime in days is outside the range allowed."""

    code = "token-lifetime-out-of-range"

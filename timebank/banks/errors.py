"""What making a time bank or changing its settings can refuse. Each error names the field it belongs
next to."""

from __future__ import annotations

from timebank.errors import DomainError


class InvalidSlug(DomainError):
    """A bank's short name is lower-case letters, numbers and single hyphens."""

    code = "invalid-slug"


class VouchesOutOfRange(DomainError):
    """The number of vouches needed is outside the range allowed."""

    code = "vouches-out-of-range"


class RenewalMonthsOutOfRange(DomainError):
    """The months between DBS checks are outside the range allowed."""

    code = "renewal-months-out-of-range"

"""What editing a profile, an organisation's contributions, or searching for people can refuse.
Each error names the form or JSON field it belongs next to."""

from __future__ import annotations

from timebank.errors import DomainError


class ProfileTextTooLong(DomainError):
    """A profile's free text, or a contribution's description, is longer than its limit."""

    code = "profile-text-too-long"


class UnknownAbilities(DomainError):
    """An ability that is not in the list of categories."""

    code = "unknown-abilities"


class UnknownLanguages(DomainError):
    """A language that is not in the list."""

    code = "unknown-languages"


class UnknownAvailability(DomainError):
    """A time that is not in the weekly grid."""

    code = "unknown-availability"


class DistrictNotRecognised(DomainError):
    """Not a UK postcode district (like HB3)."""

    code = "district-not-recognised"


class TooManyDistricts(DomainError):
    """More travel districts than a profile may name."""

    code = "too-many-districts"


class ContributionMissing(DomainError):
    """A contribution needs to say what the organisation offers."""

    code = "contribution-missing"


class NotYourBank(DomainError):
    """A search may only look in the searcher's own time banks."""

    code = "not-your-bank"


class SearchTooLong(DomainError):
    """The search text is longer than its limit."""

    code = "search-too-long"

"""What the details of a person or an organisation can refuse. Each error names the field it belongs
next to."""

from __future__ import annotations

from timebank.errors import DomainError


class NameMissing(DomainError):
    """A name is needed."""

    code = "name-missing"


class NameTooLong(DomainError):
    """A name is longer than its limit."""

    code = "name-too-long"


class InvalidEmail(DomainError):
    """Not an email address."""

    code = "invalid-email"


class InvalidPhone(DomainError):
    """Not a phone number."""

    code = "invalid-phone"


class PostcodeMissing(DomainError):
    """A postcode is needed."""

    code = "postcode-missing"


class InvalidPostcode(DomainError):
    """Not a UK postcode."""

    code = "invalid-postcode"


class CharityNumberMissing(DomainError):
    """A charity needs its registered number."""

    code = "charity-number-missing"


class InvalidCharityNumber(DomainError):
    """Not a charity number of England and Wales, Scotland or Northern Ireland."""

    code = "invalid-charity-number"


class ContactDetailsMissing(DomainError):
    """The way chosen to be contacted needs an email address or phone number that is not given."""

    code = "contact-details-missing"


class EmailNeededToSignIn(DomainError):
    """Someone who signs in with their email address cannot remove it."""

    code = "email-needed-to-sign-in"


class AccountKindWouldChange(DomainError):
    """The change would alter the kind of time account an organisation already holds."""

    code = "account-kind-would-change"


class NobodyWithThatEmail(DomainError):
    """No current member has that email address."""

    code = "nobody-with-that-email"

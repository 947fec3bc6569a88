"""What joining a time bank can refuse (the classes for applications and vouches that are not about
input are beside their rules in ``membership.service``). Each error names the field it belongs next to."""

from __future__ import annotations

from timebank.errors import DomainError


class UnknownTimeBank(DomainError):
    """The time bank to join is not one of those offered."""

    code = "unknown-time-bank"


class StatementTooLong(DomainError):
    """The applicant's statement is longer than its limit."""

    code = "statement-too-long"


class RefereeNameMissing(DomainError):
    """A referee needs a name."""

    code = "referee-name-missing"


class RefereeContactMissing(DomainError):
    """A referee needs an email address or phone number."""

    code = "referee-contact-missing"


class RefereeDetailsTooLong(DomainError):
    """An answer about a referee is longer than its limit."""

    code = "referee-details-too-long"


class PasswordNotForEnrolment(DomainError):
    """A broker enrolling a member does not choose their password."""

    code = "password-not-for-enrolment"


class SignInDetailsMissing(DomainError):
    """Signing up needs an email address and a password."""

    code = "sign-in-details-missing"


class UnknownApplicant(DomainError):
    """Who is joining is not one of those the actor may apply for."""

    code = "unknown-applicant"


class TooManyReferees(DomainError):
    """More referees than an application may name."""

    code = "too-many-referees"


class DecisionNoteMissing(DomainError):
    """Declining an application needs a note saying why."""

    code = "decision-note-missing"


class DecisionNoteTooLong(DomainError):
    """A decision's note is longer than its limit."""

    code = "decision-note-too-long"

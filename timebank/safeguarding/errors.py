"""What recording a DBS check or a safeguarding note can refuse. Each error names the field it belongs
next to. (``ClearanceNeeded`` and ``NotBrokerOfPerson`` are beside their rules in ``safeguarding.service``.)"""

from __future__ import annotations

from timebank.errors import DomainError


class BarredListsMismatch(DomainError):
    """Barred lists are named for an enhanced check with barred lists, and only for one."""

    code = "barred-lists-mismatch"


class InvalidCertificateNumber(DomainError):
    """A DBS certificate number has 12 digits."""

    code = "invalid-certificate-number"


class StatusCheckNeedsUpdateService(DomainError):
    """A status check is only possible through the DBS update service."""

    code = "status-check-needs-update-service"


class NoteMissing(DomainError):
    """A safeguarding note needs a body."""

    code = "safeguarding-note-missing"


class NoteTooLong(DomainError):
    """A safeguarding note is longer than its limit."""

    code = "safeguarding-note-too-long"

"""The refusals of matching, each with its own stable code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import DomainError, Forbidden


class NotBroker(Forbidden):
    """Finding people, and a bank's weights, are for the brokers of the thing's bank."""

    code = "matching-not-broker"
    title = _l("Only the brokers of this time bank can find people for it or change how they are ranked")


class WeightOutOfRange(DomainError):
    code = "match-weight-out-of-range"
    title = _l("Give each weight as a whole number from 0 to 100")


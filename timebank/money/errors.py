"""What can go wrong recording money and value, in words a person understands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import DomainError


class InvalidItem(DomainError):
    title = _l("Say what was received, in up to 200 characters.")
    field = "item"


class FaceValueRequired(DomainError):
    title = _l("Give the value in pounds of a voucher, gift card or cash.")
    field = "face_value"


class InvalidAmount(DomainError):
    title = _l("Give an amount in pounds and pence, from £0.00 to £100,000.")
    field = "amount"


class ExchangeNotConfirmed(DomainError):
    title = _l("The credits have not moved yet: the exchange must be confirmed first.")

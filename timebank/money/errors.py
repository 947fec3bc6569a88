"""What can go wrong recording money and value, in words a person understands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import DomainError, Forbidden, NotFound


class InvalidItem(DomainError):
    code = "invalid-item"
    title = _l("Say what was received, in up to 200 characters.")
    field = "item"


class FaceValueRequired(DomainError):
    code = "face-value-required"
    title = _l("Give the value in pounds of a voucher, gift card or cash.")
    field = "face_value"


class InvalidAmount(DomainError):
    code = "money-invalid-amount"
    title = _l("Give an amount in pounds and pence, from £0.00 to £100,000.")
    field = "amount"


class ExchangeNotConfirmed(DomainError):
    code = "exchange-not-confirmed"
    title = _l("The credits have not moved yet: the exchange must be confirmed first.")


class NotRecorder(Forbidden):
    code = "not-recorder"
    title = _l("Only an organisation's own staff or a broker can record money and gifts.")


class OrganisationNotFound(NotFound):
    code = "organisation-not-found"
    title = _l("There is no such organisation.")
    field = "organisation"


class RecordNotFound(NotFound):
    code = "record-not-found"
    title = _l("There is no such record.")


class NotInBank(DomainError):
    code = "not-in-bank"
    title = _l("The organisation does not take part in that time bank.")
    field = "time_bank"


class MemberNotInBank(DomainError):
    code = "member-not-in-bank"
    title = _l("Choose a member of the time bank.")
    field = "member"


class ActivityNotFound(DomainError):
    code = "money-activity-not-found"
    title = _l("Choose one of the organisation's activities in this time bank, or none.")
    field = "activity"


class ListingNotFound(DomainError):
    code = "money-listing-not-found"
    title = _l("Choose one of this spend partner's offers in this time bank, or none.")
    field = "listing"


class MilesRequired(DomainError):
    code = "miles-required"
    title = _l("For mileage, enter the miles travelled, like 12.5.")
    field = "miles"


class InvalidMiles(DomainError):
    code = "invalid-miles"
    title = _l("Enter miles as a number with at most one decimal place, from 0.1 to 100,000.")
    field = "miles"


class RateRequired(DomainError):
    code = "rate-required"
    title = _l("For mileage, enter the rate paid per mile in pence, like 45.")
    field = "rate_per_mile"


class InvalidRate(DomainError):
    code = "invalid-rate"
    title = _l("Enter the rate per mile as whole pence, from 0 to 1,000.")
    field = "rate_per_mile"


class MileageOnly(DomainError):
    code = "mileage-only"
    title = _l("Only mileage has miles and a rate per mile.")
    field = "miles"


class InvalidReceipts(DomainError):
    code = "invalid-receipts"
    title = _l("Enter the number of receipts as a whole number from 0 to 1,000.")
    field = "receipts_count"


class ReceiptsNeeded(DomainError):
    code = "receipts-needed"
    title = _l("With no receipts, the amount receipted is £0.00.")
    field = "receipts_count"


class NoteTooLong(DomainError):
    code = "money-note-too-long"
    title = _l("Keep the note under 1,000 characters.")
    field = "note"


class KeyReused(DomainError):
    code = "key-reused"
    title = _l("This form was already sent with different details. Please start again.")
    field = "idempotency_key"

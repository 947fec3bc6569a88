"""What can go wrong with offers, requests and spend offers, in words a member understands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, DomainError, Forbidden, NotFound
from timebank.ledger.errors import CategoryNotFound as CategoryNotFound  # the same refusal, the same code


class ListingNotFound(NotFound):
    code = "listing-not-found"
    title = _l("There is no such listing")


class HolderNotFound(NotFound):
    code = "holder-not-found"
    title = _l("There is no such member in that time bank")
    field = "holder_id"


class NotYourListing(Forbidden):
    code = "not-your-listing"
    title = _l("Only the person or group who listed this, or a broker, can change it")


class ListingClosed(Conflict):
    code = "listing-closed"
    title = _l("This listing is closed. It is kept for the record and cannot be changed.")


class OffersAreForPeople(DomainError):
    code = "offers-are-for-people"
    title = _l("Offers are for residents. An organisation can ask for help, or list a spend offer.")
    field = "kind"


class SpendOffersAreForOrganisations(DomainError):
    code = "spend-offers-are-for-organisations"
    title = _l("Only organisations that are spend partners can list spend offers")
    field = "kind"


class NoAbilities(DomainError):
    code = "no-abilities"
    title = _l("Add what you can do to your profile first: offers are made from your abilities")
    field = "category"


class NotOwnAbility(DomainError):
    code = "not-own-ability"
    title = _l("Choose one of the things you can do, from your profile")
    field = "category"


class TitleMissing(DomainError):
    code = "title-missing"
    title = _l("Give a short title, up to 200 characters")
    field = "title"


class DetailsTooLong(DomainError):
    code = "details-too-long"
    title = _l("Keep the details to 2,000 characters or fewer")
    field = "details"


class PlaceTooLong(DomainError):
    code = "listing-place-too-long"
    title = _l("Keep the place to 200 characters or fewer")
    field = "place"


class OccasionMissing(DomainError):
    code = "occasion-missing"
    title = _l("Enter the day you would like the help")
    field = "needed_on"


class TimeInPast(DomainError):
    code = "time-in-past"
    title = _l("That time today has already passed")
    field = "needed_at"


class InvalidEstimate(DomainError):
    code = "invalid-estimate"
    title = _l("Choose roughly how long it will take from the list")
    field = "estimated_minutes"


class OnlyRequestsHaveOccasion(DomainError):
    code = "only-requests-have-occasion"
    title = _l("Only a request for help has a day, a time and a length")
    field = "needed_on"


class PriceMissing(DomainError):
    code = "price-missing"
    title = _l("Give the price in credits: from 1 minute to 24 hours")
    field = "price_minutes"


class OnlySpendOffersHavePrice(DomainError):
    code = "only-spend-offers-have-price"
    title = _l("Only a spend offer has a price and something received")
    field = "price_minutes"


class ReviewBeforeOccasion(DomainError):
    code = "review-before-occasion"
    title = _l("Choose a review date on or after the day you would like the help")
    field = "review_on"


class OccasionPassed(DomainError):
    code = "occasion-passed"
    title = _l("The day this help was wanted has passed. Change the day, or close the request.")
    field = "needed_on"


class QueryTooLong(DomainError):
    code = "query-too-long"
    title = _l("Keep the search to 200 characters or fewer")
    field = "q"


class InvalidDistrict(DomainError):
    code = "invalid-district"
    title = _l("Enter a postcode district like HB3")
    field = "district"

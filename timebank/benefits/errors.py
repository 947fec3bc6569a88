"""What can go wrong with benefit-safe monitoring, in words a person understands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import DomainError, NotFound


class BenefitDataNotFound(NotFound):
    """Also what anyone who may not see a member's benefit data is told: whether it exists is itself
    benefit data."""

    code = "benefit-data-not-found"
    title = _l("There is no such member, or you cannot see their benefit information.")


class FlagNotFound(NotFound):
    code = "benefit-flag-not-found"
    title = _l("There is no such flag, or you cannot see it.")


class NoConsent(DomainError):
    code = "benefit-no-consent"
    title = _l("Benefit-safe checks are switched off for this member. Switch them on first.")


class HoursOutOfRange(DomainError):
    code = "benefit-hours-out-of-range"
    title = _l("Give a whole number of hours a week, from 0 to 168.")


class AssessmentDayOutOfRange(DomainError):
    code = "benefit-assessment-day-out-of-range"
    title = _l("Give the day of the month your Universal Credit assessment period starts, from 1 to 31.")
    field = "uc_assessment_day"


class WeekStartOutOfRange(DomainError):
    code = "benefit-week-start-out-of-range"
    title = _l("Choose the day your benefit week starts.")
    field = "benefit_week_starts"


class WorkGroupWithoutUc(DomainError):
    code = "benefit-work-group-without-uc"
    title = _l("A Universal Credit work group only applies if you get Universal Credit.")
    field = "uc_work_group"


class ToldInFuture(DomainError):
    code = "benefit-told-in-future"
    title = _l("The date you last told the benefits office cannot be in the future.")
    field = "last_told_on"


class FlagAlreadyResolved(DomainError):
    code = "benefit-flag-resolved"
    title = _l("This flag is already resolved.")


class SnoozeDateInPast(DomainError):
    code = "benefit-snooze-in-past"
    title = _l("Choose a date after today to put the flag aside until.")
    field = "until"


class NoteTooLong(DomainError):
    code = "benefit-note-too-long"
    title = _l("Keep the note to 1,000 characters.")
    field = "note"

"""What publishing and running an activity can refuse, in words an officer or coordinator understands.
Each error names the form or JSON field it belongs next to."""

from __future__ import annotations

from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, DomainError, Forbidden, NotFound


class ActivityNotFound(NotFound):
    code = "activity-not-found"
    title = _l("There is no such activity")


class RoleNotFound(NotFound):
    code = "role-not-found"
    title = _l("There is no such role in this activity")


class NotRunningIt(Forbidden):
    code = "not-running-it"
    title = _l("Only the organisation running this activity, or a broker of its time bank, can do that")


class NothingToRun(Forbidden):
    code = "nothing-to-run"
    title = _l("Only someone who acts for an organisation in a time bank, or a broker, can publish activities")


class UnknownBank(DomainError):
    code = "unknown-bank"
    title = _l("Choose a time bank from the list")
    field = "time_bank_id"


class UnknownOrganisation(DomainError):
    code = "unknown-organisation"
    title = _l("Choose an organisation you act for that has a time account in this time bank")
    field = "organisation_id"


class InvalidTitle(DomainError):
    code = "invalid-title"
    title = _l("Give a title of up to 200 characters")
    field = "title"


class TextTooLong(DomainError):
    code = "text-too-long"
    title = _l("Keep this to 4,000 characters or fewer")
    field = "summary"


class PlaceTooLong(DomainError):
    code = "place-too-long"
    title = _l("Keep the place to 200 characters or fewer")
    field = "place"


class PartnerNotInBank(DomainError):
    code = "partner-not-in-bank"
    title = _l("Choose a partner organisation that has a time account in the same time bank")
    field = "organisation_id"


class PartnerRunsIt(DomainError):
    code = "partner-runs-it"
    title = _l("The organisation running the activity cannot also be its partner")
    field = "organisation_id"


class ActivityClosed(Conflict):
    code = "activity-closed"
    title = _l("This activity is closed: nothing can be added or changed")


class ClosedCannotReopen(Conflict):
    code = "closed-cannot-reopen"
    title = _l("A closed activity cannot be published again")


class NoRolesYet(Conflict):
    code = "no-roles-yet"
    title = _l("Add at least one role before publishing, so residents know what they would do")


class InvalidPlaces(DomainError):
    code = "invalid-places"
    title = _l("Enter a number of places from 1 to 500")
    field = "places"


class InvalidCredit(DomainError):
    code = "invalid-credit"
    title = _l("Enter credits per session from 1 minute to 24 hours, or leave it blank to use the session's length")
    field = "credit_minutes"


class InvalidNotice(DomainError):
    code = "invalid-notice"
    title = _l("Enter the notice as a whole number of hours, from 0 to 1,440 (60 days)")
    field = "release_notice_hours"


class EndsBeforeStart(DomainError):
    code = "ends-before-start"
    title = _l("The end time must be after the start time")
    field = "end_time"


class SeriesTooLong(DomainError):
    code = "series-too-long"
    title = _l("Repeat for fewer weeks: the last session would be too far ahead")
    field = "weeks"

    def __init__(self, last_day: Any) -> None:
        super().__init__(_l("Repeat for fewer weeks: the last session must be on or before %(day)s",
                            day=format_date(last_day, "long")))


class InvalidWeeks(DomainError):
    code = "invalid-weeks"
    title = _l("Repeat for 1 to 26 weeks")
    field = "weeks"


class TimeSkipped(DomainError):
    """A UK local time that does not exist: the hour the clocks go forward."""

    code = "time-skipped"

    title = _l("The clocks go forward at that time, so it does not happen on that day: choose another time")
    field = "start_time"

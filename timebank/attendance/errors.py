"""What taking part can refuse, in words a member understands. ``field`` names the form or JSON field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from timebank.errors import Conflict, DomainError, Forbidden, NotFound


class SessionNotFound(NotFound):
    code = "session-not-found"
    title = _l("We could not find that session")


class NotOrganiser(Forbidden):
    code = "not-organiser"
    title = _l("Only the people who run this activity can do that")


class NotBrokerForOthers(Forbidden):
    code = "not-broker-for-others"
    title = _l("Only a broker can sign up or cancel for someone else")


class ActivityNotOpen(DomainError):
    code = "activity-not-open"
    title = _l("This activity is not taking sign-ups")


class SessionCancelled(DomainError):
    code = "session-cancelled"
    title = _l("This session has been cancelled")


class SessionStarted(DomainError):
    code = "session-started"
    title = _l("This session has already started, so sign-ups have closed. Talk to the organiser instead.")


class MoveNeedsClearance(Conflict):
    """Moving a session to another day would put booked people in front of others without the clearance
    the role needs on that day."""

    code = "move-needs-clearance"
    title = _l("Some people booked would not have the check the role needs on that day")

    def __init__(self, count: int) -> None:
        super().__init__(ngettext(
            "%(num)d person booked on this session would not have the safeguarding check the role needs on that "
            "day, so it cannot move there. Talk to the broker, or choose another day.",
            "%(num)d people booked on this session would not have the safeguarding check the role needs on that "
            "day, so it cannot move there. Talk to the broker, or choose another day.", count), field="on")


class MoveIntoThePast(DomainError):
    code = "move-into-the-past"
    title = _l("Choose a start time that is still to come")
    field = "start_time"


class SessionNotStarted(DomainError):
    code = "session-not-started"
    title = _l("Attendance can be marked once the session has started")


class NotAMember(DomainError):
    code = "not-a-member"
    title = _l("Only members of this time bank can sign up. Talk to your broker about joining.")
    field = "person_id"


class NotSignedUp(Conflict):
    code = "not-signed-up"
    title = _l("There is no place or waiting-list entry to cancel on this session")


class AttendanceAlreadyMarked(Conflict):
    code = "attendance-already-marked"
    title = _l("Attendance for this session has already been marked")

    def __init__(self, marked_on: Any) -> None:
        super().__init__(_l(
            "Attendance for this session was already marked on %(day)s. To correct it, ask a broker to "
            "reverse the exchange on its page.", day=marked_on,
        ))


class InvalidAttendance(DomainError):
    """The attendance list itself does not add up (a person twice, someone booked left out)."""

    code = "invalid-attendance"

    title = _l("Check the attendance list")
    field = "attendees"


class AttendeeNotRecorded(DomainError):
    """One attendee's hours could not be recorded, so nobody's were. ``person_id`` says whose row;
    ``about_the_person`` that the refusal concerns who they are (a clearance, membership), not their
    minutes, so a page puts it next to the person rather than the minutes box."""

    code = "attendee-not-recorded"

    title = _l("One person's hours could not be recorded, so nothing was recorded")
    field = "attendees"

    def __init__(self, message: Any, *, person_id: int, about_the_person: bool = False) -> None:
        super().__init__(message)
        self.person_id = person_id
        self.about_the_person = about_the_person


class CalendarFeedNotFound(NotFound):
    code = "calendar-feed-not-found"
    title = _l("That calendar address does not work any more. Make a new one on your calendar page.")


class OrganiserHasNoAccount(DomainError):
    """The organisation running the activity has no time account in its bank, so attendance cannot be credited."""

    code = "organiser-has-no-account"

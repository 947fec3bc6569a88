"""The demo's matching: an unfilled council role and a resident's request that several members could help
with, so a broker opens "Find people" and sees a ranked list with its reasons; and a request that fits
the demo resident who signs in (Carys Pritchard: computer help, forms), so her home page shows something
she could help with. Made through the services, as the people themselves would. Only flushes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from timebank.activities import service as activities
from timebank.activities.models import CoProductionForm, Party, RoleDirection
from timebank.listings import service as listings
from timebank.listings.models import ListingKind
from timebank.members.models import Person

#: The council's transport role, its weekly morning sessions, and two requests, all fictional.
ACTIVITY = activities.NewActivity(
    time_bank_id=0, organisation_id=0, title="Lifts to Hollinbridge Health Centre",
    summary="Residents drive neighbours who cannot get to their appointments on the bus; the council pays the "
            "mileage and the time bank credits the time.",
    place="Hollinbridge Health Centre, Quarry Lane", form=CoProductionForm.CO_DELIVERING,
    designed_by=Party.SHARED, delivered_by=Party.COMMUNITY,
)
ROLE = activities.RoleDetails(
    title="Community transport driver", description="Collect a neighbour from home, wait, and bring them back.",
    category="lifts", abilities=("lifts", "shopping"), direction=RoleDirection.GIVES, places=2,
    credit_minutes=None, clearance=None, normally_paid=False, service_user_involvement=False,
    release_notice_hours=24, away_overnight=False,
)
#: (title, details, category, requester, days from today, time)
REQUESTS = (
    ("A lift to the eye clinic", "My appointment is at ten and the 42 bus does not go there any more.", "lifts",
     "Margaret Ashworth", 5, dt.time(9, 30)),
    ("Help with a blue badge renewal form", "The form is online now and I get lost on the second page.",
     "form-filling", "Jean Braddock", 6, dt.time(18, 30)),
)


def load_matching(session: Session, broker: Person, council_admin: Person, council_id: int, time_bank_id: int,
                  people: dict[str, Person], today: dt.date) -> None:
    """The council's role with two weeks of Monday and Wednesday sessions, and the two requests (made by the
    broker for members who are not online)."""
    activity, _ = activities.create_activity(session, council_admin, activities.NewActivity(
        **{**ACTIVITY.__dict__, "time_bank_id": time_bank_id, "organisation_id": council_id}), "demo-matching")
    role, _ = activities.add_role(session, council_admin, activity.id, ROLE, "demo-matching-driver")
    for weekday in (0, 2):
        first = today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)
        activities.add_sessions(session, council_admin, activity.id, role.id, activities.NewSessions(
            on=first, start_time=dt.time(9, 30), end_time=dt.time(12), weeks=2), f"demo-matching-{weekday}")
    activities.publish(session, council_admin, activity.id)
    for title, details, category, name, days, at in REQUESTS:
        listings.create_listing(session, broker, holder_id=people[name].id, time_bank_id=time_bank_id,
                                kind=ListingKind.REQUEST, details=listings.ListingDetails(
                                    title=title, details=details, category=category,
                                    needed_on=today + dt.timedelta(days=days), needed_at=at, estimated_minutes=90))

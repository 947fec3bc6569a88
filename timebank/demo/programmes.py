"""The demo's funder and its programme: a fictional Welsh community fund whose reader is the demo's funder
(who keeps the bank's funder role too), one programme over the last year covering the demo bank, with the
seven well-being goals of Wales and one outcome of its own, the activities and roles tagged, and a dozen
things the charity and the council gave besides hours. Through the programmes services (only flushes).

The fund and its Welsh name are made up ("Dyffryn Tawel", the quiet valley, is no real place's name).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import Activity
from timebank.dates import add_months
from timebank.members.models import Person
from timebank.profiles.models import ContributionKind
from timebank.programmes import service
from timebank.programmes.outcome_sets import WALES_WELLBEING_GOALS

FUNDER = ("Quiet Valley Communities Fund", "Cronfa Cymunedau Dyffryn Tawel")
PROGRAMME = ("Neighbours Together", "Cymdogion Gyda'n Gilydd")
DESCRIPTION = ("Funds the time bank's work with residents, the Sedgecombe Rise warm space and the Green's "
               "community garden: people giving time to one another, and a say in how local services are run.")
#: The programme's own outcome, besides the Wales goals.
OWN_OUTCOME = ("Fewer people feeling lonely", "Llai o bobl yn teimlo'n unig")
LONELY = "own"
#: What each activity, and each of its roles, works towards: goal codes (``LONELY`` for the own outcome).
ACTIVITY_OUTCOMES = {
    "Sedgecombe Rise Warm Space": ("healthier", "cohesive-communities", LONELY),
    "Parks and Open Spaces Panel": ("resilient", "cohesive-communities"),
    "Swims and classes at Hollinbridge Leisure Centre": ("healthier",),
    "Hollinbridge Green Community Garden": ("resilient", "healthier", "globally-responsible"),
    "Good Neighbours Home Visits": ("more-equal", LONELY),
}
ROLE_OUTCOMES = {
    "Warm space host": (LONELY,),
    "Soup cook": ("healthier",),
    "Panel member": ("cohesive-communities",),
    "Garden volunteer": ("resilient",),
    "Home visitor": (LONELY, "more-equal"),
}
#: (organisation: "charity" or "council", days ago, kind, description, activity title or None, minutes, pence):
#: most in the programme's year, a few in the year before (the report compares the two).
IN_KIND = (
    ("council", 560, ContributionKind.ROOM, "Sedgecombe Rise community centre, Tuesday afternoons",
     "Sedgecombe Rise Warm Space", 240, 6000),
    ("council", 320, ContributionKind.STAFF_TIME, "A community development officer at the warm space",
     "Sedgecombe Rise Warm Space", 180, 7200),
    ("charity", 620, ContributionKind.EQUIPMENT, "Spades, forks and gloves for the garden group",
     "Hollinbridge Green Community Garden", None, 18500),
    ("council", 500, ContributionKind.ROOM, "Committee room 2 for the parks panel",
     "Parks and Open Spaces Panel", 120, 4000),
    ("charity", 450, ContributionKind.TRAINING, "Food hygiene level 2 for three soup cooks", None, None, 9000),
    ("council", 210, ContributionKind.FUNDS, "Small grant towards the warm space's soup", "Sedgecombe Rise Warm Space",
     None, 25000),
    ("charity", 180, ContributionKind.STAFF_TIME, "Volunteer coordinator's time matching home visitors",
     "Good Neighbours Home Visits", 420, 11000),
    ("council", 150, ContributionKind.ROOM, "The small pool for aqua aerobics",
     "Swims and classes at Hollinbridge Leisure Centre", 60, 5500),
    ("charity", 120, ContributionKind.EQUIPMENT, "Seed potatoes and onion sets", "Hollinbridge Green Community Garden",
     None, 4200),
    ("charity", 90, ContributionKind.TRAINING, "Safeguarding awareness session for home visitors",
     "Good Neighbours Home Visits", 150, None),
    ("charity", 45, ContributionKind.OTHER, "Printing the garden's harvest-day posters", None, None, 1800),
    ("council", 14, ContributionKind.STAFF_TIME, "A parks officer at the panel's site walk",
     "Parks and Open Spaces Panel", 120, 4800),
)


def load_programmes(session: Session, admin: Person, broker: Person, funder_reader: Person,
                    organisations: dict[str, tuple[int, Person]], bank_id: int, today: dt.date) -> None:
    """``organisations``: "charity" and "council", each (its id, the admin who records for it)."""
    fund = service.create_funder(session, admin, *FUNDER)
    service.add_funder_member(session, admin, fund.id, funder_reader.email or "")
    programme = service.create_programme(session, broker, fund.id, service.ProgrammeDetails(
        name=PROGRAMME[0], name_cy=PROGRAMME[1], description=DESCRIPTION,
        starts_on=add_months(today, -12) + dt.timedelta(days=1), ends_on=today,
    ), service.ScopeDetails(time_bank_id=bank_id))
    goals = {o.code: o.id for o in service.add_outcome_set(session, broker, programme.id, WALES_WELLBEING_GOALS.code)}
    goals[LONELY] = service.add_outcome(session, broker, programme.id, *OWN_OUTCOME).id
    activities = {a.title: a for a in session.scalars(sa.select(Activity).where(Activity.time_bank_id == bank_id))}
    for title, codes in ACTIVITY_OUTCOMES.items():
        activity = activities[title]
        service.set_activity_outcomes(session, broker, activity.id, [goals[code] for code in codes])
        for role in activity.roles:
            if role.title in ROLE_OUTCOMES:
                service.set_role_outcomes(session, broker, role.id, [goals[code] for code in ROLE_OUTCOMES[role.title]])
    for who, days_ago, kind, description, title, minutes, pence in IN_KIND:
        organisation_id, recorder = organisations[who]
        service.record_in_kind(session, recorder, organisation_id, service.InKindDetails(
            time_bank_id=bank_id, kind=kind, description=description, given_on=today - dt.timedelta(days=days_ago),
            activity_id=activities[title].id if title else None, minutes=minutes, value_pence=pence))

"""Who may see and run an activity. Pages and the API of ``activities`` and ``attendance`` both ask here.

* **Run** (edit, add roles and sessions, cancel sessions, mark attendance): the admins of the
  organisation that publishes it, and the bank's brokers (and admins).
* **See**: those who run it, admins of its partner organisations, and — once it is published — every
  member of the bank (a person, or an admin of an organisation, holding an account there).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, ActivityPartner, ActivityStatus
from timebank.members import policy
from timebank.members.models import Person


def may_run(session: Session, person: Person, activity: Activity) -> bool:
    return activity.organisation_id in policy.own_holder_ids(session, person) or policy.is_broker(
        session, person, activity.time_bank_id
    )


def is_partner_admin(session: Session, person: Person, activity: Activity) -> bool:
    partners = set(
        session.scalars(sa.select(ActivityPartner.organisation_id).where(ActivityPartner.activity_id == activity.id))
    )
    return bool(partners & policy.own_holder_ids(session, person))


def may_see(session: Session, person: Person, activity: Activity) -> bool:
    if may_run(session, person, activity) or is_partner_admin(session, person, activity):
        return True
    return activity.status is not ActivityStatus.DRAFT and activity.time_bank_id in policy.member_bank_ids(
        session, person
    )

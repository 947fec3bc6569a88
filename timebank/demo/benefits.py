"""The demo's benefit-safe checks: three members who switched them on (a Universal Credit claimant who must
look for work, a carer, and an ESA claimant who is not online, whose broker gave consent with her), and one
who switched them off again. What the council paid and repaid them (``data.PAYMENTS``, ``data.EXPENSES``)
raises flags when the demo commits (``benefits.triggers``). Only flushes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from timebank.benefits import profiles
from timebank.benefits.facts import Benefit, Profile, UcWorkGroup
from timebank.demo import data
from timebank.members.models import Person


def load_benefits(session: Session, broker: Person, people: dict[str, Person], today: dt.date) -> int:
    """Returns how many members have the checks on."""
    for name, benefits, group, expected, agreed, told_days_ago, by_broker in data.BENEFIT_MEMBERS:
        person = people[name]
        actor = broker if by_broker else person
        profiles.give_consent(session, actor, person.id)
        profiles.save_profile(session, actor, person.id, Profile(
            benefits=frozenset(Benefit(value) for value in benefits),
            uc_work_group=UcWorkGroup(group) if group else None, uc_expected_hours=expected,
            agreed_voluntary_hours=agreed,
            last_told_on=today - dt.timedelta(days=told_days_ago) if told_days_ago is not None else None,
        ))
    withdrawn = people[data.BENEFIT_WITHDRAWN]
    profiles.give_consent(session, withdrawn, withdrawn.id)
    profiles.save_profile(session, withdrawn, withdrawn.id, Profile(benefits=frozenset({Benefit.PC})))
    profiles.withdraw_consent(session, withdrawn, withdrawn.id)
    return len(data.BENEFIT_MEMBERS)

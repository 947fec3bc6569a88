"""The demo funder signs in to one programme: the demo bank's, over the last year, with the Wales goals and
an outcome of its own, activities and roles tagged, and a dozen in-kind records; the funder keeps the bank's
funder role and sees aggregates only."""

from __future__ import annotations

import sqlalchemy as sa

from timebank.activities.models import InKindContribution
from timebank.demo import data
from timebank.members import policy as member_policy
from timebank.members.models import BankRole, BankRoleName
from timebank.members.service import find_person_by_email
from timebank.programmes import policy, service
from timebank.programmes.models import ActivityOutcome, RoleOutcome


def test_the_demo_funder_reads_one_programme_with_outcomes_tags_and_in_kind_records(demo_session):
    funder = find_person_by_email(demo_session, data.FUNDER.email)
    [programme] = policy.readable_programmes(demo_session, funder)
    assert (programme.name, (programme.ends_on - programme.starts_on).days) == ("Neighbours Together", 364)
    outcomes = service.programme_outcomes(demo_session, programme.id)
    assert [o.set_code for o in outcomes].count("wales-wellbeing-goals") == 7 and len(outcomes) == 8
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(ActivityOutcome)) >= 5
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(RoleOutcome)) >= 5
    assert demo_session.scalar(sa.select(sa.func.count(InKindContribution.id))) == 12
    assert member_policy.sees_aggregates_only(demo_session, funder)
    assert demo_session.scalar(sa.select(BankRole.role).where(BankRole.person_id == funder.id)) is BankRoleName.FUNDER

"""Whatever scopes programmes have (a whole bank, an organisation's work in it, one activity; this bank or
another), the programmes that cover an activity are exactly those with a scope that is its bank as a whole,
its organisation in its bank, or the activity itself; its tags may be any outcomes of those and of no other;
and who reads and manages each programme follows the same scopes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import examples
from timebank.programmes import errors, policy, service

#: One scope: (which bank: 0 this, 1 the other; level: bank, organisation, activity, other activity).
SCOPES = st.lists(st.tuples(st.sampled_from([0, 1]), st.sampled_from(["bank", "organisation", "activity", "other"])),
                  min_size=1, max_size=3, unique=True)


@settings(max_examples=examples(0.5), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(programmes=st.lists(SCOPES, min_size=1, max_size=3))
def test_coverage_tags_and_access_follow_the_scopes(db_session, admin, broker, other_broker, officer, bank,
                                                    other_bank, council, activity, make_activity, funder, today,
                                                    programmes):
    savepoint = db_session.begin_nested()
    try:
        other_activity = make_activity(title="Repair café")
        banks = (bank.id, other_bank.id)
        made, covering, outcomes = [], set(), {}
        for scopes in programmes:
            details = []
            for which, level in scopes:
                bank_id = banks[which]
                if which == 1 and level in ("organisation", "activity", "other"):
                    level = "bank"  # the council and its activities are in this bank only
                details.append(service.ScopeDetails(
                    bank_id, organisation_id=council.id if level == "organisation" else None,
                    activity_id={"activity": activity.id, "other": other_activity.id}.get(level)))
            details = list(dict.fromkeys(details))
            programme = service.create_programme(db_session, admin, funder[0].id, service.ProgrammeDetails(
                name="Stronger Together", starts_on=today, ends_on=today), details[0])
            for scope in details[1:]:
                service.add_scope(db_session, admin, programme.id, scope)
            made.append(programme)
            outcomes[programme.id] = service.add_outcome(db_session, admin, programme.id, "Healthier people").id
            if any(s.time_bank_id == bank.id and s.activity_id in (None, activity.id) for s in details):
                covering.add(programme.id)
            in_banks = {s.time_bank_id for s in details}
            assert policy.may_manage(db_session, broker, programme) == (in_banks == {bank.id})
            assert policy.may_manage(db_session, other_broker, programme) == (in_banks == {other_bank.id})
            assert policy.may_read(db_session, broker, programme) == (bank.id in in_banks)

        assert {p.id for p in service.covering_programmes(db_session, activity)} == covering
        assert {p.id for p in policy.readable_programmes(db_session, funder[1])} >= {p.id for p in made}
        allowed = [outcomes[p] for p in sorted(covering)]
        assert service.set_activity_outcomes(db_session, officer, activity.id, allowed) == set(allowed)
        for programme_id in set(outcomes) - covering:
            with pytest.raises(errors.OutcomeNotCovering), db_session.begin_nested():
                service.set_activity_outcomes(db_session, officer, activity.id, [outcomes[programme_id]])
        assert service.tags_of(db_session, activity).activity == set(allowed)
    finally:
        savepoint.rollback()

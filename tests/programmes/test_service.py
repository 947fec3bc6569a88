"""Programmes' rules, worked through: who reads and manages a programme, a funder's reader seeing aggregates
only, scopes a broker may add, outcomes from the ready-made set, outcome tags only where a programme covers
the activity, and in-kind records. Every change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import Activity
from timebank.audit.models import AuditEvent
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.dates import DateOutOfRange
from timebank.errors import Forbidden, NotFound
from timebank.members import policy as member_policy
from timebank.members.models import BankRoleName, Organisation, Person
from timebank.profiles.models import ContributionKind
from timebank.programmes import errors, policy, service
from timebank.programmes.models import Funder, Programme
from timebank.programmes.outcome_sets import WALES_WELLBEING_GOALS


def _actions(session: Session) -> list[str]:
    return list(session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("programmes.%"))
                                .order_by(AuditEvent.id)))


def test_a_funders_reader_sees_aggregates_only_unless_they_hold_an_account(
        db_session: Session, funder: tuple[Funder, Person], bank: TimeBank, make_member: Callable[..., Any],
        admin: Person) -> None:
    _, reader = funder
    assert member_policy.sees_aggregates_only(db_session, reader)
    with pytest.raises(Forbidden):
        member_policy.require_member_access(db_session, reader)
    member, _ = make_member(bank, "Mair Member")
    assert not member_policy.sees_aggregates_only(db_session, member)
    service.add_funder_member(db_session, admin, funder[0].id, member.email or "")
    assert not member_policy.sees_aggregates_only(db_session, member), "their own exchanges stay theirs"
    service.remove_funder_member(db_session, admin, funder[0].id, reader.id)
    assert not member_policy.sees_aggregates_only(db_session, reader), "the policy forgets what it read"


def test_a_banks_funder_who_also_reads_for_a_funder_keeps_the_banks_role(
        db_session: Session, funder: tuple[Funder, Person], bank: TimeBank, admin: Person) -> None:
    _, reader = funder
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=reader.id, role=BankRoleName.FUNDER, actor_id=None)
    assert member_policy.bank_ids_with_role(db_session, reader, BankRoleName.FUNDER) == {bank.id}
    assert member_policy.sees_aggregates_only(db_session, reader)


def test_who_reads_which_programme(db_session: Session, funder: tuple[Funder, Person],
                                   other_funder: tuple[Funder, Person], programme: Programme, broker: Person,
                                   other_broker: Person, admin: Person, make_member: Callable[..., Any],
                                   bank: TimeBank) -> None:
    _, reader = funder
    _, other_reader = other_funder
    resident, _ = make_member(bank, "Rhys Resident")
    assert policy.readable_programmes(db_session, reader) == [programme]
    assert policy.readable_programmes(db_session, broker) == [programme]
    assert policy.readable_programmes(db_session, admin) == [programme]
    for outsider in (other_reader, other_broker, resident):
        assert policy.readable_programmes(db_session, outsider) == []
        with pytest.raises(NotFound):
            policy.require_readable(db_session, outsider, programme.id)
    assert policy.require_readable(db_session, reader, programme.id) is programme
    with pytest.raises(Forbidden):
        policy.require_manageable(db_session, reader, programme.id)
    assert policy.require_manageable(db_session, broker, programme.id) is programme
    with pytest.raises(NotFound):
        policy.require_readable(db_session, admin, programme.id + 1000)


def test_a_broker_cannot_scope_a_programme_to_another_bank(
        db_session: Session, funder: tuple[Funder, Person], programme: Programme, broker: Person,
        other_bank: TimeBank, other_broker: Person, admin: Person, make_programme: Callable[..., Programme]) -> None:
    with pytest.raises(errors.ScopeOutsideYourBanks):
        service.add_scope(db_session, broker, programme.id, service.ScopeDetails(time_bank_id=other_bank.id))
    with pytest.raises(errors.ScopeOutsideYourBanks):
        make_programme(funder[0], scope=service.ScopeDetails(time_bank_id=other_bank.id))
    # An admin may cover both banks; then neither broker alone manages it, though both read it.
    service.add_scope(db_session, admin, programme.id, service.ScopeDetails(time_bank_id=other_bank.id))
    for one_bank_broker in (broker, other_broker):
        assert policy.require_readable(db_session, one_bank_broker, programme.id) is programme
        with pytest.raises(Forbidden):
            policy.require_manageable(db_session, one_bank_broker, programme.id)


def test_scopes_name_one_level_in_the_bank_and_one_always_stays(
        db_session: Session, programme: Programme, broker: Person, bank: TimeBank, other_bank: TimeBank,
        council: Organisation, activity: Activity, make_organisation: Callable[..., Any]) -> None:
    stranger, _ = make_organisation(other_bank, "Far Vale Trust")
    bank_id = bank.id
    with pytest.raises(errors.ScopeOneLevel):
        service.add_scope(db_session, broker, programme.id, service.ScopeDetails(bank_id, council.id, activity.id))
    with pytest.raises(errors.OrganisationNotInBank):
        service.add_scope(db_session, broker, programme.id, service.ScopeDetails(bank_id, organisation_id=stranger.id))
    with pytest.raises(errors.ScopeAlreadyThere):
        service.add_scope(db_session, broker, programme.id, service.ScopeDetails(bank_id))
    added = service.add_scope(db_session, broker, programme.id, service.ScopeDetails(bank_id, activity_id=activity.id))
    [whole] = [s for s in service.programme_scopes(db_session, programme.id) if s.activity_id is None]
    service.remove_scope(db_session, broker, programme.id, whole.id)
    with pytest.raises(errors.LastScope):
        service.remove_scope(db_session, broker, programme.id, added.id)
    assert [s.id for s in service.programme_scopes(db_session, programme.id)] == [added.id]


def test_the_period_and_figures_are_checked(db_session: Session, funder: tuple[Funder, Person],
                                            make_programme: Callable[..., Programme], today: dt.date) -> None:
    with pytest.raises(errors.ProgrammeEndsBeforeStart):
        make_programme(funder[0], starts_on=today, ends_on=today - dt.timedelta(days=1))
    with pytest.raises(DateOutOfRange) as refused:
        make_programme(funder[0], ends_on=today.replace(year=today.year + 5))
    assert refused.value.field == "ends_on"
    with pytest.raises(errors.OutOfRange) as refused:
        make_programme(funder[0], suppress_below=3)
    assert refused.value.field == "suppress_below"
    made = make_programme(funder[0])
    assert (made.value_per_hour_pence, made.value_source, made.value_year, made.suppress_below) == (
        1221, "National Living Wage, April 2025 (GOV.UK)", 2025, 5)


def test_outcomes_own_and_ready_made(db_session: Session, programme: Programme, broker: Person) -> None:
    own = service.add_outcome(db_session, broker, programme.id, "Fewer people lonely", "Llai o bobl yn unig")
    added = service.add_outcome_set(db_session, broker, programme.id, WALES_WELLBEING_GOALS.code)
    assert service.add_outcome_set(db_session, broker, programme.id, WALES_WELLBEING_GOALS.code) == []
    with pytest.raises(errors.OutcomeNameTaken):
        service.add_outcome(db_session, broker, programme.id, "fewer people LONELY")
    with pytest.raises(errors.OutcomeSetNotFound):
        service.add_outcome_set(db_session, broker, programme.id, "no-such-set")
    outcomes = service.programme_outcomes(db_session, programme.id)
    assert [o.name for o in outcomes] == ["Fewer people lonely", *(g.name for g in WALES_WELLBEING_GOALS.outcomes)]
    assert {o.set_code for o in added} == {WALES_WELLBEING_GOALS.code} and own.set_code is None
    assert _actions(db_session) == ["programmes.funder_created", "programmes.funder_member_added",
                                    "programmes.created", "programmes.scope_added", "programmes.outcome_added",
                                    "programmes.outcome_set_added", "programmes.outcome_set_added"]


def test_tags_only_from_programmes_that_cover_the_activity(
        db_session: Session, funder: tuple[Funder, Person], other_funder: tuple[Funder, Person], broker: Person,
        officer: Person, bank: TimeBank, council: Organisation, activity: Activity,
        make_activity: Callable[..., Activity], make_programme: Callable[..., Programme],
        other_bank: TimeBank, admin: Person) -> None:
    # One programme covers the council's work in the bank; another only a different activity; a third is
    # in another bank altogether.
    by_organisation = make_programme(funder[0], scope=service.ScopeDetails(bank.id, organisation_id=council.id))
    other_activity = make_activity(title="Repair café")
    by_activity = make_programme(other_funder[0], scope=service.ScopeDetails(bank.id, activity_id=other_activity.id))
    elsewhere = make_programme(funder[0], actor=admin, scope=service.ScopeDetails(other_bank.id))
    covering = service.add_outcome(db_session, broker, by_organisation.id, "Healthier people")
    not_covering = service.add_outcome(db_session, broker, by_activity.id, "Fixed things")
    far = service.add_outcome(db_session, admin, elsewhere.id, "Far away")
    assert service.covering_programmes(db_session, activity) == [by_organisation]
    assert service.covering_programmes(db_session, other_activity) == [by_organisation, by_activity]

    assert service.set_activity_outcomes(db_session, officer, activity.id, [covering.id]) == {covering.id}
    for refused in (not_covering, far):
        with pytest.raises(errors.OutcomeNotCovering):
            service.set_activity_outcomes(db_session, officer, activity.id, [covering.id, refused.id])
    [role] = activity.roles
    service.set_role_outcomes(db_session, broker, role.id, [covering.id])
    with pytest.raises(errors.OutcomeNotCovering):
        service.set_role_outcomes(db_session, officer, role.id, [not_covering.id])
    tags = service.tags_of(db_session, activity)
    assert (tags.activity, tags.roles) == ({covering.id}, {role.id: {covering.id}})
    service.set_activity_outcomes(db_session, officer, activity.id, [])
    assert service.tags_of(db_session, activity).activity == set()


def test_only_those_who_run_the_activity_tag_it(db_session: Session, programme: Programme, activity: Activity,
                                                funder: tuple[Funder, Person], other_broker: Person,
                                                make_member: Callable[..., Any], bank: TimeBank) -> None:
    resident, _ = make_member(bank, "Rhys Resident")
    with pytest.raises(Forbidden):
        service.set_activity_outcomes(db_session, resident, activity.id, [])
    with pytest.raises(NotFound):
        service.set_activity_outcomes(db_session, other_broker, activity.id, [])
    with pytest.raises(Forbidden):
        service.set_activity_outcomes(db_session, funder[1], activity.id, [])


def test_removing_an_outcome_removes_its_tags(db_session: Session, programme: Programme, broker: Person,
                                              officer: Person, activity: Activity) -> None:
    outcome = service.add_outcome(db_session, broker, programme.id, "Healthier people")
    service.set_activity_outcomes(db_session, officer, activity.id, [outcome.id])
    service.set_role_outcomes(db_session, officer, activity.roles[0].id, [outcome.id])
    service.remove_outcome(db_session, broker, programme.id, outcome.id)
    tags = service.tags_of(db_session, activity)
    assert tags.activity == set() and tags.roles == {activity.roles[0].id: set()}


def _given(bank: TimeBank, day: dt.date, **changes: Any) -> service.InKindDetails:
    values: dict[str, Any] = {"time_bank_id": bank.id, "kind": ContributionKind.ROOM, "description": "The hall",
                              "given_on": day}
    values.update(changes)
    return service.InKindDetails(**values)


def test_in_kind_records_newest_first_and_corrected_by_the_organisation(
        db_session: Session, bank: TimeBank, other_bank: TimeBank, council: Organisation, officer: Person,
        broker: Person, other_broker: Person, activity: Activity, today: dt.date) -> None:
    first = service.record_in_kind(db_session, officer, council.id, _given(bank, today - dt.timedelta(days=9)))
    second = service.record_in_kind(db_session, broker, council.id, _given(
        bank, today - dt.timedelta(days=2), kind=ContributionKind.STAFF_TIME, description="An officer's morning",
        activity_id=activity.id, minutes=180, value_pence=9000))
    page = service.list_in_kind(db_session, officer, council.id, bank.id)
    assert [r.id for r in page.items] == [second.id, first.id] and page.total == 2
    with pytest.raises(errors.InKindNotAllowed):
        service.record_in_kind(db_session, other_broker, council.id, _given(other_bank, today))
    with pytest.raises(errors.InKindBankNotOurs):
        service.record_in_kind(db_session, officer, council.id, _given(other_bank, today))
    with pytest.raises(DateOutOfRange):
        service.record_in_kind(db_session, officer, council.id, _given(bank, today + dt.timedelta(days=1)))
    with pytest.raises(errors.InKindNotAllowed):
        service.correct_in_kind(db_session, broker, council.id, first.id, _given(bank, today))
    corrected = service.correct_in_kind(db_session, officer, council.id, first.id,
                                        _given(bank, today, value_pence=2500))
    assert (corrected.given_on, corrected.value_pence) == (today, 2500)
    event = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "programmes.in_kind_corrected")).one()
    assert event.details["before"]["given_on"] == (today - dt.timedelta(days=9)).isoformat()


def test_in_kind_activity_must_be_the_organisations(
        db_session: Session, bank: TimeBank, council: Organisation, officer: Person, broker: Person,
        make_organisation: Callable[..., Any], make_activity: Callable[..., Activity], today: dt.date) -> None:
    charity, _ = make_organisation(bank, "Hollin Hall Trust", admins=(officer,))
    theirs = make_activity()  # the council's
    with pytest.raises(errors.InKindActivityNotOurs):
        service.record_in_kind(db_session, officer, charity.id, _given(bank, today, activity_id=theirs.id))
    with pytest.raises(errors.OutOfRange):
        service.record_in_kind(db_session, officer, charity.id, _given(bank, today, minutes=0))


"""The activities service: publishing, who sees and runs what, partners, roles, sessions and the weekly
repeat across the clocks changing. Outcomes are checked in the database and the audit log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.activities.conftest import new_activity, next_weekday, role_details
from tests.money.conftest import RACERS
from tests.support import examples
from timebank.activities import errors as err
from timebank.activities import service
from timebank.activities.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    CoProductionForm,
    Party,
    Role,
    RoleAbility,
    SignUp,
    SignUpStatus,
)
from timebank.audit.models import AuditEvent
from timebank.categories.errors import UnknownAbility
from timebank.clock import UK
from timebank.dates import DateOutOfRange
from timebank.ledger import errors as ledger_errors
from timebank.members.models import OrganisationType, Person


def events(db_session, activity, action: str) -> list[AuditEvent]:
    return list(db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.subject_type == "activity", AuditEvent.subject_id == activity.id,
        AuditEvent.action == f"activities.{action}").order_by(AuditEvent.id)))


def sessions_of(db_session, role) -> list[ActivitySession]:
    return list(db_session.scalars(sa.select(ActivitySession).where(ActivitySession.role_id == role.id)
                                   .order_by(ActivitySession.starts_at)))


def details(activity, **changes) -> service.ActivityDetails:
    """The activity's changeable details, with ``changes``."""
    values = {f.name: getattr(activity, f.name) for f in dataclasses.fields(service.ActivityDetails)}
    return service.ActivityDetails(**{**values, **changes})


def last_sunday_of_march(after: dt.date) -> dt.date:
    """The next day the UK clocks go forward (01:00 GMT), at least three weeks away."""
    for year in (after.year, after.year + 1):
        day = dt.date(year, 3, 31)
        day -= dt.timedelta(days=(day.weekday() + 1) % 7)
        if day - dt.timedelta(weeks=3) >= after:
            return day
    raise AssertionError("unreachable")


# --- publishing -------------------------------------------------------------------------------------


def test_a_council_publishes_an_activity_with_a_role_and_a_weekly_series(
        db_session, bank, council, officer, today, make_organisation):
    charity, _ = make_organisation(bank, "Hollin Park Friends")
    activity, created = service.create_activity(
        db_session, officer, new_activity(bank, council, partner_ids=(charity.id,)), "key-1")
    assert created and activity.status is ActivityStatus.DRAFT and activity.created_by_id == officer.id
    assert service.partner_ids(activity) == [charity.id]

    role, _ = service.add_role(db_session, officer, activity.id, role_details(abilities=("lifts", "visits")), "key-2")
    first = next_weekday(1, today)
    made, created = service.add_sessions(db_session, officer, activity.id, role.id, service.NewSessions(
        on=first, start_time=dt.time(9, 30), end_time=dt.time(12), weeks=6), "key-3")
    assert created and len(made) == 6
    assert [s.starts_at.astimezone(UK).date() for s in made] == [first + dt.timedelta(weeks=w) for w in range(6)]
    assert {s.places for s in made} == {role.places}

    service.publish(db_session, officer, activity.id)
    assert activity.status is ActivityStatus.PUBLISHED and activity.published_at is not None
    assert [len(events(db_session, activity, a)) for a in ("created", "role_added", "sessions_added", "published")] \
        == [1, 1, 1, 1]


def test_sending_the_same_key_twice_makes_one_of_each(db_session, bank, council, officer, today):
    activity, _ = service.create_activity(db_session, officer, new_activity(bank, council), "same-activity")
    again, created = service.create_activity(db_session, officer, new_activity(bank, council), "same-activity")
    assert again.id == activity.id and not created
    role, _ = service.add_role(db_session, officer, activity.id, role_details(), "same-role")
    role_again, created = service.add_role(db_session, officer, activity.id, role_details(), "same-role")
    assert role_again.id == role.id and not created
    new = service.NewSessions(on=today + dt.timedelta(days=3), start_time=dt.time(10), end_time=dt.time(11), weeks=3)
    made, _ = service.add_sessions(db_session, officer, activity.id, role.id, new, "same-sessions")
    replay, created = service.add_sessions(db_session, officer, activity.id, role.id, new, "same-sessions")
    assert [s.id for s in replay] == [s.id for s in made] and not created
    assert len(sessions_of(db_session, role)) == 3
    assert db_session.scalars(sa.select(Activity.id).where(Activity.created_by_id == officer.id,
                                                           Activity.idempotency_key == "same-activity")).all() \
        == [activity.id]
    assert db_session.scalars(sa.select(Role.id).where(Role.activity_id == activity.id)).all() == [role.id]
    assert (activity.idempotency_key, role.idempotency_key) == ("same-activity", "same-role")
    assert [s.idempotency_key for s in sessions_of(db_session, role)] == [f"same-sessions:{n}" for n in range(3)]
    assert [len(events(db_session, activity, a)) for a in ("created", "role_added", "sessions_added")] == [1, 1, 1]


def test_a_replay_returns_the_whole_series_even_once_the_activity_is_closed(
        db_session, officer, make_activity, today):
    activity = make_activity()
    role = activity.roles[0]
    new = service.NewSessions(on=next_weekday(2, today), start_time=dt.time(18), end_time=dt.time(20), weeks=5)
    made, _ = service.add_sessions(db_session, officer, activity.id, role.id, new, "weekly-choir")
    service.close(db_session, officer, activity.id)
    replay, created = service.add_sessions(db_session, officer, activity.id, role.id, new, "weekly-choir")
    assert not created and [s.id for s in replay] == [s.id for s in made]
    with pytest.raises(err.ActivityClosed):
        service.add_sessions(db_session, officer, activity.id, role.id, new, "another-key")


def test_keys_are_kept_apart_per_creator_and_per_role(db_session, bank, council, officer, broker, today):
    mine, _ = service.create_activity(db_session, officer, new_activity(bank, council), "shared-key")
    theirs, created = service.create_activity(db_session, broker, new_activity(bank, council), "shared-key")
    assert created and theirs.id != mine.id
    first, _ = service.add_role(db_session, officer, mine.id, role_details(), "role-key")
    second, created = service.add_role(db_session, officer, theirs.id, role_details(), "role-key")
    assert created and second.id != first.id
    new = service.NewSessions(on=today + dt.timedelta(days=3), start_time=dt.time(10), end_time=dt.time(11), weeks=2)
    for role in (first, second):
        made, created = service.add_sessions(db_session, officer, role.activity_id, role.id, new, "series-key")
        assert created and [s.idempotency_key for s in made] == ["series-key:0", "series-key:1"]


def test_without_a_key_each_request_makes_a_new_one(db_session, bank, council, officer, today):
    first, _ = service.create_activity(db_session, officer, new_activity(bank, council), None)
    second, created = service.create_activity(db_session, officer, new_activity(bank, council), None)
    assert created and second.id != first.id and first.idempotency_key is None
    role, _ = service.add_role(db_session, officer, first.id, role_details(), None)
    new = service.NewSessions(on=today + dt.timedelta(days=3), start_time=dt.time(10), end_time=dt.time(11))
    for _ in range(2):
        service.add_sessions(db_session, officer, first.id, role.id, new, None)
    assert [s.idempotency_key for s in sessions_of(db_session, role)] == [None, None]


def test_copies_sent_at_once_make_one_activity_and_one_series(race, today):
    activity_key, series_key = uuid.uuid4().hex, uuid.uuid4().hex

    new = service.NewActivity(
        time_bank_id=race.bank_id, organisation_id=race.organisation_id, title="Litter pick", summary="", place="",
        form=CoProductionForm.CO_DELIVERING, designed_by=Party.SHARED, delivered_by=Party.SHARED)

    def create(session):
        activity, created = service.create_activity(session, session.get_one(Person, race.admin_id), new,
                                                    activity_key)
        return activity.id, created

    made = race.at_once(create)
    assert sorted(created for _, created in made) == [False] * (RACERS - 1) + [True]
    [activity_id] = {activity_id for activity_id, _ in made}
    with Session(race.engine) as session:
        role, _ = service.add_role(session, session.get_one(Person, race.admin_id), activity_id,
                                   role_details(category="other", abilities=()), None)
        session.commit()
        role_id = role.id

    weekly = service.NewSessions(on=today + dt.timedelta(days=1), start_time=dt.time(9), end_time=dt.time(10),
                                 weeks=4)

    def add(session):
        sessions, created = service.add_sessions(session, session.get_one(Person, race.admin_id), activity_id,
                                                 role_id, weekly, series_key)
        return [s.id for s in sessions], created

    series = race.at_once(add)
    assert sorted(created for _, created in series) == [False] * (RACERS - 1) + [True]
    assert len({tuple(ids) for ids, _ in series}) == 1 and len(series[0][0]) == 4
    with Session(race.engine) as session:
        assert session.scalars(sa.select(ActivitySession.idempotency_key).where(
            ActivitySession.role_id == role_id).order_by(ActivitySession.starts_at)).all() == [
            f"{series_key}:{n}" for n in range(4)]


def test_a_broker_publishes_for_any_organisation_in_their_bank_only(
        db_session, bank, broker, make_bank, make_organisation, make_broker):
    charity, _ = make_organisation(bank, "Hollin Park Friends")
    activity, _ = service.create_activity(db_session, broker, new_activity(bank, charity), None)
    assert activity.organisation_id == charity.id
    elsewhere = make_bank(name="Elsewhere Time Bank")
    make_organisation(elsewhere, "Elsewhere Trust")
    other_broker = make_broker(elsewhere)
    with pytest.raises(err.UnknownBank):
        service.create_activity(db_session, other_broker, new_activity(bank, charity), None)
    with pytest.raises(err.UnknownOrganisation):
        service.create_activity(db_session, other_broker, new_activity(elsewhere, charity), None)


def test_an_organisation_admin_publishes_only_where_the_organisation_has_an_account(
        db_session, bank, council, officer, make_bank, make_member):
    elsewhere = make_bank(name="Elsewhere Time Bank")
    make_member(elsewhere, "Officer's own account", email=None)
    with pytest.raises(err.UnknownBank):
        service.create_activity(db_session, officer, new_activity(elsewhere, council), None)


def test_a_resident_with_no_organisation_cannot_publish(db_session, bank, resident):
    with pytest.raises(err.NothingToRun):
        service.create_activity(db_session, resident, new_activity(bank, resident), None)


# --- who sees what -----------------------------------------------------------------------------------


def test_drafts_are_seen_only_by_those_who_run_them(db_session, bank, broker, officer, resident, make_activity,
                                                    make_bank, make_member):
    draft = make_activity(publish=False)
    assert service.visible_activity(db_session, broker, draft.id) is draft
    assert service.visible_activity(db_session, officer, draft.id) is draft
    with pytest.raises(err.ActivityNotFound):
        service.visible_activity(db_session, resident, draft.id)
    published = make_activity()
    assert service.visible_activity(db_session, resident, published.id) is published
    with pytest.raises(err.NotRunningIt):
        service.activity_to_run(db_session, resident, published.id)
    outsider, _ = make_member(make_bank(name="Elsewhere Time Bank"), "Owain Outsider")
    with pytest.raises(err.ActivityNotFound):
        service.visible_activity(db_session, outsider, published.id)


def test_the_list_shows_members_published_ones_and_runners_their_drafts(
        db_session, officer, resident, make_activity):
    draft = make_activity(publish=False, title="Youth club planning")
    published = make_activity(title="Community garden")
    closed = make_activity(title="Winter shelter")
    service.close(db_session, officer, closed.id)

    def titles(person, **filters):
        page = service.list_activities(db_session, person, service.Filters(**filters), per_page=100)
        return {a.title for a in page.items} & {draft.title, published.title, closed.title}

    assert titles(resident) == {"Community garden"}
    assert titles(resident, status=ActivityStatus.CLOSED) == {"Winter shelter"}
    assert titles(resident, status=ActivityStatus.DRAFT) == set()
    assert titles(officer) == {"Youth club planning", "Community garden", "Winter shelter"}
    assert titles(officer, status=ActivityStatus.DRAFT) == {"Youth club planning"}


def test_the_list_filters_by_form_cell_ability_and_sessions_coming_up(
        db_session, officer, resident, make_activity, add_sessions):
    garden = make_activity(title="Community garden", designed_by=Party.COMMUNITY, delivered_by=Party.COMMUNITY)
    transport = make_activity(title="Hospital transport")
    add_sessions(transport.roles[0])

    def titles(**filters):
        page = service.list_activities(db_session, resident, service.Filters(**filters), per_page=100)
        return {a.title for a in page.items} & {garden.title, transport.title}

    assert titles(designed_by=Party.COMMUNITY, delivered_by=Party.COMMUNITY) == {"Community garden"}
    assert titles(designed_by=Party.SHARED, delivered_by=Party.SHARED) == {"Hospital transport"}
    assert titles(upcoming=True) == {"Hospital transport"}
    assert titles(ability="transport-errands") == {"Community garden", "Hospital transport"}  # parent of lifts
    assert titles(ability="gardening") == set()


# --- status changes ----------------------------------------------------------------------------------


def test_publishing_needs_a_role_and_a_closed_activity_stays_closed(db_session, bank, council, officer):
    activity, _ = service.create_activity(db_session, officer, new_activity(bank, council), None)
    with pytest.raises(err.NoRolesYet):
        service.publish(db_session, officer, activity.id)
    service.add_role(db_session, officer, activity.id, role_details(), None)
    service.publish(db_session, officer, activity.id)
    service.publish(db_session, officer, activity.id)  # again: nothing changes
    service.close(db_session, officer, activity.id)
    service.close(db_session, officer, activity.id)
    assert len(events(db_session, activity, "published")) == 1 and len(events(db_session, activity, "closed")) == 1
    with pytest.raises(err.ClosedCannotReopen):
        service.publish(db_session, officer, activity.id)
    with pytest.raises(err.ActivityClosed):
        service.add_role(db_session, officer, activity.id, role_details(), None)
    with pytest.raises(err.ActivityClosed):
        service.add_sessions(db_session, officer, activity.id, activity.roles[0].id, service.NewSessions(
            on=dt.date.today() + dt.timedelta(days=2), start_time=dt.time(10), end_time=dt.time(11)))


def test_edits_are_audited_with_what_changed(db_session, officer, make_activity):
    activity = make_activity()
    changed = details(activity, title="Hospital lifts", delivered_by=Party.COMMUNITY)
    service.update_activity(db_session, officer, activity.id, changed)
    [edited] = events(db_session, activity, "edited")
    assert edited.details["changes"] == {"title": ["Hospital transport", "Hospital lifts"],
                                         "delivered_by": ["shared", "community"]}
    role = activity.roles[0]
    service.update_role(db_session, officer, activity.id, role.id, role_details(places=5, abilities=("visits",)))
    [role_edit] = events(db_session, activity, "role_edited")
    assert role_edit.details["changes"] == {"places": [2, 5], "abilities": [["lifts"], ["visits"]]}
    assert role.places == 5 and len(role.abilities) == 1


# --- partners ----------------------------------------------------------------------------------------


def test_partners_come_from_the_same_bank(db_session, bank, council, officer, make_activity, make_bank,
                                          make_organisation):
    activity = make_activity()
    charity, _ = make_organisation(bank, "Hollin Park Friends")
    outsider, _ = make_organisation(make_bank(name="Elsewhere Time Bank"), "Elsewhere Trust")
    service.add_partner(db_session, officer, activity.id, charity.id)
    service.add_partner(db_session, officer, activity.id, charity.id)
    assert service.partner_ids(activity) == [charity.id]
    with pytest.raises(err.PartnerNotInBank):
        service.add_partner(db_session, officer, activity.id, outsider.id)
    with pytest.raises(err.PartnerRunsIt):
        service.add_partner(db_session, officer, activity.id, council.id)
    service.remove_partner(db_session, officer, activity.id, charity.id)
    service.remove_partner(db_session, officer, activity.id, charity.id)
    assert service.partner_ids(activity) == []
    assert len(events(db_session, activity, "partner_added")) == 1
    assert len(events(db_session, activity, "partner_removed")) == 1


def test_a_partner_admin_sees_the_draft_but_cannot_run_it(db_session, bank, officer, make_activity, make_person,
                                                          make_organisation):
    partner_admin = make_person("Pat Partner")
    charity, _ = make_organisation(bank, "Hollin Park Friends", admins=(partner_admin,),
                                   organisation_type=OrganisationType.VOLUNTARY_GROUP)
    draft = make_activity(publish=False)
    service.add_partner(db_session, officer, draft.id, charity.id)
    assert service.visible_activity(db_session, partner_admin, draft.id) is draft
    with pytest.raises(err.NotRunningIt):
        service.update_activity(db_session, partner_admin, draft.id, details(draft))


# --- roles -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "error"), [
    ({"places": 0}, err.InvalidPlaces),
    ({"places": 501}, err.InvalidPlaces),
    ({"credit_minutes": 0}, err.InvalidCredit),
    ({"credit_minutes": 24 * 60 + 1}, err.InvalidCredit),
    ({"release_notice_hours": -1}, err.InvalidNotice),
    ({"release_notice_hours": 24 * 60 + 1}, err.InvalidNotice),
    ({"category": "juggling"}, ledger_errors.CategoryNotFound),
    ({"abilities": ("lifts", "juggling")}, UnknownAbility),
    ({"title": "  "}, err.InvalidTitle),
    ({"title": "x" * 201}, err.InvalidTitle),
    ({"description": "x" * 4001}, err.TextTooLong),
])
def test_a_role_with_bad_details_is_refused_and_nothing_is_added(db_session, officer, make_activity, changes,
                                                                 error):
    activity = make_activity(publish=False)
    with pytest.raises(error) as refused:
        service.add_role(db_session, officer, activity.id, role_details(**changes), None)
    assert refused.value.field is not None
    assert len(activity.roles) == 1


def test_roles_belong_to_their_activity(db_session, officer, make_activity):
    first, second = make_activity(), make_activity()
    with pytest.raises(err.RoleNotFound):
        service.role_of(db_session, officer, first.id, second.roles[0].id)


# --- sessions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "error", "field"), [
    ({"start_time": dt.time(12), "end_time": dt.time(11)}, err.EndsBeforeStart, "end_time"),
    ({"start_time": dt.time(12), "end_time": dt.time(12)}, err.EndsBeforeStart, "end_time"),
    ({"on": -1}, DateOutOfRange, "on"),
    ({"on": 800}, DateOutOfRange, "on"),
    ({"on": 600, "weeks": 26}, err.SeriesTooLong, "weeks"),
    ({"weeks": 0}, err.InvalidWeeks, "weeks"),
    ({"weeks": 27}, err.InvalidWeeks, "weeks"),
    ({"places": 0}, err.InvalidPlaces, "places"),
    ({"place": "x" * 201}, err.PlaceTooLong, "place"),
])
def test_bad_sessions_are_refused_next_to_the_field_and_nothing_is_added(
        db_session, officer, make_activity, today, changes, error, field):
    role = make_activity().roles[0]
    values = {"on": today + dt.timedelta(days=1), "start_time": dt.time(10), "end_time": dt.time(11), **changes}
    if isinstance(values["on"], int):
        values["on"] = today + dt.timedelta(days=values["on"])
    with pytest.raises(error) as refused:
        service.add_sessions(db_session, officer, role.activity_id, role.id, service.NewSessions(**values))
    assert refused.value.field == field
    assert sessions_of(db_session, role) == []


def test_a_time_the_clocks_skip_is_refused(db_session, officer, make_activity, today):
    role = make_activity().roles[0]
    spring = last_sunday_of_march(today)
    with pytest.raises(err.TimeSkipped) as refused:
        service.add_sessions(db_session, officer, role.activity_id, role.id, service.NewSessions(
            on=spring, start_time=dt.time(1, 30), end_time=dt.time(3)))
    assert refused.value.field == "start_time"
    with pytest.raises(err.TimeSkipped) as refused:
        service.add_sessions(db_session, officer, role.activity_id, role.id, service.NewSessions(
            on=spring - dt.timedelta(weeks=2), start_time=dt.time(0, 30), end_time=dt.time(1, 15), weeks=3))
    assert refused.value.field == "weeks"
    assert sessions_of(db_session, role) == []


def test_places_left_count_bookings_not_the_waiting_list(db_session, officer, resident, make_activity,
                                                         add_sessions, make_member, bank):
    role = make_activity().roles[0]
    [session] = add_sessions(role, places=1)
    other, _ = make_member(bank, "Wyn Waiting")
    db_session.add_all([
        SignUp(session_id=session.id, person_id=resident.id, status=SignUpStatus.BOOKED, signed_up_by_id=resident.id),
        SignUp(session_id=session.id, person_id=other.id, status=SignUpStatus.WAITING, signed_up_by_id=other.id),
    ])
    db_session.flush()
    [entry] = service.upcoming_sessions(db_session, [role.id])[role.id]
    assert (entry.booked, entry.waiting, entry.places_left) == (1, 1, 0)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=examples(0.4), deadline=None)
@given(days_ahead=st.integers(0, 500), weeks=st.integers(1, 26),
       start=st.times(dt.time(0), dt.time(22, 59)).map(lambda t: t.replace(second=0, microsecond=0)),
       length=st.integers(1, 60))
def test_a_weekly_series_keeps_its_uk_local_time_across_the_clocks_changing(
        db_session, officer, make_activity, today, days_ahead, weeks, start, length):
    first = today + dt.timedelta(days=days_ahead)
    end = (dt.datetime.combine(first, start) + dt.timedelta(minutes=length)).time()
    dates = [first + dt.timedelta(weeks=w) for w in range(weeks)]

    def skipped(day: dt.date, at: dt.time) -> bool:
        local = dt.datetime.combine(day, at, tzinfo=UK)
        return local.astimezone(dt.UTC).astimezone(UK).replace(tzinfo=None) != local.replace(tzinfo=None)

    savepoint = db_session.begin_nested()  # each example starts from the same books
    try:
        # Held for the whole example, so the session still counts it as new when the savepoint rolls back and
        # forgets it: SQLite gives the next example's activity the same id, which a stale copy would clash with.
        activity = make_activity()
        role = activity.roles[0]
        new = service.NewSessions(on=first, start_time=start, end_time=end, weeks=weeks)
        if any(skipped(day, at) for day in dates for at in (start, end)):
            with pytest.raises(err.TimeSkipped):
                service.add_sessions(db_session, officer, role.activity_id, role.id, new, uuid.uuid4().hex)
            return
        made, _ = service.add_sessions(db_session, officer, role.activity_id, role.id, new, uuid.uuid4().hex)
        assert len(made) == weeks
        assert [s.starts_at.astimezone(UK).date() for s in made] == dates
        assert {s.starts_at.astimezone(UK).time() for s in made} == {start}
        assert {s.ends_at.astimezone(UK).time() for s in made} == {end}
        assert all(s.ends_at > s.starts_at for s in made)
    finally:
        savepoint.rollback()
        # And nothing of this example's left in the identity map, whatever still refers to it (a failed
        # example's traceback): SQLite gives the next example's rows the same ids, which a copy left behind
        # would clash with.
        for row in [row for row in db_session.identity_map.values()
                    if isinstance(row, Activity | Role | RoleAbility | ActivitySession)]:
            db_session.expunge(row)

"""Taking part, through the service: sign-ups and the waiting list, cancelling (late or not), whole
sessions called off, and attendance recorded in one step. Outcomes are read back from the database;
``ledger verify`` runs after every test."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.attendance.conftest import session_exchanges, session_sign_ups
from tests.support import examples
from timebank.activities.models import ActivityStatus, RoleDirection, SignUpStatus
from timebank.attendance import errors
from timebank.attendance import service as attendance
from timebank.attendance.service import Mark
from timebank.audit.models import AuditEvent
from timebank.errors import DomainError
from timebank.ledger.models import Account, ExchangeState
from timebank.members.models import ContactMethod, OrganisationAdmin
from timebank.money.models import Redemption
from timebank.notices.models import Notice, NoticeKind
from timebank.receipts import RedeemedFor
from timebank.safeguarding.clearances import Clearance
from timebank.safeguarding.models import DbsLevel, Workforce
from timebank.safeguarding.service import ClearanceNeeded

# --- signing up and the waiting list ---------------------------------------------------------------


def test_a_full_session_has_a_waiting_list_and_a_cancelled_place_goes_to_the_first_waiting(
        db_session, make_session, members):
    activity_session = make_session(places=2)
    (ann, _), (bob, _), (cai, _), (dee, _) = members(4)
    statuses = [attendance.sign_up(db_session, person, activity_session.id)[0].status
                for person in (ann, bob, cai, dee)]
    assert statuses == [SignUpStatus.BOOKED, SignUpStatus.BOOKED, SignUpStatus.WAITING, SignUpStatus.WAITING]
    rows = {row.person_id: row for row in session_sign_ups(db_session, activity_session)}
    assert [attendance.waiting_position(db_session, rows[p.id]) for p in (cai, dee)] == [1, 2]
    assert attendance.places_left(db_session, activity_session) == 0

    result = attendance.cancel_sign_up(db_session, ann, activity_session.id)

    assert (result.late, [row.person_id for row in result.promoted]) == (False, [cai.id])
    rows = {row.person_id: row for row in session_sign_ups(db_session, activity_session)}
    assert (rows[ann.id].status, rows[cai.id].status, rows[dee.id].status) == (
        SignUpStatus.CANCELLED, SignUpStatus.BOOKED, SignUpStatus.WAITING)
    assert attendance.waiting_position(db_session, rows[dee.id]) == 1
    [notice] = db_session.scalars(sa.select(Notice).where(Notice.person_id == cai.id)).all()
    assert (notice.kind, notice.subject_id) == (NoticeKind.SESSION_PLACE, rows[cai.id].id)
    assert db_session.scalars(sa.select(Notice).where(Notice.person_id.in_((ann.id, bob.id, dee.id)))).all() == []


def test_leaving_the_waiting_list_moves_nobody(db_session, make_session, members):
    activity_session = make_session(places=1)
    (ann, _), (bob, _), (cai, _) = members(3)
    for person in (ann, bob, cai):
        attendance.sign_up(db_session, person, activity_session.id)
    result = attendance.cancel_sign_up(db_session, bob, activity_session.id)
    assert (result.late, result.promoted) == (False, [])
    rows = {row.person_id: row for row in session_sign_ups(db_session, activity_session)}
    assert attendance.waiting_position(db_session, rows[cai.id]) == 1


def test_signing_up_twice_returns_the_same_place(db_session, make_session, resident):
    activity_session = make_session()
    first, created = attendance.sign_up(db_session, resident, activity_session.id)
    again, created_again = attendance.sign_up(db_session, resident, activity_session.id)
    assert (created, created_again, again.id) == (True, False, first.id)
    assert len(session_sign_ups(db_session, activity_session)) == 1


def test_cancelling_twice_changes_nothing_more(db_session, make_session, resident):
    activity_session = make_session()
    attendance.sign_up(db_session, resident, activity_session.id)
    first = attendance.cancel_sign_up(db_session, resident, activity_session.id)
    again = attendance.cancel_sign_up(db_session, resident, activity_session.id)
    assert (first.changed, again.changed, again.sign_up.id) == (True, False, first.sign_up.id)
    with pytest.raises(errors.NotSignedUp):
        attendance.cancel_sign_up(db_session, resident, make_session().id)


def test_a_late_cancellation_is_allowed_and_recorded(db_session, make_session, resident, members, audited):
    activity_session = make_session(starts_in=dt.timedelta(hours=24), release_notice_hours=48)
    attendance.sign_up(db_session, resident, activity_session.id)
    result = attendance.cancel_sign_up(db_session, resident, activity_session.id)
    assert result.late and result.sign_up.cancelled_late and result.sign_up.status is SignUpStatus.CANCELLED
    [event] = audited("attendance.cancelled")
    assert event.details["late"] is True

    in_good_time = make_session(starts_in=dt.timedelta(days=3), release_notice_hours=48)
    attendance.sign_up(db_session, resident, in_good_time.id)
    assert attendance.cancel_sign_up(db_session, resident, in_good_time.id).late is False


def test_a_broker_signs_up_and_cancels_for_a_member_who_is_not_online(db_session, make_session, broker, members,
                                                                     audited):
    activity_session = make_session()
    [(mair, _)] = members(1)
    row, created = attendance.sign_up(db_session, broker, activity_session.id, mair.id)
    assert created and (row.person_id, row.signed_up_by_id, row.status) == (mair.id, broker.id, SignUpStatus.BOOKED)
    assert audited("attendance.signed_up")[-1].details["on_behalf"] is True
    assert attendance.cancel_sign_up(db_session, broker, activity_session.id, mair.id).sign_up.id == row.id
    assert audited("attendance.cancelled")[-1].details["on_behalf"] is True


def test_only_a_broker_signs_up_someone_else(db_session, make_session, resident, members):
    activity_session = make_session()
    [(mair, _)] = members(1)
    with pytest.raises(errors.NotBrokerForOthers):
        attendance.sign_up(db_session, resident, activity_session.id, mair.id)
    assert session_sign_ups(db_session, activity_session) == []


def test_only_members_of_the_bank_sign_up(db_session, make_session, organiser, broker, make_person):
    activity_session = make_session()
    # The organiser sees the activity (they run it) but holds no account of their own in the bank.
    with pytest.raises(errors.NotAMember):
        attendance.sign_up(db_session, organiser, activity_session.id)
    outsider = make_person("Olly Outsider", email=None)
    with pytest.raises(errors.NotAMember) as refused:
        attendance.sign_up(db_session, broker, activity_session.id, outsider.id)
    assert refused.value.field == "person_id"
    assert session_sign_ups(db_session, activity_session) == []


def test_sign_ups_close_for_drafts_cancelled_and_started_sessions(db_session, make_session, resident, organiser,
                                                                  start):
    with pytest.raises(errors.ActivityNotOpen):
        attendance.sign_up(db_session, organiser, make_session(status=ActivityStatus.CLOSED).id)
    cancelled = make_session()
    attendance.cancel_session(db_session, organiser, cancelled.id)
    with pytest.raises(errors.SessionCancelled):
        attendance.sign_up(db_session, resident, cancelled.id)
    with pytest.raises(errors.SessionStarted):
        attendance.sign_up(db_session, resident, start(make_session()).id)


def test_a_draft_is_not_there_for_members(db_session, make_session, resident):
    with pytest.raises(errors.SessionNotFound):
        attendance.sign_up(db_session, resident, make_session(status=ActivityStatus.DRAFT).id)


def test_a_role_that_needs_a_clearance_refuses_anyone_without_it(db_session, make_session, resident, bank, broker,
                                                               make_joined, make_dbs_check):
    activity_session = make_session(clearance=Clearance.CHILDREN)
    with pytest.raises(ClearanceNeeded) as refused:
        attendance.sign_up(db_session, resident, activity_session.id)
    assert "broker" in str(refused.value.message)
    with pytest.raises(ClearanceNeeded) as refused_for:
        attendance.sign_up(db_session, broker, activity_session.id, resident.id)
    assert refused_for.value.field == "person_id" and "Rhys Resident" in str(refused_for.value.message)
    assert session_sign_ups(db_session, activity_session) == []

    cleared, _application = make_joined(bank, broker, "Ceri Cleared", email=None)
    make_dbs_check(cleared, bank, broker, level=DbsLevel.ENHANCED_BARRED, workforce=Workforce.CHILDREN)
    row, _created = attendance.sign_up(db_session, cleared, activity_session.id)
    assert row.status is SignUpStatus.BOOKED


def test_an_organiser_calls_off_a_session_and_sees_who_to_tell(db_session, make_session, organiser, members):
    activity_session = make_session(places=1)
    (ann, _), (bob, _) = members(2)
    attendance.sign_up(db_session, ann, activity_session.id)
    attendance.sign_up(db_session, bob, activity_session.id)

    attendance.cancel_session(db_session, organiser, activity_session.id)
    attendance.cancel_session(db_session, organiser, activity_session.id)  # pressed twice: nothing more happens

    rows = session_sign_ups(db_session, activity_session)
    assert {(row.status, row.cancelled_late) for row in rows} == {(SignUpStatus.CANCELLED, False)}
    view = attendance.session_view(db_session, organiser, activity_session.id)
    assert [entry.name for entry in view.to_tell] == ["Member 01", "Member 02"]
    assert len(db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "attendance.session_cancelled", AuditEvent.subject_id == activity_session.id)).all()) == 1


def notices_about(db_session, kind, *people):
    """(person, subject) for each notice of the kind the people have, in person order."""
    return sorted(db_session.execute(sa.select(Notice.person_id, Notice.subject_id).where(
        Notice.kind == kind, Notice.person_id.in_([person.id for person in people]))).all())


def test_everyone_with_a_place_or_waiting_is_told_when_a_session_is_called_off(db_session, make_session, organiser,
                                                                               broker, members):
    activity_session = make_session(places=1)
    (ann, _), (bob, _), (cai, _) = members(3)
    ann.contact_by, bob.contact_by = ContactMethod.PHONE, ContactMethod.BROKER
    rows = {person.id: attendance.sign_up(db_session, person, activity_session.id)[0] for person in (ann, bob, cai)}
    attendance.cancel_sign_up(db_session, cai, activity_session.id)  # gone before: nothing to tell

    attendance.cancel_session(db_session, organiser, activity_session.id)
    attendance.cancel_session(db_session, organiser, activity_session.id)  # pressed twice: nobody is told twice

    assert notices_about(db_session, NoticeKind.SESSION_CANCELLED, ann, bob, cai, broker) == sorted([
        (ann.id, rows[ann.id].id), (bob.id, rows[bob.id].id),
        (broker.id, rows[bob.id].id),  # Bob asked to be contacted through his broker
    ])
    assert notices_about(db_session, NoticeKind.SIGN_UP_CANCELLED_LATE, organiser) == []


def test_the_organisers_are_told_of_a_late_cancellation_only(db_session, make_session, make_person, organiser,
                                                             council, members):
    co_organiser = make_person("Colm Co-organiser")
    db_session.add(OrganisationAdmin(organisation_id=council.id, person_id=co_organiser.id))
    db_session.flush()
    (ann, _), (bob, _), (cai, _) = members(3)
    soon = make_session(places=1, starts_in=dt.timedelta(hours=10), release_notice_hours=48)
    in_good_time = make_session(starts_in=dt.timedelta(days=5), release_notice_hours=48)
    late = attendance.sign_up(db_session, ann, soon.id)[0]
    attendance.sign_up(db_session, bob, soon.id)  # waiting: leaving the list is never late
    attendance.sign_up(db_session, cai, in_good_time.id)

    attendance.cancel_sign_up(db_session, bob, soon.id)
    attendance.cancel_sign_up(db_session, cai, in_good_time.id)
    assert notices_about(db_session, NoticeKind.SIGN_UP_CANCELLED_LATE, organiser, co_organiser) == []
    assert attendance.cancel_sign_up(db_session, ann, soon.id).late
    attendance.cancel_sign_up(db_session, ann, soon.id)  # pressed twice

    assert notices_about(db_session, NoticeKind.SIGN_UP_CANCELLED_LATE, organiser, co_organiser, ann) == [
        (organiser.id, late.id), (co_organiser.id, late.id)]


def test_a_leaver_s_places_are_given_up_and_the_first_waiting_moves_up(db_session, make_session, members, broker,
                                                                        organiser, start, audited):
    full = make_session(places=1, starts_in=dt.timedelta(hours=2), release_notice_hours=48)
    waited = make_session(places=1)
    under_way = make_session()
    marked = make_session()
    (ann, _), (bob, _), (cai, _) = members(3)
    ann_place = attendance.sign_up(db_session, ann, full.id)[0]
    bob_waiting = attendance.sign_up(db_session, bob, full.id)[0]
    attendance.sign_up(db_session, cai, waited.id)
    ann_waiting = attendance.sign_up(db_session, ann, waited.id)[0]
    ann_now = attendance.sign_up(db_session, ann, under_way.id)[0]
    ann_came = attendance.sign_up(db_session, ann, marked.id)[0]
    start(under_way)  # their account closes as they leave, so they could not be credited for it either
    attendance.mark_attendance(db_session, organiser, start(marked).id, [Mark(ann.id, True)])

    cancelled = attendance.cancel_for_leaver(db_session, broker, ann)

    assert [(c.sign_up.id, c.late, [p.id for p in c.promoted]) for c in cancelled] == [
        (ann_now.id, False, []), (ann_place.id, False, [bob_waiting.id]), (ann_waiting.id, False, [])]
    db_session.expire_all()
    assert (ann_place.status, bob_waiting.status, ann_waiting.status, ann_now.status, ann_came.status) == (
        SignUpStatus.CANCELLED, SignUpStatus.BOOKED, SignUpStatus.CANCELLED, SignUpStatus.CANCELLED,
        SignUpStatus.ATTENDED)
    assert notices_about(db_session, NoticeKind.SESSION_PLACE, bob) == [(bob.id, bob_waiting.id)]
    assert notices_about(db_session, NoticeKind.SIGN_UP_CANCELLED_LATE, organiser) == [], "leaving is never late"
    events = [e for e in audited("attendance.cancelled") if e.subject_id in (ann_now.id, ann_place.id, ann_waiting.id)]
    assert [(e.actor_id, e.details["reason"], e.details["on_behalf"]) for e in events] == [
        (broker.id, "left", True)] * 3
    assert attendance.cancel_for_leaver(db_session, broker, ann) == []


def test_only_those_who_run_it_call_a_session_off(db_session, make_session, resident):
    activity_session = make_session()
    with pytest.raises(errors.NotOrganiser):
        attendance.cancel_session(db_session, resident, activity_session.id)
    assert activity_session.cancelled_at is None


# --- attendance ------------------------------------------------------------------------------------


def test_attendance_for_a_full_session_of_twenty_makes_twenty_confirmed_exchanges(
        db_session, make_session, members, organiser, council, start, audited):
    activity_session = make_session(places=20, length=dt.timedelta(hours=3))
    people = members(20)
    for person, _account in people:
        attendance.sign_up(db_session, person, activity_session.id)
    assert attendance.places_left(db_session, activity_session) == 0
    start(activity_session)
    council_account = db_session.scalar(sa.select(Account).where(Account.holder_id == council.id))

    result = attendance.mark_attendance(db_session, organiser, activity_session.id,
                                        [Mark(person.id, True) for person, _ in people])

    exchanges = session_exchanges(db_session, activity_session)
    assert len(exchanges) == len(result.exchanges) == 20
    assert {e.state for e in exchanges} == {ExchangeState.CONFIRMED}
    assert {(e.receiver_account_id, e.amount_minutes, e.activity_id, e.role_id) for e in exchanges} == {
        (council_account.id, 180, activity_session.role.activity_id, activity_session.role_id)}
    assert {e.giver_account_id for e in exchanges} == {account.id for _, account in people}
    assert {e.description for e in exchanges} == {"Community garden – Garden helper"}
    assert all(account.balance_minutes == 180 for _, account in people)
    assert council_account.balance_minutes == -20 * 180
    rows = session_sign_ups(db_session, activity_session)
    assert {row.status for row in rows} == {SignUpStatus.ATTENDED}
    assert {row.exchange_id for row in rows} == {e.id for e in exchanges}
    assert activity_session.attendance_marked_by_id == organiser.id
    assert activity_session.attendance_marked_at is not None
    [event] = audited("attendance.marked")
    assert (event.details["attended"], event.details["total_minutes"]) == (20, 3600)


def test_absent_people_and_walk_ins(db_session, make_session, members, organiser, start):
    activity_session = make_session(places=2, credit_minutes=90)
    (ann, ann_account), (bob, bob_account), (cai, cai_account), (dee, _) = members(4)
    for person in (ann, bob, cai):
        attendance.sign_up(db_session, person, activity_session.id)
    start(activity_session)

    result = attendance.mark_attendance(db_session, organiser, activity_session.id, [
        Mark(ann.id, True, 120), Mark(bob.id, False), Mark(cai.id, True), Mark(dee.id, False)])

    assert (len(result.exchanges), result.absent, result.total_minutes) == (2, 1, 210)
    by_person = {row.person_id: row for row in session_sign_ups(db_session, activity_session)}
    assert (by_person[ann.id].status, by_person[bob.id].status, by_person[cai.id].status) == (
        SignUpStatus.ATTENDED, SignUpStatus.ABSENT, SignUpStatus.ATTENDED)  # Cai came off the waiting list
    assert dee.id not in by_person
    assert (ann_account.balance_minutes, bob_account.balance_minutes, cai_account.balance_minutes) == (120, 0, 90)


def test_spending_at_a_partners_session_records_what_was_received(db_session, make_session, members, organiser,
                                                                   council, start):
    activity_session = make_session(direction=RoleDirection.SPENDS, credit_minutes=60,
                                    title="Swim at the leisure centre", role_title="Swimmer")
    [(ann, ann_account)] = members(1)
    attendance.sign_up(db_session, ann, activity_session.id)
    start(activity_session)
    attendance.mark_attendance(db_session, organiser, activity_session.id, [Mark(ann.id, True)])
    [exchange] = session_exchanges(db_session, activity_session)
    assert (exchange.receiver_account_id, ann_account.balance_minutes) == (ann_account.id, -60)
    [redemption] = db_session.scalars(sa.select(Redemption).where(Redemption.exchange_id == exchange.id)).all()
    assert (redemption.person_id, redemption.partner_id, redemption.redeemed_for, redemption.credit_minutes,
            redemption.item) == (ann.id, council.id, RedeemedFor.TIME_BASED_ACTIVITY, 60,
                                 "Swim at the leisure centre – Swimmer")


def test_one_attendee_who_cannot_pay_stops_the_whole_list(db_session, make_session, members, organiser, start):
    activity_session = make_session(direction=RoleDirection.SPENDS, credit_minutes=60)
    people = members(3)
    for person, _account in people:
        attendance.sign_up(db_session, person, activity_session.id)
    start(activity_session)
    (_, middle_account) = people[1]
    middle_account.floor_minutes = 0  # this member may not go below nothing
    db_session.flush()

    with pytest.raises(errors.AttendeeNotRecorded) as refused:
        attendance.mark_attendance(db_session, organiser, activity_session.id, [Mark(p.id, True) for p, _ in people])

    assert refused.value.person_id == people[1][0].id
    assert "Member 02" in str(refused.value.message) and "lowest allowed balance" in str(refused.value.message)
    assert session_exchanges(db_session, activity_session) == []
    assert {row.status for row in session_sign_ups(db_session, activity_session)} == {SignUpStatus.BOOKED}
    assert all(account.balance_minutes == 0 for _, account in people)
    assert activity_session.attendance_marked_at is None
    assert db_session.scalars(sa.select(Redemption).where(Redemption.person_id.in_([p.id for p, _ in people]))).all() \
        == []


def test_marking_twice_is_refused(db_session, make_session, resident, organiser, start):
    activity_session = make_session()
    attendance.sign_up(db_session, resident, activity_session.id)
    start(activity_session)
    attendance.mark_attendance(db_session, organiser, activity_session.id, [Mark(resident.id, True)])
    with pytest.raises(errors.AttendanceAlreadyMarked) as refused:
        attendance.mark_attendance(db_session, organiser, activity_session.id, [Mark(resident.id, True)])
    assert "reverse" in str(refused.value.message)
    assert len(session_exchanges(db_session, activity_session)) == 1


@pytest.mark.parametrize("problem", ["not started", "missing", "twice", "too long", "not a member", "resident"])
def test_an_attendance_list_that_does_not_add_up_is_refused(db_session, make_session, members, organiser, resident,
                                                           start, make_person, problem):
    activity_session = make_session()
    [(ann, _), (bob, _)] = members(2)
    for person in (ann, bob):
        attendance.sign_up(db_session, person, activity_session.id)
    if problem != "not started":
        start(activity_session)
    marks, actor, expected = {
        "not started": ([Mark(ann.id, True), Mark(bob.id, True)], organiser, errors.SessionNotStarted),
        "missing": ([Mark(ann.id, True)], organiser, errors.InvalidAttendance),
        "twice": ([Mark(ann.id, True), Mark(ann.id, False), Mark(bob.id, True)], organiser, errors.InvalidAttendance),
        "too long": ([Mark(ann.id, True), Mark(bob.id, True, 1441)], organiser, errors.AttendeeNotRecorded),
        "not a member": ([Mark(ann.id, True), Mark(bob.id, True), Mark(make_person("Out Sider", email=None).id, True)],
                         organiser, errors.AttendeeNotRecorded),
        "resident": ([Mark(ann.id, True), Mark(bob.id, True)], resident, errors.NotOrganiser),
    }[problem]
    with pytest.raises(expected):
        attendance.mark_attendance(db_session, actor, activity_session.id, marks)
    assert session_exchanges(db_session, activity_session) == []
    assert {row.status for row in session_sign_ups(db_session, activity_session)} == {SignUpStatus.BOOKED}


# --- the property ----------------------------------------------------------------------------------

PEOPLE = 5
operations = st.lists(st.tuples(st.sampled_from(["sign up", "cancel"]), st.integers(0, PEOPLE - 1)), max_size=30)


@settings(max_examples=examples(0.4), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(places=st.integers(1, 3), ops=operations)
def test_any_sign_ups_and_cancellations_keep_the_list_fair(db_session, make_session, members, places, ops):
    """Booked never exceeds the places; nobody waits while a place is free; the waiting list keeps the
    order people asked in — exactly as a queue kept by hand says."""
    savepoint = db_session.begin_nested()
    try:
        activity_session = make_session(places=places)
        people = [person for person, _account in members(PEOPLE)]
        booked: set[int] = set()
        queue: list[int] = []
        for op, index in ops:
            person = people[index]
            if op == "sign up":
                attendance.sign_up(db_session, person, activity_session.id)
                if person.id not in booked and person.id not in queue:
                    (booked.add(person.id) if len(booked) < places else queue.append(person.id))
            else:
                try:
                    attendance.cancel_sign_up(db_session, person, activity_session.id)
                except DomainError:
                    assert person.id not in booked and person.id not in queue
                if person.id in booked:
                    booked.discard(person.id)
                    if queue:
                        booked.add(queue.pop(0))
                elif person.id in queue:
                    queue.remove(person.id)
            rows = [row for row in session_sign_ups(db_session, activity_session)
                    if row.status is not SignUpStatus.CANCELLED]
            now_booked = {row.person_id for row in rows if row.status is SignUpStatus.BOOKED}
            waiting = sorted((row for row in rows if row.status is SignUpStatus.WAITING),
                             key=lambda row: attendance.waiting_position(db_session, row) or 0)
            assert len(now_booked) <= places
            assert not waiting or len(now_booked) == places
            assert (now_booked, [row.person_id for row in waiting]) == (booked, queue)
    finally:
        savepoint.rollback()

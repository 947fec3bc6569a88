"""Recording DBS checks and safeguarding notes, and reading a person's record: broker-only, checked, and
audited. Clearances come out of what was recorded, never typed in."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.safeguarding.conftest import years_ago
from tests.support import statements_sent
from timebank.dates import FIRST_DBS_CERTIFICATE, FIRST_UPDATE_SERVICE_CHECK
from timebank.errors import DomainError, NotFound
from timebank.members import service as members
from timebank.membership import service as membership
from timebank.safeguarding import service as safeguarding
from timebank.safeguarding.clearances import Clearance, add_months
from timebank.safeguarding.models import DbsCheck, DbsLevel, SafeguardingNote, Workforce
from timebank.safeguarding.service import DbsCheckInput, NotBrokerOfPerson


def granted(statuses) -> set[Clearance]:
    return {clearance for clearance, status in statuses.items() if status.granted}


def test_a_broker_records_a_dbs_check_and_the_clearances_follow(db_session, make_bank, make_broker, make_joined,
                                                                make_dbs_check, audited, today):
    bank = make_bank()
    broker = make_broker(bank)
    person, _ = make_joined(bank, broker, "Eleri Watkins")
    assert granted(safeguarding.clearances_for(db_session, person.id, bank.id)) == set()

    check = make_dbs_check(person, bank, broker, level=DbsLevel.ENHANCED_BARRED, workforce=Workforce.CHILDREN,
                           issued_on=today - dt.timedelta(days=100), certificate_number="0012 3456 7890")

    assert (check.certificate_number, check.recorded_by_id, check.time_bank_id) == ("001234567890", broker.id,
                                                                                   bank.id)
    statuses = safeguarding.clearances_for(db_session, person.id, bank.id)
    assert granted(statuses) == {Clearance.HOME_VISITS, Clearance.CHILDREN}
    assert statuses[Clearance.CHILDREN].valid_until == add_months(check.issued_on, 36) - dt.timedelta(days=1)
    [recorded] = audited("safeguarding.dbs_recorded")
    assert (recorded.actor_id, recorded.subject_id, recorded.details["level"]) == (broker.id, person.id,
                                                                                   "enhanced_barred")


def test_an_expired_dbs_gives_no_clearance(db_session, make_bank, make_broker, make_joined, make_dbs_check):
    bank = make_bank()
    broker = make_broker(bank)
    person, _ = make_joined(bank, broker)
    make_dbs_check(person, bank, broker, issued_on=years_ago(4))

    statuses = safeguarding.clearances_for(db_session, person.id, bank.id)
    assert granted(statuses) == set()
    assert "the last one ran out on" in str(statuses[Clearance.HOME_VISITS].missing[-1])

    make_dbs_check(person, bank, broker, issued_on=years_ago(0, days=10))
    assert granted(safeguarding.clearances_for(db_session, person.id, bank.id)) == set(Clearance)


def test_the_bank_s_renewal_period_and_the_update_service_decide_how_long_a_check_counts(
    db_session, make_bank, make_broker, make_joined, make_dbs_check, today,
):
    bank = make_bank()
    broker = make_broker(bank)
    person, _ = make_joined(bank, broker)
    make_dbs_check(person, bank, broker, level=DbsLevel.BASIC, issued_on=years_ago(2))
    assert granted(safeguarding.clearances_for(db_session, person.id, bank.id)) == {Clearance.HOME_VISITS}

    bank.dbs_renewal_months = 12
    assert granted(safeguarding.clearances_for(db_session, person.id, bank.id)) == set()

    make_dbs_check(person, bank, broker, level=DbsLevel.BASIC, issued_on=years_ago(2), update_service=True,
                   status_checked_on=today - dt.timedelta(days=5))
    status = safeguarding.clearances_for(db_session, person.id, bank.id)[Clearance.HOME_VISITS]
    assert (status.granted, status.valid_until) == (True, add_months(today - dt.timedelta(days=5), 12)
                                                    - dt.timedelta(days=1))


def test_references_on_a_declined_application_do_not_count(db_session, make_bank, make_broker, make_person,
                                                           make_application, hear_from_referees, make_dbs_check):
    bank = make_bank()
    broker = make_broker(bank)
    person = make_person()
    application = make_application(bank, person)
    hear_from_referees(application, broker)
    make_dbs_check(person, bank, broker)
    assert safeguarding.satisfactory_references(db_session, person.id, bank.id) == 2
    assert granted(safeguarding.clearances_for(db_session, person.id, bank.id)) == set(Clearance), \
        "an applicant can be cleared before approval"

    membership.decline(db_session, broker, application.id, "Not the right time")

    assert safeguarding.satisfactory_references(db_session, person.id, bank.id) == 0
    assert granted(safeguarding.clearances_for(db_session, person.id, bank.id)) == set()


@pytest.mark.parametrize(("changes", "field"), [
    ({"issued_on": "tomorrow"}, "issued_on"),
    ({"issued_on": dt.date(2012, 11, 30)}, "issued_on"),
    ({"level": DbsLevel.ENHANCED_BARRED, "workforce": None}, "workforce"),
    ({"level": DbsLevel.ENHANCED, "workforce": Workforce.ADULTS}, "workforce"),
    ({"certificate_number": "12345678901"}, "certificate_number"),
    ({"certificate_number": "1234567890123"}, "certificate_number"),
    ({"certificate_number": "12345678901X"}, "certificate_number"),
    ({"status_checked_on": "today"}, "status_checked_on"),
    ({"update_service": True, "status_checked_on": "tomorrow"}, "status_checked_on"),
    ({"update_service": True, "status_checked_on": dt.date(2013, 1, 1)}, "status_checked_on"),
])
def test_a_dbs_check_is_checked_before_it_is_recorded(db_session, make_bank, make_broker, make_member, today,
                                                      changes, field):
    bank = make_bank()
    broker = make_broker(bank)
    person, _ = make_member(bank)
    days = {"today": today, "tomorrow": today + dt.timedelta(days=1)}
    fields = {"level": DbsLevel.ENHANCED, "issued_on": dt.date(2023, 4, 1)}
    fields.update({name: days.get(value, value) if isinstance(value, str) else value
                   for name, value in changes.items()})

    with pytest.raises(DomainError) as error:
        safeguarding.record_dbs_check(db_session, broker, person.id, bank.id, DbsCheckInput(**fields))

    assert error.value.field == field
    assert db_session.scalar(sa.select(sa.func.count(DbsCheck.id))) == 0


def test_the_first_dbs_day_and_today_are_accepted(db_session, make_bank, make_broker, make_member, today):
    bank = make_bank()
    broker = make_broker(bank)
    person, _ = make_member(bank)
    for issued_on in (FIRST_DBS_CERTIFICATE, today):
        # A status check is no older than the update service, nor than the certificate it is about.
        checked_on = max(issued_on, FIRST_UPDATE_SERVICE_CHECK)
        safeguarding.record_dbs_check(db_session, broker, person.id, bank.id, DbsCheckInput(
            level=DbsLevel.STANDARD, issued_on=issued_on, update_service=True, status_checked_on=checked_on))
    assert db_session.scalar(sa.select(sa.func.count(DbsCheck.id))) == 2


def test_the_database_refuses_a_workforce_without_barred_lists(db_session, make_bank, make_broker, make_member):
    bank = make_bank()
    broker = make_broker(bank)
    person, _ = make_member(bank)
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        db_session.add(DbsCheck(person_id=person.id, time_bank_id=bank.id, level=DbsLevel.BASIC,
                                workforce=Workforce.ADULTS, issued_on=dt.date(2024, 1, 1), recorded_by_id=broker.id))
        db_session.flush()


def test_notes_are_written_by_brokers_and_read_in_the_record(db_session, make_bank, make_broker, make_member,
                                                             make_dbs_check, audited):
    bank = make_bank()
    broker = make_broker(bank)
    person, _ = make_member(bank, "Huw Roberts")

    for body, field in (("   ", "body"), ("x" * 4001, "body")):
        with pytest.raises(DomainError) as error:
            safeguarding.add_note(db_session, broker, person.id, bank.id, body)
        assert error.value.field == field
    first = safeguarding.add_note(db_session, broker, person.id, bank.id, "  Met at the community centre.  ")
    second = safeguarding.add_note(db_session, broker, person.id, bank.id, "Prefers visits in pairs.")
    check = make_dbs_check(person, bank, broker)

    record = safeguarding.record_for(db_session, broker, person.id, bank.id)

    assert first.body == "Met at the community centre."
    assert {note.id for note in record.notes} == {first.id, second.id}
    assert [c.id for c in record.checks] == [check.id]
    assert record.check_valid_until[check.id] == add_months(check.issued_on, 36) - dt.timedelta(days=1)
    assert granted(record.clearances) == set(), "no references yet"
    assert [e.actor_id for e in audited("safeguarding.record_viewed")] == [broker.id]
    assert len(audited("safeguarding.note_added")) == 2


def test_only_brokers_of_the_person_s_bank_see_or_change_the_record(db_session, make_bank, make_broker,
                                                                      make_member, make_person, make_organisation):
    bank, other = make_bank(), make_bank()
    broker, other_broker = make_broker(bank), make_broker(other)
    person, _ = make_member(bank, "Member")
    fellow, _ = make_member(bank, "Fellow member")
    org_admin = make_person("Charity admin")
    make_organisation(bank, admins=(org_admin,))
    admin = make_person("Install admin", is_admin=True)
    check = DbsCheckInput(level=DbsLevel.BASIC, issued_on=dt.date(2024, 1, 1))
    actions = {
        "record": lambda actor, bank_id: safeguarding.record_for(db_session, actor, person.id, bank_id),
        "note": lambda actor, bank_id: safeguarding.add_note(db_session, actor, person.id, bank_id, "A note"),
        "dbs": lambda actor, bank_id: safeguarding.record_dbs_check(db_session, actor, person.id, bank_id, check),
    }

    for name, action in actions.items():
        for outsider in (person, fellow, org_admin):  # members and organisations: never
            with pytest.raises(NotBrokerOfPerson) as refused:
                action(outsider, bank.id)
            assert refused.value.status == 403, name
        with pytest.raises(NotBrokerOfPerson):  # a broker, but not of this bank
            action(other_broker, bank.id)
        with pytest.raises(NotFound):  # the person is not in the broker's own bank
            action(other_broker, other.id)
        with pytest.raises(NotFound):
            safeguarding.record_for(db_session, broker, 999_999, bank.id)
        action(admin, bank.id)

    assert db_session.scalar(sa.select(sa.func.count(SafeguardingNote.id))) == 1
    assert db_session.scalar(sa.select(sa.func.count(DbsCheck.id))) == 1


def test_a_broker_sees_the_record_of_an_applicant_to_their_bank(db_session, make_bank, make_broker,
                                                                make_application, make_person):
    bank = make_bank()
    broker = make_broker(bank)
    applicant = make_person("Applicant")
    make_application(bank, applicant)
    safeguarding.add_note(db_session, broker, applicant.id, bank.id, "Interview booked")
    assert len(safeguarding.record_for(db_session, broker, applicant.id, bank.id).notes) == 1


def test_notes_stay_with_the_bank_that_wrote_them(db_session, make_bank, make_broker, make_member):
    bank, other = make_bank(), make_bank()
    broker, other_broker = make_broker(bank), make_broker(other)
    person, _ = make_member(bank)
    members.join_bank(db_session, person, other.id, actor_id=None)
    safeguarding.add_note(db_session, broker, person.id, bank.id, "Only for this bank")

    assert safeguarding.record_for(db_session, other_broker, person.id, other.id).notes == []
    assert len(safeguarding.record_for(db_session, broker, person.id, bank.id).notes) == 1


def test_brokers_are_reminded_of_checks_running_out_within_30_days(db_session, make_bank, make_broker,
                                                                   make_member, make_dbs_check, today):
    bank = make_bank()
    broker = make_broker(bank)
    renewal = dt.timedelta(days=10)

    def issued_for(until: dt.date) -> dt.date:
        """The issue date of a certificate that counts until ``until`` in a 36-month bank."""
        return add_months(until + dt.timedelta(days=1), -36)

    soon, _ = make_member(bank, "Running out soon")
    make_dbs_check(soon, bank, broker, issued_on=issued_for(today + renewal))
    lapsed, _ = make_member(bank, "Ran out last week")
    make_dbs_check(lapsed, bank, broker, level=DbsLevel.BASIC, issued_on=issued_for(today - dt.timedelta(days=7)))
    renewed, _ = make_member(bank, "Renewed in time")
    make_dbs_check(renewed, bank, broker, issued_on=issued_for(today + renewal))
    make_dbs_check(renewed, bank, broker, issued_on=today)
    fresh, _ = make_member(bank, "Fresh check")
    make_dbs_check(fresh, bank, broker, issued_on=today - dt.timedelta(days=30))
    long_gone, _ = make_member(bank, "Long gone")
    make_dbs_check(long_gone, bank, broker, issued_on=issued_for(today - dt.timedelta(days=60)))
    no_check, _ = make_member(bank, "No check")
    make_dbs_check(no_check, bank, broker, level=DbsLevel.NONE, issued_on=issued_for(today + renewal))
    # On the update service a check counts for a year from its last status check, whenever it was issued.
    watched, _ = make_member(bank, "Status checked a year ago")
    make_dbs_check(watched, bank, broker, issued_on=add_months(today, -60), update_service=True,
                   status_checked_on=add_months(today + renewal + dt.timedelta(days=1), -12))
    checked_lately, _ = make_member(bank, "Status checked lately")
    make_dbs_check(checked_lately, bank, broker, issued_on=issued_for(today + renewal), update_service=True,
                   status_checked_on=today - renewal)

    expiring = safeguarding.expiring_checks(db_session, broker, bank.id)

    assert [(item.person.display_name, item.valid_until) for item in expiring] == [
        ("Ran out last week", today - dt.timedelta(days=7)),
        ("Running out soon", today + renewal),
        ("Status checked a year ago", today + renewal),
    ]
    for not_our_broker in (soon, make_broker(make_bank())):
        with pytest.raises(NotBrokerOfPerson):
            safeguarding.expiring_checks(db_session, not_our_broker, bank.id)


def test_every_bank_s_checks_ending_are_read_in_one_statement_each_by_its_own_renewal_period(
        db_session, make_bank, make_broker, make_member, make_dbs_check, today):
    """A home with several banks (an admin's, a broker of many) asked each bank in turn: one statement per bank.
    ``expiring_in`` reads them all at once, each bank judged by its own renewal period."""
    three_years, two_years = make_bank(name="Three-year bank"), make_bank(name="Two-year bank")
    two_years.dbs_renewal_months = 24
    broker = make_broker(three_years)
    issued = add_months(today + dt.timedelta(days=11), -24)  # counts 24 months: to 10 days from now
    both, _ = make_member(three_years, "In both banks")
    members.join_bank(db_session, both, two_years.id, actor_id=None)
    make_dbs_check(both, three_years, broker, issued_on=issued)
    db_session.flush()

    with statements_sent(db_session.connection()) as sent:
        found = safeguarding.expiring_in(db_session, [three_years, two_years], today)

    assert len(sent) == 1
    assert {bank_id: [(item.person.display_name, item.valid_until) for item in items]
            for bank_id, items in found.items()} == {two_years.id: [("In both banks", today + dt.timedelta(days=10))]}

"""Checking and applying timesheets through the service: the whole file or nothing, worked like a
bookkeeper would, and ending with ``ledger verify`` (run by the harness after every test)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.imports.conftest import NAMES, balances, exchanges_by, write_csv
from tests.support import examples
from timebank.activities.models import Activity, ActivitySession, CoProductionForm, Party, Role
from timebank.audit.models import AuditEvent
from timebank.categories.models import Category
from timebank.clock import uk_today
from timebank.exchanges.service import Proposal, Side, confirm, propose
from timebank.imports import errors, service
from timebank.imports.models import MAX_ROWS, ImportStatus
from timebank.ledger import service as ledger
from timebank.ledger.models import ExchangeState
from timebank.members.models import OrganisationType


def check(db_session, broker, bank, text, filename="march.csv"):
    return service.check(db_session, broker, time_bank_id=bank.id, filename=filename, content=text.encode())


def problems_of(timesheet) -> list[tuple[int | None, str | None]]:
    return [(p["row"], p["column"]) for p in timesheet.problems]


# --- the acceptance cases ---------------------------------------------------------------------------


def test_a_200_row_timesheet_goes_in_completely(db_session, bank, broker, members, ring):
    text = write_csv(ring(200))
    seen = []
    timesheet = service.check(db_session, broker, time_bank_id=bank.id, filename="year.csv",
                              content=b"\xef\xbb\xbf" + text.encode(), progress=lambda done, total: seen.append(done))
    assert (timesheet.status, timesheet.row_count, timesheet.total_minutes, timesheet.problems) == (
        ImportStatus.CHECKED, 200, 200 * 30, [])
    assert seen == list(range(1, 201))
    assert service.summarise(timesheet).people == 10

    applied = service.apply(db_session, broker, timesheet.id)
    assert applied.status is ImportStatus.APPLIED and applied.applied_by_id == broker.id

    recorded = exchanges_by(db_session, broker)
    assert len(recorded) == 200
    assert {e.state for e in recorded} == {ExchangeState.CONFIRMED}
    assert recorded[0].idempotency_key == f"import-{timesheet.sha256[:16]}-2"  # the first data row is row 2
    assert recorded[-1].idempotency_key == f"import-{timesheet.sha256[:16]}-201"
    # Each member gave 20 half-hours and received 20: given and received 10 hours each, balance nil.
    for account in members.accounts:
        db_session.refresh(account)
        assert (account.given_minutes, account.received_minutes, account.balance_minutes) == (600, 600, 0)
    [audited] = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "import.applied",
                                                              AuditEvent.subject_id == timesheet.id)).all()
    assert audited.details == {"rows": 200, "minutes": 6000, "people": 10}


def test_one_bad_row_in_the_middle_is_named_and_nothing_changes(db_session, bank, broker, members, ring):
    rows = ring(200)
    rows[99]["hours"] = "1.33"  # spreadsheet row 101
    before = balances(db_session, members.accounts)
    timesheet = check(db_session, broker, bank, write_csv(rows))
    assert timesheet.status is ImportStatus.REJECTED
    assert problems_of(timesheet) == [(101, "hours")]
    assert "whole minutes" in timesheet.problems[0]["message"]
    with pytest.raises(errors.ImportHasProblems):
        service.apply(db_session, broker, timesheet.id)
    assert exchanges_by(db_session, broker) == []
    assert balances(db_session, members.accounts) == before


def test_a_row_that_breaks_a_floor_only_after_the_rows_above_is_caught(db_session, bank, broker, members, row):
    # Bea may owe up to 10 hours: 6 hours is fine, and so is 5, but not one after the other.
    rows = [row(0, 1, hours="6"), row(2, 3), row(0, 1, hours="5", description="Second day")]
    timesheet = check(db_session, broker, bank, write_csv(rows))
    assert problems_of(timesheet) == [(4, "hours")]
    assert "Bea Evans (member" in timesheet.problems[0]["message"]
    assert "lowest balance allowed (−10 hours)" in timesheet.problems[0]["message"]


def test_hours_earned_in_the_rows_above_count_towards_a_later_row(db_session, bank, broker, members, row):
    # Bea receives 8 hours, gives 8 back, then receives 8 again: she never owes more than 8 of her 10.
    rows = [row(0, 1, hours="8"), row(1, 0, hours="8"), row(0, 1, hours="8", description="Third day")]
    timesheet = check(db_session, broker, bank, write_csv(rows))
    assert timesheet.problems == []
    service.apply(db_session, broker, timesheet.id)
    db_session.refresh(members.accounts[1])
    assert members.accounts[1].balance_minutes == -8 * 60


def test_applying_twice_is_refused_and_the_same_file_cannot_come_back(db_session, bank, broker, members, ring):
    text = write_csv(ring(4))
    first = check(db_session, broker, bank, text)
    service.apply(db_session, broker, first.id)
    with pytest.raises(errors.ImportAlreadyApplied):
        service.apply(db_session, broker, first.id)
    again = check(db_session, broker, bank, text, filename="march-again.csv")
    assert again.status is ImportStatus.REJECTED
    assert again.problems[0]["import_id"] == first.id and again.problems[0]["row"] is None
    assert len(exchanges_by(db_session, broker)) == 4


def test_a_checked_file_is_checked_again_when_applied(db_session, bank, broker, members, row, today):
    """Between the check and the apply, Bea received 8 hours elsewhere: the file's 4 hours to her would
    now take her past her floor, so nothing is recorded and the import says which row."""
    timesheet = check(db_session, broker, bank, write_csv([row(2, 3), row(0, 1, hours="4")]))
    assert timesheet.status is ImportStatus.CHECKED
    exchange, _ = ledger.record_exchange(
        db_session, proposer_account_id=members.accounts[4].id, counterpart_account_id=members.accounts[1].id,
        proposer_is_giver=True, amount_minutes=8 * 60, occurred_on=today, category_id=exchanges_category(db_session),
        description="", recorded_by_id=members.people[4].id, idempotency_key="elsewhere")
    ledger.confirm_exchange(db_session, exchange.id, actor_id=members.people[1].id,
                            acting_for_account_id=members.accounts[1].id)
    before = balances(db_session, members.accounts)

    result = service.apply(db_session, broker, timesheet.id)
    assert result.status is ImportStatus.REJECTED and problems_of(result) == [(3, "hours")]
    assert exchanges_by(db_session, broker) == []
    assert balances(db_session, members.accounts) == before


def exchanges_category(db_session) -> int:
    return db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))


# --- each problem a row can have ---------------------------------------------------------------------


def test_every_kind_of_row_problem_is_reported_with_its_row_and_column(
        db_session, bank, broker, members, row, make_bank, make_member, today):
    other_bank = make_bank(name="Other Vale")
    _, outsider = make_member(other_bank, "Olly Outsider")
    pot = ledger.community_pot(db_session, bank.id)
    rows = [
        row(0, 1, date=(today + dt.timedelta(days=1)).isoformat()),   # 2: future
        row(0, 1, date="31/02/2026"),                                 # 3: no such day
        row(0, 1, giver="99999999", giver_name=""),                   # 4: no such member
        row(0, 1, receiver=str(outsider.id), receiver_name=""),       # 5: other bank
        row(0, 1, receiver=str(pot.id), receiver_name=""),            # 6: the pot is not a member
        row(0, 1, giver_name="Aled  JONES "),                         # 7: fine (case and spaces)
        row(0, 1, receiver_name="Ben Evans"),                         # 8: name does not match
        row(0, 0, receiver_name=NAMES[0]),                            # 9: same member
        row(0, 1, hours="25"),                                        # 10: too long
        row(0, 1, hours="1:75"),                                      # 11: minutes past 59
        row(0, 1, hours="two"),                                       # 12: not a number
        row(0, 1, category="knitting"),                               # 13: no such category
        row(0, 1, description="x" * 1001),                            # 14: too long
        row(0, 1, date="", hours=""),                                 # 15: two empty values
        row(0, 1, activity="1"),                                      # 16: activity without role
    ]
    timesheet = check(db_session, broker, bank, write_csv(rows))
    assert problems_of(timesheet) == [
        (2, "date"), (3, "date"), (4, "giver"), (5, "receiver"), (6, "receiver"), (8, "receiver_name"),
        (9, "receiver"), (10, "hours"), (11, "hours"), (12, "hours"), (13, "category"), (14, "description"),
        (15, "date"), (15, "hours"), (16, "role"),
    ]
    messages = {(p["row"], p["column"]): p["message"] for p in timesheet.problems}
    assert messages[(8, "receiver_name")].startswith(f"Member number {members.number(1)} is Bea Evans, not “Ben Evans”")
    assert messages[(5, "receiver")] == f"Member number {outsider.id} belongs to another time bank."
    assert messages[(6, "receiver")] == f"The account with member number {pot.id} is closed."
    assert timesheet.total_minutes == 30  # only row 7 could be read whole


def test_duplicate_rows_are_flagged_unless_the_description_differs(db_session, bank, broker, members, row):
    rows = [row(0, 1, description="Front garden"), row(0, 1, description="Back garden"),
            row(0, 1, description=" front  GARDEN")]
    timesheet = check(db_session, broker, bank, write_csv(rows))
    assert problems_of(timesheet) == [(4, None)]
    assert timesheet.problems[0]["message"].startswith("This row repeats row 2")


@pytest.fixture
def garden_activity(db_session, bank, broker, make_organisation):
    council, _ = make_organisation(bank, "Hollinbridge Council", organisation_type=OrganisationType.COUNCIL)
    category_id = exchanges_category(db_session)
    activity = Activity(time_bank_id=bank.id, organisation_id=council.id, title="Community garden",
                        form=CoProductionForm.CO_DELIVERING, designed_by=Party.SHARED, delivered_by=Party.SHARED,
                        created_by_id=broker.id)
    db_session.add(activity)
    db_session.flush()
    role = Role(activity_id=activity.id, title="Gardener", category_id=category_id, places=10)
    other_role = Role(activity_id=activity.id, title="Tea maker", category_id=category_id, places=2)
    db_session.add_all([role, other_role])
    db_session.flush()
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    activity_session = ActivitySession(role_id=role.id, starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                       places=10)
    db_session.add(activity_session)
    db_session.flush()
    return activity, role, other_role, activity_session


def test_hours_from_an_activity_keep_their_source(db_session, bank, broker, members, row, garden_activity):
    activity, role, other_role, activity_session = garden_activity
    rows = [row(0, 1, activity=str(activity.id), role=str(role.id), session=str(activity_session.id)),
            row(2, 3, activity=str(activity.id), role=str(other_role.id), session=str(activity_session.id)),
            row(4, 5, activity=str(activity.id + 1000), role=str(role.id))]
    rejected = check(db_session, broker, bank, write_csv(rows))
    assert problems_of(rejected) == [(3, "session"), (4, "activity")]

    good = check(db_session, broker, bank, write_csv(rows[:1]))
    service.apply(db_session, broker, good.id)
    [exchange] = exchanges_by(db_session, broker)
    assert (exchange.activity_id, exchange.role_id, exchange.session_id) == (activity.id, role.id, activity_session.id)


# --- reading the file ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "minutes"), [("2", 120), ("1.5", 90), ("1:30", 90), ("0:05", 5), (".25", 15),
                                                ("24", 1440), ("0.1", 6)])
def test_hours_are_read_in_every_usual_way(value, minutes):
    assert service.parse_minutes(value) == minutes


@pytest.mark.parametrize("value", ["0", "0:00", "24:01", "1.33", "1,5", "-1", "1h", ""])
def test_hours_that_are_not_whole_minutes_in_range_are_refused(value):
    with pytest.raises(service._Bad):
        service.parse_minutes(value)


@pytest.mark.parametrize(("value", "day"), [("27/03/2026", dt.date(2026, 3, 27)), ("7/3/2026", dt.date(2026, 3, 7)),
                                            ("2026-03-27", dt.date(2026, 3, 27))])
def test_dates_are_read_both_ways(value, day):
    assert service.parse_date(value) == day


@pytest.mark.parametrize(("content", "error"), [
    (b"date;giver;receiver;hours;category\r\n", errors.WrongDelimiter),
    (b"date\tgiver\treceiver\thours\tcategory\r\n", errors.WrongDelimiter),
    ("date,giver,receiver,hours,category\r\n01/01/2026,1,2,1,caf\xe9\r\n".encode("latin-1"), errors.NotUtf8),
    (b"date,giver,receiver,hours\r\n01/01/2026,1,2,1\r\n", errors.BadHeading),
    (b"date,giver,receiver,hours,category,colour\r\n01/01/2026,1,2,1,x,red\r\n", errors.BadHeading),
    (b"date,giver,receiver,hours,category,date\r\n", errors.BadHeading),
    (b"date,giver,receiver,hours,category\r\n\r\n,,,,\r\n", errors.EmptyFile),
    (b"", errors.EmptyFile),
    (b"date,giver,receiver,hours,category\r\n01/01/2026,1\x00,2,1,x\r\n", errors.NotACsvFile),
    (b"date,giver,receiver,hours,category\r\n01/01/2026,1,2,1," + b"x" * 200_000, errors.NotACsvFile),
])
def test_a_file_that_is_not_a_timesheet_is_refused_whole(db_session, bank, broker, content, error):
    with pytest.raises(error) as raised:
        service.check(db_session, broker, time_bank_id=bank.id, filename="x.csv", content=content)
    assert raised.value.field == "file"


def test_too_many_rows_or_bytes_are_refused(db_session, bank, broker, members, row):
    lines = "date,giver,receiver,hours,category\r\n" + "01/01/2026,1,2,1,gardening\r\n" * (MAX_ROWS + 1)
    with pytest.raises(errors.TooManyRows):
        check(db_session, broker, bank, lines)
    with pytest.raises(errors.FileTooLarge):
        check(db_session, broker, bank, "date,giver,receiver,hours,category,description\r\n" + "x" * 1_000_000)


def test_headings_are_forgiving_about_case_spaces_order_and_blank_rows(db_session, bank, broker, members, row):
    text = ("Category, Hours ,Receiver,Giver Name,Giver,Date,\r\n"
            f"gardening,1:00,{members.number(1)},aled jones,{members.number(0)},{row()['date']},\r\n"
            ",,,,,,\r\n")
    timesheet = check(db_session, broker, bank, text)
    assert (timesheet.status, timesheet.row_count, timesheet.total_minutes) == (ImportStatus.CHECKED, 1, 60)


def test_the_template_is_a_valid_heading_with_two_example_rows():
    sheet = service.read_sheet(service.template_csv())
    assert [r.number for r in sheet.rows] == [2, 3]
    assert [service.parse_minutes(r.cells["hours"]) for r in sheet.rows] == [90, 120]


def test_only_brokers_of_the_bank_check_or_see_imports(db_session, bank, broker, members, ring, make_bank,
                                                        make_broker):
    timesheet = check(db_session, broker, bank, write_csv(ring(2)))
    other_broker = make_broker(make_bank(name="Other Vale"), "Olwen Broker")
    with pytest.raises(errors.ImportNotFound):
        service.visible_import(db_session, other_broker, timesheet.id)
    with pytest.raises(errors.ImportNotFound):
        service.apply(db_session, other_broker, timesheet.id)
    with pytest.raises(Exception) as refused:
        check(db_session, other_broker, bank, write_csv(ring(2)))
    assert refused.value.status == 403
    with pytest.raises(Exception) as resident:
        service.list_imports(db_session, members.people[0])
    assert resident.value.status == 403
    assert [t.id for t in service.list_imports(db_session, broker).items] == [timesheet.id]
    assert service.list_imports(db_session, other_broker).items == []


# --- the property -------------------------------------------------------------------------------------


BREAKERS = {
    "hours": ("hours", "1.33"),
    "giver": ("giver", "99999999"),
    "date": ("date", "2999-01-01"),
    "category": ("category", "no-such-thing"),
    "receiver_name": ("receiver_name", "Somebody Else"),
}


@settings(max_examples=examples(0.15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(min_value=1, max_value=12), data=st.data(), breaker=st.sampled_from(sorted(BREAKERS)))
def test_any_file_with_one_bad_row_anywhere_reports_that_row_and_changes_nothing(
        db_session, bank, broker, members, ring, size, data, breaker):
    rows = ring(size)
    position = data.draw(st.integers(min_value=0, max_value=size - 1))
    column, value = BREAKERS[breaker]
    rows[position][column] = value
    before = balances(db_session, members.accounts)
    timesheet = check(db_session, broker, bank, write_csv(rows))
    assert timesheet.status is ImportStatus.REJECTED
    assert problems_of(timesheet) == [(position + 2, column)]
    with pytest.raises(errors.ImportHasProblems):
        service.apply(db_session, broker, timesheet.id)
    assert balances(db_session, members.accounts) == before


def test_a_broker_can_still_record_by_hand_what_an_import_would(db_session, bank, broker, members):
    """The import and the exchange pages share the ledger's rules: a proposal and a confirmation."""
    exchange, _ = propose(db_session, broker, Proposal(members.accounts[0].id, Side.GIVER, members.accounts[1].id,
                                                       30, uk_today(), "gardening", "", "by-hand"))
    confirm(db_session, broker, exchange.id)
    assert exchange.state is ExchangeState.CONFIRMED

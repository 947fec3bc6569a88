"""A bank's books open on a day (``time_banks.opened_on``): nothing that happened in it may be dated
earlier, the opening may move earlier for a bank that ran on paper, and never past a record already kept.
Issue 9: an exchange dated 1 January in year 1 was accepted and confirmed, and so was a redemption."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from tests.api.support import ApiClient, assert_problem
from timebank.auth import tokens
from timebank.banks import service as banks
from timebank.clock import uk_today
from timebank.dates import EARLIEST_OPENING, DateOutOfRange, earliest_record, opening_days
from timebank.exchanges import service as exchanges
from timebank.exchanges.service import Proposal, Side
from timebank.imports import service as imports
from timebank.imports.models import ImportStatus
from timebank.ledger import checks
from timebank.ledger.models import Exchange
from timebank.members.models import OrganisationType
from timebank.membership import service as membership
from timebank.membership.models import ReferenceOutcome
from timebank.membership.service import Referee
from timebank.money import service as money
from timebank.money.models import ExpenseKind, PaymentKind
from timebank.receipts import RedeemedFor

YEAR_ONE = dt.date(1, 1, 1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def opened(make_bank):
    """A bank whose books opened a hundred days ago."""
    return make_bank(opened_on=uk_today() - 100 * DAY)


@pytest.fixture
def people(db_session, opened, make_member, make_person, make_organisation, make_broker):
    aled, aled_account = make_member(opened, "Aled Pryce")
    _bea, bea_account = make_member(opened, "Bea Okafor")
    cai = make_person("Cai Council")
    council, _ = make_organisation(opened, "Hollinbridge Council", admins=(cai,),
                                   organisation_type=OrganisationType.COUNCIL)
    return {"aled": aled, "aled_account": aled_account, "bea_account": bea_account, "cai": cai, "council": council,
            "broker": make_broker(opened)}


def propose(db_session, people, day: dt.date) -> Exchange:
    exchange, _ = exchanges.propose(db_session, people["aled"], Proposal(
        account_id=people["aled_account"].id, side=Side.GIVER, counterpart_account_id=people["bea_account"].id,
        minutes=60, occurred_on=day, category="gardening", description="", idempotency_key=uuid.uuid4().hex))
    return exchange


# --- what happened in the bank -------------------------------------------------------------------------


def test_an_exchange_dated_in_year_one_is_refused_with_the_range_allowed(db_session, opened, people):
    with pytest.raises(DateOutOfRange) as refused:
        propose(db_session, people, YEAR_ONE)

    assert refused.value.field == "occurred_on"
    assert str(refused.value.message) == f"Enter a date from {opened.opened_on.day} {opened.opened_on:%B %Y} to today"
    assert db_session.scalar(sa.select(sa.func.count(Exchange.id)).where(Exchange.time_bank_id == opened.id)) == 0


def test_the_opening_day_and_today_are_accepted_and_the_day_before_the_opening_is_not(db_session, opened, people):
    propose(db_session, people, opened.opened_on)
    propose(db_session, people, uk_today())
    with pytest.raises(DateOutOfRange):
        propose(db_session, people, opened.opened_on - DAY)


def test_the_api_refuses_an_exchange_dated_in_year_one(db_session, client, people):
    raw, _ = tokens.issue_token(db_session, people["aled"], dt.timedelta(hours=1))
    db_session.commit()

    response = ApiClient(client, raw).post("/exchanges", json={
        "account_id": people["aled_account"].id, "side": "giver",
        "counterpart_account_id": people["bea_account"].id, "minutes": 60, "occurred_on": "0001-01-01",
        "category": "gardening", "idempotency_key": "year-one"})

    assert "Enter a date from" in assert_problem(response, 422, "occurred_on")["errors"]["occurred_on"][0]


def test_a_redemption_dated_in_year_one_is_refused(db_session, opened, people):
    with pytest.raises(DateOutOfRange) as refused:
        money.redeem(db_session, people["cai"], money.RedemptionInput(
            partner_id=people["council"].id, time_bank_id=opened.id, person_id=people["aled"].id, item="A swim",
            redeemed_for=RedeemedFor.TIME_BASED_ACTIVITY, credit_minutes=60, occurred_on=YEAR_ONE,
            idempotency_key="year-one"))
    assert refused.value.field == "occurred_on"


@pytest.mark.parametrize("record", ["expense", "payment"])
def test_money_paid_before_the_bank_opened_is_refused(db_session, opened, people, record):
    paid = {"organisation_id": people["council"].id, "time_bank_id": opened.id, "person_id": people["aled"].id,
            "paid_on": opened.opened_on - DAY, "idempotency_key": uuid.uuid4().hex}
    with pytest.raises(DateOutOfRange) as refused:
        if record == "expense":
            money.record_expense(db_session, people["cai"], money.ExpenseInput(
                **paid, kind=ExpenseKind.TRAVEL, amount_paid_pence=460, amount_receipted_pence=460, receipts_count=1))
        else:
            money.record_payment(db_session, people["cai"], money.PaymentInput(
                **paid, kind=PaymentKind.GIFT, amount_pence=1000))
    assert refused.value.field == "paid_on"


def test_a_timesheet_row_from_before_the_opening_is_reported_with_the_range(db_session, opened, people):
    before = (opened.opened_on - DAY).strftime("%d/%m/%Y")
    timesheet = imports.check(db_session, people["broker"], time_bank_id=opened.id, filename="old.csv",
                              content=f"date,giver,receiver,hours,category\r\n{before},{people['aled_account'].id},"
                                      f"{people['bea_account'].id},1,gardening\r\n")

    assert timesheet.status is ImportStatus.REJECTED
    [problem] = timesheet.problems
    assert (problem["row"], problem["column"]) == (2, "date") and problem["message"].startswith("Enter a date from")


def test_a_referee_cannot_reply_before_the_bank_opened(db_session, opened, people, make_person):
    applicant = make_person("Alys Applicant")
    application = membership.apply(db_session, applicant, holder_id=applicant.id, time_bank_id=opened.id,
                                   statement="", referees=(Referee("Rob Referee", "rob@example.org"),))
    with pytest.raises(DateOutOfRange) as refused:
        membership.record_reference_outcome(db_session, people["broker"], application.id,
                                            application.references[0].id, ReferenceOutcome.SATISFACTORY,
                                            opened.opened_on - DAY)
    assert refused.value.field == "outcome_on"
    with pytest.raises(DateOutOfRange):
        membership.record_interview(db_session, people["broker"], application.id, opened.opened_on - DAY)
    membership.record_interview(db_session, people["broker"], application.id, opened.opened_on)


# --- the opening day itself ----------------------------------------------------------------------------


def test_the_opening_may_move_earlier_but_never_past_the_earliest_record(db_session, opened, people):
    propose(db_session, people, opened.opened_on + 10 * DAY)
    broker = people["broker"]

    def move(day: dt.date) -> None:
        banks.update_settings(db_session, broker, opened.id, banks.BankSettings(
            vouching_enabled=False, vouches_needed=3, dbs_renewal_months=36, opened_on=day))

    move(dt.date(2015, 4, 1))  # it ran on paper before
    assert opened.opened_on == dt.date(2015, 4, 1)
    move(uk_today() - 90 * DAY)  # the earliest exchange is on this day
    with pytest.raises(DateOutOfRange) as later:
        move(uk_today() - 89 * DAY)
    with pytest.raises(DateOutOfRange) as too_early:
        move(EARLIEST_OPENING - DAY)

    assert (later.value.field, later.value.allowed.latest) == ("opened_on", uk_today() - 90 * DAY)
    assert too_early.value.allowed.earliest == EARLIEST_OPENING
    assert opened.opened_on == uk_today() - 90 * DAY


def test_every_kind_of_record_dated_from_the_opening_holds_it_back(db_session, opened, people, make_person):
    """Each feature registers its records: the earliest of them bounds the opening day."""
    assert earliest_record(db_session, opened.id) is None
    applicant = make_person("Alys Applicant")
    application = membership.apply(db_session, applicant, holder_id=applicant.id, time_bank_id=opened.id,
                                   statement="", referees=(Referee("Rob Referee", "rob@example.org"),))
    for day, record in [
        (uk_today() - 20 * DAY, lambda day: propose(db_session, people, day)),
        (uk_today() - 30 * DAY, lambda day: money.record_payment(db_session, people["cai"], money.PaymentInput(
            organisation_id=people["council"].id, time_bank_id=opened.id, person_id=people["aled"].id, paid_on=day,
            kind=PaymentKind.GIFT, amount_pence=1000, idempotency_key=uuid.uuid4().hex))),
        (uk_today() - 40 * DAY, lambda day: membership.record_interview(db_session, people["broker"], application.id,
                                                                        day)),
        (uk_today() - 50 * DAY, lambda day: membership.record_reference_outcome(
            db_session, people["broker"], application.id, application.references[0].id,
            ReferenceOutcome.SATISFACTORY, day)),
    ]:
        record(day)
        assert earliest_record(db_session, opened.id) == day
        assert opening_days(db_session, opened.id).latest == day


def test_a_broker_moves_the_opening_on_the_settings_page(db_session, opened, people, browser):
    client = browser(people["broker"])
    form = {"vouches_needed": "3", "dbs_renewal_months": "36"}

    assert 'name="opened_on-day"' in client.get(f"/banks/{opened.id}/settings").get_data(as_text=True)
    moved = client.post(f"/banks/{opened.id}/settings", data={**form, "opened_on": "2019-03-01"})
    refused = client.post(f"/banks/{opened.id}/settings", data={**form, "opened_on": "2099-03-01"})

    assert moved.status_code == 302
    assert refused.status_code == 422 and "Enter a date from 1 January 1980 to today" in refused.get_data(as_text=True)
    db_session.refresh(opened)
    assert opened.opened_on == dt.date(2019, 3, 1)


def test_a_broker_moves_the_opening_over_the_api(db_session, client, opened, people):
    raw, _ = tokens.issue_token(db_session, people["broker"], dt.timedelta(hours=1))
    db_session.commit()
    api = ApiClient(client, raw)
    settings = {"vouching_enabled": False, "vouches_needed": 3, "dbs_renewal_months": 36,
                "attendance_without_clearance": False}

    moved = api.request("PUT", f"/banks/{opened.id}/settings", json={**settings, "opened_on": "2019-03-01"})
    kept = api.request("PUT", f"/banks/{opened.id}/settings", json=settings)
    refused = api.request("PUT", f"/banks/{opened.id}/settings", json={**settings, "opened_on": "1979-12-31"})

    assert moved.status_code == kept.status_code == 200
    assert kept.get_json()["opened_on"] == "2019-03-01"
    assert_problem(refused, 422, "opened_on")


def test_a_new_bank_cannot_open_in_the_future(db_session):
    with pytest.raises(DateOutOfRange):
        banks.create_bank(db_session, slug="tomorrow", name="Tomorrow", agency_name="Soon", actor_id=None,
                          opened_on=uk_today() + DAY)


@pytest.mark.tampers
def test_ledger_verify_reports_an_exchange_dated_before_its_bank_opened(db_session, opened, people):
    exchange = propose(db_session, people, uk_today())
    db_session.execute(sa.text("UPDATE time_banks SET opened_on = :day WHERE id = :id"),
                       {"day": uk_today() + DAY, "id": opened.id})

    problems = checks.check_dates(db_session)

    assert [(p.check, p.subject) for p in problems] == [("dates", f"exchange {exchange.id}")]

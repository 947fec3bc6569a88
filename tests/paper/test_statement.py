"""Personal statements: the figures from the account's counters, the recent exchanges, who may see
them, and the same statement as a page, a PDF and JSON."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from tests.api.conftest import anonymous, api_as  # noqa: F401 (fixtures)
from tests.api.support import assert_problem
from tests.membership.test_pages import text_of
from timebank.banks import service as banks
from timebank.categories.models import Category
from timebank.dates import add_months
from timebank.ledger import service as ledger
from timebank.members.models import BankRoleName
from timebank.paper import service


@pytest.fixture
def give(db_session):
    """``giver`` gives ``receiver`` some minutes of gardening on a day, recorded and confirmed."""
    category_id = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))

    def record(giver, receiver, minutes, day, description="", *, confirm=True):
        (giver_person, giver_account), (receiver_person, receiver_account) = giver, receiver
        exchange, _ = ledger.record_exchange(
            db_session, proposer_account_id=giver_account.id, counterpart_account_id=receiver_account.id,
            proposer_is_giver=True, amount_minutes=minutes, occurred_on=day, category_id=category_id,
            description=description, recorded_by_id=giver_person.id, idempotency_key=uuid.uuid4().hex)
        if confirm:
            ledger.confirm_exchange(db_session, exchange.id, actor_id=receiver_person.id,
                                    acting_for_account_id=receiver_account.id)
        return exchange

    return record


@pytest.fixture
def mari(make_member, bank):
    return make_member(bank, "Mari Williams")


@pytest.fixture
def tom(make_member, bank):
    return make_member(bank, "Tom Hale")


@pytest.fixture
def books(give, mari, tom, today, db_session):
    """Mari gave Tom 3 hours last week and 2 hours a year ago; Tom gave her 1 hour yesterday (confirmed)
    and 30 minutes today (not yet confirmed); one hour she gave was reversed."""
    give(mari, tom, 180, today - dt.timedelta(days=7), "Dug the vegetable patch")
    give(mari, tom, 120, today - dt.timedelta(days=365), "Pruned the apple tree")
    give(tom, mari, 60, today - dt.timedelta(days=1))
    give(tom, mari, 30, today, confirm=False)
    mistake = give(mari, tom, 60, today - dt.timedelta(days=2), "Keyed twice")
    ledger.reverse_exchange(db_session, mistake.id, actor_id=tom[0].id, reason="Keyed twice by mistake")


def test_the_statement_adds_up(db_session, books, mari, broker):
    statement = service.statement(db_session, broker, mari[1].id)
    assert statement.name == "Mari Williams" and statement.bank_name == "Hollinbridge Time Bank"
    assert (statement.given_minutes, statement.received_minutes, statement.balance_minutes) == (300, 60, 240)
    assert (statement.pending_in_minutes, statement.pending_out_minutes) == (0, 30)
    # Fewer than 30 in three months, so the year-old exchange is there too; newest first (the reversal
    # is dated the day it was made).
    assert [(line.minutes, line.credited, line.is_reversal) for line in statement.lines] == [
        (60, False, True), (60, False, False), (60, True, False), (180, True, False), (120, True, False)]
    assert [service.direction(line) for line in statement.lines] == [
        "Taken back", "You received", "You gave", "You gave", "You gave"]
    assert statement.lines[-1].with_name == "Tom Hale"
    assert service.what(statement.lines[-1]) == "Gardening: Pruned the apple tree"


def test_the_page_and_the_pdf(db_session, books, browser, mari):
    client = browser(mari[0])
    page = text_of(client.get(f"/accounts/{mari[1].id}/statement"))
    assert "Statement: Mari Williams" in page and f"Member number {mari[1].id}" in page
    assert "Hours given 5 hours" in page and "Hours received 1 hour" in page and "Balance 4 hours" in page
    assert "Waiting, going out 30 minutes" in page and "Taken back" in page and "Print (PDF, large print)" in page

    pdf = client.get(f"/accounts/{mari[1].id}/statement.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF") and b"/Lang (en-GB)" in pdf.data
    assert f"statement-{mari[1].id}-" in pdf.headers["Content-Disposition"]


def test_a_statement_with_no_exchanges(db_session, browser, mari):
    client = browser(mari[0])
    assert "No exchanges yet" in text_of(client.get(f"/accounts/{mari[1].id}/statement"))
    assert client.get(f"/accounts/{mari[1].id}/statement.pdf").data.startswith(b"%PDF")


def test_only_the_last_three_months_when_there_are_30_or_more(db_session, give, mari, tom, today, broker):
    give(mari, tom, 30, today - dt.timedelta(days=200), "Long ago")
    for n in range(30):
        give(tom, mari, 10, today - dt.timedelta(days=n), f"Visit {n}")
    statement = service.statement(db_session, broker, mari[1].id)
    assert len(statement.lines) == 30 and all(line.description != "Long ago" for line in statement.lines)


def test_who_may_see_a_statement(db_session, books, browser, mari, tom, bank, broker, make_organisation,
                                 make_person, make_bank, make_broker):
    _, org_account = make_organisation(bank, "Hollinbridge Hall", admins=(tom[0],))
    funder = make_person("Fran Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)
    other_broker = make_broker(make_bank(name="Other Vale"), "Olwen Broker")
    url = f"/accounts/{mari[1].id}/statement"

    assert browser(None).get(url).status_code == 302
    assert browser(broker).get(url).status_code == 200
    assert browser(make_person("Ada Admin", is_admin=True)).get(f"{url}.pdf").status_code == 200
    assert browser(tom[0]).get(url).status_code == 404  # another member: no such page for him
    assert browser(other_broker).get(url).status_code == 404
    assert browser(funder).get(url).status_code == 403
    assert browser(tom[0]).get(f"/accounts/{org_account.id}/statement").status_code == 200  # his organisation's
    assert browser(mari[0]).get("/accounts/2147483647/statement").status_code == 404


def test_the_statement_over_the_api(db_session, books, api_as, anonymous, mari, tom, broker):  # noqa: F811
    body = api_as(mari[0]).get(f"/accounts/{mari[1].id}/statement").get_json()
    assert (body["account_id"], body["name"], body["given_minutes"], body["received_minutes"],
            body["balance_minutes"], body["pending_out_minutes"]) == (mari[1].id, "Mari Williams", 300, 60, 240, 30)
    assert body["lines"][0]["minutes"] == 60 and body["lines"][0]["credited"] is False
    assert api_as(broker).get(f"/accounts/{mari[1].id}/statement").status_code == 200
    assert_problem(api_as(tom[0]).get(f"/accounts/{mari[1].id}/statement"), 404)
    assert_problem(anonymous.get(f"/accounts/{mari[1].id}/statement"), 401)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(0, 24))
def test_going_back_whole_months_for_a_statement(day, months):
    earlier = add_months(day, -months)
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day == day.day or (earlier.day < day.day and (earlier + dt.timedelta(days=1)).day == 1)

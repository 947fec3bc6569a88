"""The money pages: recording each kind of record through its form, the refusals shown next to the
field with nothing recorded, the lists and totals, and who may open which page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.exchanges.test_pages import error_next_to
from tests.membership.test_pages import text_of
from tests.money.conftest import balances
from tests.support import date_boxes, picker_options
from timebank.banks import service as banks
from timebank.members.models import BankRoleName
from timebank.money import service
from timebank.money.models import Expense, ExpenseKind, Payment, PaymentKind


def key_of(html: str) -> str:
    return re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]+)"', html).group(1)


def expense_form(org, member, today, /, **changes: str) -> dict[str, str]:
    data = {"organisation": str(org.organisation.id), "member": str(member.account.id), "activity": "",
            "paid_on": today.strftime("%d/%m/%Y"), "kind": "mileage", "miles": "40", "rate_per_mile": "45",
            "amount_paid": "£18.00", "amount_receipted": "18", "receipts_count": "1", "flat_rate": "no",
            "note": "", "idempotency_key": "k-expense-1"}
    return {**data, **changes}


def redemption_form(org, member, today, /, **changes: str) -> dict[str, str]:
    data = {"organisation": str(org.organisation.id), "member": str(member.account.id), "listing": "",
            "item": "A swim", "redeemed_for": "time_based_activity", "hours": "1", "minutes": "",
            "face_value": "", "occurred_on": today.isoformat(), "idempotency_key": "k-redeem-1"}
    return {**data, **changes}


def expenses_of(db_session, person):
    return list(db_session.scalars(sa.select(Expense).where(Expense.person_id == person.id)))


# --- recording ---------------------------------------------------------------------------------------


def test_a_spend_partner_records_a_redemption_from_an_offer(
        db_session, browser, partner, member, spend_offer, today, redemptions_of):
    client = browser(partner.admin)
    page = client.get(f"/money/redemptions/new?listing_id={spend_offer.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="A swim at Hollinbridge Pool"' in html and f'<option selected value="{spend_offer.id}"' in html
    assert "should be rare" in html
    response = client.post("/money/redemptions/new", data=redemption_form(
        partner, member, today, listing=str(spend_offer.id), item="A swim at Hollinbridge Pool",
        idempotency_key=key_of(html)))
    assert response.status_code == 302, response.get_data(as_text=True)
    [redemption] = redemptions_of(member.person)
    assert (redemption.listing_id, redemption.credit_minutes) == (spend_offer.id, 60)
    assert balances(db_session, member.account, partner.account) == [-60, 60]
    listed = text_of(client.get(response.location))
    assert "The credits spent are recorded" in listed and "Mair Member" in listed and "1 hour" in listed
    assert "Credits spent with spend partners" in listed and "edemption" not in listed


def test_cash_without_a_value_and_spending_below_the_floor_are_shown_next_to_the_field(
        db_session, browser, partner, member, today, redemptions_of):
    client = browser(partner.admin)
    url = f"/money/redemptions/new?organisation={partner.organisation.id}"
    client.get(url)
    cash = client.post("/money/redemptions/new", data=redemption_form(partner, member, today,
                                                                      redeemed_for="cash"))
    assert cash.status_code == 422
    assert error_next_to(cash.get_data(as_text=True), "face_value") == (
        "Error: Give the value in pounds of a voucher, gift card or cash.")
    too_much = client.post("/money/redemptions/new", data=redemption_form(partner, member, today, hours="11"))
    assert too_much.status_code == 422
    assert "does not have enough credits" in error_next_to(too_much.get_data(as_text=True), "credits")
    assert redemptions_of(member.person) == []
    assert balances(db_session, member.account, partner.account) == [0, 0]


def test_an_organisation_records_an_expense_and_is_warned(db_session, browser, council, member, today):
    client = browser(council.admin)
    response = client.post("/money/expenses/new", data=expense_form(
        council, member, today, kind="travel", miles="", amount_paid="10", amount_receipted="0",
        receipts_count="0", flat_rate="yes"))
    assert response.status_code == 302, response.get_data(as_text=True)
    [expense] = expenses_of(db_session, member.person)
    assert (expense.kind, expense.amount_paid_pence, expense.miles_tenths, expense.rate_per_mile_pence,
            expense.flat_rate) == (ExpenseKind.TRAVEL, 1000, None, None, True)
    listed = text_of(client.get(response.location))
    assert "The expense is recorded" in listed and str(service.FLAT_RATE) in listed
    assert "£10.00" in listed and "never changed or deleted" in listed


def test_sending_the_expense_form_twice_records_it_once(db_session, browser, council, member, today):
    client = browser(council.admin)
    for _ in range(2):
        assert client.post("/money/expenses/new", data=expense_form(council, member, today)).status_code == 302
    [expense] = expenses_of(db_session, member.person)
    assert (expense.miles_tenths, expense.amount_paid_pence) == (400, 1800)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"miles": ""}, "miles", "For mileage, enter the miles travelled, like 12.5."),
    ({"miles": "12.55"}, "miles", "Enter miles as a number with at most one decimal place"),
    ({"amount_paid": "-5"}, "amount_paid", "Give an amount in pounds and pence"),
    ({"amount_paid": "12.345"}, "amount_paid", "Give an amount in pounds and pence"),
    ({"amount_paid": "£200,000"}, "amount_paid", "Give an amount in pounds and pence"),
    ({"amount_receipted": ""}, "amount_receipted", "Enter the amount the receipts show"),
    ({"receipts_count": "0"}, "receipts_count", "With no receipts, the amount receipted is £0.00."),
    ({"paid_on": "31/02/2026"}, "paid_on", "Enter a real date"),
    ({"member": "999999"}, "member", "Choose the member from the list"),
])
def test_a_bad_expense_is_shown_next_to_its_field_and_nothing_recorded(
        db_session, browser, council, member, today, changes, field, message):
    response = browser(council.admin).post("/money/expenses/new", data=expense_form(council, member, today,
                                                                                    **changes))
    assert response.status_code == 422
    assert message in error_next_to(response.get_data(as_text=True), field)
    assert expenses_of(db_session, member.person) == []


def test_an_organisation_records_a_payment_and_sees_the_total(db_session, browser, council, member, activity, today):
    client = browser(council.admin)
    page = client.get("/money/payments/new")  # Cai runs one organisation: no need to choose it
    assert "Payments usually count as earnings for benefits" in text_of(page)
    response = client.post("/money/payments/new", data={
        "organisation": str(council.organisation.id), "member": str(member.account.id),
        "activity": str(activity.id), "paid_on": today.isoformat(), "kind": "gift", "amount": "£15",
        "note": "Thank-you hamper", "idempotency_key": key_of(page.get_data(as_text=True))})
    assert response.status_code == 302
    payment = db_session.scalar(sa.select(Payment).where(Payment.person_id == member.person.id))
    assert (payment.kind, payment.amount_pence, payment.activity_id) == (PaymentKind.GIFT, 1500, activity.id)
    listed = text_of(client.get(response.location))
    assert "Paid £15.00" in listed and "Park clean-up" in listed


def test_the_member_is_found_by_name_and_the_expense_recorded(
        db_session, browser, council, member, other_member, make_member, other_bank, today):
    """"Which member?" is a search: Find lists the members of the organisation's banks whose name matches (never
    the whole bank, never anyone elsewhere), keeps what was typed and records nothing; the one chosen is
    recorded."""
    make_member(other_bank, "Mair Elsewhere")
    client = browser(council.admin)
    page = client.get("/money/expenses/new").get_data(as_text=True)
    assert 'name="member-q"' in page and picker_options(page, "member") == {}

    sent = expense_form(council, member, today, member="", **{"member-q": "mair"})
    found = client.post("/money/expenses/new", data=sent | {"find": "member"})
    assert found.status_code == 200 and expenses_of(db_session, member.person) == []
    page = found.get_data(as_text=True)
    assert picker_options(page, "member") == {member.account.id: False}
    assert 'value="40"' in page and 'value="£18.00"' in page  # what was typed is kept

    response = client.post("/money/expenses/new", data=sent | {"member": str(member.account.id)})
    assert response.status_code == 302
    [expense] = expenses_of(db_session, member.person)
    assert (expense.person_id, expense.time_bank_id) == (member.person.id, member.account.time_bank_id)


def test_a_member_of_a_bank_the_organisation_is_not_in_is_refused_next_to_the_question(
        db_session, browser, council, member, make_member, other_bank, today):
    outsider, outsider_account = make_member(other_bank, "Iolo Outsider")
    response = browser(council.admin).post("/money/expenses/new", data=expense_form(
        council, member, today, member=str(outsider_account.id)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_next_to(page, "member") == "Error: Choose the member from the list"
    assert picker_options(page, "member") == {} and expenses_of(db_session, outsider) == []


def test_welsh_pages_name_the_activity_in_welsh_where_given(db_session, browser, council, member, activity,
                                                          payment_input):
    service.record_payment(db_session, council.admin, payment_input(activity_id=activity.id))
    client = browser(council.admin)
    html = client.get("/money/payments?lang=cy").get_data(as_text=True)
    assert ', <span lang="en">Park clean-up</span>' in html
    activity.title_cy = "Clirio'r parc"
    db_session.commit()
    assert ", Clirio&#39;r parc" in client.get("/money/payments?lang=cy").get_data(as_text=True)
    assert ">Clirio&#39;r parc</option>" in client.get("/money/payments/new?lang=cy").get_data(as_text=True)
    assert ", Park clean-up" in client.get("/money/payments?lang=en").get_data(as_text=True)


def test_a_broker_chooses_the_organisation_first(browser, broker, council, partner):
    page = text_of(browser(broker).get("/money/expenses/new"))
    assert "Which organisation paid?" in page
    assert "Hollinbridge Council" in page and "Hollinbridge Leisure Trust" in page


# --- reading -----------------------------------------------------------------------------------------


def test_a_member_sees_only_what_was_recorded_for_them(
        db_session, browser, council, member, other_member, expense_input, payment_input):
    service.record_expense(db_session, council.admin, expense_input())
    service.record_payment(db_session, council.admin, payment_input(person_id=other_member.person.id))
    page = text_of(browser(member.person).get("/money"))
    assert "Money and gifts recorded for you" in page and "benefits" in page
    assert "£18.00" in page and "40.0 miles at 45p a mile" in page
    assert "No payments or gifts have been recorded for you" in page and "£25.00" not in page


def test_a_broker_filters_the_banks_records(db_session, browser, broker, council, member, other_member, expense_input,
                                           today):
    service.record_expense(db_session, council.admin, expense_input())
    service.record_expense(db_session, council.admin, expense_input(person_id=other_member.person.id,
                                                                    amount_paid_pence=700))
    client = browser(broker)
    everything = text_of(client.get("/money/expenses"))
    assert "Paid £25.00" in everything
    mine = text_of(client.get(f"/money/expenses?member={member.person.id}"))
    assert "Paid £18.00" in mine and "Owen Other" not in mine.split("Totals")[1]
    late = today + dt.timedelta(days=1)
    parts = {"date_from-day": str(today.day), "date_from-month": str(today.month), "date_from-year": str(today.year),
             "date_to-day": str(late.day), "date_to-month": str(late.month), "date_to-year": str(late.year)}
    chosen = client.get("/money/expenses", query_string=parts)
    assert chosen.status_code == 200 and "Paid £25.00" in text_of(chosen)
    assert date_boxes(chosen.get_data(as_text=True), "date_to")["day"] == (str(late.day), False)
    missed = client.get("/money/expenses", query_string={**parts, "date_from-year": ""})
    assert missed.status_code == 422
    assert error_next_to(missed.get_data(as_text=True), "date_from") == "Error: The date must include a year"
    bad = client.get("/money/expenses?date_from=2026-03-10&date_to=2026-03-01")
    assert bad.status_code == 422
    assert "on or after the start date" in error_next_to(bad.get_data(as_text=True), "date_to")


# --- access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/money", "/money/expenses", "/money/redemptions/new"])
def test_anonymous_people_are_sent_to_sign_in(browser, bank, path):
    response = browser(None).get(path)
    assert response.status_code == 302 and "/sign-in" in response.location


@pytest.mark.parametrize("path", ["/money/expenses", "/money/payments", "/money/redemptions", "/money/expenses/new",
                                  "/money/payments/new", "/money/redemptions/new"])
def test_residents_may_not_keep_records(browser, member, path):
    assert browser(member.person).get(path).status_code == 403


def test_funders_see_no_money_pages(db_session, browser, bank, make_person):
    funder = make_person("Ffion Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER,
                     actor_id=None)
    client = browser(funder)
    assert client.get("/money").status_code == 403
    assert client.get("/money/expenses").status_code == 403


def test_another_organisation_or_bank_is_not_found(db_session, browser, council, partner, member, spend_offer,
                                                   other_bank, make_broker, today):
    elsewhere = make_broker(other_bank, "Bryn Elsewhere")
    client = browser(council.admin)
    assert client.get(f"/money/expenses/new?organisation={partner.organisation.id}").status_code == 404
    assert client.get(f"/money/redemptions/new?listing_id={spend_offer.id}").status_code == 404
    refused = client.post("/money/redemptions/new", data=redemption_form(partner, member, today))
    assert refused.status_code == 404
    assert browser(elsewhere).get(f"/money/payments/new?organisation={council.organisation.id}").status_code == 404

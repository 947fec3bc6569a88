"""The home page by role, the sign-in form, and the aggregate queries behind the home page."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid

import pytest
import sqlalchemy as sa

from timebank.banks import service as banks
from timebank.categories.models import Category
from timebank.home import queries
from timebank.ledger import service as ledger
from timebank.members.models import BankRoleName


@pytest.fixture
def gardening(db_session):
    return db_session.scalar(sa.select(Category).where(Category.code == "gardening"))


@pytest.fixture
def exchange(db_session, gardening, today):
    """Record (and by default confirm) an exchange through the ledger: ``giver`` helped ``receiver``."""

    def make(giver, receiver, minutes, *, by, occurred_on=None, confirm_by=None):
        made, _ = ledger.record_exchange(
            db_session, proposer_account_id=giver.id, counterpart_account_id=receiver.id, proposer_is_giver=True,
            amount_minutes=minutes, occurred_on=occurred_on or today, category_id=gardening.id, description="",
            recorded_by_id=by.id, idempotency_key=uuid.uuid4().hex,
        )
        if confirm_by is not None:
            ledger.confirm_exchange(db_session, made.id, actor_id=confirm_by.id, acting_for_account_id=receiver.id)
        db_session.commit()  # as a request would; a later view's rollback must not undo the set-up
        return made

    return make


def months_ago(today: dt.date, n: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - n, 12)
    return dt.date(year, month + 1, 1)


def test_sign_in_form_is_labelled(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert re.search(r'<label[^>]*for="email"[^>]*>Email</label>', html)
    assert re.search(r'<label[^>]*for="password"[^>]*>Password</label>', html)
    assert re.search(r'<button type="submit"[^>]*>Sign in</button>', html)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.location


def test_member_home_shows_given_received_pending_and_recent(
    db_session, as_person, make_member, bank, exchange, today
):
    aled, aled_account = make_member(bank, "Aled Pryce")
    bea, bea_account = make_member(bank, "Bea Okafor")
    exchange(aled_account, bea_account, 120, by=aled, confirm_by=bea)  # Aled gave 2 hours
    exchange(bea_account, aled_account, 45, by=bea, confirm_by=aled)  # and received 45 minutes
    exchange(aled_account, bea_account, 30, by=aled)  # 30 minutes waiting to come in

    html = as_person(aled).get("/").get_data(as_text=True)
    assert "1 hour 15 minutes</span> balance" in html
    assert "2 hours</span> help given" in html
    assert "45 minutes</span> help received" in html
    assert "30 minutes</span> waiting to come in" in html
    assert "0 minutes</span> waiting to go out" in html
    assert "Gave 2 hours to Bea Okafor" in html and "Received 45 minutes from Bea Okafor" in html
    assert html.count('class="exchange-item"') == 3
    # The chart and its table: twelve months, this one last with both figures.
    table = html.split("<caption>Hours given and received each month")[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 12
    assert re.search(r"2 hours</td>\s*<td class=\"num\">45 minutes</td>\s*</tr>\s*</tbody>", table)
    assert 'class="chart" aria-hidden="true"' in html


def test_chart_bars_are_meters_that_need_no_inline_style(db_session, as_person, make_member, bank, exchange):
    aled, aled_account = make_member(bank, "Aled Pryce")
    bea, bea_account = make_member(bank, "Bea Okafor")
    exchange(aled_account, bea_account, 120, by=aled, confirm_by=bea)
    exchange(bea_account, aled_account, 45, by=bea, confirm_by=aled)

    html = as_person(aled).get("/").get_data(as_text=True)

    # The busiest month sets the scale: this month's 2 hours given fill the bar, 45 minutes received do not.
    bars = re.findall(r'<meter class="bar( bar-received)?" min="0"\s+max="(\d+)"\s+value="(\d+)"></meter>', html)
    assert bars == [("", "120", "120"), (" bar-received", "120", "45")]
    assert "style=" not in html


def test_recent_exchanges_stop_at_ten(db_session, as_person, make_member, bank, exchange):
    aled, aled_account = make_member(bank, "Aled Pryce")
    _bea, bea_account = make_member(bank, "Bea Okafor")
    for _ in range(12):
        exchange(aled_account, bea_account, 15, by=aled)
    assert as_person(aled).get("/").get_data(as_text=True).count('class="exchange-item"') == 10


def test_monthly_totals_group_by_month_and_leave_out_what_does_not_stand(
    db_session, make_member, make_broker, bank, exchange, today
):
    aled, aled_account = make_member(bank)
    bea, bea_account = make_member(bank)
    broker = make_broker(bank)
    exchange(aled_account, bea_account, 60, by=aled, confirm_by=bea, occurred_on=months_ago(today, 2))
    exchange(aled_account, bea_account, 30, by=aled, confirm_by=bea, occurred_on=months_ago(today, 2))
    exchange(bea_account, aled_account, 20, by=bea, confirm_by=aled, occurred_on=months_ago(today, 1))
    exchange(aled_account, bea_account, 300, by=aled, occurred_on=months_ago(today, 1))  # pending: not yet
    mistake = exchange(aled_account, bea_account, 90, by=aled, confirm_by=bea)
    ledger.reverse_exchange(db_session, mistake.id, actor_id=broker.id, reason="Keyed twice")
    exchange(aled_account, bea_account, 15, by=aled, confirm_by=bea, occurred_on=months_ago(today, 13))  # too old

    months = queries.monthly_totals(db_session, aled_account.id, today)
    assert len(months) == 12 and months[-1].month == today.replace(day=1)
    by_month = {m.month: (m.given_minutes, m.received_minutes) for m in months}
    assert by_month[months_ago(today, 2)] == (90, 0)
    assert by_month[months_ago(today, 1)] == (0, 20)
    assert by_month[today.replace(day=1)] == (0, 0)  # the reversed exchange does not count
    assert sum(g + r for g, r in by_month.values()) == 110


def test_broker_home_shows_each_bank_at_a_glance(db_session, as_person, make_bank, make_member, make_broker, exchange):
    bank = make_bank(name="Hollinbridge Time Bank")
    other = make_bank(name="Elsewhere Time Bank")
    broker = make_broker(bank, "Gwen the Broker")
    aled, aled_account = make_member(bank)
    bea, bea_account = make_member(bank)
    make_member(other)
    exchange(aled_account, bea_account, 60, by=aled, confirm_by=bea)
    exchange(aled_account, bea_account, 30, by=aled)

    html = as_person(broker).get("/").get_data(as_text=True)
    section = html.split('id="brokered"')[1]
    assert f"/exchanges?bank={bank.id}" in section
    row = section.split("Hollinbridge Time Bank")[1].split("</tr>")[0]
    cells = re.findall(r'<td role="cell" class="num"[^>]*>\s*(.*?)\s*</td>', row, re.S)
    assert cells[0] == "2"  # members
    assert ">1</a>" in cells[1]  # one waiting to be confirmed
    assert cells[2] == "1 hour"  # confirmed this month
    assert "Elsewhere Time Bank" not in html


def test_funder_sees_only_totals_for_banks_they_fund(db_session, as_person, make_bank, make_member, make_person,
                                                     exchange):
    bank = make_bank(name="Hollinbridge Time Bank")
    other = make_bank(name="Elsewhere Time Bank")
    funder = make_person("Fiona Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)
    people = [make_member(bank, name) for name in ("Aled Pryce", "Bea Okafor", "Carys Jones", "Dai Hughes",
                                                    "Eira Lloyd", "Ffion Rees")]
    for (giver, giver_account), (receiver, receiver_account) in itertools.pairwise(people):
        exchange(giver_account, receiver_account, 60, by=giver, confirm_by=receiver)
    o1, o1_account = make_member(other, "Other One")
    o2, o2_account = make_member(other, "Other Two")
    exchange(o1_account, o2_account, 600, by=o1, confirm_by=o2)

    html = as_person(funder).get("/").get_data(as_text=True)
    section = html.split('id="funded"')[1]
    row = section.split("Hollinbridge Time Bank")[1].split("</tr>")[0]
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    assert cells == ["5 hours", "5", "6"]
    for person, _ in people:
        assert person.display_name not in html
    assert "Elsewhere Time Bank" not in html and "exchange-item" not in html
    assert "/exchanges/" not in section


def test_funder_small_numbers_are_suppressed(db_session, as_person, make_bank, make_member, make_person, exchange):
    bank = make_bank(name="Tiny Time Bank")
    funder = make_person("Fiona Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)
    aled, aled_account = make_member(bank)
    bea, bea_account = make_member(bank)
    exchange(aled_account, bea_account, 60, by=aled, confirm_by=bea)

    figures = queries.funder_overview(db_session, funder, dt.date.today())
    assert [(f.minutes_exchanged, f.exchanges, f.active_members) for f in figures] == [(None, None, None)]
    html = as_person(funder).get("/").get_data(as_text=True)
    assert "fewer than 5" in html and "1 hour" not in html.split('id="funded"')[1]

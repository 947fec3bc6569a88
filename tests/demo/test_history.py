"""The demo bank reads like nearly two years of a real time bank, above all in the demo funder's report:
members joined over the months and take part only from then on, some only give and some only receive, help
grows modestly, introductions are spread over the months and end in different ways, and the report over the
programme's default period and the year before has real figures to compare, with a few small cells hidden."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from timebank.brokerage.models import Introduction, IntroductionState
from timebank.clock import uk_day
from timebank.demo import data
from timebank.ledger import checks
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState
from timebank.members.models import Person
from timebank.members.service import find_person_by_email
from timebank.programmes import policy
from timebank.reports import subjects
from timebank.reports.queries import months_of


def _joined(session, bank_id):
    """Each resident's name and the UK day their account opened."""
    return {name: uk_day(opened_at) for name, opened_at in session.execute(
        sa.select(Person.display_name, Account.opened_at).join(Account, Account.holder_id == Person.id)
        .where(Account.time_bank_id == bank_id))}


def test_members_joined_over_the_years_and_take_part_only_from_then(demo_template, demo_session, today):
    bank_id = demo_template.summary.time_bank_id
    joined = _joined(demo_session, bank_id)
    residents = {resident.name for resident in data.RESIDENTS}
    assert residents <= set(joined)
    # Accounts opened on many days over three years, a few in each recent season; none at the loading.
    days = [joined[name] for name in residents]
    assert len(set(days)) >= 30 and min(days) >= dt.date(today.year - 3, today.month, 1)
    assert sum(day > today - dt.timedelta(days=365) for day in days) >= 10
    assert sum(today - dt.timedelta(days=730) < day <= today - dt.timedelta(days=365) for day in days) >= 8
    assert max(days) < today

    # Nobody gives or receives before they joined.
    opened = dict(demo_session.execute(sa.select(Account.id, Account.opened_at)
                                       .where(Account.time_bank_id == bank_id)).all())
    exchanges = demo_session.scalars(sa.select(Exchange).where(Exchange.time_bank_id == bank_id,
                                                              Exchange.kind == ExchangeKind.EXCHANGE)).all()
    early = [exchange.id for exchange in exchanges
             for account_id in (exchange.giver_account_id, exchange.receiver_account_id)
             if account_id in opened and exchange.occurred_on < uk_day(opened[account_id])]
    assert early == []
    assert checks.verify(demo_session) == []


def test_some_members_only_give_and_some_only_receive(demo_template, demo_session):
    bank_id = demo_template.summary.time_bank_id
    account_of = dict(demo_session.execute(
        sa.select(Person.display_name, Account.id).join(Account, Account.holder_id == Person.id)
        .where(Account.time_bank_id == bank_id)).all())
    standing = demo_session.execute(sa.select(Exchange.giver_account_id, Exchange.receiver_account_id).where(
        Exchange.time_bank_id == bank_id, Exchange.kind == ExchangeKind.EXCHANGE,
        Exchange.state == ExchangeState.CONFIRMED)).all()
    gave = {giver for giver, _ in standing}
    received = {receiver for _, receiver in standing}
    for name in data.GIVES_ONLY:
        assert account_of[name] in gave and account_of[name] not in received, name
    for name in data.RECEIVES_ONLY:
        assert account_of[name] in received and account_of[name] not in gave, name


def test_introductions_are_spread_over_the_months_and_end_in_every_way(demo_session, today):
    made = demo_session.scalars(sa.select(Introduction)).all()
    months = {uk_day(introduction.created_at).replace(day=1) for introduction in made}
    assert len(months) >= 15
    # Answers come after the introduction; a settled one was settled after it was made.
    assert all(introduction.settled_at is None or introduction.settled_at >= introduction.created_at
               for introduction in made)
    older = [introduction for introduction in made if uk_day(introduction.created_at) < today - dt.timedelta(days=60)]
    assert {introduction.state for introduction in older} == {
        IntroductionState.ACCEPTED, IntroductionState.DECLINED, IntroductionState.EXPIRED, IntroductionState.WITHDRAWN}
    assert 0.4 < sum(i.state is IntroductionState.ACCEPTED for i in older) / len(older) < 0.8
    # Accepted help was done and confirmed; an accepted role introduction brought its newcomer to the session.
    led_to = [demo_session.get(Exchange, i.exchange_id) for i in older if i.exchange_id is not None]
    assert len(led_to) >= 10 and all(exchange.state is ExchangeState.CONFIRMED for exchange in led_to)
    assert sum(i.sign_up_id is not None for i in older) >= 4


def test_the_funder_report_compares_two_real_years_and_hides_a_few_small_cells(demo_app, demo_session, today):
    funder = find_person_by_email(demo_session, data.FUNDER.email)
    [programme] = policy.readable_programmes(demo_session, funder)
    subject = subjects.programme(demo_session, funder, programme.id, today)
    report = subject.compute(subject.default)
    # The programme's default runs to this month (figures to today), the year before it as long.
    length = len(months_of(report.period))
    assert length == len(months_of(report.previous_period)) and 12 <= length <= 13

    def figures(key, column):
        table = report.table(key)
        return ({row: table.cell(row, column).value for row in table.rows},
                {row: table.previous.cell(row, column).value for row in table.rows})

    now, before = figures("people", "people")
    for period in (now, before):
        assert period["active"] >= 25 and 5 <= period["new"] < period["active"]
        assert 0.5 * period["active"] <= period["retained"] < period["active"]
        # Reciprocity: most, not all, both gave and received.
        assert 0.55 <= period["gave_and_received"] / period["active"] <= 0.75
    assert now["active"] > before["active"]

    hours = report.table("kinds")
    assert 1.1 * hours.previous.total.value < hours.total.value < 2 * hours.previous.total.value
    months = report.table("months")
    assert sum(cell[0].value > 0 for cell in months.cells) == length
    assert sum(cell[0].value > 0 for cell in months.previous.cells) >= 10
    for key in ("forms", "outcomes", "matrix"):
        table = report.table(key)
        assert any(cell.value for row in table.cells for cell in row), key
        assert any(cell.value for row in table.previous.cells for cell in row), key

    now, before = figures("introductions", "count")
    for period in (now, before):
        assert period["made"] >= 8 and 0 < period["led_to_exchange"] < period["accepted"] < period["made"]
    answers_now, answers_before = figures("answers_how", "count")
    assert sum(value or 0 for value in answers_now.values()) > 100
    assert sum(value or 0 for value in answers_before.values()) > 100

    # Some small cells are hidden (sign-ups from introductions among them), not most of them.
    assert now["led_to_sign_up"] is None and before["led_to_sign_up"] is None
    cells = [cell for table in report.tables for each in (table, table.previous) if each is not None
             for row in each.cells for cell in row]
    hidden = sum(cell.value is None for cell in cells)
    assert 5 <= hidden < len(cells) / 3

    # The funder reads the same on the page.
    client = demo_app.test_client()
    assert client.post("/sign-in", data={"email": funder.email, "password": data.DEMO_PASSWORD}).status_code == 302
    page = client.get(f"/reports/programmes/{programme.id}")
    assert page.status_code == 200 and "fewer than 5" in page.get_data(as_text=True)

"""Reminders for exchanges left pending, and the stale list on a broker's home page.

Exchanges are recorded now, so "later" is the job run with a later ``today``: three days on the first
reminder is due, then every seven days while the exchange stays pending."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import examples
from timebank.clock import uk_today
from timebank.exchanges import reminders
from timebank.home import views as home_views
from timebank.ledger import service as ledger
from timebank.notices.models import Notice, NoticeKind
from timebank.notices.service import reminder_key

DAY = dt.timedelta(days=1)


@pytest.fixture
def aled(make_member, bank):
    return make_member(bank, "Aled Pryce")


@pytest.fixture
def bea(make_member, bank):
    return make_member(bank, "Bea Okafor")


def reminders_for(db_session, person) -> list[str]:
    return sorted(db_session.scalars(sa.select(Notice.key).where(
        Notice.person_id == person.id, Notice.kind == NoticeKind.EXCHANGE_PENDING)))


def test_the_confirming_side_is_reminded_after_three_days_then_weekly(db_session, aled, bea, exchange_of, today):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    exchange = exchange_of(aled_account, bea_account, by=aled_person)
    recorded = reminders.recorded_on(exchange)
    assert recorded == today

    assert reminders.send_pending_reminders(db_session, recorded + 2 * DAY) == 0
    assert reminders.send_pending_reminders(db_session, recorded + 3 * DAY) == 1
    assert reminders.send_pending_reminders(db_session, recorded + 3 * DAY) == 0  # a rerun makes nothing
    assert reminders.send_pending_reminders(db_session, recorded + 9 * DAY) == 0  # still the same week
    assert reminders.send_pending_reminders(db_session, recorded + 10 * DAY) == 1
    assert reminders_for(db_session, bea_person) == [
        reminder_key(NoticeKind.EXCHANGE_PENDING, exchange.id, recorded + 3 * DAY),
        reminder_key(NoticeKind.EXCHANGE_PENDING, exchange.id, recorded + 10 * DAY),
    ]
    assert reminders_for(db_session, aled_person) == []  # the proposer has nothing to answer

    ledger.confirm_exchange(db_session, exchange.id, actor_id=bea_person.id, acting_for_account_id=bea_account.id)
    assert reminders.send_pending_reminders(db_session, recorded + 17 * DAY) == 0


def test_members_contacted_through_a_broker_and_organisations_reach_the_right_people(
    db_session, make_member, make_person, make_organisation, bank, broker, aled, exchange_of
):
    aled_person, aled_account = aled
    dilys, dilys_account = make_member(bank, "Dilys Evans", email=None)
    olwen = make_person("Olwen Admin")
    _charity, charity_account = make_organisation(bank, "Riverside Food Bank", admins=(olwen,))
    pot = ledger.community_pot(db_session, bank.id)
    to_dilys = exchange_of(aled_account, dilys_account, by=aled_person)
    to_charity = exchange_of(aled_account, charity_account, by=aled_person)
    to_pot = exchange_of(aled_account, pot, by=aled_person)

    day = reminders.recorded_on(to_dilys) + 3 * DAY
    assert reminders.send_pending_reminders(db_session, day) == 4
    key = lambda exchange: reminder_key(NoticeKind.EXCHANGE_PENDING, exchange.id, day)  # noqa: E731
    assert reminders_for(db_session, dilys) == [key(to_dilys)]
    assert reminders_for(db_session, olwen) == [key(to_charity)]
    assert reminders_for(db_session, broker) == sorted([key(to_dilys), key(to_pot)])


def test_the_days_reminders_fall_due():
    recorded = dt.date(2026, 3, 1)
    assert reminders.reminder_due_on(recorded, dt.date(2026, 3, 3)) is None
    assert reminders.reminder_due_on(recorded, dt.date(2026, 3, 4)) == dt.date(2026, 3, 4)
    assert reminders.reminder_due_on(recorded, dt.date(2026, 3, 10)) == dt.date(2026, 3, 4)
    assert reminders.reminder_due_on(recorded, dt.date(2026, 3, 11)) == dt.date(2026, 3, 11)
    # The clocks change on 29 March: due days are calendar days in the UK, not 24-hour steps.
    assert reminders.reminder_due_on(recorded, dt.date(2026, 4, 1)) == dt.date(2026, 4, 1)


@settings(max_examples=examples(0.25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offsets=st.lists(st.integers(0, 40), max_size=12))
def test_any_runs_on_any_days_make_one_reminder_per_person_per_due_day(db_session, make_member, bank, gardening,
                                                                        offsets):
    """Property: running the job on any days, in any order, any number of times, leaves exactly one
    reminder per person for each due day reached, and the job's counts add up to what was made."""
    with db_session.begin_nested() as example:
        aled, aled_account = make_member(bank, "Aled Pryce")
        bea, bea_account = make_member(bank, "Bea Okafor")
        exchange, _ = ledger.record_exchange(
            db_session, proposer_account_id=aled_account.id, counterpart_account_id=bea_account.id,
            proposer_is_giver=True, amount_minutes=30, occurred_on=uk_today(),
            category_id=gardening.id, description="", recorded_by_id=aled.id, idempotency_key=uuid.uuid4().hex,
        )
        recorded = reminders.recorded_on(exchange)
        made = sum(reminders.send_pending_reminders(db_session, recorded + offset * DAY) for offset in offsets)
        due_days = {reminders.reminder_due_on(recorded, recorded + offset * DAY) for offset in offsets} - {None}
        expected = sorted(reminder_key(NoticeKind.EXCHANGE_PENDING, exchange.id, day) for day in due_days)
        assert reminders_for(db_session, bea) == expected
        assert reminders_for(db_session, aled) == []
        assert made == len(expected)
        example.rollback()


def test_brokers_see_exchanges_pending_for_more_than_a_week(db_session, browser, monkeypatch, bank, broker, aled,
                                                            bea, exchange_of):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    exchange = exchange_of(aled_account, bea_account, 90, by=aled_person)
    recorded = reminders.recorded_on(exchange)
    assert reminders.stale_pending(db_session, {bank.id}, recorded + 7 * DAY) == []
    assert reminders.stale_pending(db_session, {bank.id}, recorded + 8 * DAY) == [exchange]
    assert reminders.stale_pending(db_session, set(), recorded + 8 * DAY) == []

    monkeypatch.setattr(home_views, "uk_today", lambda: recorded + 8 * DAY)
    page = browser(broker).get("/").get_data(as_text=True)
    stale = page.split('id="stale"')[1]
    assert f"/exchanges/{exchange.id}" in stale and "Aled Pryce gave Bea Okafor 1 hour 30 minutes of help" in stale
    assert 'id="stale"' not in browser(bea_person).get("/").get_data(as_text=True)

    monkeypatch.setattr(home_views, "uk_today", lambda: recorded + 7 * DAY)
    assert "Nothing has been waiting that long." in browser(broker).get("/").get_data(as_text=True)



def test_the_stale_list_is_the_oldest_waiting_across_the_brokers_banks(db_session, make_bank, make_member,
                                                                       exchange_of):
    banks = [make_bank(name="Upper"), make_bank(name="Lower")]
    pairs = [(make_member(bank, f"Giver {bank.name}"), make_member(bank, f"Receiver {bank.name}")) for bank in banks]
    # Recorded one after another, the banks taking turns: each bank's branch of the query must merge with the other's.
    found = [exchange_of(giver_account, receiver_account, 30, by=giver)
             for _ in range(3) for (giver, giver_account), (_, receiver_account) in pairs]
    today = reminders.recorded_on(found[-1]) + 8 * DAY
    both = {bank.id for bank in banks}

    assert reminders.stale_pending(db_session, both, today) == found
    assert reminders.stale_pending(db_session, both, today, limit=3) == found[:3]
    assert reminders.stale_pending(db_session, {banks[1].id}, today, limit=2) == found[1::2][:2]

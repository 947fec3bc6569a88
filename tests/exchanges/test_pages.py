"""The exchange pages, as people use them: record, answer, look, reverse. Outcomes are checked in the
books (rows, states, balances), not only in status codes. The harness runs ``ledger verify`` after each."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import sqlalchemy as sa

from tests.support import date_boxes, statements_sent
from timebank.exchanges import service
from timebank.ledger import service as ledger
from timebank.ledger.models import Exchange, ExchangeEvent, ExchangeKind, ExchangeState, Posting
from timebank.members.models import BankRoleName


@pytest.fixture
def aled(make_member, bank):
    return make_member(bank, "Aled Pryce")


@pytest.fixture
def bea(make_member, bank):
    return make_member(bank, "Bea Okafor")


def record(client, data):
    return client.post("/exchanges/new", data=data)


def only_exchange(db_session) -> Exchange:
    return db_session.execute(sa.select(Exchange)).unique().scalar_one()


def error_next_to(html: str, field_id: str) -> str:
    """The text of the error message tied to a field (``<p class="error-message" id="…-error">``)."""
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', html, re.S)
    assert match, f"no error message next to {field_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


# --- the whole journey -----------------------------------------------------------------------------


def test_record_confirm_and_both_balances(db_session, as_person, aled, bea, exchange_form):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    client = as_person(aled_person)

    form = client.get("/exchanges/new")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert 'name="counterpart-q"' in html and "<optgroup" in html  # a search for the other side, categories grouped
    assert "Bea Okafor" not in html  # the bank is not listed; a search finds her
    found = record(client, {"account": str(aled_account.id), "counterpart-q": "okaf", "find": "counterpart"})
    assert f'name="counterpart" value="{bea_account.id}"' in found.get_data(as_text=True)
    assert 'name="idempotency_key"' in html

    response = record(client, exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)
    assert response.status_code == 302 and response.location.endswith(f"/exchanges/{exchange.id}")
    assert (exchange.state, exchange.amount_minutes) == (ExchangeState.PENDING, 90)
    assert (exchange.giver_account_id, exchange.receiver_account_id) == (aled_account.id, bea_account.id)
    assert "Exchange recorded" in client.get(response.location).get_data(as_text=True)

    client = as_person(bea_person)
    pending = client.get("/exchanges/pending").get_data(as_text=True)
    waiting_for_me = pending.split("Waiting for the other person")[0]
    assert f"/exchanges/{exchange.id}/confirm" in waiting_for_me
    assert "Aled Pryce gave you 1 hour 30 minutes of help" in waiting_for_me  # said to the reader

    response = client.post(f"/exchanges/{exchange.id}/confirm", data={"return_to": "pending"})
    assert response.status_code == 302 and response.location.endswith("/exchanges/pending")
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.CONFIRMED
    assert (bea_account.balance_minutes, bea_account.received_minutes) == (-90, 90)

    bea_home = client.get("/").get_data(as_text=True)
    assert "−1 hour 30 minutes" in bea_home
    client = as_person(aled_person)
    aled_home = client.get("/").get_data(as_text=True)
    assert "1 hour 30 minutes</span> balance" in aled_home
    assert "1 hour 30 minutes</span> help given" in aled_home
    assert (aled_account.balance_minutes, aled_account.given_minutes) == (90, 90)


def test_declining_with_a_note_moves_no_hours(db_session, as_person, aled, bea, exchange_form):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)

    client = as_person(bea_person)
    assert f'href="/exchanges/{exchange.id}/decline"' in client.get(f"/exchanges/{exchange.id}").get_data(as_text=True)
    assert "Say why (optional)" in client.get(f"/exchanges/{exchange.id}/decline").get_data(as_text=True)
    response = client.post(f"/exchanges/{exchange.id}/decline", data={"note": "It was one hour"})
    assert response.status_code == 302 and response.location.endswith(f"/exchanges/{exchange.id}")
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.DECLINED
    assert exchange.events[-1].note == "It was one hour"
    assert (bea_account.debits_pending_minutes, aled_account.credits_pending_minutes) == (0, 0)
    assert db_session.scalar(sa.select(sa.func.count(Posting.id))) == 0
    assert "It was one hour" in client.get(f"/exchanges/{exchange.id}").get_data(as_text=True)


def test_only_the_proposer_can_cancel(db_session, as_person, aled, bea, exchange_form):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)

    response = as_person(bea_person).post(f"/exchanges/{exchange.id}/cancel")
    assert response.status_code == 403
    assert "Only the person who recorded this exchange can cancel it" in response.get_data(as_text=True)
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.PENDING

    client = as_person(aled_person)
    awaiting = client.get("/exchanges/pending").get_data(as_text=True).split("Waiting for the other person")[1]
    assert f"/exchanges/{exchange.id}/cancel" in awaiting
    assert client.post(f"/exchanges/{exchange.id}/cancel").status_code == 302
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.CANCELLED
    assert aled_account.credits_pending_minutes == 0


# --- brokers ---------------------------------------------------------------------------------------


def test_broker_records_for_an_offline_member_and_the_history_says_so(
    db_session, as_person, make_member, make_broker, bank, bea, exchange_form
):
    broker = make_broker(bank, "Gwen the Broker")
    _offline, offline_account = make_member(bank, "Dilys Evans", email=None)
    bea_person, bea_account = bea
    client = as_person(broker)

    chooser = client.get("/exchanges/new").get_data(as_text=True)
    assert "Who are you recording this for?" in chooser and "Dilys Evans" in chooser
    assert 'name="counterpart"' not in chooser  # the form comes once the member is chosen

    form = client.get(f"/exchanges/new?account={offline_account.id}").get_data(as_text=True)
    assert "You are recording this for Dilys Evans" in form
    assert "Dilys Evans gave help" in form

    response = record(client, exchange_form(offline_account, bea_account, side="receiver", hours="2", minutes="0"))
    assert response.status_code == 302
    exchange = only_exchange(db_session)
    assert exchange.recorded_by_id == broker.id and exchange.proposer_account_id == offline_account.id
    assert exchange.receiver_account_id == offline_account.id

    # Bea confirms herself; the history shows who acted for whom.
    as_person(bea_person).post(f"/exchanges/{exchange.id}/confirm")
    page = as_person(broker).get(f"/exchanges/{exchange.id}").get_data(as_text=True)
    history = page.split('id="history"')[1]
    assert "by Gwen the Broker" in history and "on behalf of Dilys Evans" in history
    assert "by Bea Okafor" in history and "on behalf of Bea Okafor" not in history
    assert offline_account.balance_minutes == -120


def test_broker_reverses_with_a_reason(db_session, as_person, make_broker, bank, aled, bea, exchange_form):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    broker = make_broker(bank)
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)
    as_person(bea_person).post(f"/exchanges/{exchange.id}/confirm")

    client = as_person(broker)
    assert "Reverse this exchange" in client.get(f"/exchanges/{exchange.id}").get_data(as_text=True)
    response = client.post(f"/exchanges/{exchange.id}/reverse", data={"reason": "  "})
    assert response.status_code == 422
    assert "Say why this exchange is being reversed" in error_next_to(response.get_data(as_text=True),
                                                                      "reversal-reason")
    assert db_session.scalar(sa.select(sa.func.count(Exchange.id))) == 1

    response = client.post(f"/exchanges/{exchange.id}/reverse", data={"reason": "Keyed twice"})
    assert response.status_code == 302
    reversal = db_session.scalar(sa.select(Exchange).where(Exchange.kind == ExchangeKind.REVERSAL))
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.REVERSED and reversal.reverses_exchange_id == exchange.id
    for account in (aled_account, bea_account):
        db_session.refresh(account)
        assert (account.balance_minutes, account.given_minutes, account.received_minutes) == (0, 0, 0)
    page = client.get(f"/exchanges/{exchange.id}").get_data(as_text=True)
    assert f"/exchanges/{reversal.id}" in page and "Reverse this exchange" not in page
    assert "for the time bank" in page
    assert f"/exchanges/{exchange.id}" in client.get(f"/exchanges/{reversal.id}").get_data(as_text=True)


def test_members_cannot_reverse(db_session, as_person, aled, bea, exchange_form):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)
    as_person(bea_person).post(f"/exchanges/{exchange.id}/confirm")
    response = as_person(aled_person).post(f"/exchanges/{exchange.id}/reverse", data={"reason": "I changed my mind"})
    assert response.status_code == 403
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.CONFIRMED


def test_the_day_is_typed_in_day_month_and_year_boxes(db_session, as_person, aled, bea, exchange_form, today):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    client = as_person(aled_person)
    page = client.get(f"/exchanges/new?account={aled_account.id}").get_data(as_text=True)
    for part in ("day", "month", "year"):
        assert f'name="occurred_on-{part}"' in page
    data = exchange_form(aled_account, bea_account, **{
        "occurred_on-day": str(today.day), "occurred_on-month": f" {today.month} ",
        "occurred_on-year": str(today.year)})
    del data["occurred_on"]
    assert record(client, data).status_code == 302
    assert only_exchange(db_session).occurred_on == today


def test_a_missing_month_is_named_and_its_box_marked(as_person, aled, bea, exchange_form, count_exchanges, today):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    data = exchange_form(aled_account, bea_account, **{
        "occurred_on-day": str(today.day), "occurred_on-month": "", "occurred_on-year": str(today.year)})
    del data["occurred_on"]
    response = record(as_person(aled_person), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_next_to(html, "occurred_on") == "Error: The date must include a month"
    assert '<a href="#occurred_on-month">The date must include a month</a>' in html
    assert date_boxes(html, "occurred_on") == {"day": (str(today.day), False), "month": ("", True),
                                                "year": (str(today.year), False)}
    assert count_exchanges() == 0


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"hours": "0", "minutes": "0"}, "time", "between 1 minute and 24 hours"),
        ({"hours": "", "minutes": ""}, "time", "Enter how long the help took"),
        ({"hours": "-1"}, "time", "0 or more"),
        ({"hours": "1.5", "minutes": ""}, "time", "whole number"),
        ({"minutes": "75"}, "time", "from 0 to 59"),
        ({"hours": "25", "minutes": "0"}, "time", "between 1 minute and 24 hours"),
        ({"occurred_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, "occurred_on",
         "to today"),
        ({"occurred_on": "31/02/2026"}, "occurred_on", "Enter a real date"),
        ({"counterpart": "999999"}, "counterpart", "from the list"),
        ({"counterpart": "nobody"}, "counterpart", "Choose who the exchange was with"),
        ({"category": "astrology"}, "category", "Choose a category"),
        ({"side": ""}, "side", "given or received"),
        ({"description": "x" * 1001}, "description", "under 1,000 characters"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_changes_nothing(
    db_session, as_person, aled, bea, exchange_form, count_exchanges, changes, field_id, message
):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    response = record(as_person(aled_person), exchange_form(aled_account, bea_account, **changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in error_next_to(html, field_id)
    assert "There is a problem" in html
    assert count_exchanges() == 0
    assert aled_account.credits_pending_minutes == 0


def test_exchanging_with_yourself_is_refused(db_session, as_person, aled, exchange_form, count_exchanges):
    aled_person, aled_account = aled
    response = record(as_person(aled_person), exchange_form(aled_account, aled_account))
    assert response.status_code == 422
    assert "from the list" in error_next_to(response.get_data(as_text=True), "counterpart")
    assert count_exchanges() == 0


def test_over_the_floor_is_refused_next_to_the_time(db_session, as_person, aled, bea, exchange_form, count_exchanges):
    """A limit the form cannot know about comes back from the service, next to the time."""
    (aled_person, aled_account), (_, bea_account) = aled, bea
    # Residents may go down to -10 hours: Aled receiving 11 hours would take him below.
    response = record(as_person(aled_person),
                      exchange_form(aled_account, bea_account, side="receiver", hours="11", minutes="0"))
    assert response.status_code == 422
    assert "lowest allowed balance" in error_next_to(response.get_data(as_text=True), "time")
    assert count_exchanges() == 0


def test_another_persons_account_cannot_be_used(
    db_session, as_person, aled, bea, make_member, bank, exchange_form, count_exchanges
):
    (aled_person, _), (_, bea_account) = aled, bea
    _, carys_account = make_member(bank, "Carys Jones")
    response = record(as_person(aled_person), exchange_form(bea_account, carys_account))
    assert response.status_code == 422
    assert "Choose who this exchange is for from the list" in response.get_data(as_text=True)
    assert count_exchanges() == 0


def test_confirming_your_own_proposal_is_refused(db_session, as_person, aled, bea, exchange_form):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    client = as_person(aled_person)
    record(client, exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)
    assert "/confirm" not in client.get(f"/exchanges/{exchange.id}").get_data(as_text=True)

    response = client.post(f"/exchanges/{exchange.id}/confirm")
    assert response.status_code == 403
    assert "You recorded this exchange, so the other person confirms or declines it" in response.get_data(as_text=True)
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.PENDING
    assert db_session.scalar(sa.select(sa.func.count(Posting.id))) == 0


def test_confirming_twice_posts_once(db_session, as_person, aled, bea, exchange_form):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)
    client = as_person(bea_person)
    assert client.post(f"/exchanges/{exchange.id}/confirm").status_code == 302

    again = client.post(f"/exchanges/{exchange.id}/confirm")
    assert again.status_code == 409
    assert "This exchange is already confirmed." in again.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(Posting.id))) == 2
    assert bea_account.balance_minutes == -90


def test_sending_the_form_twice_records_one_exchange(db_session, as_person, aled, bea, exchange_form, count_exchanges):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    client = as_person(aled_person)
    data = exchange_form(aled_account, bea_account)
    first, second = record(client, data), record(client, data)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert count_exchanges() == 1
    assert aled_account.credits_pending_minutes == 90
    assert "already sent this exchange" in client.get(second.location).get_data(as_text=True)

    # The same key with different details is refused at the top of the form.
    changed = record(client, {**data, "hours": "2"})
    assert changed.status_code == 422
    assert "already sent with different details" in changed.get_data(as_text=True)
    assert count_exchanges() == 1


# --- who may see what ------------------------------------------------------------------------------


def test_another_resident_gets_not_found(db_session, as_person, aled, bea, make_member, bank, exchange_form):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    carys, _ = make_member(bank, "Carys Jones")
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)

    client = as_person(carys)
    assert client.get(f"/exchanges/{exchange.id}").status_code == 404
    assert client.post(f"/exchanges/{exchange.id}/confirm").status_code == 404
    assert client.get("/exchanges/999999").status_code == 404
    assert "Aled Pryce" not in client.get("/exchanges").get_data(as_text=True)
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.PENDING


def test_funders_get_forbidden_on_every_exchange_page(db_session, as_person, make_person, aled, bea, bank,
                                                     exchange_form):
    from timebank.banks import service as banks

    (aled_person, aled_account), (_, bea_account) = aled, bea
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)
    funder = make_person("Fiona Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)

    client = as_person(funder)
    for path in ("/exchanges", "/exchanges/new", "/exchanges/pending", f"/exchanges/{exchange.id}"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/exchanges/{exchange.id}/confirm").status_code == 403
    assert client.post("/exchanges/new", data=exchange_form(aled_account, bea_account)).status_code == 403


@pytest.mark.parametrize("path", ["/exchanges", "/exchanges/new", "/exchanges/pending", "/exchanges/1"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in" in response.location


def test_organisation_admin_chooses_which_account(
    db_session, as_person, make_organisation, bank, aled, bea, exchange_form
):
    (aled_person, _), (_, bea_account) = aled, bea
    _, charity_account = make_organisation(bank, "Riverside Food Bank", admins=(aled_person,))
    client = as_person(aled_person)
    chooser = client.get("/exchanges/new").get_data(as_text=True)
    assert "Riverside Food Bank" in chooser and 'name="counterpart"' not in chooser

    response = record(client, exchange_form(charity_account, bea_account))
    assert response.status_code == 302
    exchange = only_exchange(db_session)
    assert exchange.giver_account_id == charity_account.id and exchange.recorded_by_id == aled_person.id
    history = client.get(response.location).get_data(as_text=True).split('id="history"')[1]
    assert "for Riverside Food Bank" in history and "on behalf of" not in history


# --- the list --------------------------------------------------------------------------------------


def test_list_filters_and_bad_filters(db_session, as_person, aled, bea, exchange_form):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    client = as_person(aled_person)
    record(client, exchange_form(aled_account, bea_account))
    record(client, exchange_form(aled_account, bea_account, hours="2", minutes="0"))
    first = db_session.scalars(sa.select(Exchange).order_by(Exchange.id)).unique().first()
    as_person(bea_person).post(f"/exchanges/{first.id}/confirm")

    client = as_person(aled_person)
    everything = client.get("/exchanges").get_data(as_text=True)
    assert "2 hours" in everything and "1 hour 30 minutes" in everything
    assert everything.index("2 hours") < everything.index("1 hour 30 minutes")  # newest first
    assert 'rel="next"' not in everything and 'rel="prev"' not in everything  # one page
    confirmed = client.get("/exchanges?state=confirmed").get_data(as_text=True)
    assert "1 hour 30 minutes" in confirmed and "2 hours" not in confirmed
    mine = client.get(f"/exchanges?account={aled_account.id}").get_data(as_text=True)
    assert "2 hours" in mine and "1 hour 30 minutes" in mine
    second = first.id + 1
    older = client.get(f"/exchanges?before={second}").get_data(as_text=True)
    assert "1 hour 30 minutes" in older and "2 hours" not in older
    assert f'href="/exchanges?after={first.id}" rel="prev"' in older
    newer = client.get(f"/exchanges?after={first.id}").get_data(as_text=True)
    assert "2 hours" in newer and "1 hour 30 minutes" not in newer
    assert f'href="/exchanges?before={second}" rel="next"' in newer
    assert "There are no exchanges" in client.get(f"/exchanges?before={first.id}").get_data(as_text=True)
    for bad in ("state=lost", "before=abc", "before=0", "account=x", "bank=-1", "after=1.5", f"account={10**20}",
                f"before={10**20}"):
        assert client.get(f"/exchanges?{bad}").status_code == 400, bad
    assert client.get(f"/exchanges/{10**20}").status_code == 404
    assert client.get(f"/exchanges/new?account={10**20}").status_code == 422


def test_the_list_does_not_query_per_row(db_session, as_person, aled, bea, today):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    client = as_person(aled_person)

    def statements_for_list() -> int:
        with statements_sent(db_session.connection()) as sent:
            assert client.get("/exchanges").status_code == 200
        return len(sent)

    def add(n: int) -> None:
        for _ in range(n):
            ledger.record_exchange(
                db_session, proposer_account_id=aled_account.id, counterpart_account_id=bea_account.id,
                proposer_is_giver=True, amount_minutes=30, occurred_on=today,
                category_id=db_session.scalar(sa.text("SELECT id FROM categories WHERE code = 'gardening'")),
                description="", recorded_by_id=aled_person.id, idempotency_key=uuid.uuid4().hex,
            )
        db_session.commit()

    add(2)
    with_two = statements_for_list()
    add(8)
    assert statements_for_list() == with_two


def test_event_rows_name_the_actor_and_side(db_session, as_person, aled, bea, exchange_form):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    event = db_session.scalar(sa.select(ExchangeEvent))
    assert (event.actor_id, event.acting_for_account_id) == (aled_person.id, aled_account.id)


def test_every_problem_shows_in_one_round(db_session, as_person, aled, bea, exchange_form, count_exchanges, today):
    person, account = aled
    data = exchange_form(account, bea[1], hours="30", minutes="0", side="", category="",
                         occurred_on=(today + dt.timedelta(days=3)).isoformat())
    response = record(as_person(person), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "24 hours" in error_next_to(html, "time")
    assert "to today" in error_next_to(html, "occurred_on")
    assert error_next_to(html, "side") and error_next_to(html, "category")
    assert count_exchanges() == 0


def test_a_broker_must_choose_whom_they_record_for(db_session, as_person, make_broker, bank, aled):
    client = as_person(make_broker(bank))
    first = client.get("/exchanges/new").get_data(as_text=True)
    assert '<option value="" selected>Choose…</option>' in first
    response = client.get("/exchanges/new?account=")
    assert response.status_code == 422
    assert "Choose who this exchange is for" in response.get_data(as_text=True)


def test_the_language_link_keeps_the_page_and_its_filters(db_session, as_person, aled):
    html = as_person(aled[0]).get("/exchanges?state=pending&page=1").get_data(as_text=True)
    assert 'href="/exchanges?state=pending&amp;page=1&amp;lang=cy"' in html


# --- one page, many forms: every box its own id ------------------------------------------------------


def test_every_box_on_an_exchange_page_has_an_id_of_its_own(db_session, app, as_person, monkeypatch, make_member,
                                                            bank, bea, exchange_form):
    """A broker who took part in an exchange sees both the reversal's reason and the dispute's: each label names
    its own box, and, with CSRF on as in production, the tokens of the page's forms carry no id at all."""
    from tests.security_headers import duplicate_ids
    from timebank.banks import service as banks

    gwen, gwen_account = make_member(bank, "Gwen Broker")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=gwen.id, role=BankRoleName.BROKER, actor_id=None)
    bea_person, bea_account = bea
    record(as_person(gwen), exchange_form(gwen_account, bea_account))
    exchange = only_exchange(db_session)
    record(as_person(gwen), exchange_form(gwen_account, bea_account, hours="2"))
    as_person(bea_person).post(f"/exchanges/{exchange.id}/confirm")

    client = as_person(gwen)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get(f"/exchanges/{exchange.id}")
    html = page.get_data(as_text=True)
    assert "Reverse this exchange" in html and "Ask a broker to look at this" in html
    assert duplicate_ids(page) == []
    assert '<label class="label" for="reversal-reason">Why is this exchange being reversed?</label>' in html
    assert '<label class="label" for="dispute-reason">What is wrong with this exchange?</label>' in html
    assert 'name="csrf_token"' in html and 'id="csrf_token"' not in html
    for path in ("/exchanges/pending", "/exchanges", f"/exchanges/{exchange.id + 1}/cancel"):
        assert duplicate_ids(client.get(path)) == [], path


# --- answers that cannot be taken back ask first ----------------------------------------------------


def test_declining_from_the_list_asks_first_and_going_back_changes_nothing(db_session, as_person, aled, bea,
                                                                           exchange_form):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)
    client = as_person(bea_person)

    listed = client.get("/exchanges/pending").get_data(as_text=True)
    ask = f"/exchanges/{exchange.id}/decline?return_to=pending"
    # Decline is a link to a page that asks, set apart from Confirm, which is the list's one button per row.
    assert f'<a class="button button-secondary"\n               href="{ask}">Decline' in listed
    assert f'action="/exchanges/{exchange.id}/decline"' not in listed
    assert listed.count('class="actions actions-apart"') == 1

    step = client.get(ask)
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and "<h1>Decline this exchange?</h1>" in html
    assert "Aled Pryce gave you 1 hour 30 minutes of help" in html and "You cannot take this back" in html
    assert '<button type="submit" class="button button-warning">Yes, decline it</button>' in html
    assert '<a class="button button-secondary" href="/exchanges/pending">Go back</a>' in html
    assert '<input id="return_to" name="return_to" type="hidden" value="pending">' in html
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.PENDING  # asking changed nothing

    too_long = client.post(f"/exchanges/{exchange.id}/decline", data={"note": "x" * 1001, "return_to": "pending"})
    assert too_long.status_code == 422
    assert "under 1,000 characters" in error_next_to(too_long.get_data(as_text=True), "decline-note")
    assert "<h1>Decline this exchange?</h1>" in too_long.get_data(as_text=True)

    done = client.post(f"/exchanges/{exchange.id}/decline", data={"note": "Never happened", "return_to": "pending"})
    assert done.status_code == 302 and done.location.endswith("/exchanges/pending")
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.DECLINED and exchange.events[-1].note == "Never happened"
    assert (bea_account.debits_pending_minutes, aled_account.credits_pending_minutes) == (0, 0)
    # Asked again, it is too late: said plainly, not asked.
    again = client.get(ask)
    assert again.status_code == 409 and "Decline this exchange?" not in again.get_data(as_text=True)


def test_cancelling_asks_first_and_only_the_side_that_recorded_is_asked(db_session, as_person, aled, bea,
                                                                        exchange_form):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    exchange = only_exchange(db_session)

    client = as_person(aled_person)
    page = client.get(f"/exchanges/{exchange.id}").get_data(as_text=True)
    assert f'href="/exchanges/{exchange.id}/cancel">Cancel this exchange</a>' in page
    assert "<h1>You gave Bea Okafor 1 hour 30 minutes of help</h1>" in page
    step = client.get(f"/exchanges/{exchange.id}/cancel").get_data(as_text=True)
    assert "<h1>Cancel this exchange?</h1>" in step and "Yes, cancel it" in step
    assert f'<a class="button button-secondary" href="/exchanges/{exchange.id}">Go back</a>' in step

    refused = as_person(bea_person).get(f"/exchanges/{exchange.id}/cancel")
    assert refused.status_code == 403
    assert "Only the person who recorded this exchange can cancel it" in refused.get_data(as_text=True)
    assert as_person(aled_person).get(f"/exchanges/{exchange.id}/decline").status_code == 403
    db_session.refresh(exchange)
    assert exchange.state is ExchangeState.PENDING


# --- the list: in the order it says, each row saying what it is ---------------------------------------


def test_lists_are_newest_first_by_the_day_of_the_help_page_after_page(db_session, make_broker, bank, aled, bea,
                                                                         gardening, today):
    """Recorded out of order (a paper form from last week keyed today), the lists still read by the day of the
    help, then the order recorded, and paging either way by cursor neither skips nor repeats one."""
    (aled_person, aled_account), (_, bea_account) = aled, bea
    days_ago = [3, 0, 5, 0, 3, 1, 5]
    made = [ledger.record_exchange(
        db_session, proposer_account_id=aled_account.id, counterpart_account_id=bea_account.id, proposer_is_giver=True,
        amount_minutes=30, occurred_on=today - dt.timedelta(days=ago), category_id=gardening.id, description="",
        recorded_by_id=aled_person.id, idempotency_key=uuid.uuid4().hex)[0] for ago in days_ago]
    db_session.commit()
    expected = [e.id for e in sorted(made, key=lambda e: (e.occurred_on, e.id), reverse=True)]
    assert expected != sorted(expected, reverse=True)  # not simply the order recorded

    for reader in (aled_person, make_broker(bank)):  # the account's branches; the bank's
        forward, cursor = [], None
        while True:
            page = service.list_exchanges(db_session, reader, before=cursor, per_page=3)
            forward += [e.id for e in page.items]
            if page.older is None:
                break
            cursor = page.older
        assert forward == expected
        backward, cursor = [], expected[-1]
        while cursor is not None:
            page = service.list_exchanges(db_session, reader, after=cursor, per_page=3)
            backward = [e.id for e in page.items] + backward
            cursor = page.newer
        assert backward == expected[:-1]
        pending = service.list_exchanges(db_session, reader, state=ExchangeState.PENDING, before=expected[1],
                                         per_page=2)
        assert [e.id for e in pending.items] == expected[2:4] and pending.older == expected[3]


def test_each_row_says_what_it_was_to_whoever_reads_it(db_session, as_person, make_broker, bank, aled, bea,
                                                       exchange_form):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    record(as_person(aled_person), exchange_form(aled_account, bea_account))
    record(as_person(aled_person), exchange_form(aled_account, bea_account, side="receiver", hours="2", minutes="0"))
    first, second = db_session.scalars(sa.select(Exchange).order_by(Exchange.id)).unique().all()

    def links(person) -> list[str]:
        html = as_person(person).get("/exchanges").get_data(as_text=True)
        assert '<table class="stack" role="table">' in html and 'data-label="Status"' in html
        assert "Newest first, by the date of the help." in html
        found = re.findall(r'<th scope="row" role="rowheader"><a href="/exchanges/(\d+)">(.*?)<span', html, re.S)
        return [(int(i), " ".join(text.split())) for i, text in found]

    assert links(aled_person) == [(second.id, "Bea Okafor gave you 2 hours of help"),
                                  (first.id, "You gave Bea Okafor 1 hour 30 minutes of help")]
    assert links(bea_person) == [(second.id, "You gave Aled Pryce 2 hours of help"),
                                 (first.id, "Aled Pryce gave you 1 hour 30 minutes of help")]
    assert links(make_broker(bank)) == [(second.id, "Bea Okafor gave Aled Pryce 2 hours of help"),
                                        (first.id, "Aled Pryce gave Bea Okafor 1 hour 30 minutes of help")]

"""The privacy pages: see what is held, download it, leave (or, as a broker, record that a member is
leaving). The harness runs ``ledger verify`` after each test, so leaving must keep the books whole."""

from __future__ import annotations

import json
import re
import uuid

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from timebank.banks import service as banks
from timebank.exchanges import service as exchanges
from timebank.exchanges.service import Proposal, Side
from timebank.ledger.models import Exchange, ExchangeState
from timebank.members.models import BankRoleName, ContactMethod
from timebank.profiles.models import Profile


@pytest.fixture
def aled(make_member, bank):
    return make_member(bank, "Aled Pryce", postcode="HB3 2QT", phone="01632 960 123")


@pytest.fixture
def bea(make_member, bank):
    return make_member(bank, "Bea Okafor")


@pytest.fixture
def funder(db_session, make_person, bank):
    person = make_person("Fran Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=person.id, role=BankRoleName.FUNDER, actor_id=None)
    return person


def pending_exchange(db_session, proposer, account, counterpart, today) -> Exchange:
    exchange, _ = exchanges.propose(db_session, proposer, Proposal(
        account_id=account.id, side=Side.GIVER, counterpart_account_id=counterpart.id, minutes=60,
        occurred_on=today, category="gardening", description="Weeding", idempotency_key=uuid.uuid4().hex))
    return exchange


def test_my_data_explains_and_downloads_everything(db_session, as_person, aled, make_profile):
    person, _ = aled
    make_profile(person, abilities=("gardening",), about="I grow leeks.", languages=("cy",))
    client = as_person(person)
    page = client.get("/my-data")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Only brokers see these" in html and 'href="/my-data.json"' in html and 'href="/leave"' in html

    download = client.get("/my-data.json")
    assert download.status_code == 200 and download.mimetype == "application/json"
    assert download.headers["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert download.headers["Cache-Control"] == "no-store"
    data = json.loads(download.get_data(as_text=True))
    assert data["person"]["name"] == "Aled Pryce" and data["person"]["email"] == person.email
    assert data["profile"]["abilities"] == ["gardening"] and data["profile"]["about"] == "I grow leeks."
    assert data["profile"]["languages"] == ["cy"]
    assert len(data["accounts"]) == 1


def test_funders_may_see_and_download_their_own_data(db_session, client, as_person, funder, aled):
    assert client.get("/my-data").status_code == 302  # sign in first
    assert client.get("/my-data.json").status_code == 302
    client = as_person(funder)
    html = client.get("/my-data").get_data(as_text=True)
    assert 'href="/people/' not in html  # no profile or contact details: funders are not members
    assert json.loads(client.get("/my-data.json").get_data(as_text=True))["roles"] == [
        {"time_bank_id": funder.bank_roles[0].time_bank_id, "role": "funder"}]
    assert client.get("/leave").status_code == 200
    assert client.get(f"/people/{aled[0].id}/leave").status_code == 403


def test_leaving_needs_the_box_ticked(db_session, as_person, aled):
    person, _ = aled
    client = as_person(person)
    page = client.get("/leave").get_data(as_text=True)
    assert "hours you gave and received stay in the time bank's books" in page
    response = client.post("/leave", data={})
    assert response.status_code == 422
    assert "Tick the box" in response.get_data(as_text=True)
    db_session.refresh(person)
    assert person.display_name == "Aled Pryce" and person.pseudonymised_at is None
    assert client.get("/").status_code == 200  # still signed in


def test_leaving_through_the_page_pseudonymises_and_signs_out(db_session, as_person, aled, bea, make_profile,
                                                              today):
    person, account = aled
    other, other_account = bea
    make_profile(person, abilities=("gardening",), about="I grow leeks.")
    asked = pending_exchange(db_session, person, account, other_account, today)
    asked_of_me = pending_exchange(db_session, other, other_account, account, today)
    email = person.email
    client = as_person(person)

    response = client.post("/leave", data={"understand": "y"})
    assert response.status_code == 302 and response.location.endswith("/sign-in")
    assert "You have left the time bank" in client.get(response.location).get_data(as_text=True)

    db_session.expire_all()
    assert re.fullmatch(r"Former member [0-9A-F]{6}", person.display_name)
    assert (person.email, person.phone, person.postcode, person.password_hash) == (None, None, None, None)
    assert person.contact_by is ContactMethod.BROKER and person.pseudonymised_at is not None
    assert db_session.get(Profile, person.id) is None
    assert db_session.get(Exchange, asked.id).state is ExchangeState.CANCELLED
    assert db_session.get(Exchange, asked_of_me.id).state is ExchangeState.DECLINED

    # Signed out, and cannot sign in again.
    assert client.get("/").status_code == 302
    assert client.get("/my-data").status_code == 302
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 422


def test_a_broker_records_that_a_member_is_leaving(db_session, as_person, aled, bea, make_broker, bank):
    person, _ = aled
    client = as_person(bea[0])
    assert client.get(f"/people/{person.id}/leave").status_code == 404
    assert client.post(f"/people/{person.id}/leave", data={"understand": "y"}).status_code == 404
    assert client.get(f"/people/{2**31}/leave").status_code == 404

    broker = make_broker(bank)
    client = as_person(broker)
    page = client.get(f"/people/{person.id}/leave")
    assert page.status_code == 200 and "Record that Aled Pryce is leaving" in page.get_data(as_text=True)
    assert client.post(f"/people/{person.id}/leave", data={}).status_code == 422
    response = client.post(f"/people/{person.id}/leave", data={"understand": "y"})
    assert response.status_code == 302 and response.location.endswith(f"/people/{person.id}")
    db_session.refresh(person)
    assert person.display_name.startswith("Former member ") and person.email is None

    shown = client.get(response.location).get_data(as_text=True)
    assert person.display_name in shown and "has left the time bank" in shown
    assert client.get("/").status_code == 200  # the broker is still signed in
    assert client.get(f"/people/{person.id}/leave").status_code == 409  # already left
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Profile)) == 0

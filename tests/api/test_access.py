"""Who sees what: an exchange or account you may not see does not exist for you."""

from __future__ import annotations

import datetime as dt
from typing import Any

import flask
import pytest

from tests.api.support import assert_problem
from timebank.api.core import ApiBlueprint
from timebank.api.schemas import InputSchema
from timebank.auth import tokens
from timebank.ledger.models import Exchange, ExchangeState
from timebank.members.models import Person


def test_another_resident_gets_404_for_someone_elses_exchange_and_account(
    db_session, make_bank, make_member, api_as, exchange_body, books
):
    bank = make_bank()
    aled, aled_account = make_member(bank)
    _bea, bea_account = make_member(bank)
    dai, _dai_account = make_member(bank)
    proposed = api_as(aled).post("/exchanges", json=exchange_body(aled_account, bea_account)).get_json()
    as_dai = api_as(dai)
    before = books()

    assert_problem(as_dai.get(f"/exchanges/{proposed['id']}"), 404)
    assert_problem(as_dai.get(f"/accounts/{aled_account.id}"), 404)
    for action in ("confirm", "decline", "cancel"):
        assert_problem(as_dai.post(f"/exchanges/{proposed['id']}/{action}"), 404)
    assert_problem(as_dai.post(f"/exchanges/{proposed['id']}/reverse", json={"reason": "x"}), 404)
    assert as_dai.get("/exchanges").get_json() == {"items": [], "per_page": 25, "older": None, "newer": None}

    assert books() == before
    assert db_session.get(Exchange, proposed["id"]).state is ExchangeState.PENDING


def test_a_funder_sees_no_exchanges(db_session, make_bank, make_member, make_funder, api_as, exchange_body):
    bank = make_bank()
    funder = make_funder(bank)
    aled, aled_account = make_member(bank)
    _bea, bea_account = make_member(bank)
    proposed = api_as(aled).post("/exchanges", json=exchange_body(aled_account, bea_account)).get_json()
    as_funder = api_as(funder)

    assert as_funder.get("/exchanges").get_json()["items"] == []
    assert as_funder.get(f"/exchanges?time_bank_id={bank.id}").get_json()["items"] == []
    assert_problem(as_funder.get(f"/exchanges/{proposed['id']}"), 404)
    assert_problem(as_funder.get(f"/accounts/{aled_account.id}"), 404)
    assert as_funder.get("/me").get_json()["roles"] == [{"time_bank_id": bank.id, "role": "funder"}]


def test_a_broker_sees_and_answers_for_members_of_their_bank_only(
    db_session, make_bank, make_member, make_broker, api_as, exchange_body
):
    bank, other_bank = make_bank(), make_bank()
    broker = make_broker(bank)
    aled, aled_account = make_member(bank)
    _bea, bea_account = make_member(bank)
    eve, eve_account = make_member(other_bank)
    _fay, fay_account = make_member(other_bank)
    here = api_as(aled).post("/exchanges", json=exchange_body(aled_account, bea_account)).get_json()
    there = api_as(eve).post("/exchanges", json=exchange_body(eve_account, fay_account)).get_json()
    as_broker = api_as(broker)

    assert [e["id"] for e in as_broker.get("/exchanges").get_json()["items"]] == [here["id"]]
    assert_problem(as_broker.get(f"/exchanges/{there['id']}"), 404)
    # The broker confirms for Bea, and the history says so.
    confirmed = as_broker.post(f"/exchanges/{here['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.get_json()
    last = confirmed.get_json()["history"][-1]
    assert (last["actor_id"], last["acting_for_account_id"], last["on_behalf"]) == (broker.id, bea_account.id, True)
    db_session.expire_all()
    assert bea_account.balance_minutes == -60


def test_an_organisation_admin_asking_for_a_safeguarding_record_is_refused_before_the_query_is_read(
    db_session, make_bank, make_member, make_organisation, make_person, api_as
):
    """Issue 9's example: without ``time_bank_id`` the answer was a 422, telling a caller who may not read
    safeguarding records at all what their request lacked."""
    bank = make_bank()
    subject, _account = make_member(bank)
    owen = make_person("Owen Orgadmin")
    make_organisation(bank, admins=(owen,))

    assert_problem(api_as(owen).get(f"/people/{subject.id}/safeguarding"), 403)
    assert_problem(api_as(owen).post(f"/people/{subject.id}/dbs-checks", json={"level": 7}), 403)


def test_reading_input_before_access_is_refused_when_the_api_is_built():
    """``@bp.arguments`` above a guard would read input before access: the blueprint will not have it."""
    bp = ApiBlueprint("misordered", __name__)

    def view(body: dict[str, Any], actor: Person) -> None:
        """A view whose decorators are in the wrong order."""

    for guard in (bp.token_required, bp.access(lambda session, actor: None)):
        with pytest.raises(TypeError, match=r"below @bp\.token_required and @bp\.access"):
            bp.arguments(InputSchema)(guard(view))


def test_an_access_rule_gets_the_path_ids_it_takes_in_the_order_the_path_names_them(app, db_session, make_person):
    bp, person, seen = ApiBlueprint("ordered", __name__), make_person(), []

    def view(first: int, second: int, actor: Person) -> str:
        return "let in"

    both = bp.access(lambda session, actor, a, b: seen.append((actor.id, a, b)))(view)
    first_only = bp.access(lambda session, actor, a: seen.append((actor.id, a)))(view)
    token, _ = tokens.issue_token(db_session, person, dt.timedelta(hours=1))
    with app.test_request_context(headers={"Authorization": f"Bearer {token}"}):
        flask.request.view_args = {"first": 7, "second": 9}
        assert both(first=7, second=9) == "let in"
        assert first_only(first=7, second=9) == "let in"

    assert seen == [(person.id, 7, 9), (person.id, 7)]

"""The demo bank: its people and roles, a year of exchanges in every state, all through the ledger."""

from __future__ import annotations

import sqlalchemy as sa

from timebank.auth.passwords import verify_password
from timebank.banks.models import TimeBank
from timebank.demo import data
from timebank.demo import service as demo
from timebank.demo.cli import demo_command
from timebank.ledger import checks
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState
from timebank.members.models import BankRole, BankRoleName, Organisation, OrganisationType, Person


def _person(db_session, email):
    return db_session.scalar(sa.select(Person).where(Person.email == email))


def test_the_demo_bank_has_its_people_and_a_year_of_exchanges(db_session, today):
    summary = demo.load_demo(db_session)

    assert summary.created
    bank = db_session.get(TimeBank, summary.time_bank_id)
    assert bank.name == data.BANK_NAME

    # Seven logins, all with the demo password, each in its role.
    logins = {login.role: _person(db_session, login.email) for login in demo.LOGINS}
    assert len(logins) == 7 and all(logins.values())
    assert all(verify_password(person.password_hash, data.DEMO_PASSWORD) for person in logins.values())
    roles = set(
        db_session.execute(sa.select(BankRole.person_id, BankRole.role).where(BankRole.time_bank_id == bank.id))
    )
    assert (logins["broker"].id, BankRoleName.BROKER) in roles
    assert (logins["funder"].id, BankRoleName.FUNDER) in roles
    assert logins["admin"].is_admin
    org_types = {org.organisation_type for person in ("charity", "council") for org in logins[person].organisations}
    assert org_types == {OrganisationType.CHARITY, OrganisationType.COUNCIL}

    # About forty residents, a few of them offline.
    resident_accounts = db_session.scalars(
        sa.select(Account).where(Account.time_bank_id == bank.id, Account.holder_kind == "resident")
    ).all()
    assert 35 <= len(resident_accounts) == summary.residents <= 45
    offline = db_session.scalar(
        sa.select(sa.func.count()).select_from(Person)
        .join(Account, Account.holder_id == Person.id)
        .where(Account.time_bank_id == bank.id, Person.email.is_(None))
    )
    assert 3 <= offline <= 8

    # A few hundred exchanges over the year, in every state.
    exchanges = db_session.scalars(sa.select(Exchange).where(Exchange.time_bank_id == bank.id)).all()
    assert 300 <= len(exchanges) <= 450
    states = summary.exchanges_by_state
    assert set(states) == {state.value for state in ExchangeState}
    assert states["confirmed"] > 0.8 * len(exchanges)
    occurred = [exchange.occurred_on for exchange in exchanges]
    assert (today - min(occurred)).days > 300 and max(occurred) <= today
    assert all(exchange.amount_minutes <= 240 for exchange in exchanges)
    assert sum(exchange.amount_minutes % 15 == 0 for exchange in exchanges) > 0.9 * len(exchanges)

    # Some wait for the demo resident to confirm; reversals are the broker's, with a reason.
    carys = db_session.scalar(sa.select(Account).where(Account.holder_id == logins["resident"].id))
    waiting = [e for e in exchanges if e.state is ExchangeState.PENDING and e.confirmer_account_id == carys.id]
    assert len(waiting) >= 3
    reversals = [e for e in exchanges if e.kind is ExchangeKind.REVERSAL]
    assert reversals and all(e.recorded_by_id == logins["broker"].id and e.description for e in reversals)
    # The broker keys for offline members; the charity and council give credits to volunteers.
    assert sum(e.recorded_by_id == logins["broker"].id and e.kind is ExchangeKind.EXCHANGE for e in exchanges) >= 5
    organisations = dict(
        db_session.execute(
            sa.select(Account.id, Organisation.organisation_type)
            .join(Organisation, Organisation.id == Account.holder_id)
        ).all()
    )
    paying = {organisations[e.payer_account_id] for e in exchanges if e.payer_account_id in organisations}
    assert paying == {OrganisationType.CHARITY, OrganisationType.COUNCIL}

    assert checks.verify(db_session) == []


def test_the_demo_command_loads_once_and_then_only_prints_the_logins(app, db_session):
    runner = app.test_cli_runner()

    first = runner.invoke(demo_command)
    assert first.exit_code == 0, first.output
    assert "Loaded Hollinbridge" in first.output
    def counts():
        return (
            db_session.scalar(sa.select(sa.func.count(Exchange.id))),
            db_session.scalar(sa.select(sa.func.count(Person.id))),
            db_session.scalar(sa.select(sa.func.count()).select_from(TimeBank).where(TimeBank.slug == data.BANK_SLUG)),
        )

    before = counts()

    second = runner.invoke(demo_command)
    assert second.exit_code == 0, second.output
    assert "already loaded" in second.output
    for login in demo.LOGINS:
        assert login.email in second.output
    assert counts() == before
    assert before[2] == 1

"""Banks over the API: the public list, a bank's joining settings (its brokers) and its staff (admins)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.api.support import assert_problem
from timebank.audit.models import AuditEvent
from timebank.banks.models import TimeBank
from timebank.members.models import BankRole, BankRoleName

SETTINGS = {"vouching_enabled": True, "vouches_needed": 3, "dbs_renewal_months": 24,
            "attendance_without_clearance": False}


def test_anyone_lists_the_banks_to_join(make_bank, anonymous):
    bank = make_bank(name="Aberhollin Time Bank")

    response = anonymous.get("/banks")

    assert response.status_code == 200
    assert {"id": bank.id, "slug": bank.slug, "name": "Aberhollin Time Bank", "agency_name": "Test Vale Action",
            "vouching_enabled": False, "opened_on": bank.opened_on.isoformat()} in response.get_json()


def test_a_broker_reads_and_changes_the_settings(db_session, make_bank, make_broker, api_as):
    bank = make_bank()
    as_broker = api_as(make_broker(bank))

    opened_on = bank.opened_on.isoformat()
    assert as_broker.get(f"/banks/{bank.id}/settings").get_json() == {
        "time_bank_id": bank.id, "vouching_enabled": False, "vouches_needed": 3, "dbs_renewal_months": 36,
        "attendance_without_clearance": False, "opened_on": opened_on}
    changed = as_broker.request("PUT", f"/banks/{bank.id}/settings", json=SETTINGS)

    assert changed.status_code == 200
    assert changed.get_json() == {"time_bank_id": bank.id, **SETTINGS, "opened_on": opened_on}
    db_session.expire_all()
    assert (bank.vouching_enabled, bank.dbs_renewal_months) == (True, 24)
    event = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "bank.settings_changed"))
    assert event.details == {"vouching_enabled": True, "dbs_renewal_months": 24}


def test_only_the_banks_brokers_see_its_settings(
    make_bank, make_broker, make_member, make_funder, make_admin, api_as
):
    bank, other_bank = make_bank(), make_bank()
    member, _ = make_member(bank)
    outsiders = [member, make_funder(bank), make_broker(other_bank)]
    as_admin = api_as(make_admin())
    clients = [api_as(person) for person in outsiders]

    for client in clients:
        assert_problem(client.get(f"/banks/{bank.id}/settings"), 403)
        assert_problem(client.request("PUT", f"/banks/{bank.id}/settings", json=SETTINGS), 403)
    assert_problem(clients[0].get(f"/banks/{2**31 - 1}/settings"), 404)
    assert as_admin.get(f"/banks/{bank.id}/settings").status_code == 200


@pytest.mark.parametrize("overrides,field", [
    ({"vouches_needed": 0}, "vouches_needed"),
    ({"vouches_needed": 21}, "vouches_needed"),
    ({"vouches_needed": "3"}, "vouches_needed"),
    ({"dbs_renewal_months": 5}, "dbs_renewal_months"),
    ({"dbs_renewal_months": 2.5}, "dbs_renewal_months"),
    ({"vouching_enabled": "yes"}, "vouching_enabled"),
    ({"vouching_enabled": None}, "vouching_enabled"),
    ({"attendance_without_clearance": "on"}, "attendance_without_clearance"),
    ({"name": "Renamed"}, "name"),
])
def test_bad_settings_are_named_and_change_nothing(db_session, make_bank, make_broker, api_as, overrides, field):
    bank = make_bank()
    as_broker = api_as(make_broker(bank))

    response = as_broker.request("PUT", f"/banks/{bank.id}/settings", json={**SETTINGS, **overrides})

    assert_problem(response, 422, field)
    db_session.expire_all()
    assert db_session.get(TimeBank, bank.id).vouching_enabled is False


def test_an_admin_gives_and_takes_staff_roles(db_session, make_bank, make_person, make_admin, api_as):
    bank = make_bank()
    funder = make_person("Fion Funder", email="fion@example.org")
    as_admin = api_as(make_admin())

    given = as_admin.post(f"/banks/{bank.id}/staff", json={"email": " FION@example.org ", "role": "funder"})

    assert given.status_code == 201, given.get_json()
    role = given.get_json()
    assert (role["person_id"], role["name"], role["email"], role["role"]) == (
        funder.id, "Fion Funder", "fion@example.org", "funder")
    assert [r["id"] for r in as_admin.get(f"/banks/{bank.id}/staff").get_json()] == [role["id"]]
    assert_problem(as_admin.post(f"/banks/{bank.id}/staff", json={"email": "fion@example.org", "role": "funder"}),
                   409, "email")
    assert_problem(as_admin.post(f"/banks/{bank.id}/staff", json={"email": "nobody@example.org", "role": "broker"}),
                   422, "email")
    assert_problem(as_admin.post(f"/banks/{bank.id}/staff", json={"email": "fion@example.org", "role": "mayor"}),
                   422, "role")
    assert_problem(as_admin.post(f"/banks/{2**31 - 1}/staff", json={"email": "fion@example.org", "role": "broker"}),
                   404)

    removed = as_admin.request("DELETE", f"/banks/{bank.id}/staff/{role['id']}")

    assert removed.status_code == 204 and removed.get_data() == b""
    assert db_session.get(BankRole, role["id"]) is None
    assert_problem(as_admin.request("DELETE", f"/banks/{bank.id}/staff/{role['id']}"), 404)


def test_only_an_admin_manages_staff(db_session, make_bank, make_broker, make_funder, make_member, api_as):
    bank, other_bank = make_bank(), make_bank()
    broker = make_broker(bank)
    other_role = db_session.scalar(sa.select(BankRole).where(BankRole.person_id == broker.id))
    member, _ = make_member(bank)
    clients = [api_as(person) for person in (broker, make_funder(bank), member, make_broker(other_bank))]

    for client in clients:
        assert_problem(client.get(f"/banks/{bank.id}/staff"), 403)
        assert_problem(client.post(f"/banks/{bank.id}/staff", json={"email": member.email, "role": "broker"}), 403)
        assert_problem(client.request("DELETE", f"/banks/{bank.id}/staff/{other_role.id}"), 403)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(BankRole).where(
        BankRole.role == BankRoleName.BROKER, BankRole.time_bank_id == bank.id)) == 1


def test_a_role_is_removed_only_from_its_own_bank(db_session, make_bank, make_broker, make_admin, api_as):
    bank, other_bank = make_bank(), make_bank()
    broker = make_broker(other_bank)
    role = db_session.scalar(sa.select(BankRole).where(BankRole.person_id == broker.id))

    assert_problem(api_as(make_admin()).request("DELETE", f"/banks/{bank.id}/staff/{role.id}"), 404)
    assert db_session.get(BankRole, role.id) is not None


@pytest.mark.parametrize("method,path", [
    ("GET", "/banks/1/settings"), ("PUT", "/banks/1/settings"), ("GET", "/banks/1/staff"),
    ("POST", "/banks/1/staff"), ("DELETE", "/banks/1/staff/1"),
])
def test_anonymous_callers_get_401(anonymous, method, path):
    assert_problem(anonymous.request(method, path, json={}), 401)

"""A bank's settings (its brokers) and staff (admins) pages. Outcomes are checked in the database."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.exchanges.test_pages import error_next_to
from tests.membership.test_pages import text_of
from timebank.members.models import BankRole, BankRoleName


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]* name="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


def settings_form(**changes: str) -> dict[str, str]:
    data = {"vouching_enabled": "y", "vouches_needed": "2", "dbs_renewal_months": "24"}
    data.update(changes)
    return data


def test_a_broker_turns_on_community_vouching(db_session, browser, bank, broker, audited):
    client = browser(broker)
    url = f"/banks/{bank.id}/settings"
    page = client.get(url).get_data(as_text=True)
    assert 'value="3"' in input_tag(page, "vouches_needed") and "checked" not in input_tag(page, "vouching_enabled")
    response = client.post(url, data=settings_form())
    assert response.status_code == 302 and response.location.endswith(url)
    db_session.refresh(bank)
    assert (bank.vouching_enabled, bank.vouches_needed, bank.dbs_renewal_months) == (True, 2, 24)
    [event] = audited("bank.settings_changed")
    assert event.details == {"vouching_enabled": True, "vouches_needed": 2, "dbs_renewal_months": 24}
    assert "The settings are saved" in text_of(client.get(url))

    # An unticked box is "off".
    assert client.post(url, data={"vouches_needed": "2", "dbs_renewal_months": "24"}).status_code == 302
    db_session.refresh(bank)
    assert bank.vouching_enabled is False


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"vouches_needed": "0"}, "vouches_needed", "between 1 and 20"),
    ({"vouches_needed": "many"}, "vouches_needed", "whole number"),
    ({"dbs_renewal_months": "500"}, "dbs_renewal_months", "between 6 and 120"),
    ({"dbs_renewal_months": ""}, "dbs_renewal_months", "Enter a number of months"),
])
def test_settings_out_of_range_are_shown_next_to_the_field(db_session, browser, bank, broker, changes, field,
                                                           message):
    response = browser(broker).post(f"/banks/{bank.id}/settings", data=settings_form(**changes))
    assert response.status_code == 422
    assert message in error_next_to(response.get_data(as_text=True), field)
    db_session.refresh(bank)
    assert (bank.vouching_enabled, bank.vouches_needed, bank.dbs_renewal_months) == (False, 3, 36)


def test_only_the_banks_brokers_change_its_settings(db_session, browser, bank, make_bank, make_broker, make_member,
                                                    make_funder):
    url = f"/banks/{bank.id}/settings"
    for person in (make_member(bank)[0], make_funder(bank), make_broker(make_bank(), "Other Broker")):
        client = browser(person)
        assert client.get(url).status_code == 403
        assert client.post(url, data=settings_form()).status_code == 403
    db_session.refresh(bank)
    assert bank.vouching_enabled is False
    assert browser(None).get(url).status_code == 302
    assert browser(make_broker(bank)).get(f"/banks/{2**31}/settings").status_code == 404


@pytest.fixture
def admin(make_admin):
    return make_admin("Ifan Admin")


def roles(db_session, bank) -> set[tuple[int, BankRoleName]]:
    return {(r.person_id, r.role) for r in db_session.scalars(sa.select(BankRole).where(BankRole.time_bank_id
                                                                                        == bank.id))}


def test_an_admin_gives_and_removes_roles(db_session, browser, bank, broker, admin, make_person, audited):
    funder = make_person("Fran Funder", email="fran@example.org")
    client = browser(admin)
    url = f"/banks/{bank.id}/staff"
    assert "Nia Broker" in text_of(client.get(url))

    response = client.post(url, data={"email": " FRAN@example.org ", "role": "funder"})
    assert response.status_code == 302 and response.location.endswith(url)
    assert roles(db_session, bank) == {(broker.id, BankRoleName.BROKER), (funder.id, BankRoleName.FUNDER)}
    assert "Fran Funder now has the role" in text_of(client.get(url))

    grant = db_session.scalar(sa.select(BankRole).where(BankRole.person_id == funder.id))
    assert client.post(f"{url}/{grant.id}/remove").status_code == 302
    assert roles(db_session, bank) == {(broker.id, BankRoleName.BROKER)}
    assert [e.subject_id for e in audited("bank.role_revoked")] == [funder.id]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"email": "nobody@example.org", "role": "broker"}, "email", "Nobody has joined with that email address"),
    ({"email": "", "role": "broker"}, "email", "Enter their email address"),
    ({"email": "broker", "role": "broker"}, "email", "They already have that role"),
    ({"email": "broker", "role": "owner"}, "role", "Choose a role"),
])
def test_a_role_that_cannot_be_given_is_shown_next_to_the_field(db_session, browser, bank, broker, admin, data,
                                                                field, message):
    if data["email"] == "broker":
        data = {**data, "email": broker.email}
    response = browser(admin).post(f"/banks/{bank.id}/staff", data=data)
    assert response.status_code == 422
    assert message in error_next_to(response.get_data(as_text=True), field)
    assert roles(db_session, bank) == {(broker.id, BankRoleName.BROKER)}


def test_only_admins_manage_staff(db_session, browser, bank, broker, admin, make_person):
    grant = db_session.scalar(sa.select(BankRole).where(BankRole.person_id == broker.id))
    make_person("Fran Funder", email="fran@example.org")
    client = browser(broker)
    url = f"/banks/{bank.id}/staff"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"email": "fran@example.org", "role": "broker"}).status_code == 403
    assert client.post(f"{url}/{grant.id}/remove").status_code == 403
    assert roles(db_session, bank) == {(broker.id, BankRoleName.BROKER)}

    admin_client = browser(admin)
    assert admin_client.get(f"/banks/{2**31}/staff").status_code == 404
    assert admin_client.get("/banks/999999/staff").status_code == 404
    assert admin_client.post(f"{url}/999999/remove").status_code == 404

"""A bank's joining settings (its brokers' to change) and its staff roles (the install admin's to give)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from timebank.banks import service as banks
from timebank.banks.service import BankSettings
from timebank.errors import Conflict, DomainError, Forbidden, NotFound
from timebank.members import policy
from timebank.members.models import BankRole, BankRoleName
from timebank.privacy.service import leave


def test_a_broker_turns_on_community_vouching(db_session, make_bank, make_broker, audited):
    bank = make_bank()
    broker = make_broker(bank)
    assert (bank.vouching_enabled, bank.vouches_needed, bank.dbs_renewal_months) == (False, 3, 36)

    banks.update_settings(db_session, broker, bank.id, BankSettings(vouching_enabled=True, vouches_needed=2,
                                                                    dbs_renewal_months=36))

    assert (bank.vouching_enabled, bank.vouches_needed, bank.dbs_renewal_months) == (True, 2, 36)
    [changed] = audited("bank.settings_changed")
    assert (changed.actor_id, changed.time_bank_id) == (broker.id, bank.id)
    assert changed.details == {"vouching_enabled": True, "vouches_needed": 2}, "only what changed"


@pytest.mark.parametrize(("vouches", "months", "field"), [
    (0, 36, "vouches_needed"), (21, 36, "vouches_needed"), (3, 5, "dbs_renewal_months"),
    (3, 121, "dbs_renewal_months"),
])
def test_settings_stay_within_bounds(db_session, make_bank, make_broker, vouches, months, field):
    bank = make_bank()
    broker = make_broker(bank)
    with pytest.raises(DomainError) as error:
        banks.update_settings(db_session, broker, bank.id, BankSettings(True, vouches, months))
    assert error.value.field == field
    db_session.refresh(bank)
    assert (bank.vouching_enabled, bank.vouches_needed, bank.dbs_renewal_months) == (False, 3, 36)


@pytest.mark.parametrize(("vouches", "months"), [(1, 6), (20, 120)])
def test_the_bounds_themselves_are_allowed(db_session, make_bank, make_broker, vouches, months):
    bank = make_bank()
    banks.update_settings(db_session, make_broker(bank), bank.id, BankSettings(True, vouches, months))
    assert (bank.vouches_needed, bank.dbs_renewal_months) == (vouches, months)


def test_only_the_bank_s_brokers_change_its_settings(db_session, make_bank, make_broker, make_member, make_person,
                                                     make_funder, make_admin, audited):
    bank = make_bank()
    settings = BankSettings(vouching_enabled=True, vouches_needed=5, dbs_renewal_months=24)
    for outsider in (make_member(bank)[0], make_funder(bank), make_broker(make_bank(), "Broker elsewhere")):
        with pytest.raises(Forbidden):
            banks.update_settings(db_session, outsider, bank.id, settings)
    with pytest.raises(NotFound):
        banks.update_settings(db_session, make_broker(bank), 999_999, settings)
    assert bank.vouching_enabled is False and audited("bank.settings_changed") == []

    banks.update_settings(db_session, make_admin(), bank.id, settings)
    assert (bank.vouching_enabled, bank.vouches_needed, bank.dbs_renewal_months) == (True, 5, 24)


def test_an_admin_gives_and_takes_away_staff_roles(db_session, make_bank, make_person, make_admin, audited):
    bank = make_bank()
    admin = make_admin()
    bethan = make_person("Bethan", email="bethan@example.org")

    broker_role = banks.give_role(db_session, admin, bank.id, " Bethan@Example.org", BankRoleName.BROKER)
    funder_role = banks.give_role(db_session, admin, bank.id, "bethan@example.org", BankRoleName.FUNDER)

    assert (broker_role.person_id, broker_role.role) == (bethan.id, BankRoleName.BROKER)
    assert banks.staff(db_session, admin, bank.id) == [broker_role, funder_role]
    granted = audited("bank.role_granted")
    assert [(e.actor_id, e.subject_id, e.details["role"]) for e in granted] == [
        (admin.id, bethan.id, "broker"), (admin.id, bethan.id, "funder")]

    banks.revoke_role(db_session, admin, bank.id, broker_role.id)

    assert banks.staff(db_session, admin, bank.id) == [funder_role]
    [revoked] = audited("bank.role_revoked")
    assert (revoked.actor_id, revoked.subject_id, revoked.details["role"]) == (admin.id, bethan.id, "broker")


def test_giving_a_role_is_checked(db_session, make_bank, make_person, make_admin):
    bank = make_bank()
    admin = make_admin()
    make_person("Bethan", email="bethan@example.org")
    leaver = make_person("Leaver", email="leaver@example.org")
    leave(db_session, leaver, leaver.id)
    banks.give_role(db_session, admin, bank.id, "bethan@example.org", BankRoleName.BROKER)

    with pytest.raises(Conflict) as twice:
        banks.give_role(db_session, admin, bank.id, "bethan@example.org", BankRoleName.BROKER)
    assert twice.value.field == "email"
    for unknown in ("nobody@example.org", "leaver@example.org", "", "not an email"):
        with pytest.raises(DomainError) as error:
            banks.give_role(db_session, admin, bank.id, unknown, BankRoleName.FUNDER)
        assert error.value.field == "email"
    with pytest.raises(NotFound):
        banks.give_role(db_session, admin, 999_999, "bethan@example.org", BankRoleName.FUNDER)
    assert len(banks.staff(db_session, admin, bank.id)) == 1


def test_only_an_admin_changes_staff_roles(db_session, make_bank, make_broker, make_person, make_admin, audited):
    bank = make_bank()
    broker = make_broker(bank)
    make_person("Candidate", email="candidate@example.org")
    role = db_session.scalar(sa.select(BankRole).where(BankRole.person_id == broker.id))

    for not_admin in (broker, make_person("Resident")):
        with pytest.raises(Forbidden):
            banks.give_role(db_session, not_admin, bank.id, "candidate@example.org", BankRoleName.BROKER)
        with pytest.raises(Forbidden):
            banks.revoke_role(db_session, not_admin, bank.id, role.id)
        with pytest.raises(Forbidden):
            banks.staff(db_session, not_admin, bank.id)

    assert db_session.get(BankRole, role.id) is not None
    assert audited("bank.role_revoked") == []
    with pytest.raises(NotFound):  # a role in another bank
        banks.revoke_role(db_session, make_admin(), make_bank().id, role.id)
    assert db_session.get(BankRole, role.id) is not None


def test_a_broker_whose_role_is_taken_away_no_longer_brokers(db_session, make_bank, make_broker, make_admin):
    bank = make_bank()
    broker = make_broker(bank)
    role = db_session.scalar(sa.select(BankRole).where(BankRole.person_id == broker.id))
    assert policy.is_broker(db_session, broker, bank.id)
    banks.revoke_role(db_session, make_admin(), bank.id, role.id)
    assert not policy.is_broker(db_session, broker, bank.id)
    with pytest.raises(Forbidden):
        banks.brokered_bank(db_session, broker, bank.id)

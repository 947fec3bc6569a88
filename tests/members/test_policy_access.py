"""The policy reads a person's holders, roles and accounts once per unit of work (``policy.access_of``), and
never answers from what it read before the session changed them, committed or rolled back."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.support import statements_sent
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.ledger.models import Account
from timebank.members import policy
from timebank.members import service as members
from timebank.members.models import BankRole, BankRoleName, OrganisationType, Person


def test_asked_many_times_it_reads_once(db_session: Session, bank: TimeBank,
                                        make_member: Callable[..., tuple[Person, Account]]) -> None:
    person, account = make_member(bank, "Ann")
    with statements_sent(db_session.connection()) as statements:
        assert policy.may_act_for(db_session, person, account)
        assert not policy.is_broker(db_session, person, bank.id)
        assert policy.member_bank_ids(db_session, person) == {bank.id}
        assert not policy.acts_on_behalf(db_session, person, account)
        assert not policy.sees_aggregates_only(db_session, person)
    assert len(statements) == 1


def test_a_role_granted_in_the_same_unit_of_work_counts_at_once(
        db_session: Session, bank: TimeBank, make_person: Callable[..., Person]) -> None:
    person = make_person("Nia")
    assert not policy.is_broker(db_session, person, bank.id)
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=person.id, role=BankRoleName.BROKER, actor_id=None)
    assert policy.is_broker(db_session, person, bank.id)
    db_session.execute(sa.delete(BankRole).where(BankRole.person_id == person.id))
    assert not policy.is_broker(db_session, person, bank.id)


def test_an_organisation_and_an_account_made_in_the_same_unit_of_work_count_at_once(
        db_session: Session, bank: TimeBank, make_person: Callable[..., Person]) -> None:
    person = make_person("Rachel")
    assert policy.own_holder_ids(db_session, person) == {person.id}
    organisation = members.create_organisation(db_session, display_name="Hollinbridge Food Bank",
                                               organisation_type=OrganisationType.CHARITY, admin_ids=(person.id,))
    assert policy.own_holder_ids(db_session, person) == {person.id, organisation.id}
    assert not policy.acts_for_some_account(db_session, person)
    account = members.join_bank(db_session, organisation, bank.id, actor_id=None)
    assert policy.member_bank_ids(db_session, person) == {bank.id}
    assert not policy.acts_on_behalf(db_session, person, account)


def test_what_was_read_goes_with_the_transaction(db_session: Session, bank: TimeBank,
                                                 make_person: Callable[..., Person]) -> None:
    person = make_person("Owain")
    assert not policy.is_broker(db_session, person, bank.id)
    db_session.commit()
    db_session.refresh(person)
    bank_id = bank.id
    with statements_sent(db_session.connection()) as statements:
        assert not policy.is_broker(db_session, person, bank_id)
    assert len(statements) == 1  # read again: another request may have granted a role meanwhile


def test_a_change_not_yet_flushed_counts_too(db_session: Session, bank: TimeBank,
                                             make_person: Callable[..., Person]) -> None:
    person = make_person("Bethan")
    assert not policy.is_broker(db_session, person, bank.id)
    db_session.add(BankRole(time_bank_id=bank.id, person_id=person.id, role=BankRoleName.BROKER))
    assert policy.is_broker(db_session, person, bank.id)

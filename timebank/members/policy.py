"""Who may see and do what. Every page and API route asks these questions on the server.

Roles: a resident acts for their own accounts; an organisation admin for the organisation's; a broker
for every account in their bank (recorded as acting on someone's behalf); an admin runs the install and
has a broker's powers over the ledger; a funder sees aggregate reports only.

The policy reads the roles (``members``) and the accounts (``ledger``), nothing above them, so that every
feature may ask it, ``members`` and ``banks`` included. What else ties a holder to a bank is told to it by
the feature that owns the tie (``add_bank_tie``, called by the app factory): membership's open
applications.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.errors import Forbidden
from timebank.ledger.models import Account, Exchange, LedgerHead
from timebank.members.models import BankRole, BankRoleName, Holder, OrganisationAdmin, Person

#: Given a holder id, a query of the ids of banks the holder is tied to in some way besides an account.
BankTie = Callable[[int], sa.Select[tuple[int]]]
_bank_ties: list[BankTie] = []


def add_bank_tie(tie: BankTie) -> None:
    """Count a way a holder belongs to a bank besides holding an account there, so that the bank's
    brokers reach them (``holder_bank_ids``)."""
    if tie not in _bank_ties:
        _bank_ties.append(tie)


def bank_ids_with_role(session: Session, person: Person, role: BankRoleName) -> set[int]:
    return set(
        session.scalars(
            sa.select(BankRole.time_bank_id).where(BankRole.person_id == person.id, BankRole.role == role)
        )
    )


def is_broker(session: Session, person: Person, time_bank_id: int) -> bool:
    if person.is_admin:
        return True
    return session.scalar(
        sa.select(BankRole.id).where(
            BankRole.person_id == person.id,
            BankRole.time_bank_id == time_bank_id,
            BankRole.role == BankRoleName.BROKER,
        )
    ) is not None


def own_holder_ids(session: Session, person: Person) -> set[int]:
    """The holders a person acts for as themselves: their own and their organisations'."""
    organisations = session.scalars(
        sa.select(OrganisationAdmin.organisation_id).where(OrganisationAdmin.person_id == person.id)
    )
    return {person.id, *organisations}


def own_accounts(session: Session, person: Person) -> list[Account]:
    """Accounts the person holds or holds for an organisation, oldest first."""
    return list(
        session.scalars(
            sa.select(Account)
            .where(Account.holder_id.in_(own_holder_ids(session, person)))
            .order_by(Account.time_bank_id, Account.id)
        )
    )


def may_act_for(session: Session, person: Person, account: Account) -> bool:
    if account.holder_id is not None and account.holder_id in own_holder_ids(session, person):
        return True
    return is_broker(session, person, account.time_bank_id)


def acts_on_behalf(session: Session, person: Person, account: Account) -> bool:
    """True when the person acts for an account that is not theirs (a broker for a member)."""
    return account.holder_id not in own_holder_ids(session, person)


def may_view_exchange(session: Session, person: Person, exchange: Exchange) -> bool:
    holders = own_holder_ids(session, person)
    if exchange.receiver.holder_id in holders or exchange.giver.holder_id in holders:
        return True
    return is_broker(session, person, exchange.time_bank_id)


def may_reverse(session: Session, person: Person, time_bank_id: int) -> bool:
    return is_broker(session, person, time_bank_id)


def sees_aggregates_only(session: Session, person: Person) -> bool:
    """A funder who neither brokers nor holds an account of their own sees aggregate figures only, never
    exchange pages. (A funder who is also a member still sees their own exchanges: visibility never
    widens to the banks they fund.)"""
    if person.is_admin:
        return False
    roles = set(session.scalars(sa.select(BankRole.role).where(BankRole.person_id == person.id)))
    if BankRoleName.FUNDER not in roles or BankRoleName.BROKER in roles:
        return False
    has_account = session.scalar(
        sa.select(Account.id).where(Account.holder_id.in_(own_holder_ids(session, person))).limit(1)
    )
    return has_account is None


def acts_for_some_account(session: Session, person: Person) -> bool:
    """Holds an account (or acts for an organisation that does), or brokers a bank: has someone to act for."""
    return bool(member_bank_ids(session, person) or broker_bank_ids(session, person))


def require_member_access(session: Session, person: Person) -> None:
    """Refuse (403) a funder who sees aggregates only: member-level records and lists are not theirs."""
    if sees_aggregates_only(session, person):
        raise Forbidden()


def broker_bank_ids(session: Session, person: Person) -> set[int]:
    """The banks a person brokers; an admin brokers every bank (each has its chain head from the moment
    it is made: ``ledger.service.open_bank_ledger``)."""
    if person.is_admin:
        return set(session.scalars(sa.select(LedgerHead.time_bank_id)))
    return bank_ids_with_role(session, person, BankRoleName.BROKER)


def member_bank_ids(session: Session, person: Person) -> set[int]:
    """The banks where the person, or an organisation they act for, holds an account."""
    return set(
        session.scalars(
            sa.select(Account.time_bank_id).where(Account.holder_id.in_(own_holder_ids(session, person))).distinct()
        )
    )


def holder_bank_ids(session: Session, holder_id: int) -> set[int]:
    """The banks a holder belongs to: holds an account in, or is tied to otherwise (``add_bank_tie``: an
    open application)."""
    accounts = sa.select(Account.time_bank_id).where(Account.holder_id == holder_id)
    return set(session.scalars(sa.union(accounts, *(tie(holder_id) for tie in _bank_ties))))


def brokers_holder(session: Session, person: Person, holder_id: int) -> bool:
    """The person brokers a bank the holder belongs to or has an open application to."""
    return bool(broker_bank_ids(session, person) & holder_bank_ids(session, holder_id))


def may_manage_holder(session: Session, person: Person, holder: Holder) -> bool:
    """May change the holder's details and profile: themselves, their organisation's admins, and the
    brokers of the holder's banks."""
    return holder.id in own_holder_ids(session, person) or brokers_holder(session, person, holder.id)

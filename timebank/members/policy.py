"""Who may see and do what. Every page and API route asks these questions on the server.

Roles: a resident acts for their own accounts; an organisation admin for the organisation's; a broker
for every account in their bank (recorded as acting on someone's behalf); an admin runs the install and
has a broker's powers over the ledger; a funder sees aggregate reports only.

The policy reads the roles (``members``) and the accounts (``ledger``), nothing above them, so that every
feature may ask it, ``members`` and ``banks`` included. What else ties a holder to a bank is told to it by
the feature that owns the tie (``add_bank_tie``, called by the app factory): membership's open
applications. Likewise what else makes a person a funder (``add_funder_tie``): programmes' funder members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session

from timebank.errors import Forbidden
from timebank.ledger.models import Account, Exchange, LedgerHead
from timebank.members.models import BankRole, BankRoleName, Holder, OrganisationAdmin, Person

#: Given a holder id, a query of the ids of banks the holder is tied to in some way besides an account.
BankTie = Callable[[int], sa.Select[tuple[int]]]
_bank_ties: list[BankTie] = []
#: Given a person id, a query of the ids of funders the person reads reports for besides a bank's funder role.
FunderTie = Callable[[int], sa.Select[tuple[int]]]
_funder_ties: list[FunderTie] = []


def add_bank_tie(tie: BankTie) -> None:
    """Count a way a holder belongs to a bank besides holding an account there, so that the bank's
    brokers reach them (``holder_bank_ids``)."""
    if tie not in _bank_ties:
        _bank_ties.append(tie)


def add_funder_tie(tie: FunderTie, table: str) -> None:
    """Count a way a person reads reports for a funder besides a bank's funder role (its rows are in
    ``table``, so writing them drops what ``access_of`` read): such a person, holding no account and
    brokering nothing, sees aggregates only (``sees_aggregates_only``)."""
    if tie not in _funder_ties:
        _funder_ties.append(tie)
        _ACCESS_TABLES.add(table)


@dataclass(frozen=True)
class Access:
    """What the policy needs to know about a person, read once per unit of work (``access_of``)."""

    #: The holders the person acts for as themselves: their own id and their organisations'.
    holder_ids: frozenset[int]
    #: The person's staff roles, as (role, bank id).
    roles: frozenset[tuple[BankRoleName, int]]
    #: The accounts those holders hold: account id → bank id.
    account_banks: dict[int, int]
    #: Reads reports for a funder other than through a bank's funder role (``add_funder_tie``).
    funds: bool = False

    def banks_with(self, role: BankRoleName) -> set[int]:
        return {bank_id for held, bank_id in self.roles if held is role}


#: Where ``access_of`` keeps what it read, in ``Session.info``: person id → ``Access``.
_ACCESS = "timebank.policy.access"
#: Writing any of these (or a bulk statement on their tables) may change someone's access.
_ACCESS_TABLES = {"organisation_admins", "bank_roles", "accounts", "holders", "people"}


#: The kinds of row ``access_of`` reads besides staff roles (whose kind is the role's own name).
_NOT_ROLES = ("holder", "account", "funder_tie")


def access_of(session: Session, person: Person) -> Access:
    """The person's holders, roles and accounts, in one query the first time a unit of work asks. Kept on
    the session, which is the request's own, and dropped whenever the session writes anything that could
    change them, commits or rolls back (``_forget_access``), so it is never another request's or stale."""
    if _changes_access(session):  # not flushed yet: the query below flushes them first
        _forget_access(session)
    memo: dict[int, Access] = session.info.setdefault(_ACCESS, {})
    found = memo.get(person.id)
    if found is not None:
        return found
    rows = session.execute(sa.union_all(
        sa.select(sa.literal("holder"), OrganisationAdmin.organisation_id, sa.cast(sa.null(), sa.Integer))
        .where(OrganisationAdmin.person_id == person.id),
        sa.select(sa.cast(BankRole.role, sa.String), BankRole.time_bank_id, sa.cast(sa.null(), sa.Integer))
        .where(BankRole.person_id == person.id),
        sa.select(sa.literal("account"), Account.id, Account.time_bank_id)
        .where(_held_by_own_holders(person)),
        *(sa.select(sa.literal("funder_tie"), *funders.c, sa.cast(sa.null(), sa.Integer))
          for funders in (tie(person.id).subquery() for tie in _funder_ties)),
    )).all()
    found = Access(
        holder_ids=frozenset({person.id, *(a for kind, a, _ in rows if kind == "holder")}),
        roles=frozenset((BankRoleName(kind), a) for kind, a, _ in rows if kind not in _NOT_ROLES),
        account_banks={a: b for kind, a, b in rows if kind == "account"},
        funds=any(kind == "funder_tie" for kind, _, _ in rows),
    )
    memo[person.id] = found
    return found


def _held_by_own_holders(person: Person) -> sa.ColumnElement[bool]:
    """An account held by the person or by an organisation they act for."""
    organisations = sa.select(OrganisationAdmin.organisation_id).where(OrganisationAdmin.person_id == person.id)
    return sa.or_(Account.holder_id == person.id, Account.holder_id.in_(organisations))


def _forget_access(session: Session, *_args: object) -> None:
    session.info.pop(_ACCESS, None)


def _changes_access(session: Session) -> bool:
    """Whether the session holds changes, flushed or not, to rows a person's access is read from (an
    account's balances do not count)."""
    changed = (*session.new, *session.deleted, *(o for o in session.dirty if not isinstance(o, Account)))
    return any(sa.inspect(o).mapper.local_table.name in _ACCESS_TABLES for o in changed)


@sa.event.listens_for(Session, "after_flush")
def _forget_access_after_writes(session: Session, _context: object) -> None:
    if _changes_access(session):
        _forget_access(session)


@sa.event.listens_for(Session, "do_orm_execute")
def _forget_access_after_statements(state: ORMExecuteState) -> None:
    table = getattr(state.statement, "table", None)
    if (state.is_insert or state.is_update or state.is_delete) and getattr(table, "name", None) in _ACCESS_TABLES:
        _forget_access(state.session)


for _event in ("after_commit", "after_rollback", "after_soft_rollback"):
    sa.event.listen(Session, _event, _forget_access)


def bank_ids_with_role(session: Session, person: Person, role: BankRoleName) -> set[int]:
    return access_of(session, person).banks_with(role)


def is_broker(session: Session, person: Person, time_bank_id: int) -> bool:
    if person.is_admin:
        return True
    return (BankRoleName.BROKER, time_bank_id) in access_of(session, person).roles


def own_holder_ids(session: Session, person: Person) -> set[int]:
    """The holders a person acts for as themselves: their own and their organisations'."""
    return set(access_of(session, person).holder_ids)


def own_accounts(session: Session, person: Person) -> list[Account]:
    """Accounts the person holds or holds for an organisation, oldest first."""
    return list(
        session.scalars(
            sa.select(Account)
            # Not through ``access_of``: one query either way, and a request that needs only this saves one.
            .where(_held_by_own_holders(person))
            .order_by(Account.time_bank_id, Account.id)
        )
    )


def may_act_for(session: Session, person: Person, account: Account) -> bool:
    if account.holder_id is not None and account.holder_id in own_holder_ids(session, person):
        return True
    return is_broker(session, person, account.time_bank_id)


def may_act_for_id(session: Session, person: Person, account_id: int) -> bool:
    """``may_act_for`` by the account's id: the person's own accounts are known without loading them."""
    if account_id in access_of(session, person).account_banks:
        return True
    account = session.get(Account, account_id)
    return account is not None and may_act_for(session, person, account)


def acts_on_behalf(session: Session, person: Person, account: Account) -> bool:
    """True when the person acts for an account that is not theirs (a broker for a member)."""
    return acts_on_behalf_id(session, person, account.id)


def acts_on_behalf_id(session: Session, person: Person, account_id: int) -> bool:
    """``acts_on_behalf`` by the account's id: theirs are the accounts their own holders hold."""
    return account_id not in access_of(session, person).account_banks


def may_view_exchange(session: Session, person: Person, exchange: Exchange) -> bool:
    holders = own_holder_ids(session, person)
    if exchange.receiver.holder_id in holders or exchange.giver.holder_id in holders:
        return True
    return is_broker(session, person, exchange.time_bank_id)


def may_reverse(session: Session, person: Person, time_bank_id: int) -> bool:
    return is_broker(session, person, time_bank_id)


def sees_aggregates_only(session: Session, person: Person) -> bool:
    """A funder (a bank's funder role, or a funder's member: ``add_funder_tie``) who neither brokers nor
    holds an account of their own sees aggregate figures only, never exchange pages. (A funder who is also
    a member still sees their own exchanges: visibility never widens to the banks they fund.)"""
    if person.is_admin:
        return False
    access = access_of(session, person)
    roles = {role for role, _bank in access.roles}
    if not (BankRoleName.FUNDER in roles or access.funds) or BankRoleName.BROKER in roles:
        return False
    return not access.account_banks


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
    return set(access_of(session, person).account_banks.values())


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

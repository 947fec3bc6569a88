"""The member-facing side of the ledger: who may propose, confirm, decline, cancel, reverse and see
which exchanges. Pages and the API both call these functions, so every rule lives here once; the
ledger service below keeps the books. Only flushes.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection
from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.categories.service import category_by_code
from timebank.categories.taxonomy import label_for
from timebank.errors import Forbidden
from timebank.ledger import errors
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeEvent, ExchangeState, FamilyTie
from timebank.members import policy
from timebank.members.models import BankRoleName, Holder, HolderType, OrganisationAdmin, Person
from timebank.pagination import KeysetPage, keyset_page
from timebank.picker import PICK_LIMIT, Candidate, pick


class Side(enum.StrEnum):
    """Which side of the exchange the proposer is on."""

    GIVER = "giver"  # I gave the help: I earn
    RECEIVER = "receiver"  # I received the help: I pay


class Action(enum.StrEnum):
    CONFIRM = "confirm"
    DECLINE = "decline"
    CANCEL = "cancel"
    REVERSE = "reverse"


@dataclass(frozen=True)
class Proposal:
    account_id: int
    side: Side
    counterpart_account_id: int
    minutes: int
    occurred_on: dt.date
    category: str
    description: str
    idempotency_key: str
    #: Whether the other side is someone the giver lives with or a close relative (TB-09); ``None`` when
    #: not said (or "no"). It is part of the request: a replay must say the same.
    family_tie: FamilyTie | None = None


def require_acts_for(session: Session, actor: Person, account_id: int, field: str | None = None) -> None:
    """Refuse an account the actor may not act for: to them it does not exist."""
    if not policy.may_act_for_id(session, actor, account_id):
        raise errors.AccountNotFound(field=field)


def account_for(session: Session, actor: Person, account_id: int, field: str | None = None) -> Account:
    """An account the actor may act for; any other account does not exist for them."""
    require_acts_for(session, actor, account_id, field)
    return cast(Account, session.get(Account, account_id))


def require_an_account(session: Session, actor: Person) -> None:
    """Someone with no account to act for (a funder) has nothing to record for: to them, every account
    is not there. Asked before a proposal is read; ``account_for`` then checks the one it names."""
    if not policy.acts_for_some_account(session, actor):
        raise errors.AccountNotFound()


def _audit_on_behalf(session: Session, actor: Person, account_id: int, exchange: Exchange, action: str) -> None:
    """The ledger's event says who acted for which account; the audit log also lists every time someone
    acted for an account that is not theirs (a broker keying or answering for a member)."""
    if policy.acts_on_behalf_id(session, actor, account_id):
        account = cast(Account, session.get(Account, account_id))
        audit.record(session, f"exchanges.{action}_on_behalf", actor_id=actor.id, subject_type="exchange",
                     subject_id=exchange.id, time_bank_id=exchange.time_bank_id, acting_for_account_id=account.id,
                     acting_for_holder_id=account.holder_id)


def propose(session: Session, actor: Person, proposal: Proposal) -> tuple[Exchange, bool]:
    """Record an exchange for an account the actor may act for; the other side confirms later."""
    require_acts_for(session, actor, proposal.account_id, "account")
    category = category_by_code(session, proposal.category)
    exchange, created = ledger.record_exchange(
        session,
        proposer_account_id=proposal.account_id,
        counterpart_account_id=proposal.counterpart_account_id,
        proposer_is_giver=proposal.side is Side.GIVER,
        amount_minutes=proposal.minutes,
        occurred_on=proposal.occurred_on,
        category_id=category.id,
        description=proposal.description,
        recorded_by_id=actor.id,
        idempotency_key=proposal.idempotency_key,
        family_tie=proposal.family_tie,
    )
    if created:
        _audit_on_behalf(session, actor, exchange.proposer_account_id, exchange, "recorded")
    return exchange, created


def visible_exchange(session: Session, actor: Person, exchange_id: int) -> Exchange:
    """The exchange, if the actor may see it; otherwise it does not exist for them."""
    exchange = session.get(Exchange, exchange_id)
    if exchange is None or not policy.may_view_exchange(session, actor, exchange):
        raise errors.ExchangeNotFound()
    return exchange


def _confirmer(exchange: Exchange) -> Account:
    return exchange.receiver if exchange.confirmer_account_id == exchange.receiver_account_id else exchange.giver


def _proposer(exchange: Exchange) -> Account:
    return exchange.receiver if exchange.proposer_account_id == exchange.receiver_account_id else exchange.giver


def allowed_actions(session: Session, actor: Person, exchange: Exchange) -> set[Action]:
    actions: set[Action] = set()
    if exchange.state is ExchangeState.PENDING:
        if policy.may_act_for(session, actor, _confirmer(exchange)):
            actions |= {Action.CONFIRM, Action.DECLINE}
        if policy.may_act_for(session, actor, _proposer(exchange)):
            actions.add(Action.CANCEL)
    elif (
        exchange.state is ExchangeState.CONFIRMED
        and exchange.reverses_exchange_id is None
        and policy.may_reverse(session, actor, exchange.time_bank_id)
    ):
        actions.add(Action.REVERSE)
    return actions


def _require(session: Session, actor: Person, exchange: Exchange, action: Action) -> None:
    if action in allowed_actions(session, actor, exchange):
        return
    if exchange.state is not ExchangeState.PENDING and action is not Action.REVERSE:
        raise errors.InvalidTransition(ledger.transition_message(exchange.state))
    if action in (Action.CONFIRM, Action.DECLINE) and Action.CANCEL in allowed_actions(session, actor, exchange):
        raise errors.CannotConfirmOwnProposal()
    if action is Action.CANCEL:
        raise errors.OnlyProposerCanCancel()
    if action is Action.REVERSE and exchange.state is not ExchangeState.CONFIRMED:
        raise errors.InvalidTransition(ledger.transition_message(exchange.state))
    raise Forbidden()


def actionable(session: Session, actor: Person, exchange_id: int, action: Action) -> Exchange:
    """The exchange, if the actor may do ``action`` to it now: the check of a dry run, or of the page that asks
    "Decline this exchange?" (the action itself refuses the same)."""
    exchange = visible_exchange(session, actor, exchange_id)
    _require(session, actor, exchange, action)
    return exchange


def confirm(session: Session, actor: Person, exchange_id: int) -> Exchange:
    exchange = visible_exchange(session, actor, exchange_id)
    _require(session, actor, exchange, Action.CONFIRM)
    confirmed = ledger.confirm_exchange(
        session, exchange.id, actor_id=actor.id, acting_for_account_id=exchange.confirmer_account_id
    )
    _audit_on_behalf(session, actor, confirmed.confirmer_account_id, confirmed, "confirmed")
    return confirmed


def decline(session: Session, actor: Person, exchange_id: int, note: str = "") -> Exchange:
    exchange = visible_exchange(session, actor, exchange_id)
    _require(session, actor, exchange, Action.DECLINE)
    note = note.strip()
    if len(note) > ledger.MAX_DESCRIPTION:  # the event's note column holds 1,000 characters
        raise errors.DescriptionTooLong(field="note")
    declined = ledger.decline_exchange(
        session, exchange.id, actor_id=actor.id, acting_for_account_id=exchange.confirmer_account_id, note=note
    )
    _audit_on_behalf(session, actor, declined.confirmer_account_id, declined, "declined")
    return declined


def cancel(session: Session, actor: Person, exchange_id: int) -> Exchange:
    exchange = visible_exchange(session, actor, exchange_id)
    _require(session, actor, exchange, Action.CANCEL)
    cancelled = ledger.cancel_exchange(
        session, exchange.id, actor_id=actor.id, acting_for_account_id=exchange.proposer_account_id
    )
    _audit_on_behalf(session, actor, cancelled.proposer_account_id, cancelled, "cancelled")
    return cancelled


def reverse(session: Session, actor: Person, exchange_id: int, reason: str) -> Exchange:
    exchange = visible_exchange(session, actor, exchange_id)
    if exchange.reverses_exchange_id is not None:
        raise errors.CannotReverseReversal()
    _require(session, actor, exchange, Action.REVERSE)
    return ledger.reverse_exchange(session, exchange.id, actor_id=actor.id, reason=reason)


# --- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Visible:
    """What an actor may see of the exchanges: those of their own accounts (and their organisations'),
    and every one in the banks they broker (an admin: every bank)."""

    accounts: dict[int, int]  # own account id → its bank
    banks: set[int]

    def may_see(self, account: Account) -> bool:
        return account.id in self.accounts or account.time_bank_id in self.banks


def _visible(session: Session, actor: Person) -> _Visible:
    banks = (set(session.scalars(sa.select(TimeBank.id))) if actor.is_admin
             else policy.bank_ids_with_role(session, actor, BankRoleName.BROKER))
    accounts = dict(session.execute(
        sa.select(Account.id, Account.time_bank_id).where(Account.holder_id.in_(policy.own_holder_ids(session, actor)))
    ).all())
    return _Visible(accounts, banks)


#: The order of every list of exchanges, newest first: by the day of the help, then, within a day, by the order
#: they were recorded in, which their ids follow (``keyset_page``'s ``sort``, then its key).
NEWEST_FIRST = (Exchange.occurred_on,)


def account_branches(ids: sa.Select[tuple[int]], account_ids: list[int]) -> list[sa.Select[tuple[int]]]:
    """``ids`` (a select of ``Exchange.id``) for each of these accounts on either side, as branches for
    ``keyset_page``: one per account and side, each served by the (side, id) index, or, in ``NEWEST_FIRST``
    order, the (side, occurred_on, id) one."""
    return [ids.where(side == account_id) for account_id in account_ids
            for side in (Exchange.giver_account_id, Exchange.receiver_account_id)]


def _visible_branches(
    session: Session, actor: Person, *, account_id: int | None, time_bank_id: int | None,
    state: ExchangeState | None,
) -> list[sa.Select[tuple[int]]]:
    """The exchanges the actor may see, with the filters, as a union of branches that each read one index
    in ``NEWEST_FIRST`` order (``timebank.pagination.keyset_page``): never an OR across the table."""
    visible = _visible(session, actor)
    ids = sa.select(Exchange.id)
    if state is not None:
        ids = ids.where(Exchange.state == state)
    if account_id is not None:
        account = session.get(Account, account_id)
        if account is None or time_bank_id not in (None, account.time_bank_id):
            return []
        if visible.may_see(account):
            return account_branches(ids, [account_id])
        # Someone else's account: only the exchanges it shares with one of the actor's own, read from theirs.
        return [branch.where(other == account_id) for mine in visible.accounts
                for branch, other in ((ids.where(Exchange.giver_account_id == mine), Exchange.receiver_account_id),
                                      (ids.where(Exchange.receiver_account_id == mine), Exchange.giver_account_id))]
    banks = visible.banks if time_bank_id is None else visible.banks & {time_bank_id}
    # An account in a bank the actor brokers is already in that bank's branch.
    accounts = [a for a, bank in visible.accounts.items() if time_bank_id in (None, bank) and bank not in banks]
    return [ids.where(Exchange.time_bank_id == bank) for bank in sorted(banks)] + account_branches(ids, accounts)


def list_exchanges(
    session: Session,
    actor: Person,
    *,
    account_id: int | None = None,
    time_bank_id: int | None = None,
    state: ExchangeState | None = None,
    before: int | None = None,
    after: int | None = None,
    per_page: int = 25,
) -> KeysetPage[Exchange]:
    """Exchanges the actor may see, newest first (``NEWEST_FIRST``), optionally for one account, bank or state:
    the page older than the exchange ``before``, or newer than ``after``, or else the newest."""
    branches = _visible_branches(session, actor, account_id=account_id, time_bank_id=time_bank_id, state=state)
    return keyset_page(session, Exchange.id, branches, sort=NEWEST_FIRST, before=before, after=after,
                       per_page=per_page)


@dataclass(frozen=True)
class PendingLists:
    #: Waiting for the actor (or, for a broker, someone they act for) to confirm or decline.
    to_answer: list[Exchange]
    #: Proposed by the actor's side, waiting for the other side.
    awaiting_others: list[Exchange]


def pending(session: Session, actor: Person, *, limit: int = 100) -> PendingLists:
    """The newest ``limit`` pending exchanges involving the actor's own accounts (a broker's bank-wide
    queue is separate)."""
    own = [account.id for account in policy.own_accounts(session, actor)]
    found = keyset_page(session, Exchange.id, account_branches(
        sa.select(Exchange.id).where(Exchange.state == ExchangeState.PENDING), own), per_page=limit).items
    return PendingLists([e for e in found if e.proposer_account_id not in own],
                        [e for e in found if e.proposer_account_id in own])


def newest_to_answer(session: Session, own: set[int], limit: int) -> list[Exchange]:
    """The newest ``limit`` pending exchanges waiting for these accounts' side to answer (proposed by the
    other side: ``pending``'s ``to_answer``), newest help first, in one statement however many there are."""
    return list(session.scalars(
        sa.select(Exchange).where(Exchange.state == ExchangeState.PENDING,
                                  sa.or_(Exchange.giver_account_id.in_(own), Exchange.receiver_account_id.in_(own)),
                                  Exchange.proposer_account_id.not_in(own))
        .order_by(Exchange.occurred_on.desc(), Exchange.id.desc()).limit(limit)))


def counterpart_choices(session: Session, account: Account, text: str = "", *, limit: int = PICK_LIMIT + 1,
                        only: Collection[int] | None = None) -> list[Candidate[None]]:
    """Everyone else in the account's bank who can take part in an exchange (account ids), by name: those
    whose name contains ``text``, at most ``limit``, or those of ``only`` (``picker.pick``)."""
    rows = pick(
        session,
        sa.select(Account.id, Holder.display_name, Holder.type, Holder.postcode_district)
        .join(Holder, Holder.id == Account.holder_id)
        .where(Account.time_bank_id == account.time_bank_id, Account.id != account.id,
               Holder.pseudonymised_at.is_(None)),
        key=Account.id, name=Holder.display_name, text=text, limit=limit, only=only,
    )
    return [Candidate(account_id, name, gettext("group") if kind == HolderType.ORGANISATION else district)
            for account_id, name, kind, district in rows]


def holder_names(session: Session, exchanges: list[Exchange]) -> dict[int, str]:
    """Account id → display name for every account in these exchanges, in one query. The community
    pot, which has no holder, is named after its bank."""
    return parties(session, None, exchanges).names


@dataclass(frozen=True)
class Parties:
    """Who took part in a list of exchanges, as a page says it to its reader."""

    #: Account id → what the account is called (``account_labels``).
    names: dict[int, str]
    #: The reader's own personal accounts among them: "you gave", "gave you".
    yours: set[int]


def parties(session: Session, reader: Person | None, exchanges: list[Exchange]) -> Parties:
    """The names of everyone in these exchanges and which side is the reader, in one query."""
    rows = _account_rows(session, party_ids(exchanges))
    return Parties({account_id: name for account_id, _holder, name, _bank in rows},
                   {account_id for account_id, holder_id, _name, _bank in rows
                    if reader is not None and holder_id == reader.id})


def party_ids(exchanges: list[Exchange]) -> set[int]:
    """The accounts that gave or received in these exchanges."""
    return {e.receiver_account_id for e in exchanges} | {e.giver_account_id for e in exchanges}


def account_labels(session: Session, account_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Account id → (what the account is called, its bank's name), in one query (none for no accounts)."""
    rows = _account_rows(session, account_ids)
    return {account_id: (name, bank_name) for account_id, _holder, name, bank_name in rows}


def _account_rows(session: Session, account_ids: set[int]) -> list[tuple[int, int | None, str, str]]:
    """(account id, holder id, what the account is called, its bank's name) for each account, in one query."""
    if not account_ids:
        return []
    rows = session.execute(
        sa.select(Account.id, Account.holder_id, Holder.display_name, TimeBank.name)
        .outerjoin(Holder, Holder.id == Account.holder_id)
        .join(TimeBank, TimeBank.id == Account.time_bank_id)
        .where(Account.id.in_(account_ids))
    )
    return [(account_id, holder_id, _account_name(name, bank_name), bank_name)
            for account_id, holder_id, name, bank_name in rows]


def _account_name(holder_name: str | None, bank_name: str) -> str:
    """What an account is called: its holder's name; the community pot, which has no holder, after its bank."""
    return holder_name if holder_name is not None else gettext("%(bank)s community pot", bank=bank_name)


# --- for the pages (added with the server-rendered ledger pages) -------------------------------------


@dataclass(frozen=True)
class ActableAccount:
    account: Account
    #: The holder's name.
    name: str
    bank_name: str
    #: True when the actor would act for someone else's account (a broker for a member).
    on_behalf: bool

    @property
    def account_id(self) -> int:
        return self.account.id


def accounts_to_act_for(session: Session, actor: Person) -> list[ActableAccount]:
    """Every account the actor may record an exchange for: their own (and their organisations') first,
    then, for brokers, every member of the banks they broker (admins: every bank), by bank and name."""
    own_holders = policy.own_holder_ids(session, actor)
    if actor.is_admin:
        scope: sa.ColumnElement[bool] = sa.true()
    else:
        scope = sa.or_(
            Account.holder_id.in_(own_holders),
            Account.time_bank_id.in_(policy.bank_ids_with_role(session, actor, BankRoleName.BROKER)),
        )
    is_own = Account.holder_id.in_(own_holders)
    rows = session.execute(
        sa.select(Account, Holder.display_name, TimeBank.name)
        .join(Holder, Holder.id == Account.holder_id)
        .join(TimeBank, TimeBank.id == Account.time_bank_id)
        .where(scope, Holder.pseudonymised_at.is_(None))
        .order_by(sa.case((is_own, 0), else_=1), TimeBank.name, Holder.display_name, Account.id)
    )
    return [
        ActableAccount(account, name, bank_name, account.holder_id not in own_holders)
        for account, name, bank_name in rows
    ]


def categories_of(session: Session, exchanges: list[Exchange]) -> dict[int, Category]:
    """Category id → category for these exchanges, in one query (retired categories included)."""
    ids = {e.category_id for e in exchanges}
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(sa.select(Category).where(Category.id.in_(ids)))}


def category_labels(session: Session, exchanges: list[Exchange]) -> dict[int, str]:
    return {category_id: c.label for category_id, c in categories_of(session, exchanges).items()}


@dataclass(frozen=True)
class HistoryEntry:
    event: ExchangeEvent
    actor_name: str
    #: The account the actor acted for; ``None`` when a broker acted for the bank (a reversal).
    acting_for_account_id: int | None
    #: True when the actor acted for someone else (a broker keying or answering for a member).
    on_behalf: bool
    #: True when the actor acted for their own personal account (no need to say "for whom").
    for_self: bool


@dataclass(frozen=True)
class ExchangePage:
    exchange: Exchange
    bank_name: str
    category_label: str
    category_code: str
    #: Account id → holder name for both sides ("" for a community pot).
    names: dict[int, str]
    #: The side that is the reader's own personal account, if either is: the page says "you".
    yours: set[int]
    recorded_by_name: str
    history: list[HistoryEntry]
    actions: set[Action]
    #: The exchange that reversed this one, if any.
    reversed_by_id: int | None


def exchange_page(session: Session, actor: Person, exchange_id: int) -> ExchangePage:
    """Everything the exchange page shows, if the actor may see the exchange."""
    exchange = visible_exchange(session, actor, exchange_id)
    events = list(exchange.events)
    holder_of = {exchange.receiver.id: exchange.receiver.holder_id, exchange.giver.id: exchange.giver.holder_id}
    # The two accounts' names, their bank's and the category's code, in one query.
    category_code = sa.select(Category.code).where(Category.id == exchange.category_id).scalar_subquery()
    rows = session.execute(
        sa.select(Account.id, Holder.display_name, TimeBank.name, category_code)
        .outerjoin(Holder, Holder.id == Account.holder_id)
        .join(TimeBank, TimeBank.id == Account.time_bank_id)
        .where(Account.id.in_(holder_of))
    ).all()
    names = {account_id: _account_name(name, bank_name) for account_id, name, bank_name, _ in rows}
    bank_name, code = (rows[0][2], rows[0][3] or "") if rows else ("", "")
    people = {holder_of[account_id]: name for account_id, name, _, _ in rows if holder_of[account_id] is not None}
    administered: set[tuple[int, int]] = set()
    # Who acted, and whom they administer, is read only when someone besides the two holders acted or
    # recorded, or a holder acted for the other account (a broker keying for a member, an organisation's
    # admin for it).
    people_ids = {e.actor_id for e in events} | {exchange.recorded_by_id}
    if not people_ids <= set(people) or any(
        e.acting_for_account_id is not None and holder_of.get(e.acting_for_account_id) != e.actor_id for e in events
    ):
        for person_id, name, organisation_id in session.execute(
            sa.select(Holder.id, Holder.display_name, OrganisationAdmin.organisation_id)
            .outerjoin(OrganisationAdmin, OrganisationAdmin.person_id == Holder.id)
            .where(Holder.id.in_(people_ids))
        ):
            people[person_id] = name
            if organisation_id is not None:
                administered.add((person_id, organisation_id))

    def on_behalf(actor_id: int, account_id: int | None) -> bool:
        if account_id is None:
            return False
        holder_id = holder_of.get(account_id)
        return holder_id != actor_id and (actor_id, holder_id) not in administered

    return ExchangePage(
        exchange=exchange,
        bank_name=bank_name,
        category_label=label_for(code) if code else "",
        category_code=code,
        names=names,
        yours={account_id for account_id, holder_id in holder_of.items() if holder_id == actor.id},
        recorded_by_name=people.get(exchange.recorded_by_id, ""),
        history=[
            HistoryEntry(e, people.get(e.actor_id, ""), e.acting_for_account_id,
                         on_behalf(e.actor_id, e.acting_for_account_id),
                         holder_of.get(e.acting_for_account_id or 0, 0) == e.actor_id)
            for e in events
        ],
        actions=allowed_actions(session, actor, exchange),
        # Only a reversed exchange has a reversal.
        reversed_by_id=session.scalar(sa.select(Exchange.id).where(Exchange.reverses_exchange_id == exchange.id))
        if exchange.state is ExchangeState.REVERSED else None,
    )


# --- for the API -----------------------------------------------------------------------------------


def category_codes(session: Session, exchanges: list[Exchange]) -> dict[int, str]:
    return {category_id: c.code for category_id, c in categories_of(session, exchanges).items()}

"""Everything that moves hours goes through here.

Each function works inside the caller's transaction and only flushes; the request or CLI command
commits once. Locks are always taken in one order — accounts by ascending id, then the exchange, then
the bank's ledger head, then the bank's month total — so concurrent writers queue instead of
deadlocking. On PostgreSQL the locks are ``SELECT … FOR UPDATE``; on SQLite every writing transaction
already began with ``BEGIN IMMEDIATE`` (see ``timebank.db``), which serialises writers.

The head and the month total are the two rows every posting in a bank queues on, so they are taken last
(``_post``): everything else the write changes is flushed first, and after the head's lock the write sends
only the postings, the head's new end and the month's upsert before it returns to the caller, which commits.

Each write reads as little as it can: a lock reads what the checks after it need (an account's limits
with the account), a new exchange is inserted once on its idempotency key, and what a write returns comes
with what it already holds (its accounts, its events), so the caller need not read it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from timebank import dates
from timebank.clock import uk_today
from timebank.errors import DomainError
from timebank.ledger import errors, summaries
from timebank.ledger.chain import entry_hash
from timebank.ledger.limits import DEFAULT_LIMITS, Balance, BalanceSimulator, Limits, Movement
from timebank.ledger.models import (
    MAX_EXCHANGE_MINUTES,
    TRANSITIONS,
    Account,
    BalanceLimit,
    Exchange,
    ExchangeEvent,
    ExchangeKind,
    ExchangeState,
    FamilyTie,
    HolderKind,
    LedgerHead,
    Posting,
)
from timebank.types import utcnow

MAX_DESCRIPTION = 1000

#: Told of every exchange that comes to stand or stops standing (confirmed; reversed: the original), in the
#: unit of work that posts it: ``listener(session, exchange)``. Features above the ledger that re-derive
#: something from standing exchanges register here (the benefit rules: the app factory wires it), since
#: the ledger imports none of them.
SettlementListener = Callable[[Session, Exchange], None]
_settlement_listeners: list[SettlementListener] = []


def add_settlement_listener(listener: SettlementListener) -> None:
    if listener not in _settlement_listeners:
        _settlement_listeners.append(listener)


def _settled(session: Session, exchange: Exchange) -> None:
    for listener in _settlement_listeners:
        listener(session, exchange)
#: Categories by table name, as banks and holders are (the ledger imports no other feature): an exchange
#: names an active one.
CATEGORIES = sa.table("categories", sa.column("id", sa.Integer), sa.column("is_active", sa.Boolean))
MAX_IDEMPOTENCY_KEY = 100


# --- opening ---------------------------------------------------------------------------------------


def open_bank_ledger(session: Session, time_bank_id: int) -> Account:
    """Give a new bank its chain head, default limits and community pot; return the pot."""
    session.add(LedgerHead(time_bank_id=time_bank_id))
    for kind, (floor, ceiling) in DEFAULT_LIMITS.items():
        session.add(
            BalanceLimit(
                time_bank_id=time_bank_id, holder_kind=kind, floor_minutes=floor, ceiling_minutes=ceiling
            )
        )
    pot = Account(time_bank_id=time_bank_id, holder_id=None, holder_kind=HolderKind.COMMUNITY_POT)
    session.add(pot)
    session.flush()
    return pot


def open_account(session: Session, *, time_bank_id: int, holder_id: int, holder_kind: HolderKind) -> Account:
    """Open (or return the existing) account of a holder in a bank."""
    if holder_kind is HolderKind.COMMUNITY_POT:
        raise ValueError("the community pot is opened with the bank")
    existing = account_of(session, holder_id, time_bank_id)
    if existing is not None:
        return existing
    account = Account(time_bank_id=time_bank_id, holder_id=holder_id, holder_kind=holder_kind)
    session.add(account)
    session.flush()
    return account


def account_of(session: Session, holder_id: int, time_bank_id: int) -> Account | None:
    """The account of this holder in this bank, or ``None`` if they hold none there (the one lookup:
    whether someone is in a bank is whether they hold an account in it)."""
    return session.scalar(
        sa.select(Account).where(Account.time_bank_id == time_bank_id, Account.holder_id == holder_id)
    )


def require_account_of(session: Session, holder_id: int, time_bank_id: int) -> Account:
    """``account_of`` for a caller that knows the holder is in the bank: refused as not found if not."""
    account = account_of(session, holder_id, time_bank_id)
    if account is None:
        raise errors.AccountNotFound()
    return account


def close_account(session: Session, account_id: int) -> Account:
    """Close a holder's account when they leave: from then on no exchange is recorded or confirmed on
    it (declining, cancelling and reversing stay allowed). Closing a closed account changes nothing.

    The account is locked first, so an exchange being recorded on it either finishes before (and the
    caller, which settles what is pending after closing, sees it) or is refused after."""
    account = _lock_accounts(session, (account_id,)).accounts.get(account_id)
    if account is None:
        raise errors.AccountNotFound()
    if account.holder_id is None:
        raise ValueError("the community pot stays open as long as its bank")
    if account.closed_at is None:
        # Taken after the lock, so it is later than anything recorded on the account before it.
        account.closed_at = utcnow()
        session.flush()
    return account


def _require_open(account: Account, field: str) -> None:
    if account.is_closed:
        raise errors.AccountClosed.on(field)


@dates.dated_from_opening
def earliest_exchange(session: Session, time_bank_id: int) -> dt.date | None:
    """The bank's earliest exchange day: its books may not open after it."""
    return session.scalar(sa.select(sa.func.min(Exchange.occurred_on)).where(Exchange.time_bank_id == time_bank_id))


def community_pot(session: Session, time_bank_id: int) -> Account:
    return session.execute(
        sa.select(Account).where(
            Account.time_bank_id == time_bank_id, Account.holder_kind == HolderKind.COMMUNITY_POT
        )
    ).scalar_one()


# --- limits ----------------------------------------------------------------------------------------


def effective_limits_of(session: Session, accounts: Iterable[Account]) -> dict[int, Limits]:
    """Each account's limits by id: its own override, or else its bank's default for its holder kind."""
    accounts = list(accounts)
    defaults = {
        (default.time_bank_id, default.holder_kind): default
        for default in session.scalars(
            sa.select(BalanceLimit).where(BalanceLimit.time_bank_id.in_({a.time_bank_id for a in accounts}))
        )
    }
    found = {}
    for account in accounts:
        default = defaults.get((account.time_bank_id, account.holder_kind))
        found[account.id] = _effective(account, getattr(default, "floor_minutes", None),
                                       getattr(default, "ceiling_minutes", None))
    return found


def _effective(account: Account, default_floor: int | None, default_ceiling: int | None) -> Limits:
    """The account's own limit where it has one, else its bank's default for its holder kind."""
    return Limits(account.floor_minutes if account.floor_minutes is not None else default_floor,
                  account.ceiling_minutes if account.ceiling_minutes is not None else default_ceiling)


def effective_limits(session: Session, account: Account) -> Limits:
    return effective_limits_of(session, (account,))[account.id]


def _check_limits(locked: Locked, *, receiver: Account, giver: Account, minutes: int) -> None:
    """Refuse a movement that would take the receiver below its floor or the giver above its ceiling,
    counting what is already pending (the rule: ``ledger.limits``)."""
    simulator = BalanceSimulator(locked.limits,
                                 {account.id: Balance.of(account) for account in (receiver, giver)})
    found = simulator.breach(Movement(receiver.id, giver.id, minutes))
    if found is not None:
        raise found.error()


# --- locks -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Locked:
    """Accounts locked for a movement, by id, with their effective limits (read by the same query)."""

    accounts: dict[int, Account]
    limits: dict[int, Limits]


def _lock_accounts(session: Session, account_ids: Iterable[int]) -> Locked:
    ids = sorted(set(account_ids))
    default = aliased(BalanceLimit)
    rows = session.execute(
        sa.select(Account, default.floor_minutes, default.ceiling_minutes)
        .outerjoin(default, sa.and_(default.time_bank_id == Account.time_bank_id,
                                    default.holder_kind == Account.holder_kind))
        .where(Account.id.in_(ids))
        .order_by(Account.id)
        .with_for_update(of=Account)
        .execution_options(populate_existing=True)
    ).all()
    return Locked({account.id: account for account, _, _ in rows},
                  {account.id: _effective(account, floor, ceiling) for account, floor, ceiling in rows})


def _lock_exchange(session: Session, exchange_id: int) -> Exchange:
    exchange = session.scalar(
        sa.select(Exchange).where(Exchange.id == exchange_id).with_for_update(of=Exchange)
        .execution_options(populate_existing=True)
    )
    if exchange is None:
        raise errors.ExchangeNotFound()
    return exchange


def _lock_head(session: Session, time_bank_id: int) -> LedgerHead:
    """Lock the bank's chain head: the last lock a posting takes (see the module's note)."""
    return session.execute(
        sa.select(LedgerHead).where(LedgerHead.time_bank_id == time_bank_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def get_exchange(session: Session, exchange_id: int) -> Exchange:
    exchange = session.get(Exchange, exchange_id)
    if exchange is None:
        raise errors.ExchangeNotFound()
    return exchange


# --- recording -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """The co-delivery activity, role and session an exchange came from (ids only: see the note above)."""

    activity_id: int
    role_id: int
    session_id: int | None = None

    def facts(self) -> dict[str, int | None]:
        return {"activity_id": self.activity_id, "role_id": self.role_id, "session_id": self.session_id}


#: Facts renamed since exchanges were first keyed, fingerprinted under their first names: a request made
#: before the rename and replayed after it is still the same request.
FINGERPRINT_NAMES = {"proposer_is_giver": "proposer_is_provider"}


def request_fingerprint_of(**facts: object) -> str:
    """The SHA-256 that tells a replayed request from a reused idempotency key (the bulk seed uses it too)."""
    named = {FINGERPRINT_NAMES.get(name, name): value for name, value in facts.items()}
    return hashlib.sha256(json.dumps(named, sort_keys=True, default=str).encode()).hexdigest()


def _validate_facts(session: Session, *, amount_minutes: object, category_id: int, description: str) -> None:
    if (
        not isinstance(amount_minutes, int)
        or isinstance(amount_minutes, bool)
        or not 1 <= amount_minutes <= MAX_EXCHANGE_MINUTES
    ):
        raise errors.InvalidAmount()
    if len(description) > MAX_DESCRIPTION:
        raise errors.DescriptionTooLong()
    if not session.scalar(sa.select(CATEGORIES.c.is_active).where(CATEGORIES.c.id == category_id)):
        raise errors.CategoryNotFound()


def record_exchange(
    session: Session,
    *,
    proposer_account_id: int,
    counterpart_account_id: int,
    proposer_is_giver: bool,
    amount_minutes: int,
    occurred_on: dt.date,
    category_id: int,
    description: str,
    recorded_by_id: int,
    idempotency_key: str,
    source: Source | None = None,
    family_tie: FamilyTie | None = None,
) -> tuple[Exchange, bool]:
    """Record a pending exchange proposed by one side; the other side confirms or declines it.

    Returns ``(exchange, created)``: a replay of the same key with the same facts returns the first
    exchange and ``False``. The pending amount counts against the receiver's floor at once. ``source``
    names the activity, role and session the hours came from, if any (the caller checks they agree);
    ``family_tie`` whether the receiver is the giver's household or close relative, if said.
    """
    description = description.strip()
    _validate_facts(session, amount_minutes=amount_minutes, category_id=category_id, description=description)
    if proposer_account_id == counterpart_account_id:
        raise errors.SameAccount()
    if not isinstance(idempotency_key, str) or not 1 <= len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        raise errors.InvalidIdempotencyKey()
    fingerprint = request_fingerprint_of(
        proposer=proposer_account_id,
        counterpart=counterpart_account_id,
        proposer_is_giver=proposer_is_giver,
        minutes=amount_minutes,
        occurred_on=occurred_on,
        category=category_id,
        description=description,
        **(source.facts() if source else {}),
        # Only when said, so that every exchange keyed before the question was asked keeps its fingerprint.
        **({"family_tie": family_tie.value} if family_tie else {}),
    )

    locked = _lock_accounts(session, (proposer_account_id, counterpart_account_id))
    proposer = locked.accounts.get(proposer_account_id)
    if proposer is None:
        raise errors.AccountNotFound(field="account")
    counterpart = locked.accounts.get(counterpart_account_id)
    if counterpart is None:
        raise errors.AccountNotFound(field="counterpart")
    if proposer.time_bank_id != counterpart.time_bank_id:
        raise errors.AccountInOtherBank()
    # Help happens in a bank: from the day its books opened to today (the one rule, ``timebank.dates``).
    dates.happened(session, proposer.time_bank_id).check(occurred_on, "occurred_on")

    receiver, giver = (counterpart, proposer) if proposer_is_giver else (proposer, counterpart)
    try:
        _require_open(proposer, "account")
        _require_open(counterpart, "counterpart")
        _check_limits(locked, receiver=receiver, giver=giver, minutes=amount_minutes)
    except DomainError:
        # A replay is answered with the first exchange even if it could not be recorded now (its own
        # pending minutes count against the limits): only a new request is refused.
        replay = _replayed(session, recorded_by_id, idempotency_key, fingerprint)
        if replay is not None:
            return replay, False
        raise

    exchange = _insert_once(session, dict(
        time_bank_id=proposer.time_bank_id,
        kind=ExchangeKind.EXCHANGE,
        receiver_account_id=receiver.id,
        giver_account_id=giver.id,
        proposer_account_id=proposer.id,
        amount_minutes=amount_minutes,
        occurred_on=occurred_on,
        category_id=category_id,
        description=description,
        recorded_by_id=recorded_by_id,
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint,
        state=ExchangeState.PENDING,
        family_tie=family_tie,
        **(source.facts() if source else {}),
    ))
    if exchange is None:
        # The key is taken: by the same request sent before (or racing this one: the insert waited for
        # it), or by another request, which is refused.
        replay = _replayed(session, recorded_by_id, idempotency_key, fingerprint)
        if replay is None:
            raise errors.IdempotencyKeyReused()
        return replay, False

    receiver.debits_pending_minutes += amount_minutes
    giver.credits_pending_minutes += amount_minutes
    event = _add_event(session, exchange, None, ExchangeState.PENDING, recorded_by_id, proposer.id)
    session.flush()
    # Its parties and its one event, as loading it would give them: the caller need not read them again.
    set_committed_value(exchange, "receiver", receiver)
    set_committed_value(exchange, "giver", giver)
    set_committed_value(exchange, "events", [event])
    return exchange, True


def _insert_once(session: Session, values: dict[str, object]) -> Exchange | None:
    """Insert an exchange unless its idempotency key is taken (``ON CONFLICT DO NOTHING``: one statement,
    no savepoint, and a concurrent request with the same key is waited for); ``None`` if it was."""
    dialects = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
    insert = dialects[session.get_bind().dialect.name](Exchange).values(values)
    return session.scalar(insert.on_conflict_do_nothing(index_elements=["recorded_by_id", "idempotency_key"])
                          .returning(Exchange))


def _replayed(session: Session, recorded_by_id: int, key: str, fingerprint: str) -> Exchange | None:
    existing = session.scalar(
        sa.select(Exchange).where(Exchange.recorded_by_id == recorded_by_id, Exchange.idempotency_key == key)
    )
    if existing is not None and existing.request_fingerprint != fingerprint:
        raise errors.IdempotencyKeyReused()
    return existing


def _add_event(
    session: Session,
    exchange: Exchange,
    from_state: ExchangeState | None,
    to_state: ExchangeState,
    actor_id: int,
    acting_for_account_id: int | None,
    note: str = "",
) -> ExchangeEvent:
    event = ExchangeEvent(
        exchange_id=exchange.id,
        from_state=from_state,
        to_state=to_state,
        actor_id=actor_id,
        acting_for_account_id=acting_for_account_id,
        note=note,
    )
    session.add(event)
    return event


def _require_transition(exchange: Exchange, to_state: ExchangeState) -> None:
    if to_state not in TRANSITIONS[exchange.state]:
        raise errors.InvalidTransition(transition_message(exchange.state))


def _move(exchange: Exchange, to_state: ExchangeState) -> ExchangeState:
    """Move the state forward; every check has passed by now, so nothing is left half-done."""
    _require_transition(exchange, to_state)
    from_state, exchange.state = exchange.state, to_state
    return from_state


def transition_message(state: ExchangeState) -> object:
    from flask_babel import lazy_gettext as _l

    return {
        ExchangeState.CONFIRMED: _l("This exchange is already confirmed."),
        ExchangeState.DECLINED: _l("This exchange was declined, so it cannot change now."),
        ExchangeState.CANCELLED: _l("This exchange was cancelled, so it cannot change now."),
        ExchangeState.REVERSED: _l("This exchange has already been reversed."),
        ExchangeState.PENDING: _l("This exchange has not been confirmed yet."),
    }[state]


def _post(session: Session, exchange: Exchange, receiver: Account, giver: Account) -> None:
    """Move the balances of a confirmed exchange and write its two postings onto the bank's chain.

    The order is the point: every other change of the unit of work (the exchange, its events, the
    balances) is flushed first; then the head is locked and only the postings and the head's new end are
    written. The caller's month-total upsert is the one statement left before its commit."""
    minutes = exchange.amount_minutes
    receiver.debits_posted_minutes += minutes
    giver.credits_posted_minutes += minutes
    if exchange.kind is ExchangeKind.EXCHANGE:
        receiver.received_minutes += minutes
        giver.given_minutes += minutes
    else:  # a reversal takes back what the original counted
        receiver.given_minutes -= minutes
        giver.received_minutes -= minutes
    for account in (receiver, giver):
        if account.last_posted_on is None or exchange.occurred_on > account.last_posted_on:
            account.last_posted_on = exchange.occurred_on
    session.flush()
    head = _lock_head(session, exchange.time_bank_id)
    for account_id, amount in ((receiver.id, -minutes), (giver.id, minutes)):
        sequence = head.last_sequence + 1
        digest = entry_hash(
            head.last_hash,
            time_bank_id=exchange.time_bank_id,
            sequence=sequence,
            exchange_id=exchange.id,
            account_id=account_id,
            amount_minutes=amount,
            kind=exchange.kind.value,
            receiver_account_id=exchange.receiver_account_id,
            giver_account_id=exchange.giver_account_id,
            exchange_minutes=minutes,
            occurred_on=exchange.occurred_on,
            category_id=exchange.category_id,
            reverses_exchange_id=exchange.reverses_exchange_id,
            source=(exchange.activity_id, exchange.role_id, exchange.session_id),
        )
        session.add(
            Posting(
                time_bank_id=exchange.time_bank_id,
                exchange_id=exchange.id,
                account_id=account_id,
                amount_minutes=amount,
                sequence=sequence,
                prev_hash=head.last_hash,
                entry_hash=digest,
            )
        )
        head.last_sequence, head.last_hash = sequence, digest
    session.flush()


@dataclass(frozen=True)
class Parties:
    """An exchange and its two accounts, locked, with the accounts' limits."""

    exchange: Exchange
    receiver: Account
    giver: Account
    locked: Locked

    @property
    def sides(self) -> tuple[Exchange, Account, Account]:
        return self.exchange, self.receiver, self.giver


def _locked_parties(session: Session, exchange_id: int) -> Parties:
    unlocked = get_exchange(session, exchange_id)
    locked = _lock_accounts(session, (unlocked.receiver_account_id, unlocked.giver_account_id))
    exchange = _lock_exchange(session, exchange_id)
    return Parties(exchange, locked.accounts[exchange.receiver_account_id], locked.accounts[exchange.giver_account_id],
                   locked)


def _release_pending(exchange: Exchange, receiver: Account, giver: Account) -> None:
    receiver.debits_pending_minutes -= exchange.amount_minutes
    giver.credits_pending_minutes -= exchange.amount_minutes


def confirm_exchange(session: Session, exchange_id: int, *, actor_id: int, acting_for_account_id: int) -> Exchange:
    """The side that did not propose agrees: the exchange is posted and balances move. Refused if
    either side has closed since it was recorded."""
    exchange, receiver, giver = _locked_parties(session, exchange_id).sides
    _require_confirmer(exchange, acting_for_account_id)
    _require_transition(exchange, ExchangeState.CONFIRMED)
    for account in (receiver, giver):
        _require_open(account, "account" if account.id == acting_for_account_id else "counterpart")
    from_state = _move(exchange, ExchangeState.CONFIRMED)
    _release_pending(exchange, receiver, giver)
    _add_event(session, exchange, from_state, ExchangeState.CONFIRMED, actor_id, acting_for_account_id)
    _post(session, exchange, receiver, giver)
    summaries.exchange_confirmed(session, exchange, giver, receiver)
    _settled(session, exchange)
    return exchange


def decline_exchange(
    session: Session, exchange_id: int, *, actor_id: int, acting_for_account_id: int, note: str = ""
) -> Exchange:
    """The side that did not propose says it did not happen like that. Nothing is posted."""
    exchange, receiver, giver = _locked_parties(session, exchange_id).sides
    _require_confirmer(exchange, acting_for_account_id)
    from_state = _move(exchange, ExchangeState.DECLINED)
    _release_pending(exchange, receiver, giver)
    _add_event(session, exchange, from_state, ExchangeState.DECLINED, actor_id, acting_for_account_id, note)
    session.flush()
    return exchange


def cancel_exchange(session: Session, exchange_id: int, *, actor_id: int, acting_for_account_id: int) -> Exchange:
    """The side that proposed withdraws it before it is confirmed."""
    exchange, receiver, giver = _locked_parties(session, exchange_id).sides
    if acting_for_account_id not in (exchange.receiver_account_id, exchange.giver_account_id):
        raise errors.NotAParty()
    if acting_for_account_id != exchange.proposer_account_id:
        raise errors.OnlyProposerCanCancel()
    from_state = _move(exchange, ExchangeState.CANCELLED)
    _release_pending(exchange, receiver, giver)
    _add_event(session, exchange, from_state, ExchangeState.CANCELLED, actor_id, acting_for_account_id)
    session.flush()
    return exchange


def _require_confirmer(exchange: Exchange, acting_for_account_id: int) -> None:
    if acting_for_account_id not in (exchange.receiver_account_id, exchange.giver_account_id):
        raise errors.NotAParty()
    if acting_for_account_id == exchange.proposer_account_id:
        raise errors.CannotConfirmOwnProposal()


def reverse_exchange(session: Session, exchange_id: int, *, actor_id: int, reason: str) -> Exchange:
    """Undo a confirmed exchange with a new, confirmed exchange the other way; return the reversal.

    The original is marked reversed; both stay in the books for ever. A reversal must respect limits
    like any other movement: if it would breach one, the broker adjusts the limit first.
    """
    reason = reason.strip()
    if not reason:
        raise errors.ReasonRequired()
    if len(reason) > MAX_DESCRIPTION:
        raise errors.DescriptionTooLong(field="reason")
    parties = _locked_parties(session, exchange_id)
    original, receiver, giver = parties.sides
    if original.kind is ExchangeKind.REVERSAL:
        raise errors.CannotReverseReversal()
    _require_transition(original, ExchangeState.REVERSED)
    # The hours go back: the original giver pays, the original receiver is credited.
    _check_limits(parties.locked, receiver=giver, giver=receiver, minutes=original.amount_minutes)
    from_state = _move(original, ExchangeState.REVERSED)
    reversal = Exchange(
        time_bank_id=original.time_bank_id,
        kind=ExchangeKind.REVERSAL,
        receiver_account_id=original.giver_account_id,
        giver_account_id=original.receiver_account_id,
        proposer_account_id=original.giver_account_id,
        amount_minutes=original.amount_minutes,
        occurred_on=uk_today(),
        category_id=original.category_id,
        description=reason,
        recorded_by_id=actor_id,
        idempotency_key=f"reversal-of-{original.id}",
        request_fingerprint=request_fingerprint_of(reverses=original.id),
        reverses_exchange_id=original.id,
        state=ExchangeState.CONFIRMED,
        # The same source as the original, so hours by activity net out in reports.
        activity_id=original.activity_id,
        role_id=original.role_id,
        session_id=original.session_id,
    )
    session.add(reversal)
    session.flush()
    _add_event(session, original, from_state, ExchangeState.REVERSED, actor_id, None, reason)
    _add_event(session, reversal, None, ExchangeState.CONFIRMED, actor_id, None, reason)
    _post(session, reversal, giver, receiver)
    summaries.exchange_reversed(session, original, giver, receiver)
    _settled(session, original)
    return reversal

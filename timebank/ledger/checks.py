"""Invariant checks: each returns a list of problems, empty when the books are sound.

They read with aggregate queries and stream the chain, so they run on millions of postings in bounded
memory. ``flask ledger verify`` prints every problem; the test suite runs them after every test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.dates import TIME_BANKS
from timebank.ledger import summaries
from timebank.ledger.chain import entry_hash
from timebank.ledger.models import (
    GENESIS_HASH,
    Account,
    AccountMonthFact,
    AccountYearFact,
    BalanceLimit,
    BankMonthTotal,
    Exchange,
    ExchangeEvent,
    ExchangeKind,
    ExchangeMonthFact,
    ExchangeState,
    LedgerHead,
    Posting,
)

POSTED_STATES = (ExchangeState.CONFIRMED, ExchangeState.REVERSED)


@dataclass(frozen=True)
class Problem:
    check: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.message}"


def _sum(expr: sa.ColumnElement[int]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(expr), 0)


def check_balances(session: Session) -> list[Problem]:
    """Every cached counter equals what the postings and pending exchanges say."""
    posted = (
        sa.select(
            Posting.account_id.label("account_id"),
            _sum(sa.case((Posting.amount_minutes < 0, -Posting.amount_minutes), else_=0)).label("debits"),
            _sum(sa.case((Posting.amount_minutes > 0, Posting.amount_minutes), else_=0)).label("credits"),
            _sum(
                sa.case(
                    (sa.and_(Exchange.kind == ExchangeKind.EXCHANGE, Posting.amount_minutes > 0),
                     Posting.amount_minutes),
                    (sa.and_(Exchange.kind == ExchangeKind.REVERSAL, Posting.amount_minutes < 0),
                     Posting.amount_minutes),
                    else_=0,
                )
            ).label("given"),
            _sum(
                sa.case(
                    (sa.and_(Exchange.kind == ExchangeKind.EXCHANGE, Posting.amount_minutes < 0),
                     -Posting.amount_minutes),
                    (sa.and_(Exchange.kind == ExchangeKind.REVERSAL, Posting.amount_minutes > 0),
                     -Posting.amount_minutes),
                    else_=0,
                )
            ).label("received"),
            sa.func.max(Exchange.occurred_on).label("last_on"),
        )
        .join(Exchange, Exchange.id == Posting.exchange_id)
        .group_by(Posting.account_id)
        .subquery()
    )
    pending = Exchange.state == ExchangeState.PENDING
    pending_debits = (
        sa.select(Exchange.receiver_account_id.label("account_id"), _sum(Exchange.amount_minutes).label("minutes"))
        .where(pending)
        .group_by(Exchange.receiver_account_id)
        .subquery()
    )
    pending_credits = (
        sa.select(Exchange.giver_account_id.label("account_id"), _sum(Exchange.amount_minutes).label("minutes"))
        .where(pending)
        .group_by(Exchange.giver_account_id)
        .subquery()
    )
    derived = {
        "debits_posted_minutes": sa.func.coalesce(posted.c.debits, 0),
        "credits_posted_minutes": sa.func.coalesce(posted.c.credits, 0),
        "given_minutes": sa.func.coalesce(posted.c.given, 0),
        "received_minutes": sa.func.coalesce(posted.c.received, 0),
        "debits_pending_minutes": sa.func.coalesce(pending_debits.c.minutes, 0),
        "credits_pending_minutes": sa.func.coalesce(pending_credits.c.minutes, 0),
        "last_posted_on": posted.c.last_on,
    }
    query = (
        sa.select(Account.id, *[getattr(Account, name) for name in derived], *derived.values())
        .outerjoin(posted, posted.c.account_id == Account.id)
        .outerjoin(pending_debits, pending_debits.c.account_id == Account.id)
        .outerjoin(pending_credits, pending_credits.c.account_id == Account.id)
        # IS DISTINCT FROM: ``last_posted_on`` is NULL until the first posting, and NULL = NULL is not true.
        .where(sa.or_(*[getattr(Account, name).is_distinct_from(value) for name, value in derived.items()]))
        .order_by(Account.id)
    )
    problems = []
    count = len(derived)
    for row in session.execute(query):
        cached, actual = row[1 : 1 + count], row[1 + count :]
        for name, have, want in zip(derived, cached, actual, strict=True):
            if have != want:
                problems.append(
                    Problem("balances", f"account {row[0]}", f"{name} is {have} but the entries give {want}")
                )
    return problems


def check_exchanges_balance(session: Session) -> list[Problem]:
    """Each exchange's postings sum to zero and match it; only posted exchanges have postings."""
    problems = []
    sums = session.execute(
        sa.select(Posting.exchange_id, sa.func.sum(Posting.amount_minutes))
        .group_by(Posting.exchange_id)
        .having(sa.func.sum(Posting.amount_minutes) != 0)
    )
    problems += [Problem("zero-sum", f"exchange {eid}", f"postings sum to {total}, not 0") for eid, total in sums]

    posting_count = (
        sa.select(Posting.exchange_id, sa.func.count().label("n")).group_by(Posting.exchange_id).subquery()
    )
    wrong_count = session.execute(
        sa.select(Exchange.id, Exchange.state, sa.func.coalesce(posting_count.c.n, 0))
        .outerjoin(posting_count, posting_count.c.exchange_id == Exchange.id)
        .where(
            sa.or_(
                sa.and_(Exchange.state.in_(POSTED_STATES), sa.func.coalesce(posting_count.c.n, 0) != 2),
                sa.and_(Exchange.state.not_in(POSTED_STATES), sa.func.coalesce(posting_count.c.n, 0) != 0),
            )
        )
    )
    problems += [
        Problem("postings", f"exchange {eid}", f"is {state} but has {n} postings")
        for eid, state, n in wrong_count
    ]

    mismatched = session.execute(
        sa.select(Posting.id, Posting.exchange_id)
        .join(Exchange, Exchange.id == Posting.exchange_id)
        .where(
            sa.not_(
                sa.or_(
                    sa.and_(
                        Posting.account_id == Exchange.receiver_account_id,
                        Posting.amount_minutes == -Exchange.amount_minutes,
                    ),
                    sa.and_(
                        Posting.account_id == Exchange.giver_account_id,
                        Posting.amount_minutes == Exchange.amount_minutes,
                    ),
                )
            )
            | (Posting.time_bank_id != Exchange.time_bank_id)
        )
    )
    problems += [
        Problem("postings", f"posting {pid}", f"does not match exchange {eid}") for pid, eid in mismatched
    ]
    return problems


def check_banks_balance(session: Session) -> list[Problem]:
    """Each bank's postings, and its accounts' balances, sum to zero."""
    problems = []
    for bank_id, total in session.execute(
        sa.select(Posting.time_bank_id, sa.func.sum(Posting.amount_minutes))
        .group_by(Posting.time_bank_id)
        .having(sa.func.sum(Posting.amount_minutes) != 0)
    ):
        problems.append(Problem("zero-sum", f"bank {bank_id}", f"postings sum to {total}, not 0"))
    balance = Account.credits_posted_minutes - Account.debits_posted_minutes
    for bank_id, total in session.execute(
        sa.select(Account.time_bank_id, sa.func.sum(balance))
        .group_by(Account.time_bank_id)
        .having(sa.func.sum(balance) != 0)
    ):
        problems.append(Problem("zero-sum", f"bank {bank_id}", f"account balances sum to {total}, not 0"))
    return problems


def check_reversals(session: Session) -> list[Problem]:
    """Every reversed exchange has one confirmed reversal of the same amount the other way, and only
    reversed exchanges have one."""
    reversal = sa.orm.aliased(Exchange)
    problems = []
    rows = session.execute(
        sa.select(Exchange.id, Exchange.state, reversal.id)
        .outerjoin(reversal, reversal.reverses_exchange_id == Exchange.id)
        .where(
            sa.or_(
                sa.and_(Exchange.state == ExchangeState.REVERSED, reversal.id.is_(None)),
                sa.and_(Exchange.state != ExchangeState.REVERSED, reversal.id.is_not(None)),
                sa.and_(
                    reversal.id.is_not(None),
                    sa.or_(
                        reversal.amount_minutes != Exchange.amount_minutes,
                        reversal.receiver_account_id != Exchange.giver_account_id,
                        reversal.giver_account_id != Exchange.receiver_account_id,
                    ),
                ),
            )
        )
    )
    for eid, state, rid in rows:
        problems.append(Problem("reversals", f"exchange {eid}", f"state {state} with reversal {rid}"))
    return problems


def check_history(session: Session) -> list[Problem]:
    """Each exchange's state is where its recorded history leads."""
    last_event = (
        sa.select(ExchangeEvent.exchange_id, sa.func.max(ExchangeEvent.id).label("event_id"))
        .group_by(ExchangeEvent.exchange_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(Exchange.id, Exchange.state, ExchangeEvent.to_state)
        .outerjoin(last_event, last_event.c.exchange_id == Exchange.id)
        .outerjoin(ExchangeEvent, ExchangeEvent.id == last_event.c.event_id)
        .where(sa.or_(ExchangeEvent.id.is_(None), ExchangeEvent.to_state != Exchange.state))
    )
    return [
        Problem("history", f"exchange {eid}", f"is {state} but its history ends at {last}")
        for eid, state, last in rows
    ]


def check_dates(session: Session) -> list[Problem]:
    """No exchange is dated before its bank's books opened (``timebank.dates``)."""
    rows = session.execute(
        sa.select(Exchange.id, Exchange.occurred_on, TIME_BANKS.c.opened_on)
        .join(TIME_BANKS, TIME_BANKS.c.id == Exchange.time_bank_id)
        .where(Exchange.occurred_on < TIME_BANKS.c.opened_on)
        .order_by(Exchange.id)
    )
    return [Problem("dates", f"exchange {eid}", f"dated {day} but its bank opened on {opened}")
            for eid, day, opened in rows]


def check_limits(session: Session) -> list[Problem]:
    """No account is below its floor or above its ceiling, counting pending exchanges."""
    floor = sa.func.coalesce(Account.floor_minutes, BalanceLimit.floor_minutes)
    ceiling = sa.func.coalesce(Account.ceiling_minutes, BalanceLimit.ceiling_minutes)
    balance = Account.credits_posted_minutes - Account.debits_posted_minutes
    available = balance - Account.debits_pending_minutes
    top = balance + Account.credits_pending_minutes
    rows = session.execute(
        sa.select(Account.id, available, floor, top, ceiling)
        .outerjoin(
            BalanceLimit,
            sa.and_(
                BalanceLimit.time_bank_id == Account.time_bank_id,
                BalanceLimit.holder_kind == Account.holder_kind,
            ),
        )
        .where(sa.or_(available < floor, top > ceiling))
        .order_by(Account.id)
    )
    problems = []
    for account_id, have, low, high, limit in rows:
        if low is not None and have < low:
            problems.append(Problem("limits", f"account {account_id}", f"available {have} is below the floor {low}"))
        if limit is not None and high > limit:
            problems.append(Problem("limits", f"account {account_id}", f"{high} is above the ceiling {limit}"))
    return problems


def check_closed_accounts(session: Session) -> list[Problem]:
    """Nothing new happens on a closed account: no exchange (reversals aside, which correct the past)
    was recorded on it after it closed, and none is left pending on it."""
    problems = []
    for side in (Exchange.receiver_account_id, Exchange.giver_account_id):
        rows = session.execute(
            sa.select(Exchange.id, Exchange.state, Account.id)
            .join(Account, Account.id == side)
            .where(
                Account.closed_at.is_not(None),
                sa.or_(
                    sa.and_(Exchange.kind == ExchangeKind.EXCHANGE, Exchange.created_at > Account.closed_at),
                    Exchange.state == ExchangeState.PENDING,
                ),
            )
            .order_by(Exchange.id)
        )
        for exchange_id, state, account_id in rows:
            message = (f"is pending on closed account {account_id}: decline or cancel it"
                       if state is ExchangeState.PENDING else f"was recorded after account {account_id} closed")
            problems.append(Problem("closed", f"exchange {exchange_id}", message))
    return problems


def _chain_rows(session: Session, time_bank_id: int) -> Iterator[sa.Row]:
    yield from session.execute(
        sa.select(
            Posting.sequence,
            Posting.prev_hash,
            Posting.entry_hash,
            Posting.exchange_id,
            Posting.account_id,
            Posting.amount_minutes,
            Exchange.kind,
            Exchange.receiver_account_id,
            Exchange.giver_account_id,
            Exchange.amount_minutes,
            Exchange.occurred_on,
            Exchange.category_id,
            Exchange.reverses_exchange_id,
            Exchange.activity_id,
            Exchange.role_id,
            Exchange.session_id,
        )
        .join(Exchange, Exchange.id == Posting.exchange_id)
        .where(Posting.time_bank_id == time_bank_id)
        .order_by(Posting.sequence)
        .execution_options(yield_per=5000)
    )


def check_chain(session: Session) -> list[Problem]:
    """Each bank's chain runs 1, 2, 3 … with every hash recomputing and linking, up to the head."""
    problems = []
    for head in session.scalars(sa.select(LedgerHead).order_by(LedgerHead.time_bank_id)):
        bank = f"bank {head.time_bank_id}"
        expected_prev, expected_seq = GENESIS_HASH, 1
        for row in _chain_rows(session, head.time_bank_id):
            subject = f"{bank} posting #{row.sequence} (exchange {row.exchange_id})"
            if row.sequence != expected_seq:
                problems.append(Problem("chain", subject, f"expected sequence {expected_seq}"))
            if row.prev_hash != expected_prev:
                problems.append(Problem("chain", subject, "does not link to the posting before it"))
            digest = entry_hash(
                row.prev_hash,
                time_bank_id=head.time_bank_id,
                sequence=row.sequence,
                exchange_id=row.exchange_id,
                account_id=row.account_id,
                amount_minutes=row.amount_minutes,
                kind=row.kind.value,
                receiver_account_id=row.receiver_account_id,
                giver_account_id=row.giver_account_id,
                exchange_minutes=row[9],
                occurred_on=row.occurred_on,
                category_id=row.category_id,
                reverses_exchange_id=row.reverses_exchange_id,
                source=(row.activity_id, row.role_id, row.session_id),
            )
            if digest != row.entry_hash:
                problems.append(Problem("chain", subject, "its contents do not match its hash (altered?)"))
            expected_prev, expected_seq = row.entry_hash, row.sequence + 1
        if head.last_sequence != expected_seq - 1 or head.last_hash != expected_prev:
            problems.append(Problem("chain", bank, "the chain head does not match the last posting"))
    return problems


def _kept_as_derived(session: Session, check: str, derived: sa.Select[Any], kept: sa.Select[Any], keys: int,
                     subject: Callable[[tuple[Any, ...]], str]) -> list[Problem]:
    """Rows kept as they happen are what the exchanges say: ``derived`` and ``kept`` give the same columns, the
    first ``keys`` of them the row's key, the rest its counters (a row kept at zero that derives to none is fine)."""
    def by_key(query: sa.Select[Any]) -> dict[tuple[Any, ...], tuple[int, ...]]:
        return {tuple(row[:keys]): tuple(int(value) for value in row[keys:]) for row in session.execute(query)}

    derived_rows, kept_rows = by_key(derived), by_key(kept)
    names = [column.name for column in derived.selected_columns][keys:]
    width = len(names)

    def said(values: tuple[int, ...]) -> str:
        return ", ".join(f"{name} {value}" for name, value in zip(names, values, strict=True))

    problems = []
    for key in sorted(derived_rows.keys() | kept_rows.keys(), key=lambda key: tuple(map(str, key))):
        expected, found = derived_rows.get(key, (0,) * width), kept_rows.get(key, (0,) * width)
        if found != expected:
            problems.append(Problem(check, subject(key), f"kept {said(found)}; the exchanges say {said(expected)}"))
    return problems


def check_month_totals(session: Session) -> list[Problem]:
    """Each bank's kept hours per month (``ledger.summaries``) are what its standing exchanges add up to;
    a month with none kept at zero is fine."""
    return _kept_as_derived(
        session, "month-totals", summaries.derived(),
        sa.select(BankMonthTotal.time_bank_id, BankMonthTotal.month, BankMonthTotal.minutes, BankMonthTotal.exchanges),
        2, lambda key: f"bank {key[0]} {key[1]:%Y-%m}")


def check_exchange_facts(session: Session) -> list[Problem]:
    """The month facts reports read by kinds, category, organisation, activity and role (``ExchangeMonthFact``:
    minutes, exchanges) are what the standing exchanges add up to."""
    table = ExchangeMonthFact.__table__
    return _kept_as_derived(
        session, "exchange-facts", summaries.derived_exchange_facts(),
        sa.select(*(table.c[name] for name in summaries.EXCHANGE_FACT_COLUMNS)), 8,
        lambda key: f"bank {key[0]} {key[1]:%Y-%m} " + " ".join(map(str, key[2:])))


def check_account_facts(session: Session) -> list[Problem]:
    """Each account's month facts (``AccountMonthFact``: minutes and exchanges given and received) are what
    the standing exchanges add up to."""
    table = AccountMonthFact.__table__
    return _kept_as_derived(
        session, "account-facts", summaries.derived_account_facts(),
        sa.select(*(table.c[name] for name in summaries.ACCOUNT_FACT_COLUMNS)), 6,
        lambda key: f"account {key[0]} {key[1]:%Y-%m} organisation {key[2]} activity {key[3]}")


def check_account_years(session: Session) -> list[Problem]:
    """Each account's year facts (``AccountYearFact``: the months it gave and received in, as bits) are what
    the standing exchanges say."""
    table = AccountYearFact.__table__
    return _kept_as_derived(
        session, "account-years", summaries.derived_account_year_facts(),
        sa.select(*(table.c[name] for name in summaries.ACCOUNT_YEAR_FACT_COLUMNS)), 6,
        lambda key: f"account {key[0]} {key[1]} organisation {key[2]} activity {key[3]}")


CHECKS: dict[str, Callable[[Session], list[Problem]]] = {
    "balances": check_balances,
    "exchanges": check_exchanges_balance,
    "banks": check_banks_balance,
    "reversals": check_reversals,
    "history": check_history,
    "limits": check_limits,
    "closed": check_closed_accounts,
    "dates": check_dates,
    "month-totals": check_month_totals,
    "exchange-facts": check_exchange_facts,
    "account-facts": check_account_facts,
    "account-years": check_account_years,
    "chain": check_chain,
}


def verify(session: Session) -> list[Problem]:
    """Run every check; an empty list means the books are sound."""
    return [problem for check in CHECKS.values() for problem in check(session)]

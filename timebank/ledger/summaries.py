"""Each bank's hours exchanged per month, kept as it happens (``BankMonthTotal``).

A home page or report reads one row per bank and month instead of adding up every exchange. The rows
count standing exchanges only ("Hours exchanged": confirmed, of kind exchange, not reversed), in the
month the help happened: confirming adds the exchange to its month, reversing takes the original back
out of its month (the reversal itself is not help and counts nowhere). Both are one upsert each, made by
``ledger.service`` in the same transaction as the postings; ``ledger verify`` re-derives every row
(``derived``) and the bulk seed writes them all at once (``fill``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from timebank.ledger.models import BankMonthTotal, Exchange, ExchangeKind, ExchangeState

#: The exchanges that count as hours exchanged.
STANDING = sa.and_(Exchange.state == ExchangeState.CONFIRMED, Exchange.kind == ExchangeKind.EXCHANGE)


class month_start(sa.sql.functions.FunctionElement[dt.date]):  # a SQL function, named as one
    """The first day of a date's month, in SQL."""

    type = sa.Date()
    inherit_cache = True


@compiles(month_start, "postgresql")
def _month_start_postgresql(element: month_start, compiler: Any, **kw: Any) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element: month_start, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


def _add(session: Session, time_bank_id: int, day: dt.date, minutes: int, exchanges: int) -> None:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = BankMonthTotal.__table__
    statement = insert(table).values(time_bank_id=time_bank_id, month=day.replace(day=1), minutes=minutes,
                                     exchanges=exchanges)
    session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.time_bank_id, table.c.month],
        set_={"minutes": table.c.minutes + statement.excluded.minutes,
              "exchanges": table.c.exchanges + statement.excluded.exchanges},
    ))


def exchange_confirmed(session: Session, exchange: Exchange) -> None:
    """Count a newly confirmed exchange in its bank's month (reversals, which are recorded confirmed,
    count nowhere)."""
    if exchange.kind is ExchangeKind.EXCHANGE:
        _add(session, exchange.time_bank_id, exchange.occurred_on, exchange.amount_minutes, 1)


def exchange_reversed(session: Session, original: Exchange) -> None:
    """Take a reversed exchange back out of its month."""
    _add(session, original.time_bank_id, original.occurred_on, -original.amount_minutes, -1)


def derived() -> sa.Select[tuple[int, dt.date, int, int]]:
    """Every bank's months as the exchanges say they are."""
    month = month_start(Exchange.occurred_on)
    return (
        sa.select(Exchange.time_bank_id, month.label("month"), sa.func.sum(Exchange.amount_minutes).label("minutes"),
                  sa.func.count(Exchange.id).label("exchanges"))
        .where(STANDING)
        .group_by(Exchange.time_bank_id, month)
    )


def fill(connection: sa.Connection, time_bank_id: int) -> None:
    """Write the months of a bank loaded in bulk (which has none yet) from its exchanges, in one statement."""
    connection.execute(BankMonthTotal.__table__.insert().from_select(
        ["time_bank_id", "month", "minutes", "exchanges"], derived().where(Exchange.time_bank_id == time_bank_id)
    ))


def month_minutes(session: Session, time_bank_ids: list[int], month: dt.date) -> dict[int, int]:
    """Minutes exchanged in each of these banks in the month starting ``month``."""
    return dict(session.execute(
        sa.select(BankMonthTotal.time_bank_id, BankMonthTotal.minutes)
        .where(BankMonthTotal.time_bank_id.in_(time_bank_ids), BankMonthTotal.month == month)
    ).all())


def bank_totals(session: Session, time_bank_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Minutes and exchanges in each of these banks, all months together."""
    return {
        bank_id: (int(minutes or 0), int(count or 0))
        for bank_id, minutes, count in session.execute(
            sa.select(BankMonthTotal.time_bank_id, sa.func.sum(BankMonthTotal.minutes),
                      sa.func.sum(BankMonthTotal.exchanges))
            .where(BankMonthTotal.time_bank_id.in_(time_bank_ids))
            .group_by(BankMonthTotal.time_bank_id)
        )
    }

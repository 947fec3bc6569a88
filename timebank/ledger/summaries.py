"""Each bank's hours exchanged per month, kept as it happens: the bank's total (``BankMonthTotal``) and
the month facts reports read (``ExchangeMonthFact``, ``AccountMonthFact``, and ``AccountYearFact``, which folds
each account's months of a year into one row of bits).

A home page or report reads a few rows per bank and month instead of adding up every exchange. The rows
count standing exchanges only ("Hours exchanged": confirmed, of kind exchange, not reversed), in the
month the help happened: confirming adds the exchange to its month, reversing takes the original back
out of its month (the reversal itself is not help and counts nowhere). Each table takes one upsert,
made by ``ledger.service`` in the same transaction as the postings, from the exchange and its two
accounts it has already loaded (the year facts' from the month facts' rows just written, so a month's bit
is set or cleared as its counts say); ``ledger verify`` re-derives every row (``derived``,
``derived_exchange_facts``, ``derived_account_facts``, ``derived_account_year_facts``) and the bulk seed
writes them all at once (``fill``).

The organisation an exchange's hours belong to (the facts' docstring says the rule) needs the activity's
organisation: the ledger imports no feature, so it reads ``activities`` by table name, like the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from timebank.ledger.models import (
    Account,
    AccountMonthFact,
    AccountYearFact,
    BankMonthTotal,
    Exchange,
    ExchangeKind,
    ExchangeMonthFact,
    ExchangeState,
    HolderKind,
)

#: The exchanges that count as hours exchanged.
STANDING = sa.and_(Exchange.state == ExchangeState.CONFIRMED, Exchange.kind == ExchangeKind.EXCHANGE)
#: Holders that are organisations: their hours belong to them when no activity says otherwise.
ORGANISATION_KINDS = (HolderKind.THIRD_SECTOR, HolderKind.PUBLIC_BODY, HolderKind.BUSINESS)
#: The activities feature's table, by name (the ledger imports no feature).
activities = sa.table("activities", sa.column("id", sa.Integer), sa.column("organisation_id", sa.Integer))


class month_start(sa.sql.functions.FunctionElement[dt.date]):  # a SQL function, named as one
    """The first day of a date's month, in SQL."""

    type = sa.Date()
    inherit_cache = True


class year_of(sa.sql.functions.FunctionElement[int]):
    """A date's year, as an integer, in SQL."""

    type = sa.Integer()
    inherit_cache = True


class month_bit(sa.sql.functions.FunctionElement[int]):
    """A date's month as a bit of a year's months (``AccountYearFact``): ``1 << (month - 1)``, in SQL."""

    type = sa.Integer()
    inherit_cache = True


def _in_sql(function: type[sa.sql.functions.FunctionElement[Any]], **templates: str) -> None:
    """Compile ``function`` on each dialect named as its template says (``{}``: the function's argument)."""
    for dialect, template in templates.items():
        def compiled(element: Any, compiler: Any, template: str = template, **kw: Any) -> str:
            return template.format(compiler.process(element.clauses, **kw))

        compiles(function, dialect)(compiled)


_in_sql(month_start, postgresql="CAST(date_trunc('month', {}) AS DATE)", sqlite="date({}, 'start of month')")
_in_sql(year_of, postgresql="CAST(EXTRACT(YEAR FROM {}) AS INTEGER)", sqlite="CAST(strftime('%Y', {}) AS INTEGER)")
_in_sql(month_bit, postgresql="(1 << (CAST(EXTRACT(MONTH FROM {}) AS INTEGER) - 1))",
        sqlite="(1 << (CAST(strftime('%m', {}) AS INTEGER) - 1))")


def _insert(session: Session, table: sa.Table) -> Any:
    """The dialect's INSERT, which has ON CONFLICT."""
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)


def _upsert(session: Session, table: sa.Table, rows: list[dict[str, Any]], counters: tuple[str, ...]) -> None:
    """Add ``rows`` to ``table``: a new key is inserted, an existing one has its ``counters`` added to, in one
    statement."""
    statement = _insert(session, table).values(rows)
    session.execute(statement.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={name: table.c[name] + statement.excluded[name] for name in counters},
    ))


def _organisation_of(exchange: Exchange, giver: Account, receiver: Account) -> int | sa.ScalarSelect[int]:
    """The organisation the exchange's hours belong to (``ExchangeMonthFact``), ``0`` for none: its activity's
    (read in the statement that uses it), else the giver's or the receiver's, if an organisation."""
    if exchange.activity_id is not None:
        return sa.select(activities.c.organisation_id).where(activities.c.id == exchange.activity_id).scalar_subquery()
    side = next((a for a in (giver, receiver) if a.holder_kind in ORGANISATION_KINDS), None)
    return side.holder_id or 0 if side else 0


def _count(session: Session, exchange: Exchange, giver: Account, receiver: Account, sign: int) -> None:
    """Add an exchange (``sign`` 1) to its month, or take it out (-1): the bank's total and the month facts."""
    minutes, month = sign * exchange.amount_minutes, exchange.occurred_on.replace(day=1)
    bank = exchange.time_bank_id
    where = {"organisation_id": _organisation_of(exchange, giver, receiver), "activity_id": exchange.activity_id or 0}
    _upsert(session, BankMonthTotal.__table__,
            [{"time_bank_id": bank, "month": month, "minutes": minutes, "exchanges": sign}],
            ("minutes", "exchanges"))
    _upsert(session, ExchangeMonthFact.__table__, [{
        "time_bank_id": bank, "month": month, "giver_kind": giver.holder_kind, "receiver_kind": receiver.holder_kind,
        "category_id": exchange.category_id, **where, "role_id": exchange.role_id or 0, "minutes": minutes,
        "exchanges": sign,
    }], ("minutes", "exchanges"))
    _upsert(session, AccountMonthFact.__table__, [
        {"account_id": account.id, "month": month, **where, "time_bank_id": bank, "holder_kind": account.holder_kind,
         "given_minutes": minutes * gave, "received_minutes": minutes * (1 - gave),
         "given_exchanges": sign * gave, "received_exchanges": sign * (1 - gave)}
        for account, gave in ((giver, 1), (receiver, 0))
    ], ("given_minutes", "received_minutes", "given_exchanges", "received_exchanges"))
    _fold_month(session, month, where, (giver.id, receiver.id))


def _fold_month(session: Session, month: dt.date, where: dict[str, Any], account_ids: tuple[int, int]) -> None:
    """Set or clear the month's bit in the accounts' year facts as their month facts (just written) say, in one
    statement: a year's row is inserted if new, else its month's bit replaced."""
    fact, bit, table = AccountMonthFact, 1 << (month.month - 1), AccountYearFact.__table__
    rows = sa.select(fact.account_id, sa.literal(month.year), fact.organisation_id, fact.activity_id,
                     fact.time_bank_id, fact.holder_kind, sa.case((fact.given_exchanges > 0, bit), else_=0),
                     sa.case((fact.received_exchanges > 0, bit), else_=0)).where(
        fact.account_id.in_(account_ids), fact.month == month,
        *(fact.__table__.c[name] == value for name, value in where.items()))
    statement = _insert(session, table).from_select(list(ACCOUNT_YEAR_FACT_COLUMNS), rows)
    session.execute(statement.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={name: table.c[name].bitwise_and(~bit).bitwise_or(statement.excluded[name])
              for name in ACCOUNT_YEAR_FACT_COLUMNS[6:]},
    ))


def exchange_confirmed(session: Session, exchange: Exchange, giver: Account, receiver: Account) -> None:
    """Count a newly confirmed exchange in its month (reversals, which are recorded confirmed, count
    nowhere). ``giver`` and ``receiver`` are its accounts."""
    if exchange.kind is ExchangeKind.EXCHANGE:
        _count(session, exchange, giver, receiver, 1)


def exchange_reversed(session: Session, original: Exchange, giver: Account, receiver: Account) -> None:
    """Take a reversed exchange back out of its month (``giver`` and ``receiver``: the original's accounts)."""
    _count(session, original, giver, receiver, -1)


def derived() -> sa.Select[tuple[int, dt.date, int, int]]:
    """Every bank's months as the exchanges say they are."""
    month = month_start(Exchange.occurred_on)
    return (
        sa.select(Exchange.time_bank_id, month.label("month"), sa.func.sum(Exchange.amount_minutes).label("minutes"),
                  sa.func.count(Exchange.id).label("exchanges"))
        .where(STANDING)
        .group_by(Exchange.time_bank_id, month)
    )


def _standing_exchanges(time_bank_id: int | None = None) -> sa.Subquery:
    """One row per standing exchange with what the facts group it by: its month, its accounts and their
    kinds, its category, and the organisation, activity and role its hours belong to (``0``: none)."""
    giver, receiver = sa.orm.aliased(Account), sa.orm.aliased(Account)
    organisation = sa.func.coalesce(activities.c.organisation_id, sa.case(
        (giver.holder_kind.in_(ORGANISATION_KINDS), giver.holder_id),
        (receiver.holder_kind.in_(ORGANISATION_KINDS), receiver.holder_id), else_=0))
    query = (
        sa.select(Exchange.time_bank_id, month_start(Exchange.occurred_on).label("month"),
                  giver.id.label("giver_id"), giver.holder_kind.label("giver_kind"),
                  receiver.id.label("receiver_id"), receiver.holder_kind.label("receiver_kind"),
                  Exchange.category_id, organisation.label("organisation_id"),
                  sa.func.coalesce(Exchange.activity_id, 0).label("activity_id"),
                  sa.func.coalesce(Exchange.role_id, 0).label("role_id"), Exchange.amount_minutes.label("minutes"))
        .join(giver, giver.id == Exchange.giver_account_id)
        .join(receiver, receiver.id == Exchange.receiver_account_id)
        .outerjoin(activities, activities.c.id == Exchange.activity_id)
        .where(STANDING)
    )
    if time_bank_id is not None:
        query = query.where(Exchange.time_bank_id == time_bank_id)
    return query.subquery("standing")


#: The month facts' columns in the order the derived queries give them.
EXCHANGE_FACT_COLUMNS = ("time_bank_id", "month", "giver_kind", "receiver_kind", "category_id", "organisation_id",
                         "activity_id", "role_id", "minutes", "exchanges")
ACCOUNT_FACT_COLUMNS = ("account_id", "month", "organisation_id", "activity_id", "time_bank_id", "holder_kind",
                        "given_minutes", "received_minutes", "given_exchanges", "received_exchanges")
ACCOUNT_YEAR_FACT_COLUMNS = ("account_id", "year", "organisation_id", "activity_id", "time_bank_id", "holder_kind",
                             "gave_months", "received_months")


def derived_exchange_facts(time_bank_id: int | None = None) -> sa.Select[Any]:
    """``ExchangeMonthFact`` as the exchanges say it is (columns in ``EXCHANGE_FACT_COLUMNS``' order)."""
    standing = _standing_exchanges(time_bank_id)
    keys = [standing.c[name] for name in EXCHANGE_FACT_COLUMNS[:-2]]
    return (sa.select(*keys, sa.func.sum(standing.c.minutes).label("minutes"), sa.func.count().label("exchanges"))
            .group_by(*keys))


def derived_account_facts(time_bank_id: int | None = None) -> sa.Select[Any]:
    """``AccountMonthFact`` as the exchanges say it is (columns in ``ACCOUNT_FACT_COLUMNS``' order)."""
    standing = _standing_exchanges(time_bank_id)
    one, none = sa.literal_column("1"), sa.literal_column("0")
    sides = sa.union_all(*(
        sa.select(standing.c[f"{side}_id"].label("account_id"), standing.c.month, standing.c.organisation_id,
                  standing.c.activity_id, standing.c.time_bank_id, standing.c[f"{side}_kind"].label("holder_kind"),
                  (standing.c.minutes if gave else none).label("given_minutes"),
                  (none if gave else standing.c.minutes).label("received_minutes"),
                  (one if gave else none).label("given_exchanges"), (none if gave else one).label("received_exchanges"))
        for side, gave in (("giver", True), ("receiver", False))
    )).subquery("sides")
    keys = [sides.c[name] for name in ACCOUNT_FACT_COLUMNS[:6]]
    sums = (sa.func.sum(sides.c[name]).label(name) for name in ACCOUNT_FACT_COLUMNS[6:])
    return sa.select(*keys, *sums).group_by(*keys)


def _years_of(facts: sa.FromClause) -> sa.Select[Any]:
    """``AccountYearFact`` folded from rows of ``AccountMonthFact``'s columns (the table, or as derived): a
    month's bit is set where its row has exchanges given (received); each month is one row of its group, so
    adding the bits is or-ing them."""
    keys = [facts.c.account_id, year_of(facts.c.month).label("year"), facts.c.organisation_id, facts.c.activity_id,
            facts.c.time_bank_id, facts.c.holder_kind]
    bits = (sa.func.sum(sa.case((facts.c[f"{side}_exchanges"] > 0, month_bit(facts.c.month)), else_=0)).label(name)
            for side, name in (("given", "gave_months"), ("received", "received_months")))
    return sa.select(*keys, *bits).group_by(*keys)


def derived_account_year_facts(time_bank_id: int | None = None) -> sa.Select[Any]:
    """``AccountYearFact`` as the exchanges say it is (columns in ``ACCOUNT_YEAR_FACT_COLUMNS``' order)."""
    return _years_of(derived_account_facts(time_bank_id).subquery("months"))


def fill(connection: sa.Connection, time_bank_id: int) -> None:
    """Write the months of a bank loaded in bulk (which has none yet) from its exchanges, one statement a table."""
    connection.execute(BankMonthTotal.__table__.insert().from_select(
        ["time_bank_id", "month", "minutes", "exchanges"], derived().where(Exchange.time_bank_id == time_bank_id)
    ))
    connection.execute(ExchangeMonthFact.__table__.insert().from_select(
        list(EXCHANGE_FACT_COLUMNS), derived_exchange_facts(time_bank_id)))
    connection.execute(AccountMonthFact.__table__.insert().from_select(
        list(ACCOUNT_FACT_COLUMNS), derived_account_facts(time_bank_id)))
    months = AccountMonthFact.__table__
    connection.execute(AccountYearFact.__table__.insert().from_select(
        list(ACCOUNT_YEAR_FACT_COLUMNS), _years_of(months).where(months.c.time_bank_id == time_bank_id)))


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

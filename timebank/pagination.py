"""Two ways to page through a list, both costing the same however long the list grows.

* ``paginate``: numbered pages for the shorter lists (listings, notices, applications…). It counts at
  most ``COUNT_CAP`` + 1 rows (a LIMIT inside the count), so a long list says "more than 1,000" instead of
  counting every match: ``Page.total_is_lower_bound``.
* ``keyset_page``: "newer / older" for the lists that grow without end (exchanges). The list is a union of
  branches that each read one index newest first and stop after a page, and a cursor (``before`` or
  ``after`` an id, standing for that row's place in the order) says where the page starts, so no page reads
  more than a page per branch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

T = TypeVar("T")
MAX_PER_PAGE = 100
#: The most rows a page count reads; beyond it the list is "more than" this long.
COUNT_CAP = 1000


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    #: Items on every page together, or, when ``total_is_lower_bound``, how many there are at least.
    total: int
    total_is_lower_bound: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or self.total_is_lower_bound


@dataclass(frozen=True)
class Count:
    """A figure counted with ``capped_count``, for the ``counted`` macro: with ``total_is_lower_bound`` there
    are more than ``total``."""

    total: int
    total_is_lower_bound: bool = False


def capped_counts(session: Session, queries: Mapping[int, sa.Select[Any]], cap: int = COUNT_CAP) -> dict[int, Count]:
    """How many rows each query gives, in one statement: a branch per query, each reading at most ``cap`` + 1
    rows (a bank's members, say, for each of the banks on a page); past ``cap`` the count says "more"."""
    if not queries:
        return {}
    branches = [sa.select(sa.literal(key).label("key"), sa.func.count().label("counted"))
                .select_from(query.order_by(None).limit(cap + 1).subquery()) for key, query in queries.items()]
    return {key: Count(min(counted, cap), counted > cap) for key, counted in session.execute(sa.union_all(*branches))}


def capped_count(session: Session, query: sa.Select[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """``capped_counts`` of one query: (``cap``, True) means more than ``cap``."""
    count = capped_counts(session, {0: query}, cap)[0]
    return count.total, count.total_is_lower_bound


def paginate(session: Session, query: sa.Select[Any], *, page: int, per_page: int, count_cap: int = COUNT_CAP,
             rows: Callable[[int, int], list[Any]] | None = None) -> Page[Any]:
    """One page of ``query``'s rows, counted up to ``count_cap``. ``rows(offset, limit)`` fetches the page
    instead where the list is not simply ``query`` in its own order (people search ranks its first matches)."""
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    # Count far enough to know whether the page asked for has a next one (deep pages read their rows anyway).
    total, more = capped_count(session, query, max(count_cap, page * per_page))
    offset = (page - 1) * per_page
    items = (rows(offset, per_page) if rows is not None
             else list(session.scalars(query.limit(per_page).offset(offset)).unique()))
    return Page(items=items, page=page, per_page=per_page, total=total, total_is_lower_bound=more)


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """One page of a list newest first. ``older`` is the cursor for the next page (pass it as
    ``before``), ``newer`` for the previous one (pass it as ``after``); ``None`` where there is none."""

    items: list[T]
    per_page: int
    older: int | None
    newer: int | None


def keyset_page(
    session: Session,
    key: InstrumentedAttribute[int],
    branches: Sequence[sa.Select[Any]],
    *,
    sort: Sequence[InstrumentedAttribute[Any]] = (),
    before: int | None = None,
    after: int | None = None,
    per_page: int,
) -> KeysetPage[Any]:
    """The page of ``key``'s entity, newest first, found by a union of ``branches``.

    Newest is the highest ``sort`` columns, then the highest key (``sort=(Exchange.occurred_on,)``: the latest day
    of help, and that day's last recorded). Each branch selects ``key`` with its own WHERE, written so that one
    index serves it in that order (for instance ``giver_account_id = 7`` over an index on (giver_account_id,
    occurred_on, id)); here each gets the cursor, its order and a LIMIT, so it stops after a page. A cursor is
    a key, and the page starts at that row's place in the order: with ``after`` the page is the one just newer
    than it; otherwise the one just older than ``before`` (or the newest)."""
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    if not branches:
        return KeysetPage([], per_page, None, None)
    upward = after is not None
    cursor = after if upward else before
    columns = (*sort, key)
    entity = key.class_
    if cursor is not None:
        # The cursor row's place, read in each branch's WHERE (no statement of its own): its sort values, its key.
        at = aliased(entity)
        place = sa.tuple_(*(sa.select(getattr(at, column.key)).where(getattr(at, key.key) == cursor).scalar_subquery()
                            for column in sort), sa.literal(cursor))
        beyond = sa.tuple_(*columns) > place if upward else sa.tuple_(*columns) < place
    limited = []
    for branch in branches:
        branch = branch.with_only_columns(*columns)
        if cursor is not None:
            branch = branch.where(beyond)
        found = branch.order_by(*(c.asc() if upward else c.desc() for c in columns)).limit(per_page + 1).subquery()
        limited.append(sa.select(*found.c))
    union = sa.union(*limited).subquery()
    ids = [row[-1] for row in session.execute(
        sa.select(*union.c).order_by(*(c.asc() if upward else c.desc() for c in union.c)).limit(per_page + 1))]
    more = len(ids) > per_page
    ids = ids[:per_page]
    if upward:
        ids.reverse()
    rows = {getattr(row, key.key): row for row in
            session.scalars(sa.select(entity).where(key.in_(ids))).unique()} if ids else {}
    items = [rows[i] for i in ids]
    if upward:
        return KeysetPage(items, per_page, older=ids[-1] if ids else None, newer=ids[0] if more else None)
    return KeysetPage(items, per_page, older=ids[-1] if more else None,
                      newer=ids[0] if before is not None and ids else None)

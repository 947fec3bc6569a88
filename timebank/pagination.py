"""Two ways to page through a list, both costing the same however long the list grows.

* ``paginate``: numbered pages for the shorter lists (listings, notices, applications…). It counts at
  most ``COUNT_CAP`` + 1 rows (a LIMIT inside the count), so a long list says "more than 1,000" instead of
  counting every match: ``Page.total_is_lower_bound``.
* ``keyset_page``: "newer / older" for the lists that grow without end (exchanges). The list is a union of
  branches that each read one index newest first and stop after a page, and a cursor (``before`` or
  ``after`` an id) says where the page starts, so no page reads more than a page per branch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

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
    before: int | None = None,
    after: int | None = None,
    per_page: int,
) -> KeysetPage[Any]:
    """The page of ``key``'s entity, newest (highest key) first, found by a union of ``branches``.

    Each branch selects ``key`` alone with its own WHERE, written so that one index serves it in key
    order (for instance ``giver_account_id = 7`` over an index on (giver_account_id, id)); here each gets
    the cursor, its order and a LIMIT, so it stops after a page. With ``after`` the page is the one just
    newer than that key; otherwise the one just older than ``before`` (or the newest)."""
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    if not branches:
        return KeysetPage([], per_page, None, None)
    upward = after is not None
    order = key.asc() if upward else key.desc()
    limited = []
    for branch in branches:
        if upward:
            branch = branch.where(key > after)
        elif before is not None:
            branch = branch.where(key < before)
        limited.append(sa.select(branch.order_by(order).limit(per_page + 1).subquery().c[0]))
    union = sa.union(*limited).subquery()
    column = union.c[0]
    ids = list(session.scalars(sa.select(column).order_by(column.asc() if upward else column.desc())
                               .limit(per_page + 1)))
    more = len(ids) > per_page
    ids = ids[:per_page]
    if upward:
        ids.reverse()
    entity = key.class_
    rows = {getattr(row, key.key): row for row in
            session.scalars(sa.select(entity).where(key.in_(ids))).unique()} if ids else {}
    items = [rows[i] for i in ids]
    if upward:
        return KeysetPage(items, per_page, older=ids[-1] if ids else None, newer=ids[0] if more else None)
    return KeysetPage(items, per_page, older=ids[-1] if more else None,
                      newer=ids[0] if before is not None and ids else None)

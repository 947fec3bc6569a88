"""The category tree as every feature uses it: the active categories, one chosen by its code, and
abilities chosen by their codes. Only active categories can be chosen; a retired one stays on the
records that already name it."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.categories import errors
from timebank.categories.models import Category
from timebank.ledger.errors import CategoryNotFound


def categories(session: Session) -> list[Category]:
    """The active categories, in display order."""
    return list(session.scalars(sa.select(Category).where(Category.is_active).order_by(Category.position)))


def category_by_code(session: Session, code: str) -> Category:
    """The active category with this code; refused as the ledger refuses an unknown category."""
    category = session.scalar(sa.select(Category).where(Category.code == code, Category.is_active))
    if category is None:
        raise CategoryNotFound()
    return category


def abilities_by_code(session: Session, codes: Iterable[str]) -> list[Category]:
    """The active categories with these codes (for a profile's or a role's abilities); refused if any
    code names none."""
    wanted = set(codes)
    found = list(session.scalars(sa.select(Category).where(Category.code.in_(wanted), Category.is_active)))
    if len(found) != len(wanted):
        raise errors.UnknownAbility()
    return found


def related_category_ids(session: Session, category_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """For each category, the categories that count as it when matching people to help: itself, its
    children (someone who gardens matches a request for pruning's parent, "gardening") and its parent (a
    whole top-level category chosen on a profile covers each of its children). One query."""
    wanted = set(category_ids)
    if not wanted:
        return {}
    rows = session.execute(sa.select(Category.id, Category.parent_id).where(
        sa.or_(Category.id.in_(wanted), Category.parent_id.in_(wanted)))).all()
    related: dict[int, set[int]] = {category_id: {category_id} for category_id in wanted}
    for category_id, parent_id in rows:
        if category_id in wanted and parent_id is not None:
            related[category_id].add(parent_id)
        if parent_id in wanted:
            related[parent_id].add(category_id)
    return {category_id: frozenset(ids) for category_id, ids in related.items()}

"""The database side of a member picker (the form side is ``timebank.forms.MemberPickerField``).

A picker never lists a whole bank: each feature keeps its own rule for who may be picked, as a query, and
asks ``pick`` for the few whose name contains what was typed (first by name), or for the ones already
chosen (``only``), which is how a chosen id is checked against the same rule."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

#: The most matches a picker shows; one more is read to know there are more.
PICK_LIMIT = 20
#: The most of a search that is used (a name is at most 200 characters).
MAX_SEARCH = 200

T = TypeVar("T")


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """One person or group a picker offers."""

    #: What the form sends back: an account or person id, as the feature's form wants it.
    value: int
    name: str
    #: A short word that tells two people of one name apart (the postcode district), or "group".
    detail: str | None = None
    #: What the feature needs of the chosen one beyond its id (the money forms: the account).
    item: T | None = field(default=None, compare=False)


def name_contains(column: Any, text: str) -> Any:
    """A case-insensitive "contains" match on a name column, with ``%`` and ``_`` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def pick(session: Session, query: sa.Select[Any], *, key: Any, name: Any, text: str = "",
         limit: int = PICK_LIMIT + 1, only: Collection[int] | None = None) -> list[sa.Row[Any]]:
    """The rows of ``query`` (a feature's rule for who may be picked) whose ``name`` contains ``text``, by
    name, at most ``limit``; or, given ``only``, those of these ids (``key``) the rule allows, all of them
    (a form's chosen ids: as many as it has pickers)."""
    if only is not None:
        query = query.where(key.in_(list(only)))
        limit = len(only)
    elif text.strip():
        query = query.where(name_contains(name, text.strip()[:MAX_SEARCH]))
    return list(session.execute(query.order_by(name, key).limit(limit)))

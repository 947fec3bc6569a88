"""A rule's message filled with a finding's values, in the reader's language: the one way a flag's page, the
API and a heads-up put a message into words.

A value is read the same whether it comes straight from a rule (a date, a ``Coded`` code) or from a flag's
stored evidence (ISO text, a code or a list of codes: ``rules.PARAM_READERS`` turns those back into words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import format_date

from timebank.benefits.rules import PARAM_READERS


class _Params(dict[str, Any]):
    """A message's values: a placeholder with none shows as an ellipsis instead of failing."""

    def __missing__(self, key: str) -> str:
        return "…"


def shown(value: Any, name: str = "") -> str:
    """A message or computed value as a reader sees it: a date (or ISO date) in their language, a stored code
    as its words."""
    reader = PARAM_READERS.get(name)
    if reader is not None and value is not None and not isinstance(value, reader):
        return str(reader(value))
    if isinstance(value, dt.date):
        return format_date(value, "long")
    if isinstance(value, str) and len(value) == 10:
        try:
            return format_date(dt.date.fromisoformat(value), "long")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def fill(template: Any, params: Mapping[str, Any]) -> str:
    """A rule's message (a lazy string with ``%(name)s``) filled with a finding's values."""
    text = str(template)
    try:
        return text % _Params({name: shown(value, name) for name, value in params.items()})
    except (TypeError, ValueError):
        return text

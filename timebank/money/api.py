"""Money and value records: expenses, payments and redemptions (never hours)."""

from __future__ import annotations

from timebank.api.core import ApiBlueprint

bp = ApiBlueprint(
    "api_money", __name__, url_prefix="/api/v1",
    description="Money and value records: expenses, payments and redemptions (never hours).",
)

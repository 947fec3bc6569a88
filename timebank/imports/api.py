"""CSV imports of paper timesheets."""

from __future__ import annotations

from timebank.api.core import ApiBlueprint

bp = ApiBlueprint(
    "api_imports", __name__, url_prefix="/api/v1",
    description="CSV imports of paper timesheets.",
)

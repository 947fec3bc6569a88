"""Co-delivery activities: forms of co-production, matrix cells, partners, roles and sessions."""

from __future__ import annotations

from timebank.api.core import ApiBlueprint

bp = ApiBlueprint(
    "api_activities", __name__, url_prefix="/api/v1",
    description="Co-delivery activities: forms of co-production, matrix cells, partners, roles and sessions.",
)

"""The signed-in person's notices and reminders."""

from __future__ import annotations

from timebank.api.core import ApiBlueprint

bp = ApiBlueprint(
    "api_notices", __name__, url_prefix="/api/v1",
    description="The signed-in person's notices and reminders.",
)

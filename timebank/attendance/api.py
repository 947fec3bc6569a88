"""Taking part: sign-ups, waiting lists, attendance, and each member's calendar."""

from __future__ import annotations

from timebank.api.core import ApiBlueprint

bp = ApiBlueprint(
    "api_attendance", __name__, url_prefix="/api/v1",
    description="Taking part: sign-ups, waiting lists, attendance, and each member's calendar.",
)

"""Personal statements: hours given, received, balance and recent exchanges."""

from __future__ import annotations

from timebank.api.core import ApiBlueprint

bp = ApiBlueprint(
    "api_paper", __name__, url_prefix="/api/v1",
    description="Personal statements: hours given, received, balance and recent exchanges.",
)

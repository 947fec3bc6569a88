"""API routes: filled in by this issue's work."""

from __future__ import annotations

from timebank.api.core import ApiBlueprint

bp = ApiBlueprint("api_membership", __name__, url_prefix="/api/v1", description="membership")

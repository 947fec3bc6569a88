"""API routes: filled in by this issue's work."""

from __future__ import annotations

from timebank.api.core import ApiBlueprint

bp = ApiBlueprint("api_profiles", __name__, url_prefix="/api/v1", description="profiles")

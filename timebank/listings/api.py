"""Offers, requests and spend offers, with review dates."""

from __future__ import annotations

from timebank.api.core import ApiBlueprint

bp = ApiBlueprint(
    "api_listings", __name__, url_prefix="/api/v1",
    description="Offers, requests and spend offers, with review dates.",
)

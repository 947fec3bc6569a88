"""The category tree, for choosing an exchange's category."""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.categories import service
from timebank.categories.schemas import CategoryOut
from timebank.db import db
from timebank.members.models import Person

bp = ApiBlueprint("api_categories", __name__, url_prefix="/api/v1", description="Categories of help.")


@bp.route("/categories")
@bp.token_required
@bp.response(200, CategoryOut(many=True))
def categories(actor: Person) -> list[dict[str, Any]]:
    """Active categories in display order, each naming its parent (a two-level tree)."""
    active = service.categories(db.session)
    codes = {category.id: category.code for category in active}
    return [
        {"code": c.code, "label": c.label, "parent_code": codes.get(c.parent_id) if c.parent_id else None}
        for c in active
    ]

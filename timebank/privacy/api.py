"""Your own data over the JSON API: download everything held about you, or leave.

Leaving pseudonymises the member (``privacy.service.leave``): their ledger entries stay, under the
pseudonym, so every total and the hash chain still verify; their tokens are revoked.
"""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.db import db, writes
from timebank.members.models import Person
from timebank.privacy import service
from timebank.privacy.schemas import ExportOut, LeftOut
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_privacy", __name__, url_prefix="/api/v1",
    description="Your own data: download everything held about you, or leave the time bank (your name and "
                "details are wiped; the hours you exchanged stay in the books under a pseudonym).",
)


@bp.route("/me/export")
@writes  # the download is audited
@bp.token_required
@bp.response(200, ExportOut)
def export(actor: Person) -> dict[str, Any]:
    """Everything the time bank holds about you, as JSON."""
    data = service.export_data(db.session, actor)
    return data


@bp.route("/me/leave", methods=["POST"])
@bp.token_required
@bp.response(200, LeftOut, description="You have left. This token, and every other, no longer works.")
@bp.problems(409)
def leave(actor: Person) -> Person:
    """Leave: your name, contact details and profile are wiped, and your records kept under a pseudonym."""
    person = service.leave(db.session, actor, actor.id)
    return person


@bp.route(f"/people/<{ID_CONVERTER}:person_id>/leave", methods=["POST"])
@bp.token_required
@bp.response(200, LeftOut, description="They have left and are now known by the pseudonym.")
@bp.problems(404, 409)
def leave_for(person_id: int, actor: Person) -> Person:
    """Brokers: a member of your time bank leaves (for someone who asked you, or is not online)."""
    person = service.leave(db.session, actor, person_id)
    return person

"""Personal statements over the JSON API: the figures and recent exchanges a printed statement shows."""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.db import db
from timebank.members.models import Person
from timebank.paper import service
from timebank.paper.schemas import StatementOut
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_paper", __name__, url_prefix="/api/v1",
    description="Personal statements: hours given, received, balance and recent exchanges.",
)


@bp.route(f"/accounts/<{ID_CONVERTER}:account_id>/statement")
@bp.token_required
@bp.response(200, StatementOut)
@bp.problems(403, 404)
def get_statement(account_id: int, actor: Person) -> dict[str, Any]:
    """A member's statement: for the holder, their organisation's admins and the bank's brokers.

    Hours given and received, the balance and what is waiting to be confirmed come from the account's
    counters; the lines are the exchanges of the last three months (or the last 30), newest first."""
    statement = service.statement(db.session, actor, account_id)
    return {
        **{name: getattr(statement, name) for name in (
            "name", "bank_name", "made_on", "given_minutes", "received_minutes", "balance_minutes",
            "pending_in_minutes", "pending_out_minutes", "since", "shortened", "lines")},
        "account_id": statement.account.id,
        "time_bank_id": statement.account.time_bank_id,
    }

"""The signed-in person and their accounts."""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import ID_CONVERTER
from timebank.auth import policy
from timebank.db import db
from timebank.exchanges import service
from timebank.ledger.models import Account
from timebank.members.models import Person
from timebank.members.schemas import AccountOut, MeOut

bp = ApiBlueprint("api_members", __name__, url_prefix="/api/v1", description="You and your time accounts.")


@bp.route("/me")
@bp.token_required
@bp.response(200, MeOut)
def me(actor: Person) -> dict[str, Any]:
    """Who the token belongs to, their roles and their own accounts' balances."""
    return {
        "id": actor.id,
        "display_name": actor.display_name,
        "email": actor.email,
        "preferred_language": actor.preferred_language,
        "is_admin": actor.is_admin,
        "bank_roles": actor.bank_roles,
        "accounts": policy.own_accounts(db.session, actor),
    }


@bp.route(f"/accounts/<{ID_CONVERTER}:account_id>")
@bp.token_required
@bp.response(200, AccountOut)
@bp.problems(404)
def account(account_id: int, actor: Person) -> Account:
    """One account's balances, if you may act for it (your own, your organisation's, or as a broker)."""
    return service.account_for(db.session, actor, account_id)

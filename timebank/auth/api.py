"""API bearer tokens: make one with an email and password, list your own, revoke one."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from timebank.api.auth import unauthorized
from timebank.api.core import ApiBlueprint
from timebank.api.schemas import ID_CONVERTER, PageArgs
from timebank.auth import limits, tokens
from timebank.auth.models import ApiToken
from timebank.auth.schemas import TokenIn, TokenMadeOut, TokenPageOut
from timebank.auth.service import authenticate
from timebank.db import db
from timebank.members.models import Person
from timebank.types import utcnow

bp = ApiBlueprint("api_tokens", __name__, url_prefix="/api/v1", description="API bearer tokens.")


def token_out(token: ApiToken) -> dict[str, Any]:
    return {"id": token.id, "name": token.name, "scope": token.scope, "created_at": token.created_at,
            "expires_at": token.expires_at, "revoked_at": token.revoked_at, "works": tokens.works(token, utcnow())}


@bp.route("/tokens", methods=["POST"])
@limits.sign_in
@bp.arguments(TokenIn)
@bp.response(201, TokenMadeOut)
@bp.problems(401, 429)
def create_token(body: dict[str, Any]) -> dict[str, Any]:
    """Sign in and get a bearer token for the other API routes, named, scoped and lasting as you choose.

    Signing in is rate limited per address and per email, and after repeated wrong passwords for one
    email each try waits longer (429 with Retry-After)."""
    person = authenticate(db.session, body["email"], body["password"])
    if person is None:
        db.session.commit()  # keep the audit record of the failed attempt
        raise unauthorized(_l("That email and password do not match our records."))
    days = body.get("expires_in_days", current_app.config["API_TOKEN_LIFETIME"].days)
    raw, token = tokens.make_token(db.session, person, name=body.get("name", tokens.DEFAULT_NAME),
                                   scope=body["scope"], expires_in_days=days)
    db.session.commit()
    return {**token_out(token), "token": raw}


@bp.route("/tokens")
@bp.token_required
@bp.arguments(PageArgs, location="query")
@bp.response(200, TokenPageOut)
def list_tokens(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Your tokens, newest first, revoked and expired ones too. Never the tokens themselves."""
    page = tokens.tokens_of(db.session, actor, page=query["page"], per_page=query["per_page"])
    return {"items": [token_out(token) for token in page.items], "page": page.page, "per_page": page.per_page,
            "total": page.total}


@bp.route(f"/tokens/<{ID_CONVERTER}:token_id>", methods=["DELETE"])
@bp.token_required
@bp.response(204)
@bp.problems(404)
def revoke_token(token_id: int, actor: Person) -> None:
    """Revoke one of your tokens: it stops working at once, for good. Revoking it again is harmless."""
    tokens.revoke(db.session, actor, token_id)
    db.session.commit()

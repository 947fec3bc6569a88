"""Exchanging an email and password for an API bearer token."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from timebank.api.auth import unauthorized
from timebank.api.core import ApiBlueprint
from timebank.auth import tokens
from timebank.auth.schemas import TokenIn, TokenOut
from timebank.auth.service import authenticate
from timebank.db import db

bp = ApiBlueprint("api_tokens", __name__, url_prefix="/api/v1", description="API bearer tokens.")


@bp.route("/tokens", methods=["POST"])
@bp.arguments(TokenIn)
@bp.response(201, TokenOut)
@bp.problems(401)
def create_token(credentials: dict[str, Any]) -> dict[str, Any]:
    """Sign in and get a bearer token for the other API routes."""
    person = authenticate(db.session, credentials["email"], credentials["password"])
    if person is None:
        db.session.commit()  # keep the audit record of the failed attempt
        raise unauthorized(_l("That email and password do not match our records."))
    raw, token = tokens.issue_token(db.session, person, current_app.config["API_TOKEN_LIFETIME"])
    db.session.commit()
    return {"token": raw, "expires_at": token.expires_at}

"""Exchanging an email and password for an API bearer token; changing one's password; a broker making a
link for a member to choose a password (the link itself is used in a browser: ``/password/<secret>``)."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from timebank.api.auth import unauthorized
from timebank.api.core import ApiBlueprint
from timebank.api.schemas import ID_CONVERTER
from timebank.auth import service, tokens
from timebank.auth.schemas import PasswordChangeIn, PasswordLinkOut, TokenIn, TokenOut
from timebank.db import db
from timebank.digests import digest
from timebank.members.models import Person

bp = ApiBlueprint("api_tokens", __name__, url_prefix="/api/v1",
                  description="API bearer tokens, and passwords: changing yours, and links to choose one.")


@bp.route("/tokens", methods=["POST"])
@bp.arguments(TokenIn)
@bp.response(201, TokenOut)
@bp.problems(401)
def create_token(credentials: dict[str, Any]) -> dict[str, Any]:
    """Sign in and get a bearer token for the other API routes."""
    person = service.authenticate(db.session, credentials["email"], credentials["password"])
    if person is None:
        db.session.commit()  # keep the audit record of the failed attempt
        raise unauthorized(_l("That email and password do not match our records."))
    raw, token = tokens.issue_token(db.session, person, current_app.config["API_TOKEN_LIFETIME"])
    db.session.commit()
    return {"token": raw, "expires_at": token.expires_at}


@bp.route("/me/password", methods=["POST"])
@bp.token_required
@bp.arguments(PasswordChangeIn)
@bp.response(204)
@bp.problems(422)
def change_password(body: dict[str, Any], actor: Person) -> None:
    """Change your password.

    Every other session and API token of yours stops working; the token you sent keeps working."""
    token = request.authorization.token if request.authorization else None
    service.change_password(db.session, actor, body["current_password"], body["new_password"],
                            keep_token_hash=digest(token) if token else None)
    db.session.commit()


@bp.route(f"/people/<{ID_CONVERTER}:person_id>/password-links", methods=["POST"])
@bp.token_required
@bp.response(201, PasswordLinkOut)
@bp.problems(404, 409, 422)
def make_password_link(person_id: int, actor: Person) -> dict[str, Any]:
    """Make a link for a member to choose a password (brokers of their bank, and admins).

    For someone who has never had a password (a member you enrolled) or has forgotten theirs. The link is
    in this response only: pass it on to them yourself. It works once, for a limited time, and making a
    new one stops the old one."""
    secret, link = service.make_password_link(db.session, actor, person_id,
                                              service.LinkLifetimes.from_config(current_app.config))
    db.session.commit()
    return {"url": url_for("auth.set_password", secret=secret, _external=True), "purpose": link.purpose,
            "expires_at": link.expires_at}

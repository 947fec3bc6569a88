"""API bearer tokens (make one with an email and password, list your own, revoke one); changing one's
password; a broker making a link for a member to choose a password (the link itself is used in a browser:
``/password/<secret>``)."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from timebank.api.auth import unauthorized
from timebank.api.core import ApiBlueprint
from timebank.api.schemas import PageArgs, page_fields
from timebank.auth import limits, service, tokens
from timebank.auth.models import ApiToken
from timebank.auth.schemas import PasswordChangeIn, PasswordLinkOut, TokenIn, TokenMadeOut, TokenPageOut
from timebank.db import db
from timebank.digests import digest
from timebank.errors import keeping_work
from timebank.members.models import Person
from timebank.types import ID_CONVERTER, utcnow

bp = ApiBlueprint("api_tokens", __name__, url_prefix="/api/v1",
                  description="API bearer tokens, and passwords: changing yours, and links to choose one.")


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
    person = service.authenticate(db.session, body["email"], body["password"])
    if person is None:  # the audit record of the failed attempt is kept
        raise keeping_work(unauthorized(_l("That email and password do not match our records.")))
    days = body.get("expires_in_days", current_app.config["API_TOKEN_LIFETIME"].days)
    raw, token = tokens.make_token(db.session, person, name=body.get("name", tokens.DEFAULT_NAME),
                                   scope=body["scope"], expires_in_days=days)
    return {**token_out(token), "token": raw}


@bp.route("/tokens")
@bp.token_required
@bp.arguments(PageArgs, location="query")
@bp.response(200, TokenPageOut)
def list_tokens(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Your tokens, newest first, revoked and expired ones too. Never the tokens themselves."""
    page = tokens.tokens_of(db.session, actor, page=query["page"], per_page=query["per_page"])
    return {"items": [token_out(token) for token in page.items], **page_fields(page)}


@bp.route(f"/tokens/<{ID_CONVERTER}:token_id>", methods=["DELETE"])
@bp.token_required
@bp.response(204)
@bp.problems(404)
def revoke_token(token_id: int, actor: Person) -> None:
    """Revoke one of your tokens: it stops working at once, for good. Revoking it again is harmless."""
    tokens.revoke(db.session, actor, token_id)


@bp.route("/me/password", methods=["POST"])
@limits.sign_in
@bp.token_required
@bp.arguments(PasswordChangeIn)
@bp.response(204)
@bp.problems(422, 429)
def change_password(body: dict[str, Any], actor: Person) -> None:
    """Change your password.

    Every other session and API token of yours stops working; the token you sent keeps working."""
    token = request.authorization.token if request.authorization else None
    service.change_password(db.session, actor, body["current_password"], body["new_password"],
                            keep_token_hash=digest(token) if token else None)


@bp.route(f"/people/<{ID_CONVERTER}:person_id>/password-links", methods=["POST"])
@bp.token_required
@bp.response(201, PasswordLinkOut)
@bp.problems(404, 409, 422)
def make_password_link(person_id: int, actor: Person) -> dict[str, Any]:
    """Make a link for a member to choose a password (brokers of their bank, and admins).

    For someone who has never had a password (a member you enrolled) or has forgotten theirs. If email
    reaches them, the link is emailed to them (`sent_to`) and nobody else sees it. For someone who hears
    through their broker, the link is in this response only (`url`): pass it on to them yourself. It works
    once, for a limited time, and making a new one stops the old one."""
    emailed = service.email_password_link(db.session, actor, person_id)
    if emailed is not None:
        return {"url": None, "sent_to": emailed.to_address, "purpose": service.emailed_purpose(emailed),
                "expires_at": None}
    secret, link = service.make_password_link(db.session, actor, person_id,
                                              service.LinkLifetimes.from_config(current_app.config))
    return {"url": url_for("auth.set_password", secret=secret, _external=True), "sent_to": None,
            "purpose": link.purpose, "expires_at": link.expires_at}

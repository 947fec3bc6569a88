"""Signing in and out of the pages (the API uses bearer tokens instead: see ``timebank.api``), and the
page where people make, see and revoke their API tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from timebank.api.schemas import ID_CONVERTER
from timebank.auth import limits, policy, tokens
from timebank.auth.forms import SCOPE_LABELS, NewTokenForm, RevokeTokenForm, SignInForm
from timebank.auth.guards import current_person
from timebank.auth.models import TokenScope
from timebank.auth.service import authenticate
from timebank.db import db
from timebank.errors import DomainError
from timebank.extensions import login_manager
from timebank.forms import int_arg, refuse
from timebank.members.models import Person
from timebank.types import utcnow

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_person(person_id: str) -> Person | None:
    person = db.session.get(Person, int(person_id)) if person_id.isdigit() else None
    return person if person is not None and person.is_active else None


def _safe_next(target: str | None) -> str:
    """Only ever redirect within this site after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@limits.sign_in
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        person = authenticate(db.session, form.email.data, form.password.data)
        db.session.commit()
        if person is not None:
            login_user(person)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_l("That email and password do not match our records"))
    status = 422 if form.errors else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    logout_user()
    flash(_l("You have signed out."), "success")
    return redirect(url_for("auth.sign_in"))


# --- API tokens ------------------------------------------------------------------------------------


@bp.route("/api-tokens", methods=["GET", "POST"])
@login_required
def api_tokens() -> Any:
    """List the person's tokens and make a new one. The new token is shown in this response only, never
    kept in the session cookie (which the browser could keep) nor anywhere else."""
    form, made = NewTokenForm(), None
    if form.validate_on_submit():
        try:
            made = tokens.make_token(db.session, current_person(), name=form.name.data or "",
                                     scope=TokenScope(form.scope.data), expires_in_days=form.expires_in_days.data)
        except DomainError as error:
            refuse(form, error)
        else:
            db.session.commit()
            form = NewTokenForm(formdata=None)
    page = tokens.tokens_of(db.session, current_person(), page=int_arg("page") or 1, per_page=10)
    body = render_template("auth/api_tokens.html", form=form, page=page, made=made, now=utcnow(),
                           scopes=SCOPE_LABELS, works=tokens.works)
    if made is not None:
        return body, 201, {"Cache-Control": "no-store"}
    return body, 422 if form.errors else 200


@bp.route(f"/api-tokens/<{ID_CONVERTER}:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_api_token(token_id: int) -> Any:
    """Ask first, then revoke: the token stops working at once, for good."""
    token = tokens.own_token(db.session, current_person(), token_id)
    form = RevokeTokenForm()
    if form.validate_on_submit():
        tokens.revoke(db.session, current_person(), token_id)
        db.session.commit()
        flash(_l("“%(name)s” has stopped working. Anything using it can no longer reach your account.",
                 name=token.name), "success")
        return redirect(url_for("auth.api_tokens"))
    return render_template("auth/revoke_token.html", form=form, token=token, scopes=SCOPE_LABELS,
                           works=tokens.works(token, utcnow())), 422 if form.errors else 200


def _navigation() -> dict[str, bool]:
    """What the header may offer: funders who only see aggregates get no ledger links."""
    if not current_user.is_authenticated:
        return {"aggregates_only": True}
    return {"aggregates_only": policy.sees_aggregates_only(db.session, current_user)}


def init_app(app: Flask) -> None:
    app.context_processor(_navigation)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.session_protection = "strong"

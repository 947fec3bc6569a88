"""Signing in and out of the pages (the API uses bearer tokens instead: see ``timebank.api``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from timebank.auth import limits, policy
from timebank.auth.forms import SignInForm
from timebank.auth.service import authenticate
from timebank.db import db
from timebank.extensions import login_manager
from timebank.members.models import Person

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

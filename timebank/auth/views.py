"""Signing in and out of the pages, and passwords: a forgotten one, a link to choose one, changing one,
and the broker's page that makes a link (the API uses bearer tokens instead: see ``timebank.api``); and
the page where people make, see and revoke their API tokens. The rules are ``auth.service``'s and
``auth.tokens``'; the rate limits on the doors people knock on are ``auth.limits``'."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, format_timedelta
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from timebank.auth import limits, service, tokens
from timebank.auth.forms import (
    SCOPE_LABELS,
    ChangePasswordForm,
    ForgotPasswordForm,
    NewTokenForm,
    SetPasswordForm,
    SignInForm,
)
from timebank.auth.guards import current_person, members_only, signed_in_only
from timebank.auth.models import TokenScope
from timebank.auth.passwords import RULE
from timebank.db import db, transaction
from timebank.errors import database_off_limits
from timebank.extensions import login_manager
from timebank.forms import ButtonForm, int_arg, unit_of_work
from timebank.mail import service as mail
from timebank.members.models import Person
from timebank.types import ID_CONVERTER, utcnow

bp = Blueprint("auth", __name__)

#: Pages for someone signed in; signing in, a forgotten password and a password link are open to all.
_GUARDS = {"auth.change_password": signed_in_only, "auth.password_link_for": members_only,
           "auth.api_tokens": signed_in_only, "auth.revoke_api_token": signed_in_only}
#: A page with a secret in its address, or showing one: never cached, and never named to another site.
_SECRET_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.before_request
def _guard() -> Any:
    guard = _GUARDS.get(request.endpoint or "")
    return guard() if guard else None


@login_manager.user_loader
def load_person(session_id: str) -> Person | None:
    """The signed-in person; nobody while the database is off limits (an error page is rendering)."""
    if database_off_limits():
        return None
    return service.person_for_session(db.session, session_id)


def _safe_next(target: str | None) -> str:
    """Only ever redirect within this site after signing in. Browsers read a backslash as a slash and drop
    tabs and line breaks, so ``/\\evil.example`` is another site too: a path with either goes home."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable() and not urlsplit(target).netloc):
        return target
    return url_for("home.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@limits.sign_in
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        with transaction():  # a failed attempt is audited; a password may be rehashed on the way in
            person = service.authenticate(db.session, form.email.data, form.password.data)
        if person is not None:
            login_user(person)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_l("That email and password do not match our records"))
    status = 422 if form.errors else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    with transaction():
        service.sign_out(db.session, current_person())
    logout_user()
    flash(_l("You have signed out, here and on any other device you were signed in on."), "success")
    return redirect(url_for("auth.sign_in"))


# --- a forgotten password --------------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
@limits.password_reset
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        with transaction():
            service.ask_for_password_help(db.session, form.email.data)
        # The same answer whether or not the address is a member's.
        flash(_l("Thank you. If that address belongs to a member, we have emailed it a link to choose a new "
                 "password (or, if you hear through your time bank's broker, they will contact you)."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/forgot_password.html", form=form), 422 if form.errors else 200


# --- choosing a password with a link ---------------------------------------------------------------


@bp.route("/password/<secret>", methods=["GET", "POST"])
@limits.password_link
def set_password(secret: str):
    try:
        link = service.usable_link(db.session, secret)
    except service.LinkNotUsable as error:
        # Its own page, not "page not found": most often the person has already used it, and should sign in.
        return render_template("auth/link_not_usable.html", message=error.message), 404, _SECRET_PAGE_HEADERS
    if current_user.is_authenticated and current_user.id != link.person_id:
        # Someone else's link (a broker trying the one they made): using it would give them the password.
        return render_template("auth/someone_elses_link.html"), 409, _SECRET_PAGE_HEADERS
    form = SetPasswordForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            person = service.set_password_with_link(db.session, secret, form.new_password.data)
        if work.done:
            login_user(person)
            flash(_l("Your password is saved and you are signed in. Next time, sign in with your email address "
                     "and this password."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/set_password.html", form=form, link=link, rule=RULE), \
        422 if form.errors else 200, _SECRET_PAGE_HEADERS


# --- changing a password ---------------------------------------------------------------------------


@bp.route("/change-password", methods=["GET", "POST"])
@limits.sign_in
def change_password():
    person = current_person()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.change_password(db.session, person, form.current_password.data, form.new_password.data)
        if work.done:
            login_user(person)  # this browser carries on with the new session version; all others end
            flash(_l("Your password is changed. Anywhere else you were signed in, you have been signed out, and your "
                     "API tokens have stopped working."),
                  "success")
            return redirect(url_for("privacy.my_data"))
    return render_template("auth/change_password.html", form=form, rule=RULE), 422 if form.errors else 200


# --- a broker makes a link -------------------------------------------------------------------------


@bp.route(f"/people/<{ID_CONVERTER}:person_id>/password-link", methods=["GET", "POST"])
def password_link_for(person_id: int):
    actor = current_person()
    person = service.link_subject(db.session, actor, person_id)
    form = ButtonForm()
    lifetimes = service.LinkLifetimes.from_config(current_app.config)
    purpose = service.link_purpose(person)
    context: dict[str, Any] = {"person": person, "purpose": purpose, "form": form,
                               "lifetime": format_timedelta(lifetimes.of(purpose)),
                               "emails_them": mail.reaches_by_email(person)}
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            emailed = service.email_password_link(db.session, actor, person.id)
            if emailed is None:
                secret, link = service.make_password_link(db.session, actor, person.id, lifetimes)
        if work.done and emailed is not None:
            return render_template("auth/password_link.html", **context, sent_to=emailed.to_address)
        if work.done:
            # Shown in this response, not after a redirect: the secret never rests in a cookie, and a reload
            # asks before making a newer link.
            return render_template("auth/password_link.html", **context, secret=secret,
                                   expires=format_datetime(link.expires_at, "d MMMM yyyy, HH:mm"),
                                   url=url_for("auth.set_password", secret=secret, _external=True)), \
                200, _SECRET_PAGE_HEADERS
    return render_template("auth/password_link.html", **context), 422 if form.errors else 200


# --- API tokens ------------------------------------------------------------------------------------


@bp.route("/api-tokens", methods=["GET", "POST"])
def api_tokens() -> Any:
    """List the person's tokens and make a new one. The new token is shown in this response only, never
    kept in the session cookie (which the browser could keep) nor anywhere else."""
    form, made = NewTokenForm(), None
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            made = tokens.make_token(db.session, current_person(), name=form.name.data or "",
                                     scope=TokenScope(form.scope.data), expires_in_days=form.expires_in_days.data)
        if work.done:
            form = NewTokenForm(formdata=None)
    page = tokens.tokens_of(db.session, current_person(), page=int_arg("page") or 1, per_page=10)
    body = render_template("auth/api_tokens.html", form=form, page=page, made=made, now=utcnow(),
                           scopes=SCOPE_LABELS, works=tokens.works)
    if made is not None:
        return body, 201, _SECRET_PAGE_HEADERS
    return body, 422 if form.errors else 200


@bp.route(f"/api-tokens/<{ID_CONVERTER}:token_id>/revoke", methods=["GET", "POST"])
def revoke_api_token(token_id: int) -> Any:
    """Ask first, then revoke: the token stops working at once, for good."""
    token = tokens.own_token(db.session, current_person(), token_id)
    form = ButtonForm()
    if form.validate_on_submit():
        with transaction():
            tokens.revoke(db.session, current_person(), token_id)
        flash(_l("“%(name)s” has stopped working. Anything using it can no longer reach your account.",
                 name=token.name), "success")
        return redirect(url_for("auth.api_tokens"))
    return render_template("auth/revoke_token.html", form=form, token=token, scopes=SCOPE_LABELS,
                           works=tokens.works(token, utcnow())), 422 if form.errors else 200


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.session_protection = "strong"

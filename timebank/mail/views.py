"""Email pages: a person's choice of which emails they get, the link in every email that stops one kind
(no sign-in: the signed token is the proof), and the outbox, where administrators read the emails kept
when no SMTP server is configured (a developer's machine)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from timebank.auth.guards import current_person, signed_in_only
from timebank.db import db, transaction
from timebank.extensions import csrf
from timebank.forms import ButtonForm, int_arg
from timebank.mail import kinds, service
from timebank.mail.forms import PreferencesForm
from timebank.members import policy
from timebank.members.forms import CONTACT_METHOD_LABELS
from timebank.types import ID_CONVERTER

bp = Blueprint("mail", __name__)

#: The unsubscribe page's address is its key: never cached, never named to another site.
_SECRET_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.before_request
def _guard() -> Any:
    if request.endpoint == "mail.unsubscribe":
        return None
    refused = signed_in_only()
    if refused is not None:
        return refused
    if request.endpoint in ("mail.outbox", "mail.outbox_message"):
        service.require_admin(db.session, current_person())
    return None


@bp.route("/settings/email", methods=["GET", "POST"])
def preferences() -> Any:
    person = current_person()
    # The staff's choice (someone they look after asked for a new password) only for staff.
    staff = person.is_admin or bool(policy.broker_bank_ids(db.session, person))
    shown = [choice for choice in kinds.CHOICES if staff or choice.code != kinds.STAFF]
    form = PreferencesForm(data=PreferencesForm.initial(service.wanted_choices(db.session, person.id)))
    if form.validate_on_submit():
        with transaction():
            service.set_choices(db.session, person.id, form.choices(shown))
        flash(_l("Your email choices are saved."), "success")
        return redirect(url_for("mail.preferences"))
    return render_template("mail/preferences.html", form=form, choices=shown, person=person,
                           reaches=service.reaches_by_email(person),
                           contact_by=CONTACT_METHOD_LABELS[person.contact_by]), 422 if form.errors else 200


# Mail programs send the one-click POST of RFC 8058 with no CSRF token; the signed token in the address is
# what proves the request came from the email, and all it can do is stop one kind of email.
@csrf.exempt
@bp.route("/unsubscribe/<unsubscribe_token>", methods=["GET", "POST"])
def unsubscribe(unsubscribe_token: str) -> Any:
    person, kind = service.read_unsubscribe_token(db.session, unsubscribe_token)
    choice = kinds.choice_of(kind)
    if request.method == "POST":
        with transaction():
            service.unsubscribe(db.session, unsubscribe_token)
        return render_template("mail/unsubscribed.html", choice=choice), 200, _SECRET_PAGE_HEADERS
    return render_template("mail/unsubscribe.html", choice=choice, form=ButtonForm(), name=person.display_name), \
        200, _SECRET_PAGE_HEADERS


@bp.route("/outbox")
def outbox() -> Any:
    page = service.outbox(db.session, current_person(), page=int_arg("page") or 1,
                          per_page=current_app.config["PAGE_SIZE"])
    return render_template("mail/outbox.html", page=page, mail_url=current_app.config["MAIL_URL"])


@bp.route(f"/outbox/<{ID_CONVERTER}:email_id>")
def outbox_message(email_id: int) -> Any:
    return render_template("mail/outbox_message.html", email=service.outbox_email(db.session, current_person(),
                                                                                   email_id))

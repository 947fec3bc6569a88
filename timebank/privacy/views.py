"""A member's own data: see what is held and who sees it, download it, or leave. A broker can also
record that a member is leaving. Everyone signed in (funders too) may use the pages about their own
data; the rest are for members. The rules are ``privacy.service``'s."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import logout_user

from timebank.auth.guards import current_person, members_only, signed_in_only
from timebank.db import db, transaction, writes
from timebank.forms import unit_of_work
from timebank.privacy import service
from timebank.privacy.forms import LeaveForm
from timebank.types import ID_CONVERTER

bp = Blueprint("privacy", __name__)

#: Pages about a person's own data, open to everyone signed in.
OWN_DATA_PAGES = {"privacy.my_data", "privacy.download", "privacy.leave"}


@bp.before_request
def _guard() -> Any:
    return signed_in_only() if request.endpoint in OWN_DATA_PAGES else members_only()


@bp.route("/my-data")
def my_data() -> Any:
    return render_template("privacy/my_data.html", person=current_person())


@bp.route("/my-data.json")
@writes  # the download is audited
def download() -> Response:
    with transaction():
        data = service.export_data(db.session, current_person())
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-data.json"', "Cache-Control": "no-store"},
    )


def _leave(person_id: int, form: LeaveForm, template: str, **context: Any) -> Any:
    """Ask for the tick, pseudonymise, commit. Whoever leaves is signed out and sent to the sign-in
    page; a broker who records someone else leaving sees that person's (now empty) profile."""
    actor = current_person()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            person = service.leave(db.session, actor, person_id)
        if work.done:
            if person.id == actor.id:
                logout_user()
                flash(_l("You have left the time bank. Your personal details have been removed. Thank you for "
                         "the time you gave."), "success")
                return redirect(url_for("auth.sign_in"))
            flash(_l("Recorded. The member's details have been removed; their hours stay in the books as "
                     "%(pseudonym)s.", pseudonym=person.display_name), "success")
            return redirect(url_for("profiles.show", holder_id=person.id))
    return render_template(template, form=form, **context), 422 if form.errors else 200


@bp.route("/leave", methods=["GET", "POST"])
def leave() -> Any:
    return _leave(current_person().id, LeaveForm(), "privacy/leave.html")


@bp.route(f"/people/<{ID_CONVERTER}:person_id>/leave", methods=["GET", "POST"])
def leave_for(person_id: int) -> Any:
    person = service.leaver(db.session, current_person(), person_id)
    return _leave(person_id, LeaveForm(), "privacy/leave_for.html", person=person)

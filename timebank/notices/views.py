"""Reminders and news for the person signed in: read them, mark one or all read. Everyone signed in
has notices of their own (a funder too), so this page is not for members only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from timebank.auth.guards import current_person, signed_in_only
from timebank.db import db, transaction
from timebank.errors import database_off_limits
from timebank.forms import int_arg
from timebank.notices import messages, service
from timebank.types import ID_CONVERTER

bp = Blueprint("notices", __name__)
bp.before_request(signed_in_only)


@bp.app_context_processor
def unread_notices() -> dict[str, int]:
    """The header's "Notices (2 new)" on every page (none to count while the database is off limits)."""
    if database_off_limits() or not current_user.is_authenticated:
        return {"unread_notices": 0}
    return {"unread_notices": service.unread_count(db.session, current_person())}


@bp.route("/notices")
def index() -> Any:
    person = current_person()
    unread_only = request.args.get("show") == "unread"
    page = service.notices_for(db.session, person, unread_only=unread_only, page=int_arg("page") or 1)
    filters = {"show": "unread"} if unread_only else {}
    return render_template("notices/index.html", page=page, lines=messages.lines_for(db.session, page.items),
                           unread=service.unread_count(db.session, person), filters=filters)


def _back() -> Any:
    """To the list the button was pressed on, keeping its page and filter."""
    page = int_arg("page")
    show = "unread" if request.args.get("show") == "unread" else None
    return redirect(url_for("notices.index", page=page if page and page > 1 else None, show=show))


@bp.route(f"/notices/<{ID_CONVERTER}:notice_id>/read", methods=["POST"])
def read(notice_id: int) -> Any:
    with transaction():
        service.mark_read(db.session, current_person(), notice_id)
    return _back()


@bp.route("/notices/read-all", methods=["POST"])
def read_all() -> Any:
    with transaction():
        marked = service.mark_all_read(db.session, current_person())
    if marked:
        flash(_l("All your notices are marked as read."), "success")
    return _back()

"""Printable personal statements, for the account holder, their organisation's admins, and the brokers
who print them for members who are not online. Funders get a 403; anyone else, a 404."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template

from timebank.auth.guards import current_person, members_only
from timebank.db import db
from timebank.paper import service
from timebank.types import ID_CONVERTER

bp = Blueprint("paper", __name__)

STATEMENT = f"/accounts/<{ID_CONVERTER}:account_id>/statement"


@bp.before_request
def _members_only() -> Any:
    return members_only()


@bp.route(STATEMENT)
def statement(account_id: int) -> Any:
    found = service.statement(db.session, current_person(), account_id)
    return render_template("paper/statement.html", statement=found, direction=service.direction, what=service.what)


@bp.route(f"{STATEMENT}.pdf")
def statement_pdf(account_id: int) -> Response:
    statement = service.statement(db.session, current_person(), account_id)
    filename = f"statement-{statement.account.id}-{statement.made_on.isoformat()}.pdf"
    return Response(service.statement_pdf(statement), mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename={filename}"})

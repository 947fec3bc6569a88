"""Email over the JSON API: your own choice of which emails you get, and, for administrators, the outbox
(emails kept instead of sent while no mail server is set up)."""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import PageArgs, page_fields
from timebank.db import db
from timebank.mail import kinds, service
from timebank.mail.schemas import OutboxEmailOut, OutboxPageOut, PreferencesIn, PreferencesOut
from timebank.members.models import Person

bp = ApiBlueprint(
    "api_mail", __name__, url_prefix="/api/v1",
    description="Which emails you get; the outbox, for administrators.",
)


def _preferences(actor: Person) -> dict[str, Any]:
    wanted = service.wanted_kinds(db.session, actor.id)
    return {"contact_by": actor.contact_by, "emailed": service.reaches_by_email(actor),
            "kinds": [{"kind": kind, "group": choice.code, "wanted": wanted[kind]}
                      for choice in kinds.CHOICES for kind in choice.kinds]}


@bp.route("/me/email-preferences")
@bp.token_required
@bp.response(200, PreferencesOut)
def get_preferences(actor: Person) -> dict[str, Any]:
    """Which kinds of email you get, and how you like to be contacted. Links to choose a password are
    always sent, and are not listed."""
    return _preferences(actor)


@bp.route("/me/email-preferences", methods=["PUT"])
@bp.token_required
@bp.arguments(PreferencesIn)
@bp.response(200, PreferencesOut)
@bp.problems(422)
def put_preferences(body: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Turn kinds of email on or off. Setting one to what it already is changes nothing."""
    service.set_wanted(db.session, actor.id, {row["kind"]: row["wanted"] for row in body["kinds"]})
    return _preferences(actor)


@bp.route("/outbox")
@bp.access(service.require_admin)
@bp.arguments(PageArgs, location="query")
@bp.response(200, OutboxPageOut)
@bp.problems(403)
def list_outbox(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """The emails kept in the outbox (no mail server set up), newest first, as they would have arrived."""
    page = service.outbox(db.session, actor, page=query["page"], per_page=query["per_page"])
    fields = OutboxEmailOut().fields
    return {"items": [{name: getattr(email, name) for name in fields} for email in page.items], **page_fields(page)}

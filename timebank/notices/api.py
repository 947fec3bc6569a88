"""The signed-in person's notices and reminders: list them, mark one or all read. Marking read is
naturally idempotent: doing it again changes nothing."""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import page_fields
from timebank.db import db
from timebank.members.models import Person
from timebank.notices import messages, service
from timebank.notices.messages import NoticeLine
from timebank.notices.schemas import NoticeListArgs, NoticeOut, NoticePageOut, ReadAllOut
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_notices", __name__, url_prefix="/api/v1",
    description="The signed-in person's notices and reminders.",
)


def _out(line: NoticeLine) -> dict[str, Any]:
    notice = line.notice
    return {"id": notice.id, "kind": notice.kind, "subject_id": notice.subject_id, "text": line.text,
            "url": line.url, "created_at": notice.created_at, "read_at": notice.read_at}


@bp.route("/me/notices")
@bp.token_required
@bp.arguments(NoticeListArgs, location="query")
@bp.response(200, NoticePageOut)
def list_notices(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Your notices, unread first and newest first, each in your language with a link to its subject."""
    page = service.notices_for(db.session, actor, unread_only=query["unread"], page=query["page"],
                               per_page=query["per_page"])
    return {"items": [_out(line) for line in messages.lines_for(db.session, page.items)], **page_fields(page),
            "unread": service.unread_count(db.session, actor)}


@bp.route(f"/me/notices/<{ID_CONVERTER}:notice_id>/read", methods=["POST"])
@bp.token_required
@bp.response(200, NoticeOut)
@bp.problems(404)
def mark_read(notice_id: int, actor: Person) -> dict[str, Any]:
    """Mark one of your notices read."""
    notice = service.mark_read(db.session, actor, notice_id)
    return _out(messages.lines_for(db.session, [notice])[0])


@bp.route("/me/notices/read-all", methods=["POST"])
@bp.token_required
@bp.response(200, ReadAllOut)
def mark_all_read(actor: Person) -> dict[str, int]:
    """Mark all your notices read."""
    marked = service.mark_all_read(db.session, actor)
    return {"marked": marked}

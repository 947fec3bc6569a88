"""What the notices this feature raises say (``notices.messages``): someone asked for a new password."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy.orm import Session

from timebank.members.service import display_names
from timebank.notices.messages import Renderer, Said, link, subject_ids
from timebank.notices.models import Notice, NoticeKind


def _load(session: Session, notices: list[Notice]) -> dict[int, str]:
    """Person id → name, for the people who asked."""
    return display_names(session, subject_ids(notices, NoticeKind.PASSWORD_HELP))


def _password_help(notice: Notice, people: dict[int, str]) -> Said | None:
    name = people.get(notice.subject_id)
    if name is None:
        return None
    text = gettext("%(name)s asked for a new password. Check with them that it was really them, then make them a "
                   "link on their page.", name=name)
    return text, link("profiles.show", holder_id=notice.subject_id)


RENDERERS = {NoticeKind.PASSWORD_HELP: Renderer(_load, _password_help)}

"""A notice by email (``mail.compose``): the email says what the notices page says, in the same words
(``messages.lines_for``) and with the same link, so each kind's wording lives in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from timebank.mail.compose import Words
from timebank.mail.models import EmailKind, OutboundEmail
from timebank.notices import messages
from timebank.notices.models import Notice, NoticeKind

#: Every kind of notice is emailed (``EmailKind`` holds each one's value: a test checks).
KINDS = tuple(EmailKind(kind.value) for kind in NoticeKind)


def notice_words(session: Session, email: OutboundEmail, payload: Mapping[str, Any]) -> Words:
    notice = session.get(Notice, email.notice_id)
    if notice is None:
        raise LookupError("the email names no notice")
    line = messages.lines_for(session, [notice])[0]
    return Words(text=line.text, url=line.url)

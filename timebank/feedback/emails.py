"""The "how did it go?" email (``mail.compose``): the notice's own words (``notices.emails``), and for its
link the signed one that opens the answer form without signing in (``feedback.links``), made as the email
is written, so it is only ever in the email."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from flask import url_for
from flask_babel import gettext
from sqlalchemy.orm import Session

from timebank.feedback import links
from timebank.feedback.service import ThingKind
from timebank.mail.compose import Words
from timebank.mail.models import EmailKind, OutboundEmail
from timebank.notices.emails import notice_words

THING_OF = {EmailKind.EXCHANGE_CONFIRMED: ThingKind.EXCHANGE, EmailKind.SESSION_ATTENDED: ThingKind.SESSION}
KINDS = tuple(THING_OF)


def answer_link_words(session: Session, email: OutboundEmail, payload: Mapping[str, Any]) -> Words:
    words = notice_words(session, email, payload)
    if words.url is None or email.subject_id is None:
        return words
    token = links.answer_token(email.person_id, THING_OF[email.kind], email.subject_id)
    return replace(words, url=url_for("feedback.by_link", answer_token=token, lang=email.language),
                   note=gettext("This link works for 30 days, without signing in. Anyone with this email can use "
                                "it to answer for you, so please do not pass it on."))

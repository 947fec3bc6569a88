"""Writing an email: the words come from the feature that knows them, the frame from here.

Mail sits below the features whose news it carries, so it imports none of them: each tells it how to put
its kinds into words with a ``Composer`` (``register``; the app factory wires them: ``notices.emails`` gives
every notice's own words, ``auth.emails`` the password links). An email is written when it is sent, in
the language kept on its row (``force_locale``), as plain text and HTML from ``templates/mail/email/``,
with links that work from a mail program: addresses are absolute, built on ``TIMEBANK_BASE_URL``. Each
kind a person may turn off carries its own unsubscribe link, in the body and in the ``List-Unsubscribe``
headers (RFC 8058's one-click POST).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy.orm import Session

from timebank.mail import kinds
from timebank.mail.models import EmailKind, OutboundEmail
from timebank.mail.service import unsubscribe_token
from timebank.mail.transport import Rendered
from timebank.members.models import Person


@dataclass(frozen=True)
class Words:
    """What one email says, in the reader's language (the composer runs under ``force_locale``)."""

    #: The main sentence: for a notice, the words the notices page shows.
    text: str
    #: Where to act on it: a path of this app (``/exchanges/5``) or an absolute address; ``None`` if gone.
    url: str | None
    #: The subject line; the kind's plain choice gives one when this is ``None``.
    subject: str | None = None
    #: A line after the link (how long a link works, say).
    note: str | None = None


#: ``(session, email, job payload) → Words``: inside the sending job's transaction; may raise to refuse.
Composer = Callable[[Session, OutboundEmail, Mapping[str, Any]], Words]

_composers: dict[EmailKind, Composer] = {}


def register(email_kinds: Iterable[EmailKind], composer: Composer) -> None:
    """Say how the given kinds are written (the app factory calls this for each feature)."""
    for kind in email_kinds:
        if _composers.setdefault(kind, composer) is not composer:
            raise ValueError(f"two features say what a {kind.value} email says")


def unwritten_kinds() -> set[EmailKind]:
    """The kinds nobody has said how to write (none, once the app is made)."""
    return set(EmailKind) - set(_composers)


def render(session: Session, email: OutboundEmail, payload: Mapping[str, Any]) -> Rendered:
    """The email in its reader's language, ready to send to ``email.to_address``."""
    assert email.to_address is not None  # queued only with an address; leaving fails the queued ones
    base_url = current_app.config["BASE_URL"]
    # A request of the app's own on the public address: ``url_for`` builds links as a browser would follow
    # them (the app context, and so the database session, is the job's own: Flask reuses it).
    with current_app.test_request_context("/", base_url=base_url), force_locale(email.language):
        words = _composers[email.kind](session, email, payload)
        choice = kinds.choice_of(email.kind)
        # In the email's language: whoever opens it is not signed in, so the page cannot ask them.
        unsubscribe = (url_for("mail.unsubscribe", unsubscribe_token=unsubscribe_token(email.person_id, email.kind),
                               lang=email.language, _external=True) if choice is not None else None)
        person = session.get(Person, email.person_id)
        context = {"words": words, "url": urljoin(base_url, words.url) if words.url else None,
                   "name": person.display_name if person else "", "choice": choice, "unsubscribe": unsubscribe,
                   "settings": url_for("mail.preferences", _external=True)}
        subject = words.subject or str(choice.subject if choice else words.text)
        text = render_template("mail/email/message.txt", **context)
        html = render_template("mail/email/message.html", **context)
    # RFC 3834: sent by a program, so an out-of-office reply is not sent back to it.
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe is not None:
        headers |= {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return Rendered(email.to_address, subject, text, html, headers)

"""A link to choose a password, by email (``mail.compose``): the link is made here, inside the job that
sends the email, so its secret is in the email and nowhere else (the database keeps its SHA-256 only, as
for every link). If the email cannot go, the job's transaction rolls back and the link with it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, url_for
from flask_babel import format_datetime, gettext
from sqlalchemy.orm import Session

from timebank.auth import service
from timebank.auth.models import PasswordLinkPurpose
from timebank.mail.compose import Words
from timebank.mail.models import EmailKind, OutboundEmail
from timebank.members.models import Person

KINDS = (EmailKind.PASSWORD_SET_UP, EmailKind.PASSWORD_RESET)


def password_link_words(session: Session, email: OutboundEmail, payload: Mapping[str, Any]) -> Words:
    person = session.get(Person, email.person_id)
    if person is None:
        raise LookupError("the email names nobody")
    secret, link = service.make_emailed_link(session, person, payload["maker_id"],
                                             service.LinkLifetimes.from_config(current_app.config))
    until = gettext("The link works once, until %(when)s. If you did not ask for it, you can ignore this email.",
                    when=format_datetime(link.expires_at, "d MMMM yyyy, HH:mm"))
    if link.purpose is PasswordLinkPurpose.SET_UP:
        return Words(text=gettext("Your time bank has made you a link to choose a password, so you can sign in "
                                  "with this email address."),
                     url=url_for("auth.set_password", secret=secret), subject=gettext("Choose your password"),
                     note=until)
    return Words(text=gettext("Here is a link to choose a new password for your time bank account."),
                 url=url_for("auth.set_password", secret=secret), subject=gettext("Choose a new password"), note=until)

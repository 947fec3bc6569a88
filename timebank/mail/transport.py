"""How an email leaves: by SMTP (Flask-Mail), or, with no SMTP configured, into the outbox.

``TIMEBANK_MAIL_URL`` names the SMTP server: ``smtp://user:password@host:587?starttls=1`` (STARTTLS),
``smtps://user:password@host:465`` (TLS from the start) or ``smtp://host:25``. It is parsed here, once,
when the configuration is loaded (``config`` calls ``smtp_settings``), so a malformed one stops the app at
start-up rather than at the first email. Unset, the transport is the **outbox**: the rendered email is kept
on its row for a developer to read at ``/outbox`` (a fresh machine, ``make run``).

Flask-Mail reads its ``MAIL_*`` settings, which ``config`` makes from the URL, when the app is made
(``init_app``); each email opens its own connection. A refusal or a dropped connection raises, and the job that sends it
retries with its back-off. A 5xx reply is final (``MailRefused``): trying again would get the same answer.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask import Flask, current_app
from flask_mail import Mail, Message

from timebank.mail import errors
from timebank.mail.models import MAX_ERROR

SCHEMES = {"smtp": 25, "smtps": 465}
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Rendered:
    """An email as it goes out."""

    to_address: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def smtp_settings(url: str) -> dict[str, Any]:
    """Flask-Mail's settings (``MAIL_SERVER`` …) from a ``TIMEBANK_MAIL_URL``; ``ValueError`` saying what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError("it must look like smtp://user:password@host:587?starttls=1 or smtps://user:password@host")
    try:
        port = parts.port or SCHEMES[parts.scheme]
    except ValueError:
        raise ValueError("its port must be a number from 1 to 65535") from None
    options = {name: values[-1].lower() for name, values in parse_qs(parts.query).items()}
    unknown = set(options) - {"starttls"}
    if unknown:
        raise ValueError(f"it has options this app does not know: {', '.join(sorted(unknown))} (only starttls)")
    starttls = options.get("starttls", "0") in _TRUE
    if starttls and parts.scheme == "smtps":
        raise ValueError("smtps:// is TLS already; starttls=1 is for smtp://")
    return {
        "MAIL_SERVER": parts.hostname, "MAIL_PORT": port,
        "MAIL_USERNAME": unquote(parts.username) if parts.username else None,
        "MAIL_PASSWORD": unquote(parts.password) if parts.password else None,
        "MAIL_USE_SSL": parts.scheme == "smtps", "MAIL_USE_TLS": starttls,
        # Flask-Mail suppresses sending when the app is testing; here a configured server is always used.
        "MAIL_SUPPRESS_SEND": False,
    }


def init_app(app: Flask) -> None:
    """Flask-Mail's state, from the ``MAIL_*`` settings ``config`` made from ``TIMEBANK_MAIL_URL``. Nothing is
    reached here: each email opens its own connection."""
    Mail().init_app(app)


def send_smtp(email: Rendered) -> None:
    """Hand the email to the SMTP server; raises on any failure (``MailRefused`` for a 5xx reply)."""
    message = Message(subject=email.subject, recipients=[email.to_address], body=email.text, html=email.html,
                      extra_headers=email.headers)
    try:
        current_app.extensions["mail"].send(message)
    except smtplib.SMTPException as error:
        code = smtp_code(error)
        if code is not None and 500 <= code < 600:
            raise errors.MailRefused() from error
        raise


def smtp_code(error: BaseException | None) -> int | None:
    """The SMTP reply code of a refusal, if the server gave one. A server that refuses with 421 also hangs
    up, and closing the connection then fails too: the reply is that failure's context."""
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return next(iter(error.recipients.values()))[0]
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return smtp_code(error.__context__)
    return None


def describe(error: BaseException) -> str:
    """What went wrong, never the words of anyone's email: ``smtp 451``, or the error's class."""
    cause = error.__cause__ if isinstance(error, errors.MailRefused) and error.__cause__ else error
    code = smtp_code(cause)
    if code is not None:
        return f"smtp {code}"
    return f"{type(error).__module__}.{type(error).__qualname__}"[:MAX_ERROR]

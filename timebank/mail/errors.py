"""The refusals of the mail feature, each with its own stable code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import DomainError, Forbidden, NotFound


class MailRefused(DomainError):
    """The SMTP server refused the email for good (a 5xx reply): it is not tried again."""

    code = "mail-refused"
    title = _l("The mail server refused the email")


class EmailNotFound(NotFound):
    code = "email-not-found"
    title = _l("There is no such email")


class UnsubscribeLinkNotUsable(NotFound):
    code = "unsubscribe-link-not-usable"
    title = _l("This link does not work")


class NotForThisBroker(Forbidden):
    code = "email-not-for-this-broker"
    title = _l("Only a broker of the bank can pass this on")


class OutboxForAdmins(Forbidden):
    code = "outbox-for-admins"
    title = _l("Only an administrator can read the outbox")

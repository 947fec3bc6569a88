"""The mail's background job: sending one email (``mail.send``; ``service._queue`` asks for it with the
email's id, and, for a password link, who made it).

The email is written and sent inside the job's transaction and marked ``sent`` there. A failure rolls
that back; ``on_failure`` then keeps the attempt and the kind of error on the email's row, and marks it
``failed`` once the job gives up (the jobs page lets an admin send it again). SMTP can accept an email
and the commit still fail, so an email may, rarely, arrive twice; it is never silently lost.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.jobs.models import Job
from timebank.jobs.registry import JobKind, Progress
from timebank.mail import compose, transport
from timebank.mail.models import EmailStatus, OutboundEmail
from timebank.mail.service import SEND_JOB
from timebank.types import utcnow

#: About two hours from the first attempt to the last with the default back-off (15 s, doubling: 15 s times 511):
#: long enough to ride out a mail server's restart or a greylisting 451.
MAX_ATTEMPTS = 10


def _to_send(session: Session, job: Job) -> OutboundEmail | None:
    """The job's email, if it is still to be sent: queued, or failed and sent again by an admin (from the
    jobs page); not one already sent (a message delivered twice), nor one whose person has left."""
    email = session.get(OutboundEmail, job.payload["email_id"], with_for_update=True)
    if email is None or email.status not in (EmailStatus.QUEUED, EmailStatus.FAILED) or email.to_address is None:
        return None
    return email


def send_email(session: Session, job: Job, progress: Progress) -> None:
    email = _to_send(session, job)
    if email is None:
        return
    email.status = EmailStatus.QUEUED
    email.attempts = job.attempts
    rendered = compose.render(session, email, job.payload)
    if current_app.config["MAIL_URL"]:
        transport.send_smtp(rendered)
    else:
        email.subject_line, email.text_body, email.html_body = rendered.subject, rendered.text, rendered.html
    email.status, email.sent_at, email.last_error = EmailStatus.SENT, utcnow(), None
    progress(1, 1)


def note_failure(session: Session, job: Job, error: BaseException, final: bool) -> None:
    email = _to_send(session, job)
    if email is None:
        return
    email.attempts = job.attempts
    email.last_error = transport.describe(error)
    email.status = EmailStatus.FAILED if final else EmailStatus.QUEUED


JOB_KINDS = (JobKind(SEND_JOB, send_email, _l("Send an email"), max_attempts=MAX_ATTEMPTS,
                     on_failure=note_failure),)

"""What the jobs pages and API refuse."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import Conflict, NotFound


class JobNotFound(NotFound):
    code = "job-not-found"
    title = _l("There is no such job")


class JobNotRetryable(Conflict):
    code = "job-not-retryable"
    title = _l("Only a job that failed or is still waiting can be sent again")

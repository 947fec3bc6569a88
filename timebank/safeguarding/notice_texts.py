"""What the notices this feature raises say (``notices.messages``): the member's own DBS check stops
counting soon (the daily job, ``service.send_expiry_reminders``). The subject is the check."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from timebank.notices.messages import Renderer, Said, subject_ids
from timebank.notices.models import Notice, NoticeKind
from timebank.safeguarding.models import DbsCheck


def _load(session: Session, notices: list[Notice]) -> set[int]:
    """The ids of the checks that are still there."""
    ids = subject_ids(notices, NoticeKind.DBS_EXPIRING)
    return set(session.scalars(sa.select(DbsCheck.id).where(DbsCheck.id.in_(ids)))) if ids else set()


def _dbs_expiring(notice: Notice, checks: set[int]) -> Said | None:
    if notice.subject_id not in checks:
        return None
    # No link: safeguarding records are the brokers' pages; the member talks to their broker.
    return gettext("Your DBS check stops counting within the next month. Talk to your time bank's broker about "
                   "renewing it, so you can carry on with roles that need it."), None


RENDERERS = {NoticeKind.DBS_EXPIRING: Renderer(_load, _dbs_expiring)}

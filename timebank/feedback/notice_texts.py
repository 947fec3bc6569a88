"""What the notices that ask "how did it go?" say (``notices.messages``): the other side confirmed an
exchange this person recorded, or they came to a session. Each links to the answer form; the email's link
is a signed one instead (``feedback.emails``)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, ActivitySession, Role
from timebank.i18n import local_text
from timebank.ledger.models import Account, Exchange
from timebank.members.models import Holder
from timebank.notices.messages import Renderer, Said, link, subject_ids
from timebank.notices.models import Notice, NoticeKind


@dataclass(frozen=True)
class Subjects:
    #: Exchange id → the name of the side that confirmed it.
    confirmed_by: dict[int, str]
    #: Session id → its activity's title, and the title in Welsh where given.
    activities: dict[int, tuple[str, str | None]]


def _load(session: Session, notices: list[Notice]) -> Subjects:
    exchange_ids = subject_ids(notices, NoticeKind.EXCHANGE_CONFIRMED)
    session_ids = subject_ids(notices, NoticeKind.SESSION_ATTENDED)
    confirmer = sa.case((Exchange.proposer_account_id == Exchange.receiver_account_id, Exchange.giver_account_id),
                        else_=Exchange.receiver_account_id)
    confirmed_by = dict(session.execute(
        sa.select(Exchange.id, Holder.display_name)
        .join(Account, Account.id == confirmer).join(Holder, Holder.id == Account.holder_id)
        .where(Exchange.id.in_(exchange_ids))).all()) if exchange_ids else {}
    activities = {session_id: (title, title_cy) for session_id, title, title_cy in session.execute(
        sa.select(ActivitySession.id, Activity.title, Activity.title_cy)
        .join(Role, Role.id == ActivitySession.role_id).join(Activity, Activity.id == Role.activity_id)
        .where(ActivitySession.id.in_(session_ids)))} if session_ids else {}
    return Subjects(confirmed_by, activities)


def _confirmed(notice: Notice, subjects: Subjects) -> Said | None:
    name = subjects.confirmed_by.get(notice.subject_id)
    if name is None:
        return None
    return (gettext("%(name)s confirmed your exchange. How did it go?", name=name),
            link("feedback.exchange_answer", exchange_id=notice.subject_id))


def _attended(notice: Notice, subjects: Subjects) -> Said | None:
    titles = subjects.activities.get(notice.subject_id)
    if titles is None:
        return None
    return (gettext("Thanks for coming to “%(activity)s”. How did it go?", activity=local_text(*titles)),
            link("feedback.session_answer", session_id=notice.subject_id))


RENDERERS = {
    NoticeKind.EXCHANGE_CONFIRMED: Renderer(_load, _confirmed),
    NoticeKind.SESSION_ATTENDED: Renderer(_load, _attended),
}

"""What the notices this feature raises say (``notices.messages``): an exchange waiting for an answer,
a dispute raised, a dispute dealt with. All three name an exchange, loaded in one query."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_date, gettext
from sqlalchemy.orm import Session

from timebank.exchanges import service
from timebank.exchanges.models import Dispute, DisputeStatus
from timebank.i18n import format_minutes
from timebank.ledger.models import Exchange, ExchangeState
from timebank.notices.messages import Renderer, Said, link, subject_ids
from timebank.notices.models import Notice, NoticeKind


@dataclass(frozen=True)
class Subjects:
    exchanges: dict[int, Exchange]
    #: Account id → holder name, for the exchanges (and disputed exchanges).
    names: dict[int, str]
    disputes: dict[int, Dispute]


def _load(session: Session, notices: list[Notice]) -> Subjects:
    disputes = {}
    if dispute_ids := subject_ids(notices, NoticeKind.DISPUTE_RAISED, NoticeKind.DISPUTE_RESOLVED):
        disputes = {d.id: d for d in session.scalars(sa.select(Dispute).where(Dispute.id.in_(dispute_ids)))}
    exchange_ids = subject_ids(notices, NoticeKind.EXCHANGE_PENDING) | {d.exchange_id for d in disputes.values()}
    found = []
    if exchange_ids:
        found = list(session.scalars(sa.select(Exchange).where(Exchange.id.in_(exchange_ids))).unique())
    return Subjects({e.id: e for e in found}, service.holder_names(session, found), disputes)


def _help(exchange: Exchange, names: dict[int, str]) -> str:
    return gettext(
        "%(giver)s gave %(receiver)s %(time)s of help on %(date)s",
        giver=names.get(exchange.giver_account_id) or gettext("Community pot"),
        receiver=names.get(exchange.receiver_account_id) or gettext("Community pot"),
        time=format_minutes(exchange.amount_minutes),
        date=format_date(exchange.occurred_on),
    )


def _exchange_pending(notice: Notice, subjects: Subjects) -> Said | None:
    exchange = subjects.exchanges.get(notice.subject_id)
    if exchange is None:
        return None
    if exchange.state is ExchangeState.PENDING:
        text = gettext("An exchange is waiting for an answer: %(help)s. Please confirm it if it is right, or "
                       "decline it.", help=_help(exchange, subjects.names))
    else:
        text = gettext("An exchange that was waiting for an answer has been answered: %(help)s.",
                       help=_help(exchange, subjects.names))
    return text, link("exchanges.detail", exchange_id=exchange.id)


def _disputed(notice: Notice, subjects: Subjects) -> tuple[Dispute, Exchange] | None:
    dispute = subjects.disputes.get(notice.subject_id)
    exchange = subjects.exchanges.get(dispute.exchange_id) if dispute else None
    if dispute is None or exchange is None:
        return None
    return dispute, exchange


def _dispute_raised(notice: Notice, subjects: Subjects) -> Said | None:
    if (found := _disputed(notice, subjects)) is None:
        return None
    dispute, exchange = found
    text = gettext("Someone has asked a broker to look at an exchange: %(help)s.",
                   help=_help(exchange, subjects.names))
    return text, link("exchanges.dispute_detail", dispute_id=dispute.id)


def _dispute_resolved(notice: Notice, subjects: Subjects) -> Said | None:
    if (found := _disputed(notice, subjects)) is None:
        return None
    dispute, exchange = found
    help_given = _help(exchange, subjects.names)
    raiser = notice.person_id == dispute.raised_by_id  # else the member's other brokers or organisation's admins
    if dispute.status is DisputeStatus.REVERSED:
        text = gettext("A broker has dealt with what you raised about an exchange (%(help)s): it was reversed, so "
                       "its hours went back.", help=help_given) if raiser else gettext(
            "A broker has dealt with what was raised about an exchange (%(help)s): it was reversed, so its hours "
            "went back.", help=help_given)
    else:
        text = gettext("A broker has dealt with what you raised about an exchange (%(help)s): it stands. Read their "
                       "note.", help=help_given) if raiser else gettext(
            "A broker has dealt with what was raised about an exchange (%(help)s): it stands. Read their note.",
            help=help_given)
    return text, link("exchanges.dispute_detail", dispute_id=dispute.id)


RENDERERS = {
    NoticeKind.EXCHANGE_PENDING: Renderer(_load, _exchange_pending),
    NoticeKind.DISPUTE_RAISED: Renderer(_load, _dispute_raised),
    NoticeKind.DISPUTE_RESOLVED: Renderer(_load, _dispute_resolved),
}

"""What each kind of notice says, in the reader's language, and where it links.

A notice stores only its kind and the id of its subject; the words are made when it is read, from the
subject as it is now. Subjects are loaded for a whole page of notices at once (one query per kind). A
subject that no longer resolves (or a page that no longer exists) gives a generic line without a link,
never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date, format_datetime, gettext
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from timebank.activities.models import Activity, ActivitySession, Role, SignUp
from timebank.exchanges import service as exchanges
from timebank.exchanges.models import Dispute, DisputeStatus
from timebank.i18n import format_minutes
from timebank.ledger.models import Exchange, ExchangeState
from timebank.listings.models import Listing
from timebank.members.service import display_names
from timebank.notices.models import Notice, NoticeKind


@dataclass(frozen=True)
class NoticeLine:
    notice: Notice
    text: str
    #: Where to read more; ``None`` when the subject is gone.
    url: str | None


@dataclass(frozen=True)
class Subjects:
    """Every subject a page of notices names, by id."""

    exchanges: dict[int, Exchange]
    #: Account id → holder name, for the exchanges (and disputed exchanges).
    names: dict[int, str]
    listings: dict[int, Listing]
    #: Holder id → name, for the people and organisations the listings are by.
    holders: dict[int, str]
    sign_ups: dict[int, tuple[SignUp, ActivitySession, Role, Activity]]
    #: Person id → name, for the people the sign-ups are for and the people who asked for a new password.
    people: dict[int, str]
    disputes: dict[int, Dispute]


#: The kinds whose subject is a sign-up.
_ABOUT_SIGN_UPS = (NoticeKind.SESSION_PLACE, NoticeKind.PLACE_NEEDS_CLEARANCE, NoticeKind.SESSION_CANCELLED,
                   NoticeKind.SIGN_UP_CANCELLED_LATE)


def _ids(notices: list[Notice], *kinds: NoticeKind) -> set[int]:
    return {n.subject_id for n in notices if n.kind in kinds}


def load_subjects(session: Session, notices: list[Notice]) -> Subjects:
    disputes = {}
    if dispute_ids := _ids(notices, NoticeKind.DISPUTE_RAISED, NoticeKind.DISPUTE_RESOLVED):
        disputes = {d.id: d for d in session.scalars(sa.select(Dispute).where(Dispute.id.in_(dispute_ids)))}
    exchange_ids = _ids(notices, NoticeKind.EXCHANGE_PENDING) | {d.exchange_id for d in disputes.values()}
    found = []
    if exchange_ids:
        found = list(session.scalars(sa.select(Exchange).where(Exchange.id.in_(exchange_ids))).unique())
    listings = {}
    if listing_ids := _ids(notices, NoticeKind.LISTING_REVIEW):
        listings = {item.id: item for item in session.scalars(sa.select(Listing).where(Listing.id.in_(listing_ids)))}
    sign_ups = {}
    if sign_up_ids := _ids(notices, *_ABOUT_SIGN_UPS):
        rows = session.execute(
            sa.select(SignUp, ActivitySession, Role, Activity)
            .join(ActivitySession, ActivitySession.id == SignUp.session_id)
            .join(Role, Role.id == ActivitySession.role_id)
            .join(Activity, Activity.id == Role.activity_id)
            .where(SignUp.id.in_(sign_up_ids))
        )
        sign_ups = {row[0].id: (row[0], row[1], row[2], row[3]) for row in rows}
    people = display_names(session, [*(row[0].person_id for row in sign_ups.values()),
                                     *_ids(notices, NoticeKind.PASSWORD_HELP)])
    holders = display_names(session, [item.holder_id for item in listings.values()])
    return Subjects({e.id: e for e in found}, exchanges.holder_names(session, found), listings, holders, sign_ups,
                    people, disputes)


def _link(endpoint: str, **values: Any) -> str | None:
    try:
        return url_for(endpoint, **values)
    except BuildError:  # the page is not there (any more): show the words without a link
        return None


def _help(exchange: Exchange, names: dict[int, str]) -> str:
    return gettext(
        "%(giver)s gave %(receiver)s %(time)s of help on %(date)s",
        giver=names.get(exchange.payee_account_id) or gettext("Community pot"),
        receiver=names.get(exchange.payer_account_id) or gettext("Community pot"),
        time=format_minutes(exchange.amount_minutes),
        date=format_date(exchange.occurred_on),
    )


def _exchange_pending(notice: Notice, subjects: Subjects) -> tuple[str, str | None] | None:
    exchange = subjects.exchanges.get(notice.subject_id)
    if exchange is None:
        return None
    if exchange.state is ExchangeState.PENDING:
        text = gettext("An exchange is waiting for an answer: %(help)s. Please confirm it if it is right, or "
                       "decline it.", help=_help(exchange, subjects.names))
    else:
        text = gettext("An exchange that was waiting for an answer has been answered: %(help)s.",
                       help=_help(exchange, subjects.names))
    return text, _link("exchanges.detail", exchange_id=exchange.id)


def _listing_review(notice: Notice, subjects: Subjects) -> tuple[str, str | None] | None:
    listing = subjects.listings.get(notice.subject_id)
    if listing is None:
        return None
    if notice.person_id == listing.holder_id:
        text = gettext("Your listing “%(title)s” is due for review on %(date)s. Renew it to keep it showing.",
                       title=listing.title, date=format_date(listing.review_on))
    else:  # a broker for a member who is not online, or an organisation's admin
        text = gettext("The listing “%(title)s” by %(name)s is due for review on %(date)s. Renew it to keep it "
                       "showing.", title=listing.title, name=subjects.holders.get(listing.holder_id, ""),
                       date=format_date(listing.review_on))
    return text, _link("listings.detail", listing_id=listing.id)


def _about_sign_up(notice: Notice, subjects: Subjects, wording: Callable[..., str]) -> tuple[str, str | None] | None:
    """A notice about a sign-up, in ``wording`` given the activity, role, start, person's name and whether
    the reader is that person (a broker is told too about a member who is not online); it links to the
    session."""
    found = subjects.sign_ups.get(notice.subject_id)
    if found is None:
        return None
    sign_up, activity_session, role, activity = found
    text = wording(activity=activity.title, role=role.title, when=format_datetime(activity_session.starts_at),
                   name=subjects.people.get(sign_up.person_id, ""), theirs=notice.person_id == sign_up.person_id)
    return text, _link("attendance.session_page", session_id=activity_session.id)


def _session_place(notice: Notice, subjects: Subjects) -> tuple[str, str | None] | None:
    return _about_sign_up(notice, subjects, lambda theirs, **words: gettext(
        "A place came free and it is yours: %(activity)s, %(role)s, on %(when)s.", **words) if theirs else gettext(
        "A place came free for %(name)s: %(activity)s, %(role)s, on %(when)s.", **words))


def _place_needs_clearance(notice: Notice, subjects: Subjects) -> tuple[str, str | None] | None:
    return _about_sign_up(notice, subjects, lambda theirs, **words: gettext(
        "A place came free on %(activity)s, %(role)s, on %(when)s, but it could not go to you: the role needs a "
        "safeguarding check that your record will not show on that day. You are still on the waiting list. "
        "Talk to your broker, who can tell you more.", **words) if theirs else gettext(
        "A place came free on %(activity)s, %(role)s, on %(when)s, but it could not go to %(name)s: the role "
        "needs a safeguarding check that their record will not show on that day. They are still on the waiting "
        "list.", **words))


def _session_cancelled(notice: Notice, subjects: Subjects) -> tuple[str, str | None] | None:
    return _about_sign_up(notice, subjects, lambda theirs, **words: gettext(
        "Sorry: the organiser has cancelled %(activity)s, %(role)s, on %(when)s, so you do not need to go.",
        **words) if theirs else gettext(
        "The organiser has cancelled %(activity)s, %(role)s, on %(when)s, so %(name)s does not need to go.",
        **words))


def _sign_up_cancelled_late(notice: Notice, subjects: Subjects) -> tuple[str, str | None] | None:
    return _about_sign_up(notice, subjects, lambda theirs, **words: gettext(
        "%(name)s has cancelled their place on %(activity)s, %(role)s, on %(when)s, with less notice than the "
        "role asks for.", **words))


def _dispute_raised(notice: Notice, subjects: Subjects) -> tuple[str, str | None] | None:
    dispute = subjects.disputes.get(notice.subject_id)
    exchange = subjects.exchanges.get(dispute.exchange_id) if dispute else None
    if dispute is None or exchange is None:
        return None
    text = gettext("Someone has asked a broker to look at an exchange: %(help)s.",
                   help=_help(exchange, subjects.names))
    return text, _link("exchanges.dispute_detail", dispute_id=dispute.id)


def _dispute_resolved(notice: Notice, subjects: Subjects) -> tuple[str, str | None] | None:
    dispute = subjects.disputes.get(notice.subject_id)
    exchange = subjects.exchanges.get(dispute.exchange_id) if dispute else None
    if dispute is None or exchange is None:
        return None
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
    return text, _link("exchanges.dispute_detail", dispute_id=dispute.id)


def _password_help(notice: Notice, subjects: Subjects) -> tuple[str, str | None] | None:
    name = subjects.people.get(notice.subject_id)
    if name is None:
        return None
    text = gettext("%(name)s asked for a new password. Check with them that it was really them, then make them a "
                   "link on their page.", name=name)
    return text, _link("profiles.show", holder_id=notice.subject_id)


_WORDING: dict[NoticeKind, Callable[[Notice, Subjects], tuple[str, str | None] | None]] = {
    NoticeKind.EXCHANGE_PENDING: _exchange_pending,
    NoticeKind.LISTING_REVIEW: _listing_review,
    NoticeKind.SESSION_PLACE: _session_place,
    NoticeKind.PLACE_NEEDS_CLEARANCE: _place_needs_clearance,
    NoticeKind.SESSION_CANCELLED: _session_cancelled,
    NoticeKind.SIGN_UP_CANCELLED_LATE: _sign_up_cancelled_late,
    NoticeKind.DISPUTE_RAISED: _dispute_raised,
    NoticeKind.DISPUTE_RESOLVED: _dispute_resolved,
    NoticeKind.PASSWORD_HELP: _password_help,
}


def lines_for(session: Session, notices: list[Notice]) -> list[NoticeLine]:
    """Each notice in words, with its link, in the order given."""
    subjects = load_subjects(session, notices)
    lines = []
    for notice in notices:
        said = _WORDING[notice.kind](notice, subjects)
        if said is None:
            lines.append(NoticeLine(notice, gettext("This notice was about something that is no longer here."), None))
        else:
            lines.append(NoticeLine(notice, *said))
    return lines

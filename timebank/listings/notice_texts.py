"""What the notices this feature raises say (``notices.messages``): a listing due for review."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_date, gettext
from sqlalchemy.orm import Session

from timebank.listings.models import Listing
from timebank.members.service import display_names
from timebank.notices.messages import Renderer, Said, link, subject_ids
from timebank.notices.models import Notice, NoticeKind


@dataclass(frozen=True)
class Subjects:
    listings: dict[int, Listing]
    #: Holder id → name, for the people and organisations the listings are by.
    holders: dict[int, str]


def _load(session: Session, notices: list[Notice]) -> Subjects:
    listings = {}
    if listing_ids := subject_ids(notices, NoticeKind.LISTING_REVIEW):
        listings = {item.id: item for item in session.scalars(sa.select(Listing).where(Listing.id.in_(listing_ids)))}
    return Subjects(listings, display_names(session, [item.holder_id for item in listings.values()]))


def _listing_review(notice: Notice, subjects: Subjects) -> Said | None:
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
    return text, link("listings.detail", listing_id=listing.id)


RENDERERS = {NoticeKind.LISTING_REVIEW: Renderer(_load, _listing_review)}

"""Offers, requests and spend offers: what members put up for others to answer.

Design note:

* An **offer** is help a resident can give, drawn from their own abilities.
* A **request** is help a resident or organisation would like **on a particular occasion** — what,
  when, where, roughly how long. It is never a standing list of needs (see DOMAIN.md).
* A **spend offer** is a spend partner's time-for-time activity (a swim, a class, a cinema seat) that
  members spend credits on; taking one up records a redemption (``money``).
* Every listing has a **review date**. A reminder goes to its owner a week before; renewing moves the
  date on; after it passes, the listing is hidden until renewed. Listings are closed, never deleted.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.receipts import RedeemedFor
from timebank.types import UTCDateTime, created_at, intpk, str_enum, utcnow

MAX_TITLE = 200
MAX_PLACE = 200
#: How far ahead a review date may be set; listings are looked at again at least this often.
MAX_REVIEW_DAYS = 180
DEFAULT_REVIEW_DAYS = 90
#: The reminder goes out this many days before the review date.
REMIND_DAYS_BEFORE = 7


class ListingKind(enum.StrEnum):
    OFFER = "offer"
    REQUEST = "request"
    SPEND = "spend"


class ListingStatus(enum.StrEnum):
    OPEN = "open"
    #: Done: the request was met, or the owner no longer offers it.
    CLOSED = "closed"


class Listing(Base):
    __tablename__ = "listings"
    __table_args__ = (
        sa.CheckConstraint("kind <> 'request' OR needed_on IS NOT NULL", name="request_has_occasion"),
        sa.CheckConstraint(
            "(kind = 'spend') = (price_minutes IS NOT NULL AND receives IS NOT NULL)", name="spend_has_price"
        ),
        sa.CheckConstraint("price_minutes IS NULL OR price_minutes BETWEEN 1 AND 1440", name="price_in_range"),
        sa.CheckConstraint(
            "estimated_minutes IS NULL OR estimated_minutes BETWEEN 1 AND 1440", name="estimate_in_range"
        ),
        sa.Index("ix_listings_bank_kind_status_review", "time_bank_id", "kind", "status", "review_on"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    #: Whose listing it is: a resident, or an organisation (requests and spend offers).
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("holders.id"), index=True)
    kind: Mapped[ListingKind] = mapped_column(str_enum(ListingKind, "listing_kind"))
    title: Mapped[str] = mapped_column(sa.String(MAX_TITLE))
    details: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    #: Where: a place in words, or blank for "to be agreed"; remote help is marked so.
    place: Mapped[str] = mapped_column(sa.String(MAX_PLACE), default="", server_default="")
    is_remote: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Requests: the day help is wanted, and optionally the time.
    needed_on: Mapped[dt.date | None]
    needed_at: Mapped[dt.time | None]
    #: Requests: roughly how long it will take.
    estimated_minutes: Mapped[int | None]
    #: Spend offers: credits a member spends, and what they receive.
    price_minutes: Mapped[int | None]
    receives: Mapped[RedeemedFor | None] = mapped_column(str_enum(RedeemedFor, "listing_receives"))
    review_on: Mapped[dt.date]
    status: Mapped[ListingStatus] = mapped_column(str_enum(ListingStatus, "listing_status"), default=ListingStatus.OPEN)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=sa.func.now()
    )

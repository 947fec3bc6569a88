"""Offers, requests and spend offers over the JSON API: find, list, read, change, renew and close.

Each call is: parse → one ``listings.service`` call → respond (the blueprint commits). Every rule is the
service's; a refusal is a ``DomainError`` that the app-wide handler rolls back and turns into problem+json.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import PageArgs, page_fields
from timebank.clock import uk_today
from timebank.db import db
from timebank.listings import service
from timebank.listings.models import Listing
from timebank.listings.schemas import ListingArgs, ListingIn, ListingOut, ListingPageOut, ListingUpdateIn, RenewIn
from timebank.members.models import Person
from timebank.pagination import Page
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_listings", __name__, url_prefix="/api/v1",
    description="Offers, requests and spend offers, with review dates.",
)

LISTING = f"/listings/<{ID_CONVERTER}:listing_id>"
_CARD_FIELDS = ("owner_name", "area", "expired", "category_label")
_LISTING_FIELDS = tuple(name for name in ListingOut().fields if name not in (*_CARD_FIELDS, "category"))


def _out(card: service.ListingCard) -> dict[str, Any]:
    listing = card.listing
    return {
        **{name: getattr(listing, name) for name in _LISTING_FIELDS},
        **{name: getattr(card, name) for name in _CARD_FIELDS},
        "category": card.category_code,
    }


def _one(actor: Person, listing: Listing) -> dict[str, Any]:
    return _out(service.cards(db.session, actor, [listing])[0])


def _page(actor: Person, page: Page[Listing]) -> dict[str, Any]:
    return {"items": [_out(card) for card in service.cards(db.session, actor, page.items)],
            **page_fields(page)}


@bp.route("/listings")
@bp.token_required
@bp.arguments(ListingArgs, location="query")
@bp.response(200, ListingPageOut)
@bp.problems(422)
def list_listings(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Open listings in your banks whose review date has not passed. Requests (``kind=request``) come
    soonest first; everything else newest first."""
    page, per_page = query.pop("page"), query.pop("per_page")
    criteria = service.Criteria(remote_only=query.pop("remote"), **query)
    return _page(actor, service.browse(db.session, actor, criteria, page=page, per_page=per_page))


@bp.route("/listings", methods=["POST"])
@bp.access(service.require_someone_to_list_for)
@bp.arguments(ListingIn)
@bp.response(201, ListingOut, description="Listed: members of the bank see it until its review date.")
@bp.alt_response(200, schema=ListingOut, success=True,
                 description="The same listing is already open (sent twice): nothing new.")
@bp.problems(404, 422)
def create_listing(body: dict[str, Any], actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """List an offer (residents), a request for help on one occasion (residents and organisations) or a
    spend offer (organisations), for yourself, an organisation you act for, or — brokers — a member."""
    holder_id = body.pop("holder_id") or actor.id
    listing, created = service.create_listing(
        db.session, actor, holder_id=holder_id, time_bank_id=body.pop("time_bank_id"), kind=body.pop("kind"),
        details=service.ListingDetails(**body),
    )
    location = {"Location": url_for("api_listings.get_listing", listing_id=listing.id)}
    return _one(actor, listing), 201 if created else 200, location


@bp.route("/listings/mine")
@bp.token_required
@bp.arguments(PageArgs, location="query")
@bp.response(200, ListingPageOut)
def my_listings(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Your listings and those of the organisations you act for, whatever their state: open ones first."""
    return _page(actor, service.my_listings(db.session, actor, **query))


@bp.route(LISTING)
@bp.token_required
@bp.response(200, ListingOut)
@bp.problems(404)
def get_listing(listing_id: int, actor: Person) -> dict[str, Any]:
    """One listing. Members see it while it is open and before its review date; its owner and the bank's
    brokers always."""
    return _one(actor, service.visible_listing(db.session, actor, listing_id, uk_today()))


@bp.route(LISTING, methods=["PATCH"])
@bp.access(service.managed_listing)
@bp.arguments(ListingUpdateIn)
@bp.response(200, ListingOut)
@bp.problems(403, 404, 409, 422)
def update_listing(body: dict[str, Any], listing_id: int, actor: Person) -> dict[str, Any]:
    """Change what an open listing says: only the fields sent change."""
    listing = service.update_listing(db.session, actor, listing_id, body)
    return _one(actor, listing)


@bp.route(f"{LISTING}/renew", methods=["POST"])
@bp.access(service.managed_listing)
@bp.arguments(RenewIn, required=False)
@bp.response(200, ListingOut)
@bp.problems(403, 404, 409, 422)
def renew_listing(body: dict[str, Any], listing_id: int, actor: Person) -> dict[str, Any]:
    """Move the review date on, which shows an expired listing again."""
    listing = service.renew_listing(db.session, actor, listing_id, body.get("review_on"))
    return _one(actor, listing)


@bp.route(f"{LISTING}/close", methods=["POST"])
@bp.token_required
@bp.response(200, ListingOut)
@bp.problems(403, 404)
def close_listing(listing_id: int, actor: Person) -> dict[str, Any]:
    """Close a listing: the help was found, or it is no longer offered. It is kept for the record;
    closing it again changes nothing."""
    listing = service.close_listing(db.session, actor, listing_id)
    return _one(actor, listing)

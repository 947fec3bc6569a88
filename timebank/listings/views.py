"""Offers, requests for a particular occasion, and spend partners' time-for-time offers: find them,
list one, look at one, and — for its owner or a broker — edit, renew or close it. No JavaScript; every
change is a form that posts, then redirects. The rules are ``listings.service``'s."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from timebank.auth.guards import current_person, members_only
from timebank.banks.service import bank_choices
from timebank.categories.models import Category
from timebank.categories.service import categories as active_categories
from timebank.clock import uk_today
from timebank.db import db
from timebank.errors import DomainError
from timebank.forms import int_arg, unit_of_work
from timebank.listings import service
from timebank.listings.errors import ListingClosed
from timebank.listings.forms import KIND_LABELS, RECEIVES_LABELS, ActionForm, BrowseForm, ListingForm
from timebank.listings.models import ListingKind, ListingStatus
from timebank.members import policy
from timebank.members.models import Holder
from timebank.types import ID_CONVERTER

bp = Blueprint("listings", __name__)
bp.before_request(members_only)

LISTING = f"/listings/<{ID_CONVERTER}:listing_id>"
KINDS = "any(" + ",".join(kind.value for kind in ListingKind) + ")"

CREATED = {
    ListingKind.OFFER: _l("Your offer is listed. Members of the time bank can see it now."),
    ListingKind.REQUEST: _l("Your request is listed. Members of the time bank can see it now."),
    ListingKind.SPEND: _l("The spend offer is listed. Members of the time bank can see it now."),
}


@bp.app_context_processor
def listing_labels() -> dict[str, Any]:
    return {
        "listing_kind_label": lambda kind: KIND_LABELS.get(kind, ""),
        "receives_label": lambda value: RECEIVES_LABELS.get(value, ""),
    }


def _categories_for(kind: ListingKind, holder_id: int) -> list[Category]:
    if kind is ListingKind.OFFER:
        return service.ability_categories(db.session, holder_id)
    return active_categories(db.session)


# --- finding ---------------------------------------------------------------------------------------


@bp.route("/listings")
def index() -> Any:
    actor = current_person()
    banks = bank_choices(db.session, policy.broker_bank_ids(db.session, actor)
                         | policy.member_bank_ids(db.session, actor))
    form = BrowseForm(request.args, categories=active_categories(db.session), banks=banks)
    page_number = int_arg("page", default=1) or 1
    page = None
    if form.validate():
        try:
            page = service.browse(db.session, actor, form.criteria(), page=page_number)
        except DomainError as error:
            form.add_service_error(error.field, error.message)
    return render_template(
        "listings/index.html",
        form=form,
        page=page,
        cards=service.cards(db.session, actor, page.items) if page else [],
        kind="" if form.kind.errors else form.kind.data or "",
        filters=form.filters(),
        tab_filters=form.filters(without="kind"),
        several_banks=len(banks) > 1,
        kinds=list(ListingKind),
    ), 422 if form.errors else 200


@bp.route("/listings/mine")
def mine() -> Any:
    actor = current_person()
    page = service.my_listings(db.session, actor, page=int_arg("page", default=1) or 1)
    return render_template("listings/mine.html", page=page, cards=service.cards(db.session, actor, page.items),
                           kinds=list(ListingKind))


# --- listing ---------------------------------------------------------------------------------------


def _chosen(owners: list[service.ListingOwner], raw: str | None) -> service.ListingOwner | None:
    """The owner picked on the first step, or the actor's only own account. A broker always chooses
    the member explicitly, so nobody lists for the wrong person by pressing Continue."""
    if raw:
        return next((owner for owner in owners if str(owner.account_id) == raw), None)
    return owners[0] if len(owners) == 1 and not owners[0].on_behalf else None


@bp.route(f"/listings/new/<{KINDS}:kind>", methods=["GET", "POST"])
def new(kind: str) -> Any:
    actor = current_person()
    listing_kind = ListingKind(kind)
    owners = service.owners_to_list_for(db.session, actor, listing_kind)
    raw = request.args.get("account")
    chosen = _chosen(owners, raw)
    if chosen is None:
        # First step, or it was sent without a valid choice: choose whose listing this is.
        account_error = bool(raw)
        return render_template("listings/new.html", kind=listing_kind, owners=owners, chosen=None, form=None,
                               account_error=account_error), 422 if account_error else 200

    categories = _categories_for(listing_kind, chosen.holder_id)
    form = ListingForm(kind=listing_kind, categories=categories)
    if not form.is_submitted() and listing_kind is not ListingKind.REQUEST:
        form.review_on.data = service.default_review_on(listing_kind, uk_today())
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            listing, created = service.create_listing(
                db.session, actor, holder_id=chosen.holder_id, time_bank_id=chosen.time_bank_id,
                kind=listing_kind, details=form.listing_details(),
            )
        if work.done:
            flash(CREATED[listing_kind] if created else _l("This was already listed, so it is listed only once."),
                  "success")
            return redirect(url_for("listings.detail", listing_id=listing.id))
    return render_template("listings/new.html", kind=listing_kind, owners=owners, chosen=chosen, form=form,
                           account_error=False, no_abilities=not categories), 422 if form.errors else 200


# --- one listing -----------------------------------------------------------------------------------


def _render_detail(listing_id: int, status: int = 200, action_form: ActionForm | None = None) -> Any:
    page = service.listing_page(db.session, current_person(), listing_id)
    return render_template("listings/detail.html", page=page, listing=page.card.listing,
                           action_form=action_form or ActionForm(formdata=None),
                           ListingKind=ListingKind, ListingStatus=ListingStatus,
                           discouraged=service.DISCOURAGED_RECEIPTS), status


@bp.route(LISTING)
def detail(listing_id: int) -> Any:
    return _render_detail(listing_id)


@bp.route(f"{LISTING}/edit", methods=["GET", "POST"])
def edit(listing_id: int) -> Any:
    actor = current_person()
    listing = service.managed_listing(db.session, actor, listing_id)
    if listing.status is ListingStatus.CLOSED:
        raise ListingClosed()
    details = service.details_of(db.session, listing)
    form = ListingForm(data=ListingForm.initial(listing, details), kind=listing.kind,
                       categories=_categories_for(listing.kind, listing.holder_id))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.update_listing(db.session, actor, listing.id, vars(form.listing_details()))
        if work.done:
            flash(_l("Your changes are saved."), "success")
            return redirect(url_for("listings.detail", listing_id=listing_id))
    return render_template("listings/edit.html", listing=listing, form=form,
                           owner=db.session.get(Holder, listing.holder_id)), 422 if form.errors else 200


def _act(listing_id: int, action: str) -> Any:
    """Renew or close: check the form, call the one service function, commit, flash and redirect."""
    form = ActionForm()
    if not form.validate_on_submit():
        return _render_detail(listing_id, 422, form)
    actor = current_person()
    with unit_of_work(form) as work:
        if action == "renew":
            listing = service.renew_listing(db.session, actor, listing_id)
            message = _l("Renewed. Members can see it until %(day)s.", day=format_date(listing.review_on))
        else:
            service.close_listing(db.session, actor, listing_id)
            message = _l("Closed. It is kept in your listings for the record.")
    if not work.done:
        return _render_detail(listing_id, work.status, form)
    flash(message, "success")
    return redirect(url_for("listings.detail", listing_id=listing_id))


@bp.route(f"{LISTING}/renew", methods=["POST"])
def renew(listing_id: int) -> Any:
    return _act(listing_id, "renew")


@bp.route(f"{LISTING}/close", methods=["POST"])
def close(listing_id: int) -> Any:
    return _act(listing_id, "close")

"""The listing pages as people use them: list each kind, see it as others see it, renew, close and edit
it, and the refusals next to the field they concern. Outcomes are checked in the database."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.listings.conftest import error_next_to, text_of
from tests.support import date_boxes
from timebank.ledger.models import Account
from timebank.listings.models import Listing, ListingKind, ListingStatus
from timebank.profiles import service as profiles
from timebank.profiles.service import ProfileUpdate

DAY = dt.timedelta(days=1)


def listings_of(db_session, holder) -> list[Listing]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(Listing).where(Listing.holder_id == holder.id).order_by(Listing.id)))


def account_of(db_session, holder, bank) -> int:
    return db_session.scalar(sa.select(Account.id).where(Account.holder_id == holder.id,
                                                         Account.time_bank_id == bank.id))


def offer_form(**changes):
    return {"title": "Help with your garden", "details": "Weeding and pruning", "category": "gardening",
            "place": "", **changes}


# --- listing each kind -----------------------------------------------------------------------------


def test_a_resident_offers_help_and_a_neighbour_sees_it(db_session, browser, aled, bea, today):
    client = browser(aled)
    page = client.get("/listings/new/offer")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<option value="gardening">' in html and '<option value="tutoring">' not in html
    review = today + 90 * DAY  # the review date starts 90 days ahead
    assert date_boxes(html, "review_on") == {"day": (str(review.day), False), "month": (str(review.month), False),
                                             "year": (str(review.year), False)}

    response = client.post("/listings/new/offer", data=offer_form())
    assert response.status_code == 302
    [listing] = listings_of(db_session, aled)
    assert response.location.endswith(f"/listings/{listing.id}")
    assert (listing.kind, listing.title, listing.review_on) == (ListingKind.OFFER, "Help with your garden",
                                                                 today + 90 * DAY)

    neighbour = browser(bea)
    found = text_of(neighbour.get("/listings?kind=offer").get_data(as_text=True))
    assert "Help with your garden" in found and "From: Aled Pryce" in found
    shown = neighbour.get(f"/listings/{listing.id}")
    assert shown.status_code == 200
    text = text_of(shown.get_data(as_text=True))
    assert "Record an exchange" in text and "Ask your broker to introduce you" in text
    assert "Renew" not in text


def test_someone_without_abilities_is_sent_to_their_profile(browser, bea):
    html = browser(bea).get("/listings/new/offer").get_data(as_text=True)
    assert f'href="/people/{bea.id}/profile"' in html
    assert 'action="/listings/new/offer' not in html


def test_an_offer_outside_ones_abilities_is_refused_next_to_the_category(db_session, browser, aled):
    response = browser(aled).post("/listings/new/offer", data=offer_form(category="tutoring"))
    assert response.status_code == 422
    assert "Choose one of the things you can do" in error_next_to(response.get_data(as_text=True), "category")
    assert listings_of(db_session, aled) == []


def test_a_resident_asks_for_help_on_a_day(db_session, browser, bea, today):
    day = today + 4 * DAY
    client = browser(bea)
    page = client.get("/listings/new/request")
    assert "Ask for help with something" in page.get_data(as_text=True)
    response = client.post("/listings/new/request", data={
        "title": "A lift to the hospital", "category": "lifts", "needed_on": day.strftime("%d/%m/%Y"),
        "needed_at": "14:30", "estimated_minutes": "120", "place": "Hollinbridge General"})
    assert response.status_code == 302, response.get_data(as_text=True)
    [listing] = listings_of(db_session, bea)
    assert (listing.needed_on, listing.needed_at, listing.estimated_minutes, listing.review_on) == (
        day, dt.time(14, 30), 120, day + DAY)
    html = text_of(client.get(f"/listings/{listing.id}").get_data(as_text=True))
    assert "at 14:30" in html and "2 hours" in html


def test_a_request_in_the_past_is_refused_next_to_the_day(db_session, browser, bea, today):
    response = browser(bea).post("/listings/new/request", data={
        "title": "A lift", "category": "lifts", "needed_on": (today - DAY).isoformat()})
    assert response.status_code == 422
    assert "Enter a date from today to" in error_next_to(response.get_data(as_text=True), "needed_on")
    assert listings_of(db_session, bea) == []


def test_bad_input_is_refused_next_to_each_field(db_session, browser, bea):
    response = browser(bea).post("/listings/new/request", data={
        "title": "", "category": "", "needed_on": "31/02/2026", "needed_at": "25:00", "estimated_minutes": "7"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("title", "category", "needed_on", "needed_at", "estimated_minutes"):
        assert error_next_to(html, field)
    not_a_number = browser(bea).post("/listings/new/request", data={
        "title": "A lift", "category": "lifts", "needed_on": "2099-01-01", "estimated_minutes": "lots"})
    assert not_a_number.status_code == 422
    assert "from the list" in error_next_to(not_a_number.get_data(as_text=True), "estimated_minutes")
    assert listings_of(db_session, bea) == []


def test_a_spend_partner_lists_a_spend_offer_with_a_warning_about_cash(db_session, browser, carys, leisure):
    client = browser(carys)
    page = client.get("/listings/new/spend")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<option selected value="leisure-pass">' in html
    assert "may affect the benefits" in text_of(html)
    response = client.post("/listings/new/spend", data={
        "title": "A swim", "category": "leisure-pass", "price_hours": "1", "price_minutes": "0",
        "receives": "voucher_fixed_value"})
    assert response.status_code == 302, response.get_data(as_text=True)
    [listing] = listings_of(db_session, leisure)
    assert (listing.price_minutes, listing.receives.value) == (60, "voucher_fixed_value")
    shown = text_of(client.get(f"/listings/{listing.id}").get_data(as_text=True))
    assert "may affect them" in shown and "Record that a member took this up" in shown


def test_a_resident_cannot_list_a_spend_offer(db_session, browser, aled, bank):
    client = browser(aled)
    assert "Only organisations list spend offers" in text_of(client.get("/listings/new/spend").get_data(as_text=True))
    response = client.post(f"/listings/new/spend?account={account_of(db_session, aled, bank)}",
                           data={"title": "A swim", "category": "leisure-pass", "price_hours": "1"})
    assert response.status_code == 422
    assert listings_of(db_session, aled) == []


def test_a_broker_chooses_the_member_first_and_lists_for_them(db_session, browser, broker, aled, bank):
    client = browser(broker)
    first = client.get("/listings/new/offer")
    assert first.status_code == 200 and 'name="account"' in first.get_data(as_text=True)
    account = account_of(db_session, aled, bank)
    form = client.get(f"/listings/new/offer?account={account}")
    assert "You are listing this for Aled Pryce" in text_of(form.get_data(as_text=True))
    response = client.post(f"/listings/new/offer?account={account}", data=offer_form())
    assert response.status_code == 302
    [listing] = listings_of(db_session, aled)
    assert listing.created_by_id == broker.id
    assert client.get("/listings/new/offer?account=99999").status_code == 422


# --- renewing, closing, editing --------------------------------------------------------------------


def test_expired_is_hidden_from_others_and_renewing_shows_it_again(db_session, browser, make_listing, aled, bea,
                                                                   today):
    listing = make_listing(aled)
    listing.review_on = today - DAY
    neighbour, owner = browser(bea), browser(aled)
    assert neighbour.get(f"/listings/{listing.id}").status_code == 404
    assert "Help with your garden" not in neighbour.get("/listings").get_data(as_text=True)
    page = owner.get(f"/listings/{listing.id}")
    assert page.status_code == 200 and "Expired — renew to show it again" in page.get_data(as_text=True)
    assert "Expired" in owner.get("/listings/mine").get_data(as_text=True)
    assert "Help with your garden" in owner.get("/listings?expired=y").get_data(as_text=True)

    response = owner.post(f"/listings/{listing.id}/renew")
    assert response.status_code == 302
    db_session.expire_all()
    assert listing.review_on == today + 90 * DAY
    assert neighbour.get(f"/listings/{listing.id}").status_code == 200


def test_closing_a_listing(db_session, browser, make_listing, aled, bea):
    listing = make_listing(aled)
    client = browser(aled)
    assert client.post(f"/listings/{listing.id}/close").status_code == 302
    db_session.expire_all()
    assert listing.status is ListingStatus.CLOSED
    assert browser(bea).get(f"/listings/{listing.id}").status_code == 404
    refused = client.post(f"/listings/{listing.id}/renew")
    assert refused.status_code == 409 and "This listing is closed" in refused.get_data(as_text=True)
    assert client.get(f"/listings/{listing.id}/edit").status_code == 409


def test_the_owner_edits_a_listing(db_session, browser, make_listing, aled, today):
    listing = make_listing(aled)
    client = browser(aled)
    form = client.get(f"/listings/{listing.id}/edit")
    assert form.status_code == 200 and 'value="Help with your garden"' in form.get_data(as_text=True)
    response = client.post(f"/listings/{listing.id}/edit", data=offer_form(
        title="Hedge trimming", is_remote="", review_on=(today + 10 * DAY).isoformat()))
    assert response.status_code == 302
    db_session.expire_all()
    assert (listing.title, listing.review_on) == ("Hedge trimming", today + 10 * DAY)
    refused = client.post(f"/listings/{listing.id}/edit", data=offer_form(review_on=(today + 200 * DAY).isoformat()))
    assert refused.status_code == 422
    assert "Enter a date from today to" in error_next_to(refused.get_data(as_text=True), "review_on")


def test_the_owners_privacy_choices_are_kept_on_the_listing(db_session, browser, make_listing, aled, bea, broker):
    listing = make_listing(aled)
    profiles.update_profile(db_session, aled, aled.id, ProfileUpdate(
        abilities=("gardening",), show_name=False, show_area=False, show_contact=False))
    seen = text_of(browser(bea).get(f"/listings/{listing.id}").get_data(as_text=True))
    assert "Aled Pryce" not in seen and "Name not shown" in seen and "HB3" not in seen
    assert "Nia Broker" in seen  # the broker who can introduce them
    as_broker = text_of(browser(broker).get(f"/listings/{listing.id}").get_data(as_text=True))
    assert "Aled Pryce" in as_broker and "HB3" in as_broker


# --- access ----------------------------------------------------------------------------------------


def test_who_may_use_the_pages(db_session, browser, make_listing, aled, bea, outsider, make_person, bank):
    from timebank.banks import service as banks
    from timebank.members.models import BankRoleName

    listing = make_listing(aled)
    funder = make_person("Fay Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)
    anonymous = browser(None)
    for path in ("/listings", f"/listings/{listing.id}", "/listings/new/offer", "/listings/mine"):
        assert "/sign-in" in anonymous.get(path).location
    assert browser(funder).get("/listings").status_code == 403
    outside = browser(outsider)
    assert outside.get(f"/listings/{listing.id}").status_code == 404
    assert outside.post(f"/listings/{listing.id}/close").status_code == 404
    neighbour = browser(bea)
    assert neighbour.get(f"/listings/{listing.id}/edit").status_code == 403
    assert neighbour.post(f"/listings/{listing.id}/close").status_code == 403
    assert neighbour.get("/listings/99999").status_code == 404
    assert neighbour.get("/listings?page=x").status_code == 400
    assert neighbour.get("/listings?kind=nonsense").status_code == 422
    db_session.expire_all()
    assert listing.status is ListingStatus.OPEN


def test_browse_filters_on_the_page(browser, make_listing, aled, bea):
    make_listing(aled)
    make_listing(aled, title="Bike fixing", category="bike-repair", details="Punctures", is_remote=True)
    client = browser(bea)
    html = client.get("/listings?category=home-garden").get_data(as_text=True)
    assert "Help with your garden" in html and "Bike fixing" not in html
    html = client.get("/listings?remote=y&q=bike").get_data(as_text=True)
    assert "Bike fixing" in html and "Help with your garden" not in html
    refused = client.get("/listings?district=nowhere+at+all")
    assert refused.status_code == 422
    assert "postcode district" in error_next_to(refused.get_data(as_text=True), "district")

"""Listing offers, requests and spend offers, and who sees them when: worked through the service, with
the outcome checked in the database."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.listings.conftest import offer, request_for, spend
from tests.support import examples
from timebank.dates import DateOutOfRange
from timebank.ledger.errors import CategoryNotFound
from timebank.listings import errors, service
from timebank.listings.models import Listing, ListingKind, ListingStatus
from timebank.members.models import OrganisationType
from timebank.notices.models import Notice, NoticeKind
from timebank.profiles import service as profiles
from timebank.profiles.service import ProfileUpdate
from timebank.receipts import RedeemedFor

DAY = dt.timedelta(days=1)


def shown_to(db_session, person, listing, today=None) -> bool:
    try:
        service.visible_listing(db_session, person, listing.id, today)
    except errors.ListingNotFound:
        return False
    return True


def browsed_ids(db_session, person, **criteria) -> list[int]:
    page = service.browse(db_session, person, service.Criteria(**criteria), per_page=100)
    return [listing.id for listing in page.items]


# --- each kind -------------------------------------------------------------------------------------


def test_a_resident_offers_one_of_their_abilities(db_session, aled, bank, today, audit_actions):
    listing, created = service.create_listing(db_session, aled, holder_id=aled.id, time_bank_id=bank.id,
                                              kind=ListingKind.OFFER, details=offer(title="  Help with  your garden "))
    assert created
    assert (listing.kind, listing.status, listing.title) == (ListingKind.OFFER, ListingStatus.OPEN,
                                                              "Help with your garden")
    assert listing.review_on == today + 90 * DAY
    assert listing.created_by_id == aled.id
    assert audit_actions(listing) == [("listing.created", {"kind": "offer", "holder_id": aled.id,
                                                           "on_behalf": False})]


def test_a_request_is_for_one_occasion_and_reviewed_the_day_after(db_session, bea, bank, today):
    day = today + 10 * DAY
    listing, _ = service.create_listing(db_session, bea, holder_id=bea.id, time_bank_id=bank.id,
                                        kind=ListingKind.REQUEST,
                                        details=request_for(day, needed_at=dt.time(14, 30), category="lifts"))
    assert (listing.needed_on, listing.needed_at, listing.estimated_minutes) == (day, dt.time(14, 30), 120)
    assert listing.review_on == day + DAY
    assert listing.price_minutes is None and listing.receives is None


def test_an_organisation_asks_for_help_too(db_session, leisure, carys, bank, today):
    listing, _ = service.create_listing(db_session, carys, holder_id=leisure.id, time_bank_id=bank.id,
                                        kind=ListingKind.REQUEST, details=request_for(today + DAY))
    assert listing.holder_id == leisure.id and listing.created_by_id == carys.id


def test_a_spend_partner_lists_a_spend_offer(db_session, leisure, carys, bank, today):
    listing, _ = service.create_listing(db_session, carys, holder_id=leisure.id, time_bank_id=bank.id,
                                        kind=ListingKind.SPEND, details=spend())
    assert (listing.price_minutes, listing.receives) == (60, RedeemedFor.TIME_BASED_ACTIVITY)
    assert listing.review_on == today + 90 * DAY


def test_sending_the_same_listing_twice_lists_it_once(db_session, aled, bank):
    first, created = service.create_listing(db_session, aled, holder_id=aled.id, time_bank_id=bank.id,
                                            kind=ListingKind.OFFER, details=offer())
    again, created_again = service.create_listing(db_session, aled, holder_id=aled.id, time_bank_id=bank.id,
                                                  kind=ListingKind.OFFER, details=offer())
    assert created and not created_again and again.id == first.id
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Listing).where(Listing.holder_id == aled.id)) == 1


def test_a_broker_lists_for_a_member_and_it_is_recorded(db_session, broker, aled, bank, audit_actions):
    listing, _ = service.create_listing(db_session, broker, holder_id=aled.id, time_bank_id=bank.id,
                                        kind=ListingKind.OFFER, details=offer())
    assert listing.holder_id == aled.id and listing.created_by_id == broker.id
    assert audit_actions(listing)[0][1]["on_behalf"] is True


# --- refusals --------------------------------------------------------------------------------------


def test_an_offer_outside_the_persons_abilities_is_refused(db_session, aled, bank):
    with pytest.raises(errors.NotOwnAbility) as refused:
        service.create_listing(db_session, aled, holder_id=aled.id, time_bank_id=bank.id,
                               kind=ListingKind.OFFER, details=offer(category="tutoring"))
    assert refused.value.field == "category"


def test_someone_without_abilities_is_told_to_add_them_first(db_session, bea, bank):
    with pytest.raises(errors.NoAbilities) as refused:
        service.create_listing(db_session, bea, holder_id=bea.id, time_bank_id=bank.id,
                               kind=ListingKind.OFFER, details=offer())
    assert refused.value.field == "category"


@pytest.mark.parametrize(("changes", "error"), [
    ({"needed_on": -1}, DateOutOfRange),
    ({"needed_on": 181}, DateOutOfRange),
    ({"needed_on": None}, errors.OccasionMissing),
    ({"estimated_minutes": 45}, errors.InvalidEstimate),
    ({"review_on": -1}, DateOutOfRange),
    ({"review_on": 181}, DateOutOfRange),
    ({"needed_on": 5, "review_on": 4}, errors.ReviewBeforeOccasion),
    ({"title": "   "}, errors.TitleMissing),
    ({"title": "x" * 201}, errors.TitleMissing),
    ({"details": "x" * 2001}, errors.DetailsTooLong),
    ({"place": "x" * 201}, errors.PlaceTooLong),
    ({"category": "no-such-thing"}, CategoryNotFound),
    ({"price_minutes": 30}, errors.OnlySpendOffersHavePrice),
])
def test_a_bad_request_is_refused_naming_the_field(db_session, bea, bank, today, changes, error):
    # A date out of range names the date it is about (the last one sent, if both are).
    field = error.field or [key for key in changes if key in ("needed_on", "review_on")][-1]
    changes = {key: today + value * DAY if key in ("needed_on", "review_on") and value is not None else value
               for key, value in changes.items()}
    details = request_for(changes.pop("needed_on", today + DAY), **changes)
    with pytest.raises(error) as refused:
        service.create_listing(db_session, bea, holder_id=bea.id, time_bank_id=bank.id,
                               kind=ListingKind.REQUEST, details=details)
    assert refused.value.field == field
    assert db_session.scalar(sa.select(Listing.id).where(Listing.holder_id == bea.id)) is None


def test_a_time_earlier_today_is_in_the_past(db_session, bea, bank):
    now = dt.datetime.now(service.UK)
    if now.time() < dt.time(0, 1):
        pytest.skip("just after midnight there is no earlier time today")
    with pytest.raises(errors.TimeInPast):
        service.create_listing(db_session, bea, holder_id=bea.id, time_bank_id=bank.id, kind=ListingKind.REQUEST,
                               details=request_for(now.date(), needed_at=dt.time(0, 0)))


def test_a_resident_cannot_list_a_spend_offer(db_session, aled, bank):
    with pytest.raises(errors.SpendOffersAreForOrganisations) as refused:
        service.create_listing(db_session, aled, holder_id=aled.id, time_bank_id=bank.id,
                               kind=ListingKind.SPEND, details=spend())
    assert refused.value.field == "kind"


def test_an_organisation_does_not_list_offers(db_session, leisure, carys, bank):
    with pytest.raises(errors.OffersAreForPeople):
        service.create_listing(db_session, carys, holder_id=leisure.id, time_bank_id=bank.id,
                               kind=ListingKind.OFFER, details=offer())


@pytest.mark.parametrize("price", [None, 0, 1441])
def test_a_spend_offer_needs_a_price_in_range(db_session, leisure, carys, bank, price):
    with pytest.raises(errors.PriceMissing):
        service.create_listing(db_session, carys, holder_id=leisure.id, time_bank_id=bank.id,
                               kind=ListingKind.SPEND, details=spend(price_minutes=price))


def test_nobody_lists_for_someone_they_do_not_act_for(db_session, aled, bea, outsider, bank, other_bank):
    for actor, holder, time_bank in ((bea, aled, bank), (outsider, outsider, bank), (aled, aled, other_bank)):
        with pytest.raises(errors.HolderNotFound):
            service.create_listing(db_session, actor, holder_id=holder.id, time_bank_id=time_bank.id,
                                   kind=ListingKind.OFFER, details=offer())


# --- who sees what ---------------------------------------------------------------------------------


def test_expiry_hides_a_listing_from_members_but_not_from_its_owner_or_broker(
        db_session, make_listing, aled, bea, broker, today):
    listing = make_listing(aled)
    listing.review_on = today - DAY  # as if its review date passed yesterday
    db_session.flush()
    assert not shown_to(db_session, bea, listing)
    assert listing.id not in browsed_ids(db_session, bea)
    assert shown_to(db_session, aled, listing) and shown_to(db_session, broker, listing)
    assert listing.id in browsed_ids(db_session, aled, expired=True)
    assert listing.id in browsed_ids(db_session, broker, expired=True)
    assert listing.id not in browsed_ids(db_session, bea, expired=True)
    assert service.cards(db_session, aled, [listing])[0].expired


def test_renewing_shows_it_again(db_session, make_listing, aled, bea, today, audit_actions):
    listing = make_listing(aled)
    listing.review_on = today - DAY
    db_session.flush()
    service.renew_listing(db_session, aled, listing.id)
    assert listing.review_on == today + 90 * DAY
    assert shown_to(db_session, bea, listing) and listing.id in browsed_ids(db_session, bea)
    assert audit_actions(listing)[-1] == ("listing.renewed", {
        "kind": "offer", "holder_id": aled.id, "on_behalf": False,
        "previous_review_on": (today - DAY).isoformat(), "review_on": (today + 90 * DAY).isoformat()})
    service.renew_listing(db_session, aled, listing.id)  # pressed twice: nothing more happens
    assert [action for action, _ in audit_actions(listing)].count("listing.renewed") == 1


def test_a_request_whose_day_has_passed_is_not_renewed(db_session, make_listing, bea, today):
    listing = make_listing(bea, ListingKind.REQUEST, needed_on=today + DAY)
    listing.needed_on, listing.review_on = today - 2 * DAY, today - DAY
    db_session.flush()
    with pytest.raises(errors.OccasionPassed):
        service.renew_listing(db_session, bea, listing.id)


def test_closing_keeps_it_for_the_record(db_session, make_listing, aled, bea, broker, audit_actions):
    listing = make_listing(aled)
    service.close_listing(db_session, broker, listing.id)
    service.close_listing(db_session, broker, listing.id)
    assert listing.status is ListingStatus.CLOSED
    assert not shown_to(db_session, bea, listing) and shown_to(db_session, aled, listing)
    assert [action for action, _ in audit_actions(listing)] == ["listing.created", "listing.closed"]
    assert audit_actions(listing)[-1][1]["on_behalf"] is True
    with pytest.raises(errors.ListingClosed):
        service.renew_listing(db_session, aled, listing.id)
    with pytest.raises(errors.ListingClosed):
        service.update_listing(db_session, aled, listing.id, {"title": "Changed"})


def test_a_leaver_s_listings_are_closed_and_wiped(db_session, make_listing, aled, bea, broker, audit_actions, today):
    open_offer = make_listing(aled, place="Allotment 4")
    met = make_listing(aled, ListingKind.REQUEST)
    service.close_listing(db_session, aled, met.id)
    bea_s = make_listing(bea, ListingKind.REQUEST, needed_on=today + 2 * DAY)

    closed = service.close_for_leaver(db_session, aled.id, actor=broker)

    assert closed == [open_offer]
    for listing in (open_offer, met):
        assert (listing.status, listing.title, listing.details, listing.place) == (
            ListingStatus.CLOSED, service.LEFT_TITLE, "", "")
    assert (bea_s.status, bea_s.title, bea_s.place) == (ListingStatus.OPEN, "A lift to the hospital",
                                                        "Hollinbridge General")
    assert audit_actions(open_offer)[-1] == ("listing.closed", {
        "kind": "offer", "holder_id": aled.id, "on_behalf": True, "reason": "left"})
    assert [action for action, _ in audit_actions(met)] == ["listing.created", "listing.closed", "listing.wiped"]
    assert service.close_for_leaver(db_session, aled.id, actor=broker) == []
    assert len(audit_actions(met)) == 3, "a second time changes nothing"


def test_another_banks_listing_does_not_exist_for_outsiders(db_session, make_listing, aled, outsider):
    listing = make_listing(aled)
    assert not shown_to(db_session, outsider, listing)
    assert listing.id not in browsed_ids(db_session, outsider)
    with pytest.raises(errors.ListingNotFound):
        service.close_listing(db_session, outsider, listing.id)


def test_a_member_may_see_but_not_change_someone_elses_listing(db_session, make_listing, aled, bea):
    listing = make_listing(aled)
    for change in (lambda: service.update_listing(db_session, bea, listing.id, {"title": "Mine now"}),
                   lambda: service.renew_listing(db_session, bea, listing.id),
                   lambda: service.close_listing(db_session, bea, listing.id)):
        with pytest.raises(errors.NotYourListing):
            change()
    assert listing.title == "Help with your garden"


def test_the_listings_of_someone_who_left_are_hidden(db_session, make_listing, aled, bea):
    from timebank.types import utcnow

    listing = make_listing(aled)
    aled.pseudonymised_at = utcnow()
    db_session.flush()
    assert not shown_to(db_session, bea, listing)
    assert listing.id not in browsed_ids(db_session, bea)


@settings(max_examples=examples(0.4), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from(list(ListingStatus)), offset=st.integers(-200, 180))
def test_members_see_a_listing_iff_it_is_open_and_not_past_review(
        db_session, make_listing, aled, bea, broker, today, status, offset):
    listing = make_listing(aled, title=f"Garden help {status} {offset}")
    listing.status, listing.review_on = status, today + offset * DAY
    db_session.flush()
    expected = status is ListingStatus.OPEN and offset >= 0
    assert shown_to(db_session, bea, listing) is expected
    assert (listing.id in browsed_ids(db_session, bea, q=f"{status} {offset}")) is expected
    assert shown_to(db_session, aled, listing) and shown_to(db_session, broker, listing)
    listing.status = ListingStatus.CLOSED  # out of the way of the next example
    db_session.flush()


# --- editing ---------------------------------------------------------------------------------------


def test_the_owner_edits_a_listing(db_session, make_listing, aled, today, audit_actions):
    listing = make_listing(aled)
    service.update_listing(db_session, aled, listing.id,
                           {"title": "Help with hedges", "category": "bike-repair", "is_remote": True,
                            "review_on": today + 30 * DAY})
    assert (listing.title, listing.is_remote, listing.review_on) == ("Help with hedges", True, today + 30 * DAY)
    assert audit_actions(listing)[-1][1]["fields"] == ["category_id", "is_remote", "review_on", "title"]


def test_an_edit_keeps_dates_already_set_but_checks_new_ones(db_session, make_listing, bea, today):
    listing = make_listing(bea, ListingKind.REQUEST, needed_on=today + DAY)
    listing.needed_on, listing.review_on = today - DAY, today  # the day has passed
    db_session.flush()
    service.update_listing(db_session, bea, listing.id, {"details": "Still looking"})
    assert listing.details == "Still looking"
    with pytest.raises(DateOutOfRange):
        service.update_listing(db_session, bea, listing.id, {"needed_on": today - 2 * DAY})


def test_an_offer_keeps_its_category_when_the_ability_leaves_the_profile(db_session, make_listing, aled):
    listing = make_listing(aled)
    profiles.update_profile(db_session, aled, aled.id, ProfileUpdate(abilities=("bike-repair",)))
    service.update_listing(db_session, aled, listing.id, {"title": "Garden tidy"})
    with pytest.raises(errors.NotOwnAbility):
        service.update_listing(db_session, aled, listing.id, {"category": "cooking"})


# --- finding ---------------------------------------------------------------------------------------


def test_browse_filters_by_kind_category_words_area_and_remote(
        db_session, make_listing, aled, bea, leisure, today):
    garden = make_listing(aled)
    bikes = make_listing(aled, title="Bike fixing", category="bike-repair", is_remote=True, details="Punctures")
    lift = make_listing(bea, ListingKind.REQUEST)
    swim = make_listing(leisure, ListingKind.SPEND)
    ids = {garden.id, bikes.id, lift.id, swim.id}

    def found(**criteria):
        return set(browsed_ids(db_session, bea, **criteria)) & ids

    assert found() == ids
    assert found(kind=ListingKind.SPEND) == {swim.id}
    assert found(category="home-garden") == {garden.id}  # a parent includes its children
    assert found(category="bike-repair") == {bikes.id}
    assert found(q="BIKE fix") == {bikes.id}
    assert found(q="weeding") == {garden.id}  # words in the details
    assert found(q="100%_") == set()
    assert found(remote_only=True) == {bikes.id}
    assert found(district="hb3") == {garden.id, bikes.id}
    with pytest.raises(errors.InvalidDistrict):
        found(district="not a place")
    with pytest.raises(CategoryNotFound):
        found(category="nonsense")


def test_the_area_filter_respects_an_owner_who_hides_their_area(db_session, make_listing, aled, bea, broker):
    garden = make_listing(aled)
    profiles.update_profile(db_session, aled, aled.id,
                            ProfileUpdate(abilities=("gardening", "bike-repair"), show_area=False, show_name=False))
    assert garden.id not in browsed_ids(db_session, bea, district="HB3")
    assert garden.id in browsed_ids(db_session, broker, district="HB3")
    card = service.cards(db_session, bea, [garden])[0]
    assert card.owner_name is None and card.area is None
    assert service.cards(db_session, broker, [garden])[0].owner_name == "Aled Pryce"


def test_requests_come_soonest_first(db_session, make_listing, bea, today):
    later = make_listing(bea, ListingKind.REQUEST, needed_on=today + 9 * DAY, title="Later")
    timed = make_listing(bea, ListingKind.REQUEST, needed_on=today + 2 * DAY, needed_at=dt.time(9), title="Timed")
    untimed = make_listing(bea, ListingKind.REQUEST, needed_on=today + 2 * DAY, title="Any time")
    ids = browsed_ids(db_session, bea, kind=ListingKind.REQUEST)
    assert [i for i in ids if i in {later.id, timed.id, untimed.id}] == [untimed.id, timed.id, later.id]


def test_my_listings_are_mine_and_my_organisations(db_session, make_listing, aled, carys, leisure, bea):
    swim = make_listing(leisure, ListingKind.SPEND)
    make_listing(aled)
    assert [listing.id for listing in service.my_listings(db_session, carys).items] == [swim.id]


def test_who_one_may_list_for(db_session, aled, leisure, carys, broker, bank, make_organisation):
    assert [o.holder_id for o in service.owners_to_list_for(db_session, carys, ListingKind.SPEND)] == [leisure.id]
    assert service.owners_to_list_for(db_session, aled, ListingKind.SPEND) == []
    mine = service.owners_to_list_for(db_session, aled, ListingKind.OFFER)
    assert [(o.holder_id, o.on_behalf) for o in mine] == [(aled.id, False)]
    brokered = service.owners_to_list_for(db_session, broker, ListingKind.OFFER)
    assert aled.id in {o.holder_id for o in brokered} and all(o.on_behalf for o in brokered)
    council = make_organisation(bank, "Hollinbridge Council", organisation_type=OrganisationType.COUNCIL)[0]
    assert council.id in {o.holder_id for o in service.owners_to_list_for(db_session, broker, ListingKind.SPEND)}


# --- reminders -------------------------------------------------------------------------------------


def test_reminders_go_once_within_a_week_of_the_review_date(db_session, make_listing, aled, leisure, carys, today):
    soon = make_listing(aled, review_on=today + 7 * DAY)
    later = make_listing(aled, title="Bikes", category="bike-repair", review_on=today + 8 * DAY)
    swim = make_listing(leisure, ListingKind.SPEND, review_on=today + 2 * DAY)

    def notices(listing):
        return db_session.execute(sa.select(Notice.person_id, Notice.kind).where(
            Notice.subject_id == listing.id, Notice.kind == NoticeKind.LISTING_REVIEW)).all()

    first = service.send_review_reminders(db_session, today)
    again = service.send_review_reminders(db_session, today)
    assert first >= 2 and again == 0
    assert notices(soon) == [(aled.id, NoticeKind.LISTING_REVIEW)]
    assert notices(swim) == [(carys.id, NoticeKind.LISTING_REVIEW)]  # an organisation's admins are told
    assert notices(later) == []
    service.send_review_reminders(db_session, today + DAY)  # the next day it is within the week
    assert notices(later) == [(aled.id, NoticeKind.LISTING_REVIEW)]
    assert len(notices(soon)) == 1


def test_no_reminder_for_closed_or_expired_listings(db_session, make_listing, aled, today):
    closed = make_listing(aled, review_on=today + 3 * DAY)
    service.close_listing(db_session, aled, closed.id)
    expired = make_listing(aled, title="Bikes", category="bike-repair")
    expired.review_on = today - DAY
    db_session.flush()
    service.send_review_reminders(db_session, today)
    assert db_session.scalar(sa.select(Notice.id).where(Notice.subject_id.in_([closed.id, expired.id]),
                                                        Notice.kind == NoticeKind.LISTING_REVIEW)) is None

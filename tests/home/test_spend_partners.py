"""A spend partner's part of its admin's home (issue 15): its spend offers still up, each with how many times
members took it up this month, its latest redemptions newest first, and "Record credits spent" one click
away. An organisation that is no spend partner shows none of it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.attendance.test_pages import words
from timebank.home import queries
from timebank.listings.models import Listing, ListingStatus
from timebank.money import service as money


@pytest.fixture
def redeemed(db_session, partner, redemption_input):
    """Pat records what Mair spent: each ``(day, item, offer or None)`` one redemption."""

    def record(*spent):
        for day, item, offer in spent:
            money.redeem(db_session, partner.admin, redemption_input(
                item=item, occurred_on=day,
                listing_id=offer.id if offer is not None else None))
        db_session.commit()

    return record


def _another_offer(db_session, offer, title, **changes):
    """A copy of ``offer`` under another title (closed, or past its review date, with ``changes``)."""
    columns = {column: getattr(offer, column) for column in (
        "time_bank_id", "holder_id", "kind", "category_id", "price_minutes", "receives", "review_on", "created_by_id")}
    offer = Listing(**{**columns, "title": title, **changes})
    db_session.add(offer)
    db_session.flush()
    return offer


def test_a_spend_partner_s_home_shows_its_offers_taken_up_this_month_and_the_latest_redemptions(
        db_session, browser, partner, member, spend_offer, redeemed, today):
    _another_offer(db_session, spend_offer, "Closed sauna", status=ListingStatus.CLOSED)
    _another_offer(db_session, spend_offer, "Expired yoga", review_on=today - dt.timedelta(days=1))
    redeemed((today, "Swim today", spend_offer),
             (today.replace(day=1) - dt.timedelta(days=1), "Swim last month", spend_offer),
             (today, "Tea at the café", None))

    response = browser(partner.admin).get("/")
    html, page = response.get_data(as_text=True), words(response)
    section = page.split("Spending credits with Hollinbridge Leisure Trust")[1]
    assert "A swim at Hollinbridge Pool 1 hour 1" in " ".join(section.split())  # taken up once this month
    assert "Closed sauna" not in page and "Expired yoga" not in page
    latest = section.split("Credits spent lately")[1]
    # Newest first, by the day it happened (then the order recorded).
    assert (latest.index("Mair Member spent 1 hour: Tea at the café")
            < latest.index("Mair Member spent 1 hour: Swim today")
            < latest.index("Mair Member spent 1 hour: Swim last month"))
    organisation = partner.organisation.id
    assert f'href="/money/redemptions/new?organisation={organisation}"' in html and "Record credits spent" in page
    assert f'href="/money/redemptions?organisation={organisation}"' in html


def test_the_latest_redemptions_are_bounded(db_session, browser, partner, member, spend_offer, redeemed, today):
    redeemed(*[(today - dt.timedelta(days=n), f"Swim {n}", spend_offer)
               for n in range(queries.LATEST_REDEMPTIONS + 2)])
    [found] = queries.spend_partners(db_session, [partner.organisation.id], today).values()
    assert [r.redemption.item for r in found.redemptions] == [f"Swim {n}" for n in range(queries.LATEST_REDEMPTIONS)]
    page = words(browser(partner.admin).get("/"))
    assert "Swim 4" in page and f"Swim {queries.LATEST_REDEMPTIONS}" not in page


def test_an_organisation_that_is_no_spend_partner_shows_no_spending(db_session, browser, council, partner,
                                                                    spend_offer, today):
    assert queries.spend_partners(db_session, [council.organisation.id], today) == {}
    page = words(browser(council.admin).get("/"))
    assert "Hollinbridge Council this week" in page
    assert "Spending credits with" not in page and "Record credits spent" not in page


def test_a_spend_partner_with_offers_and_nothing_spent_yet_shows_its_offers(db_session, browser, partner,
                                                                            spend_offer):
    db_session.commit()
    section = words(browser(partner.admin).get("/")).split("Spending credits with Hollinbridge Leisure Trust")[1]
    assert "A swim at Hollinbridge Pool 1 hour 0" in " ".join(section.split())
    assert "Credits spent lately" not in section

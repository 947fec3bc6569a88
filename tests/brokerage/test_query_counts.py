"""The broker's dashboard and the brokerage lists send a bounded number of statements on the demo bank, and
the same number when there is more in them: no statement per row (N+1)."""

from __future__ import annotations

import datetime as dt
import difflib

import pytest
import sqlalchemy as sa

from tests.test_query_counts import _login, _statements, signed_in  # noqa: F401 (the fixture, shared)
from timebank.brokerage import contact, service
from timebank.demo.service import find_demo_bank
from timebank.ledger.models import Account
from timebank.listings import service as listings
from timebank.listings.models import ListingKind
from timebank.members.models import Person

#: (page, most statements), {bank} is the demo bank's id.
PAGES = [
    # Each of the ten sections a page and a count; names, titles and the words of what to pass on, one each.
    ("/brokerage/banks/{bank}", 48),
    ("/brokerage/banks/{bank}/introductions", 16),
    ("/brokerage/banks/{bank}/messages", 14),
    ("/brokerage/banks/{bank}/requests", 14),
    ("/brokerage/banks/{bank}/quiet-members", 14),
    ("/introductions", 16),
]


def _more(session, count: int = 12) -> None:
    """More of everything the pages list: requests, introductions to them and messages waiting."""
    bank = find_demo_bank(session)
    broker = _login(session, "broker")
    people = list(session.scalars(
        sa.select(Person).join(Account, Account.holder_id == Person.id)
        .where(Account.time_bank_id == bank.id, Person.email.is_not(None), Person.pseudonymised_at.is_(None))
        .order_by(Person.id).limit(count + 1)))
    asker, helpers = people[0], people[1:]
    for n, helper in enumerate(helpers):
        listing, _ = listings.create_listing(
            session, asker, holder_id=asker.id, time_bank_id=bank.id, kind=ListingKind.REQUEST,
            details=listings.ListingDetails(title=f"Help number {n}", category="gardening",
                                            needed_on=dt.date.today() + dt.timedelta(days=n + 1)))
        service.introduce(session, broker, service.NewIntroduction([helper.id], listing_id=listing.id))
        contact.write_to_brokers(session, helper, bank.id, f"Message {n}")
    session.flush()


@pytest.mark.parametrize(("path", "cap"), PAGES)
def test_a_brokerage_page_sends_a_bounded_number_of_statements(demo_session, signed_in, path, cap):  # noqa: F811
    client = signed_in("broker" if "brokerage" in path else "resident")
    path = path.format(bank=find_demo_bank(demo_session).id)
    _statements(demo_session, client, path)  # the first request warms caches
    before = _statements(demo_session, client, path)
    _more(demo_session)
    _statements(demo_session, client, path)  # writing dropped the viewer's access, read again once
    after = _statements(demo_session, client, path)
    assert len(after) == len(before), "\n".join(difflib.unified_diff(before, after, lineterm=""))
    assert len(before) <= cap, "\n".join(before)

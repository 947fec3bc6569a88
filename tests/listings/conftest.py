"""The world the listing tests share: a bank with two residents who can garden and fix bikes, a charity
that is a spend partner, their broker, and a second bank next door. Factories return callables."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.audit.models import AuditEvent
from timebank.banks.models import TimeBank
from timebank.listings import service
from timebank.listings.models import Listing, ListingKind
from timebank.members.models import Holder, Organisation, OrganisationType, Person
from timebank.profiles import service as profiles
from timebank.profiles.service import ProfileUpdate


@pytest.fixture
def aled(make_member, bank, db_session) -> Person:
    """Can garden and fix bikes, says so on his profile, and shows his area (HB3)."""
    person = make_member(bank, "Aled Pryce", postcode="HB3 2QT")[0]
    profiles.update_profile(db_session, person, person.id,
                            ProfileUpdate(abilities=("gardening", "bike-repair")))
    return person


@pytest.fixture
def bea(make_member, bank) -> Person:
    """A fellow member with no particular link to anyone's listings."""
    return make_member(bank, "Bea Okafor", postcode="HB1 4AA")[0]


@pytest.fixture
def carys(make_person) -> Person:
    """Acts for the leisure trust."""
    return make_person("Carys Admin")


@pytest.fixture
def leisure(make_organisation, bank, carys) -> Organisation:
    return make_organisation(bank, "Hollinbridge Leisure Trust", admins=(carys,),
                             organisation_type=OrganisationType.SOCIAL_ENTERPRISE)[0]


@pytest.fixture
def other_bank(make_bank) -> TimeBank:
    return make_bank(name="Other Vale Time Bank")


@pytest.fixture
def outsider(make_member, other_bank) -> Person:
    """A member of the other bank only."""
    return make_member(other_bank, "Owen Outsider")[0]


def offer(**changes: Any) -> service.ListingDetails:
    return service.ListingDetails(**{"title": "Help with your garden", "category": "gardening",
                                     "details": "Weeding, pruning, mowing.", **changes})


def request_for(day: dt.date, **changes: Any) -> service.ListingDetails:
    return service.ListingDetails(**{"title": "A lift to the hospital", "category": "lifts", "needed_on": day,
                                     "estimated_minutes": 120, "place": "Hollinbridge General", **changes})


def spend(**changes: Any) -> service.ListingDetails:
    return service.ListingDetails(**{"title": "A swim", "category": "leisure-pass", "price_minutes": 60,
                                     "details": "Any weekday before 4 pm.", **changes})


DETAILS = {ListingKind.OFFER: offer, ListingKind.SPEND: spend}


@pytest.fixture
def make_listing(db_session: Session, bank: TimeBank, today: dt.date) -> Callable[..., Listing]:
    """List something as its holder (an organisation's first admin), unless ``actor`` is given."""

    def make(holder: Holder, kind: ListingKind = ListingKind.OFFER, *, actor: Person | None = None,
             time_bank: TimeBank | None = None, **changes: Any) -> Listing:
        if actor is None:
            actor = holder.admins[0] if isinstance(holder, Organisation) else holder
        assert isinstance(actor, Person)
        if kind is ListingKind.REQUEST:
            details = request_for(changes.pop("needed_on", today + dt.timedelta(days=3)), **changes)
        else:
            details = DETAILS[kind](**changes)
        listing, created = service.create_listing(db_session, actor, holder_id=holder.id,
                                                  time_bank_id=(time_bank or bank).id, kind=kind, details=details)
        assert created
        return listing

    return make


@pytest.fixture
def audit_actions(db_session: Session) -> Callable[[Listing], list[tuple[str, dict[str, Any]]]]:
    def actions(listing: Listing) -> list[tuple[str, dict[str, Any]]]:
        return [(event.action, event.details) for event in db_session.scalars(
            sa.select(AuditEvent).where(AuditEvent.subject_type == "listing", AuditEvent.subject_id == listing.id)
            .order_by(AuditEvent.id))]

    return actions


def error_next_to(html: str, field_id: str) -> str:
    """The text of the error message tied to a field (``<p class="error-message" id="…-error">``)."""
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', html, re.S)
    assert match, f"no error message next to {field_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())

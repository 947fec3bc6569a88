"""Factories for contact details and organisations' details."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from tests.membership.conftest import audited  # noqa: F401 (a fixture shared with this directory)
from timebank.members.models import OrganisationType, Person
from timebank.members.service import ContactDetails, OrganisationDetails


@pytest.fixture
def contact_details() -> Callable[..., ContactDetails]:
    """The person's contact details as the form shows them now, with ``changes`` typed over them."""

    def fill(person: Person, **changes: Any) -> ContactDetails:
        current = ContactDetails(
            display_name=person.display_name, email=person.email, phone=person.phone, postcode=person.postcode,
            contact_by=person.contact_by, preferred_language=person.preferred_language,
        )
        return replace(current, **changes)

    return fill


@pytest.fixture
def organisation_details() -> Callable[..., OrganisationDetails]:
    """A registered charity's details, with ``changes``."""

    def fill(**changes: Any) -> OrganisationDetails:
        details = OrganisationDetails(
            display_name="Hollinbridge Community Garden", organisation_type=OrganisationType.CHARITY,
            charity_number="1234567", contact_email="hello@garden.example.org", phone="01632 960 321",
            postcode="HB3 1AA",
        )
        return replace(details, **changes)

    return fill


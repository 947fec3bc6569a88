"""Factories for staff: an install admin, and a funder (from the API tests)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.conftest import make_funder  # noqa: F401 (fixtures shared with this directory)
from tests.membership.conftest import audited  # noqa: F401
from timebank.members.models import Person


@pytest.fixture
def make_admin(make_person: Callable[..., Person]) -> Callable[..., Person]:
    def make(name: str = "Install Admin") -> Person:
        return make_person(name, is_admin=True)

    return make

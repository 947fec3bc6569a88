"""Signing in, sessions and passwords use the joining factories too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.membership.conftest import (  # noqa: F401 (fixtures shared with this directory)
    audited,
    hear_from_referees,
    make_application,
    make_joined,
    sign_up_form,
)
from timebank.auth import service as auth

LIFETIMES = auth.LinkLifetimes(set_up=dt.timedelta(days=7), reset=dt.timedelta(hours=24))
SESSION_COOKIE = "session"


def copy_cookies(source: FlaskClient, target: FlaskClient) -> None:
    """Put every cookie of one browser into another, as someone who copied them would."""
    for name in (SESSION_COOKIE, "remember_token"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def signed_in(client: FlaskClient) -> bool:
    """Whether this browser gets the home page rather than being sent to sign in."""
    response = client.get("/")
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


@pytest.fixture
def copy_of(app) -> Callable[[FlaskClient], FlaskClient]:
    """A second browser holding a copy of this browser's cookies."""

    def copy(source: FlaskClient) -> FlaskClient:
        target = app.test_client()
        copy_cookies(source, target)
        return target

    return copy

"""Signing in, sessions, passwords and rate limits.

Signing in and passwords use the joining factories too. The rate limits need an app that has them: the
suite's own app has none (it signs in thousands of times from one address). ``limited_app`` makes an app
that has them, with the settings a test chooses, on memory storage and on real Redis; on Redis every key it
writes carries a prefix unique to the test, and those keys (and only those) are deleted afterwards, so
runs sharing one Redis never meet. Like PostgreSQL, the Redis variant is skipped when
``TIMEBANK_TEST_REDIS_URL`` is unset or unreachable, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import Backend, make_app
from tests.membership.conftest import (  # noqa: F401 (fixtures shared with this directory)
    audited,
    hear_from_referees,
    make_application,
    make_joined,
    sign_up_form,
)
from tests.support import service_url
from timebank.auth import service as auth
from timebank.auth.limits import EXTENSION

LIFETIMES = auth.LinkLifetimes(set_up=dt.timedelta(days=7), reset=dt.timedelta(hours=24))
SESSION_COOKIE = "session"
REDIS_URL_VAR = "TIMEBANK_TEST_REDIS_URL"


# --- sessions ----------------------------------------------------------------------------------------


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


# --- rate limits -------------------------------------------------------------------------------------


def redis_url() -> str:
    return service_url(REDIS_URL_VAR, "Redis", lambda url: redis.Redis.from_url(url).ping(),
                       redis.exceptions.RedisError)


@pytest.fixture(params=["memory", "redis"])
def limit_storage(request: pytest.FixtureRequest) -> str:
    return "memory://" if request.param == "memory" else redis_url()


#: Short pauses, so a test can wait one out: 1 second, then 2 at most.
QUICK_BACKOFF = {"SIGN_IN_BACKOFF_AFTER": 5, "SIGN_IN_BACKOFF_FIRST_SECONDS": 1, "SIGN_IN_BACKOFF_MAX_SECONDS": 2}


@pytest.fixture
def limited_app(app: Flask, backend: Backend, limit_storage: str,
                db_session: Session) -> Iterator[Callable[..., Flask]]:
    """``limited_app(**settings)``: an app with rate limits on, on this test's storage. It shares the
    test's database transaction (``db_session``), like the suite's own app."""
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        application = make_app(backend, **{
            "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": limit_storage,
            "RATELIMIT_STORAGE_OPTIONS": {"wrap_exceptions": True, "key_prefix": f"timebank-test-{uuid.uuid4().hex}"},
            **QUICK_BACKOFF, **settings,
        })
        made.append(application)
        return application

    yield make
    for application in made:
        application.extensions[EXTENSION].storage.reset()  # on Redis: this app's prefix only

"""``/healthz`` answers while the process runs, whatever else is down; ``/readyz`` only while the database
and every configured Redis answer, and otherwise names what failed."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from flask import Flask

from tests.conftest import Backend, make_app
from tests.support import service_url

#: A Redis nobody listens on: port 1 is never a Redis.
NO_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def no_database(tmp_path: Path) -> Backend:
    """A database that cannot be opened: a SQLite file in a folder that does not exist."""
    return Backend("sqlite", f"sqlite:///{tmp_path / 'missing' / 'timebank.sqlite'}", {})


def _redis_url() -> str:
    return service_url("TIMEBANK_TEST_REDIS_URL", "Redis", lambda url: redis.Redis.from_url(url).ping(),
                       redis.exceptions.RedisError)


def test_healthz_and_readyz_answer_when_all_is_well(app: Flask) -> None:
    client = app.test_client()
    for path, status in (("/healthz", "ok"), ("/readyz", "ready")):
        response = client.get(path)
        assert response.status_code == 200 and response.get_json() == {"status": status}
        assert response.headers["Cache-Control"] == "no-store"


def test_readyz_reaches_a_configured_redis(backend: Backend) -> None:
    application = make_app(backend, RATELIMIT_STORAGE_URI=_redis_url())
    assert application.test_client().get("/readyz").status_code == 200


def test_without_a_database_the_process_is_healthy_but_not_ready(no_database: Backend) -> None:
    client = make_app(no_database).test_client()
    with client.session_transaction() as session:  # a signed-in browser: still nothing loads the person
        session["_user_id"] = "1:1"
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz", headers={"X-Request-ID": "lb-check-000042"})
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    assert response.get_json()["unreachable"] == ["database"]
    assert response.get_json()["request_id"] == "lb-check-000042"


def test_readyz_names_each_redis_it_cannot_reach(backend: Backend) -> None:
    application = make_app(backend, RATELIMIT_STORAGE_URI=NO_REDIS,
                           READINESS_REDIS_SETTINGS={"RATELIMIT_STORAGE_URI": "rate limit storage",
                                                     "QUEUE_URL": "task queue", "UNSET_URL": "nothing"},
                           QUEUE_URL=NO_REDIS)
    response = application.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["unreachable"] == ["rate limit storage", "task queue"]
    assert "rate limit storage, task queue" in response.get_json()["detail"]

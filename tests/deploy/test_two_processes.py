"""Web processes are stateless: two gunicorn servers on one PostgreSQL database (a copy of the demo bank)
and one Redis serve as one. A session made on one is honoured by the other, a rate limit counted on one is
enforced by the other, and an idempotency key used on one returns the same exchange on the other."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from tests.conftest import DemoTemplate, new_database
from tests.deploy.processes import Answer, Server, gunicorn, production_environment
from timebank.clock import uk_today
from timebank.demo.data import DEMO_PASSWORD

SIGNING_IN = "resident@example.org"
LIMITED = "resident2@example.org"
#: The per-account limit on signing in, while the test runs.
SIGN_IN_LIMIT = 3


@pytest.fixture
def two_servers(demo_template: DemoTemplate, redis_prefix: tuple[str, str], tmp_path: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server, str]]:
    """Servers A and B on a copy of the demo bank, and the database's URL."""
    redis_url, prefix = redis_prefix
    with new_database("postgresql", tmp_path_factory, copy_of=demo_template.database) as database:
        environment = production_environment(
            DATABASE_URL=database.url, RATELIMIT_STORAGE_URL=redis_url, RATELIMIT_KEY_PREFIX=prefix,
            QUEUE_URL=redis_url, QUEUE_NAMESPACE=prefix,
            RATELIMIT_SIGN_IN_PER_ACCOUNT=f"{SIGN_IN_LIMIT} per hour", WEB_WORKERS="1", WEB_THREADS="2")
        # B loads the app before it forks, as someone may choose (gunicorn --preload): the same must hold.
        preloaded = {**environment, "GUNICORN_CMD_ARGS": "--preload"}
        with gunicorn(environment, tmp_path / "a.log") as a, gunicorn(preloaded, tmp_path / "b.log") as b:
            yield a, b, database.url


def _form(server: Server, path: str, fields: dict[str, str], cookie: str) -> Answer:
    return server.call("POST", path, urlencode(fields).encode(),
                       {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"session={cookie}"})


def _json(server: Server, path: str, body: dict[str, object], token: str | None = None) -> Answer:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return server.call("POST", path, json.dumps(body).encode(), headers)


def _sign_in_on(server: Server, email: str) -> str:
    """Sign in with the page, as a browser does; the session cookie it ends with."""
    page = server.call("GET", "/sign-in")
    cookie = page.cookie("session")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.body)
    assert cookie and token, page.body[:500]
    answer = _form(server, "/sign-in", {"csrf_token": token[1].decode(), "email": email,
                                        "password": DEMO_PASSWORD}, cookie)
    assert answer.status == 302, answer.body[:500]
    signed_in = answer.cookie("session")
    assert signed_in
    return signed_in


@pytest.mark.parametrize("migrated_database", ["postgresql"], indirect=True)
def test_two_servers_share_sessions_rate_limits_and_idempotency_keys(
        two_servers: tuple[Server, Server, str]) -> None:
    a, b, database_url = two_servers

    # A session made on A is honoured by B.
    cookie = _sign_in_on(a, SIGNING_IN)
    assert b.call("GET", "/").status == 302  # no session: sent to sign in
    assert b.call("GET", "/", headers={"Cookie": f"session={cookie}"}).status == 200

    # Sign-in attempts counted on A are enforced on B.
    wrong = {"email": LIMITED, "password": "not the password", "scope": "read"}
    assert [_json(a, "/api/v1/tokens", wrong).status for _ in range(SIGN_IN_LIMIT)] == [401] * SIGN_IN_LIMIT
    refused = _json(b, "/api/v1/tokens", wrong)
    assert refused.status == 429 and refused.headers["Retry-After"]

    # An exchange recorded on A with an idempotency key is the one B answers with for the same key.
    made = _json(a, "/api/v1/tokens", {"email": SIGNING_IN, "password": DEMO_PASSWORD, "scope": "write"})
    assert made.status == 201, made.body
    token = json.loads(made.body)["token"]
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        account_id, bank_id = connection.execute(sa.text(
            "SELECT a.id, a.time_bank_id FROM accounts a JOIN people p ON p.id = a.holder_id "
            "WHERE p.email = :email"), {"email": SIGNING_IN}).one()
        counterpart_id = connection.scalar(sa.text(
            "SELECT a.id FROM accounts a JOIN people p ON p.id = a.holder_id "
            "WHERE p.email = :email AND a.time_bank_id = :bank"), {"email": LIMITED, "bank": bank_id})
        category = connection.scalar(sa.text(
            "SELECT c.code FROM exchanges e JOIN categories c ON c.id = e.category_id "
            "WHERE e.time_bank_id = :bank ORDER BY e.id LIMIT 1"), {"bank": bank_id})
    engine.dispose()
    proposal = {"account_id": account_id, "side": "giver", "counterpart_account_id": counterpart_id,
                "minutes": 90, "occurred_on": uk_today().isoformat(), "category": category,
                "description": "Two servers, one exchange", "idempotency_key": uuid.uuid4().hex}
    first = _json(a, "/api/v1/exchanges", proposal, token)
    assert first.status == 201, first.body
    replay = _json(b, "/api/v1/exchanges", proposal, token)
    assert replay.status == 200, replay.body
    assert json.loads(replay.body)["id"] == json.loads(first.body)["id"]

    # Each server logged each request as a JSON line carrying the request's id, sent back in a header.
    answer = a.call("GET", "/healthz", headers={"X-Request-ID": "deploy-test-0001"})
    assert answer.headers["X-Request-ID"] == "deploy-test-0001"
    records = [json.loads(line) for line in a.log_text().splitlines() if line.startswith("{")]
    assert {"logger": "timebank.access", "path": "/healthz", "request_id": "deploy-test-0001"}.items() <= next(
        record for record in records if record.get("request_id") == "deploy-test-0001").items()

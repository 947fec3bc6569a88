"""The API fuzzed against its own OpenAPI document, as each demo role (schemathesis, in-process).

For every operation the served document lists, and for each role (no token, a resident, the charity's and
the council's organisation admins, the broker, the funder, the install's admin), generated requests must
get no 5xx, and each answer must be one the document describes: a documented status code, its content type
and body schema; a request the document forbids refused with a 4xx; a route that needs a token refusing a
request without one. All of schemathesis' default checks run but ``positive_data_acceptance``: a request
that fits the document is often refused here on purpose (an id that is not there is a 404, a broken rule a
409 or 422).

Two passes, on SQLite and PostgreSQL:

* ``test_every_operation_as_each_role``: schemathesis' fuzzing phase, random requests, up to
  ``TIMEBANK_FUZZ_EXAMPLES`` valid ones and as many invalid ones per operation and role.
* ``test_every_field_boundary``: its coverage phase, which walks each field's limits, missing and
  wrong-typed values and the methods a path does not take. It sends about fifty requests per operation, so
  by default it runs as the admin only, whom every access check lets in: every input reaches the request
  schemas. ``TIMEBANK_FUZZ_COVERAGE_ROLES`` names other roles (comma-separated) or ``all``.

The demo bank (loaded once per run and database kind: ``demo_template``) is copied into a database of the
module's own. Each request then runs in a transaction of its own that is rolled back after it (a short one,
as in real use: one long transaction holding thousands of savepoints makes PostgreSQL crawl), so every
request meets the same bank (a resident who leaves in one request is back for the next), failures shrink
and replay cleanly, and nothing leaks into other tests. After every write that succeeds, ``ledger verify`` must still
pass. Generation is derandomised with a fixed seed and no example database, so every run sends the same
requests.

A longer pass, locally (``TIMEBANK_FUZZ_SEED`` picks other requests; README, "The API fuzz pass")::

    TIMEBANK_FUZZ_EXAMPLES=40 TIMEBANK_FUZZ_COVERAGE_ROLES=all TIMEBANK_FUZZ_SEED=7 \\
        .venv/bin/pytest -p no:cacheprovider tests/api/test_fuzz.py
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest
import schemathesis
import sqlalchemy as sa
from flask import Flask
from schemathesis import Case

import config
from tests.conftest import DemoTemplate
from tests.support import app_sessions_on, assert_books_verify, examples
from timebank import create_app
from timebank.db import db
from timebank.demo import data
from timebank.demo import service as demo

ANONYMOUS = "anonymous"
#: The demo's logins (``timebank.demo.service.LOGINS``) the pass runs as, besides no token at all.
SIGNED_IN = ("resident", "charity", "council", "broker", "funder", "admin")
ROLES = (ANONYMOUS, *SIGNED_IN)

#: Fuzzing-phase requests per operation and role, for valid and for invalid input each: by default the
#: Hypothesis profile's share (8 under ``ci``, which keeps the whole module, both databases, under four minutes
#: on a 2-core machine; 4 under ``dev``).
EXAMPLES = int(os.environ.get("TIMEBANK_FUZZ_EXAMPLES") or examples(0.08))
SEED = int(os.environ.get("TIMEBANK_FUZZ_SEED", "2026"))
_coverage_roles = os.environ.get("TIMEBANK_FUZZ_COVERAGE_ROLES", "admin")
COVERAGE_ROLES = ROLES if _coverage_roles == "all" else tuple(_coverage_roles.split(","))
if unknown := set(COVERAGE_ROLES) - set(ROLES):
    raise pytest.UsageError(f"TIMEBANK_FUZZ_COVERAGE_ROLES: no role {', '.join(sorted(unknown))}; "
                            f"choose from {', '.join(ROLES)}, or all")

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _schema(*phases: str) -> schemathesis.BaseSchema:
    """The document as the app serves it, set to run these schemathesis phases.

    The document is the same whichever database is behind the app, so it is read once, at collection, from
    an app that never touches its database; each request is sent to the app under test explicitly."""
    settings = schemathesis.Config.from_dict({
        "seed": SEED,
        # Each role's token is sent as it is: schemathesis is not to make up or strip Authorization headers.
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none",
                       "with-security-parameters": False},
        "phases": {name: {"enabled": name in phases} for name in ("examples", "coverage", "fuzzing", "stateful")},
        "checks": {"positive_data_acceptance": {"enabled": False}},
        # Hypothesis' health checks time data generation; on a loaded CI machine that is noise, not a finding.
        "suppress-health-check": ["all"],
    })
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app(config.TestingConfig()),
                                          config=settings)


#: The document has no examples today; when it has, they are sent too.
FUZZING = _schema("examples", "fuzzing")
COVERAGE = _schema("coverage")


@dataclass
class DemoBank:
    """The demo bank on one database, and a bearer token for each signed-in role."""

    app: Flask
    connection: sa.Connection
    tokens: dict[str, str]

    def send(self, case: Case, role: str) -> None:
        """Send ``case`` as ``role`` and check the answer against the document; undo whatever it wrote."""
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}
        # A fresh app context per request, so its session (which belongs to the context) ends with it.
        with self.app.app_context():
            transaction = self.connection.begin()
            try:
                response = case.call_and_validate(app=self.app, headers=headers)
                if response.status_code < 300 and case.method.upper() not in SAFE_METHODS:
                    assert_books_verify(db.session())
            finally:
                db.session.remove()
                transaction.rollback()


def _token(app: Flask, email: str) -> str:
    response = app.test_client().post("/api/v1/tokens", json={"email": email, "password": data.DEMO_PASSWORD})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["token"]


@pytest.fixture(scope="module")
def demo_bank(demo_template: DemoTemplate,
              app_on_own_database: Callable[..., AbstractContextManager[Flask]]) -> Iterator[DemoBank]:
    emails = {login.role: login.email for login in demo.LOGINS}
    with app_on_own_database(copy_of=demo_template.database) as app, app.app_context():
        tokens = {role: _token(app, emails[role]) for role in SIGNED_IN}
        db.session.remove()
        with db.engine.connect() as connection, app_sessions_on(connection):
            yield DemoBank(app, connection, tokens)


@pytest.fixture(params=ROLES)
def role(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=COVERAGE_ROLES)
def coverage_role(request: pytest.FixtureRequest) -> str:
    return request.param


@FUZZING.parametrize()
def test_every_operation_as_each_role(case: Case, demo_bank: DemoBank, role: str) -> None:
    demo_bank.send(case, role)


@COVERAGE.parametrize()
def test_every_field_boundary(case: Case, demo_bank: DemoBank, coverage_role: str) -> None:
    demo_bank.send(case, coverage_role)

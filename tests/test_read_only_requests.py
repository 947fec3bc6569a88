"""On PostgreSQL a request that cannot write reads without a transaction (``timebank.db.configure_engine``):
no BEGIN and no ROLLBACK around its queries. Anything that may write runs in one, as before."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import Backend
from timebank.db import db


@pytest.fixture
def own_app(migrated_database: Backend,
            app_on_own_database: Callable[..., AbstractContextManager[Flask]]) -> Iterator[Flask]:
    if migrated_database.name != "postgresql":
        pytest.skip("SQLite begins every transaction itself (BEGIN or BEGIN IMMEDIATE)")
    with app_on_own_database() as application:
        yield application


def _in_transaction_for(application: Flask, method: str) -> bool:
    with application.test_request_context("/", method=method), db.engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
        dbapi_connection = connection.connection.dbapi_connection
        return not dbapi_connection.autocommit


def test_a_read_runs_without_a_transaction(own_app: Flask) -> None:
    assert not _in_transaction_for(own_app, "GET")
    assert not _in_transaction_for(own_app, "HEAD")


def test_a_write_and_work_outside_requests_run_in_one(own_app: Flask) -> None:
    assert _in_transaction_for(own_app, "POST")
    with own_app.app_context(), db.engine.connect() as connection:
        assert not connection.connection.dbapi_connection.autocommit


def test_pages_and_the_api_answer_reads(own_app: Flask) -> None:
    client = own_app.test_client()
    assert client.get("/sign-in").status_code == 200
    # Looking the token up reads the database.
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"}).status_code == 401

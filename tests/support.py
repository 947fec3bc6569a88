"""Helpers the fixtures and tests share: the app's session on a test's connection, the books' check, how
many examples a property test runs, and how many SQL statements something sends."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_sqlalchemy.session import _app_ctx_id
from hypothesis import settings
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from timebank.db import db
from timebank.ledger import checks


@contextmanager
def app_sessions_on(connection: sa.Connection) -> Iterator[None]:
    """Point the app's session at ``connection``: it joins the transaction open there through savepoints, so
    views may commit, and whatever they commit goes when that transaction is rolled back."""
    original = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=_app_ctx_id
    )
    try:
        yield
    finally:
        db.session.remove()
        db.session = original


@contextmanager
def statements_sent(target: sa.Engine | sa.Connection) -> Iterator[list[str]]:
    """The SQL statements sent on ``target`` while the block runs, one string each, in order: on a
    connection (the test's, which the app's session joins) or on every connection of an engine.
    Everything sent through a cursor counts, savepoints and their release included (a test's commit is
    one); a real ``COMMIT`` is the driver's and is not seen."""
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    sa.event.listen(target, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        sa.event.remove(target, "before_cursor_execute", note)


def assert_books_verify(session: Session) -> None:
    session.flush()
    problems = checks.verify(session)
    assert not problems, "ledger verify failed:\n" + "\n".join(map(str, problems))


def examples(share: float) -> int:
    """How many examples a property test runs: ``share`` of the Hypothesis profile's ``max_examples``
    (``HYPOTHESIS_PROFILE``, registered in ``tests/conftest.py``). A test whose every example costs a lot
    (a savepoint, a bank, an import) takes a smaller share; under the ``ci`` profile the shares give the
    counts each test was written with."""
    return max(1, round(settings().max_examples * share))


def service_url(variable: str, service: str, reach: Callable[[str], object],
                unreachable: type[Exception] | tuple[type[Exception], ...]) -> str:
    """The URL of a service the tests use (PostgreSQL, Redis) from ``variable``, once ``reach(url)`` has
    reached it. Without it the tests that need it skip; in CI (``CI=true``) they fail instead."""
    url = os.environ.get(variable)
    in_ci = os.environ.get("CI", "").lower() == "true"
    if not url:
        if in_ci:
            pytest.fail(f"{variable} is not set; CI must test on {service}", pytrace=False)
        pytest.skip(f"{service} tests skipped: set {variable} to run them")
    try:
        reach(url)
    except unreachable as error:
        if in_ci:
            pytest.fail(f"{service} at {variable} is not reachable: {error}", pytrace=False)
        pytest.skip(f"{service} tests skipped: {variable} is not reachable")
    return url


def picker_options(page: str, name: str) -> dict[int, bool]:
    """A member picker's radio buttons on a page (``macros/forms.html``, ``picker``): value → whether checked."""
    found = re.findall(rf'<input type="radio" id="[^"]+" name="{re.escape(name)}" value="(\d+)"\s*(checked)?>', page)
    return {int(value): bool(checked) for value, checked in found}


def first_submit(page: str) -> str:
    """The opening tag of the first submit button of the page's last form with a "Find" button (or its only
    POST form): the one Enter presses in any of its boxes."""
    forms = re.findall(r'<form method="post".*?</form>', page, re.S)
    form = next((f for f in reversed(forms) if 'name="find"' in f), forms[-1])
    found = re.search(r'<button type="submit"[^>]*>', form)
    return found[0] if found else ""


def date_boxes(page: str, name: str) -> dict[str, tuple[str, bool]]:
    """The Day, Month and Year boxes of the date field ``name`` on a page: each one's value and whether it is
    marked as having the error, whatever order the attributes come in."""
    found = {}
    for part in ("day", "month", "year"):
        tag = re.search(rf'<input[^>]*\bname="{name}-{part}"[^>]*>', page)
        assert tag is not None, f"{name}-{part}"
        value = re.search(r'\bvalue="([^"]*)"', tag[0])
        found[part] = (value[1] if value else "", 'aria-invalid="true"' in tag[0])
    return found

"""Every route × every role, as ``docs/permissions.md`` says: one test walks the table, another fails if
any route has no row (or a row names a route that does not exist).

Each request is made with nothing useful in it (an empty form, ``{}``): access is decided before input
is read, so a role that is let in gets a 2xx, 3xx, 409 or 422, never a 401, 403 or 404, and never a 500.

The walk also checks two things every response must get right whoever asks: it carries the security
headers, and a GET that writes is marked as writing (``timebank.db.writes``), so that on SQLite it
begins ``IMMEDIATE`` instead of failing when another request writes at the same time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, has_request_context, request
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from tests.permissions.world import PASSWORD, ROLES, World, build
from tests.security_headers import missing_security_headers
from timebank.db import db, request_writes

TABLE = Path(__file__).parents[2] / "docs" / "permissions.md"
OUTCOMES = {"allowed", "sign in", "forbidden", "not found"}
#: Routes whose ``person_id`` must be someone who acts for the organisation for the check to mean much.
PERSON_OVERRIDES = {"/organisations/<organisation_id>/admins/<person_id>/remove",
                    "/api/v1/organisations/<organisation_id>/admins/<person_id>"}
_ROW = re.compile(r"^\|\s*`(GET|POST|PUT|PATCH|DELETE) ([^`]+)`\s*\|(.+)\|\s*$")
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _table() -> dict[tuple[str, str], dict[str, str]]:
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match is None:
            continue
        cells = [cell.strip() for cell in match[3].split("|")]
        assert len(cells) == len(ROLES), f"{line!r} needs one cell per role: {', '.join(ROLES)}"
        assert set(cells) <= OUTCOMES, f"{line!r}: cells must be one of {sorted(OUTCOMES)}"
        key = (match[1], match[2])
        assert key not in rows, f"{key} has two rows"
        rows[key] = dict(zip(ROLES, cells, strict=True))
    return rows


ROWS = _table()


def _plain(rule: str) -> str:
    """``/exchanges/<int(min=1):exchange_id>`` → ``/exchanges/<exchange_id>``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"<\1>", rule)


def test_every_route_has_a_row_and_every_row_a_route(app: Flask) -> None:
    routes = {
        (method, _plain(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(routes - ROWS.keys()) == [], "routes with no row in docs/permissions.md"
    assert sorted(ROWS.keys() - routes) == [], "rows in docs/permissions.md for routes that do not exist"


def _url(path: str, world: World) -> str:
    ids = dict(world.ids)
    if path in PERSON_OVERRIDES:
        ids["person_id"] = ids["organisation_admin_id"]
    return re.sub(r"<([^<>]+)>", lambda m: str(ids[m[1]]), path)


def _outcome(response: TestResponse, api: bool) -> str:
    status = response.status_code
    assert status < 500, response.get_data(as_text=True)[:2000]
    location = response.headers.get("Location", "")
    if status == 401 or (not api and status == 302 and "/sign-in?next=" in location):
        return "sign in"
    return {403: "forbidden", 404: "not found"}.get(status, "allowed")


@pytest.mark.parametrize(("method", "path"), sorted(ROWS), ids=[f"{m} {p}" for m, p in sorted(ROWS)])
def test_each_role_gets_what_the_table_says(app: Flask, db_session: Session, method: str, path: str) -> None:
    world = build(db_session)
    api = path.startswith("/api/")
    body = world.bodies().get((method, path), {})
    query = world.query().get((method, path), {})
    connection = db_session.get_bind()
    got: dict[str, str] = {}
    unmarked_writes: set[str] = set()

    @sa.event.listens_for(connection, "before_cursor_execute")
    def _note_unmarked_write(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if has_request_context() and not request_writes() and _WRITE.match(statement):
            unmarked_writes.add(f"{request.method} {request.endpoint}: {statement.split('(')[0]}")

    try:
        for role in ROLES:
            # Each role meets the world as it was built: what an earlier role did is undone.
            savepoint = connection.begin_nested()
            try:
                client = app.test_client()
                headers = {}
                if api and world.tokens[role]:
                    headers["Authorization"] = f"Bearer {world.tokens[role]}"
                elif not api and world.emails[role] is not None:
                    signed_in = client.post("/sign-in", data={"email": world.emails[role], "password": PASSWORD})
                    assert signed_in.status_code == 302, role
                sent = {"json": body} if api and method != "GET" else {"data": {}} if method != "GET" else {}
                response = client.open(_url(path, world), method=method, headers=headers, query_string=query, **sent)
                got[role] = _outcome(response, api)
                assert missing_security_headers(response) == [], role
            finally:
                db.session.remove()
                savepoint.rollback()
    finally:
        sa.event.remove(connection, "before_cursor_execute", _note_unmarked_write)
    assert got == ROWS[(method, path)]
    assert sorted(unmarked_writes) == [], "a GET that writes needs @writes (timebank.db)"

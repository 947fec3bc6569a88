"""Every route × every role, as ``docs/permissions.md`` says: one test walks the table, another fails if
any route has no row (or a row names a route that does not exist).

Pages get an empty form and the API a valid body (``World.bodies``), so a role that is let in gets a 2xx,
3xx, 409 or 422, never a 401, 403 or 404, and never a 500. A second walk sends what cannot be read (an
API body with a field no route takes, every query parameter the document lists set to nonsense): access
is decided before input is read, so a role the table refuses is still refused, never told a 400 or 422.
Every status an API route gives in either walk must be one its OpenAPI operation documents.

The walks also check four things every response must get right whoever asks: it carries the security
headers, a page holds nothing inline that the policy blocks, no page gives one id to two elements (a label
would name another box), and a GET that writes is marked as writing (``timebank.db.writes``), so that on
SQLite it begins ``IMMEDIATE`` instead of failing when another request writes at the same time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, has_request_context, request
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from tests.permissions.world import PASSWORD, ROLES, World
from tests.security_headers import duplicate_ids, inline_content, missing_security_headers
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


def _operation(app: Flask, method: str, path: str) -> dict[str, Any]:
    """The route's operation in the served OpenAPI document (empty for pages and the document itself)."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    return document["paths"].get(re.sub(r"<([^<>]+)>", r"{\1}", path), {}).get(method.lower(), {})


def _answers(app: Flask, db_session: Session, world: World, method: str, path: str, roles: tuple[str, ...], *,
             body: Any, form: Mapping[str, str], query: Mapping[str, str]) -> dict[str, str]:
    """What each role gets from one request, as the table's outcomes."""
    api = path.startswith("/api/")
    operation = _operation(app, method, path)
    documented = {int(status) for status in operation.get("responses", {}) if status != "default"}
    connection = db_session.get_bind()
    got: dict[str, str] = {}
    unmarked_writes: set[str] = set()

    @sa.event.listens_for(connection, "before_cursor_execute")
    def _note_unmarked_write(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if has_request_context() and not request_writes() and _WRITE.match(statement):
            unmarked_writes.add(f"{request.method} {request.endpoint}: {statement.split('(')[0]}")

    try:
        for role in roles:
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
                sent = {"json": body} if api and method != "GET" else {"data": form} if method != "GET" else {}
                response = client.open(_url(path, world), method=method, headers=headers, query_string=query,
                                       **sent)
                got[role] = _outcome(response, api)
                assert missing_security_headers(response) == [], role
                assert inline_content(response) == [], role
                assert duplicate_ids(response) == [], role
                if operation:
                    assert response.status_code in documented, (role, response.status_code, "not in the document")
            finally:
                db.session.remove()
                savepoint.rollback()
    finally:
        sa.event.remove(connection, "before_cursor_execute", _note_unmarked_write)
    assert sorted(unmarked_writes) == [], "a GET that writes needs @writes (timebank.db)"
    return got


@pytest.mark.parametrize(("method", "path"), sorted(ROWS), ids=[f"{m} {p}" for m, p in sorted(ROWS)])
def test_each_role_gets_what_the_table_says(app: Flask, db_session: Session, world: World, method: str,
                                            path: str) -> None:
    got = _answers(app, db_session, world, method, path, ROLES, body=world.bodies().get((method, path), {}),
                   form={}, query=world.query().get((method, path), {}))
    assert got == ROWS[(method, path)]


#: Routes where the table's refusal of a role comes from the ids the valid body names, not from the
#: route: a resident may record an exchange or list a request for themselves, just not for the
#: organisation ``World.bodies`` names. With no ids they are let in and told what is missing; every
#: role that cannot use the route at all is still refused before the body is read.
REFUSED_BY_THE_IDS_SENT = {
    ("POST", "/api/v1/exchanges"): {"resident"},
    ("POST", "/api/v1/listings"): {"resident"},
}
#: Unreadable input: a body with a field no route takes, and a value no query parameter accepts (too
#: long for any text, not a number, a date, a choice or a yes/no).
NONSENSE_BODY = {"not_a_field": True}
NONSENSE = "not-valid-" * 40
#: Each route with the roles the table refuses, but for those ``REFUSED_BY_THE_IDS_SENT`` lets in.
REFUSED = {
    route: refused for route, cells in sorted(ROWS.items())
    if (refused := tuple(role for role in ROLES
                         if cells[role] != "allowed" and role not in REFUSED_BY_THE_IDS_SENT.get(route, set())))
}


@pytest.mark.parametrize(("method", "path"), sorted(REFUSED), ids=[f"{m} {p}" for m, p in sorted(REFUSED)])
def test_access_is_decided_before_input_is_read(app: Flask, db_session: Session, world: World, method: str,
                                                path: str) -> None:
    refused = REFUSED[(method, path)]
    parameters = _operation(app, method, path).get("parameters", [])
    query = {"not_a_parameter": "1", **{p["name"]: NONSENSE for p in parameters if p["in"] == "query"}}
    got = _answers(app, db_session, world, method, path, refused, body=NONSENSE_BODY,
                   form={"not_a_field": NONSENSE}, query=query)
    assert got == {role: ROWS[(method, path)][role] for role in refused}

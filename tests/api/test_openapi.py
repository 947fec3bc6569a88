"""The OpenAPI document: served, valid, and complete."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from openapi_spec_validator import validate

from tests.permissions.world import build
from timebank.api.core import domain_error_classes
from timebank.db import db
from timebank.types import MAX_ID

#: The routes anyone may use without a token: taking one, choosing a bank and signing up.
PUBLIC = {("/api/v1/tokens", "post"), ("/api/v1/banks", "get"), ("/api/v1/signups", "post")}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_the_document_is_served_and_valid(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    validate(document)
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "POST /api/v1/tokens" in scheme["description"] and "insufficient-scope" in scheme["description"]


def test_every_api_route_is_documented(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    routes = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api-docs.openapi_json"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }

    assert routes, "no API routes registered"
    assert {(path, method) for path in paths for method in paths[path] if method != "parameters"} == routes


def test_every_error_code_is_listed_with_its_status_and_title(client):
    """A client can know every code it may meet: each domain error's, each HTTP error's."""
    components = client.get("/api/v1/openapi.json").get_json()["components"]
    table = {row["code"]: row for row in components["x-error-codes"]}
    enum = components["schemas"]["Problem"]["properties"]["code"]["enum"]

    assert sorted(table) == enum
    for cls in domain_error_classes():
        assert table[cls.code]["status"] == cls.status, cls
        assert table[cls.code]["title"]
    assert table["not-saved"]["status"] == 409 and "description" in table["not-saved"]
    assert {"unprocessable-entity", "unauthorized", "internal-server-error", "too-many-requests"} <= set(table)


def test_errors_are_documented_as_problem_json_and_routes_need_a_token(client):
    document = client.get("/api/v1/openapi.json").get_json()
    problem = document["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]
    assert list(problem) == ["application/problem+json"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            needs_token = (path, method) not in PUBLIC
            assert ("security" in operation) is needs_token, (path, method)
            if needs_token:
                assert operation["responses"]["401"] == {"$ref": "#/components/responses/UNAUTHORIZED"}


# --- limits: the document states what the API enforces ---------------------------------------------------

#: Strings that need no ``maxLength``: a choice (``enum``) has its own values, and a date (``format: date``)
#: its own fixed form (YYYY-MM-DD); the range of dates each field accepts is in its description (see
#: docs/dates.md).
def _needs_no_max_length(schema: dict[str, Any]) -> bool:
    return "enum" in schema or schema.get("format") == "date"


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _limits_missing(document: dict[str, Any], schema: dict[str, Any], where: str) -> Iterator[str]:
    """Every string without ``maxLength``, integer without ``minimum`` and ``maximum``, and array without
    ``maxItems`` in a request schema, through nested objects and list items."""
    schema = _resolve(document, schema)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        for name, inner in schema.get("properties", {}).items():
            yield from _limits_missing(document, inner, f"{where}.{name}")
    elif kind == "array":
        if "maxItems" not in schema:
            yield f"{where}: an array without maxItems"
        yield from _limits_missing(document, schema.get("items", {}), f"{where}[]")
    elif kind == "string" and "maxLength" not in schema and not _needs_no_max_length(schema):
        yield f"{where}: a string without maxLength"
    elif kind == "integer" and not {"minimum", "maximum"} <= schema.keys():
        yield f"{where}: an integer without minimum and maximum"


def _inputs(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            for parameter in [*operations.get("parameters", []), *operation.get("parameters", [])]:
                yield f"{method.upper()} {path} {parameter['in']} {parameter['name']}", parameter["schema"]
            for content in operation.get("requestBody", {}).get("content", {}).values():
                yield f"{method.upper()} {path} body", content["schema"]


def test_every_request_string_integer_and_list_has_its_limits(client):
    document = client.get("/api/v1/openapi.json").get_json()

    missing = [problem for where, schema in _inputs(document) for problem in _limits_missing(document, schema, where)]

    assert missing == []


def test_every_id_in_a_path_is_a_whole_number_up_to_the_largest_id(client):
    document = client.get("/api/v1/openapi.json").get_json()

    ids = {where: schema for where, schema in _inputs(document) if " path " in where}

    assert ids and all(schema == {"type": "integer", "minimum": 1, "maximum": MAX_ID} for schema in ids.values()), ids


def _over(schema: dict[str, Any], value: Any) -> Iterator[tuple[str, Any]]:
    """Values just past each documented limit of one property: (which limit, value)."""
    if "maxLength" in schema:
        yield "maxLength", "x" * (schema["maxLength"] + 1)
    if "minLength" in schema and schema["minLength"] > 0:
        yield "minLength", "x" * (schema["minLength"] - 1)
    if "maximum" in schema:
        yield "maximum", schema["maximum"] + 1
    if "minimum" in schema:
        yield "minimum", schema["minimum"] - 1
    if "maxItems" in schema and isinstance(value, list) and value:
        yield "maxItems", [value[0]] * (schema["maxItems"] + 1)


#: The writes an administrator is refused, with the role of the permission world that is let in: only a side of
#: an exchange raises a dispute about it (the charity, through its admin).
SENDER = {("POST", "/api/v1/exchanges/<exchange_id>/disputes"): "organisation admin"}


def test_a_value_past_a_documented_limit_is_refused_naming_its_field(app, db_session):
    """For every write the permission world has a valid body for, each top-level field in turn is sent
    just past each limit the document gives it, by an administrator (let in almost everywhere; ``SENDER``
    names who is let in elsewhere): the API must refuse it naming that field, so a client that keeps to the
    document is never surprised the other way."""
    world = build(db_session)
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    accepted = []
    for (method, path), body in world.bodies().items():
        operation = document["paths"][re.sub(r"<([^<>]+)>", r"{\1}", path)][method.lower()]
        schema = _resolve(document, operation["requestBody"]["content"]["application/json"]["schema"])
        for name, field in schema["properties"].items():
            for limit, value in _over(_resolve(document, field), body.get(name)):
                savepoint = db_session.get_bind().begin_nested()
                try:
                    response = app.test_client().open(
                        re.sub(r"<([^<>]+)>", lambda m: str(world.ids[m[1]]), path), method=method,
                        json={**body, name: value},
                        headers={"Authorization": f"Bearer {world.tokens[SENDER.get((method, path), 'admin')]}"})
                    named = name in (response.get_json() or {}).get("errors", {})
                    if not (response.status_code == 422 and named) and response.status_code != 413:
                        accepted.append(f"{method} {path} {name} past {limit}: {response.status_code}")
                finally:
                    db.session.remove()
                    savepoint.rollback()

    assert accepted == []

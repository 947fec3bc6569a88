"""The OpenAPI document: served, valid, and complete."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

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

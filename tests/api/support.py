"""Helpers for the API tests: a bearer-token client, a snapshot of the books, and problem checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

PROBLEM_JSON = "application/problem+json"


@dataclass
class ApiClient:
    """The test client speaking to ``/api/v1`` with one person's bearer token (or none)."""

    client: FlaskClient
    token: str | None

    def request(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}))
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("POST", path, **kwargs)


@dataclass(frozen=True)
class Books:
    """What a refused request must not have changed."""

    exchanges: int
    events: int
    postings: int
    counters: tuple[tuple[int, ...], ...]


def assert_problem(response: TestResponse, status: int, field: str | None = None) -> dict[str, Any]:
    """An RFC 9457 problem with this status, naming ``field`` if given."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json()
    assert body["status"] == status and body["type"] == "about:blank" and body["title"]
    if field is not None:
        assert field in body.get("errors", {}), body
        assert all(isinstance(message, str) and message for message in body["errors"][field])
    return body

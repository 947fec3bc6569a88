"""Domain errors and the app-wide handlers that turn them into pages or problem+json.

Services raise a ``DomainError`` subclass and never know about HTTP. Each subclass carries the status
it maps to, a plain-language message (translatable), and optionally the form field it concerns.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    status = 422
    title = _l("That cannot be done")
    #: The form / JSON field this error belongs next to, if any.
    field: str | None = None

    def __init__(self, message: Any = None, *, field: str | None = None) -> None:
        self.message = message if message is not None else self.title
        if field is not None:
            self.field = field
        super().__init__(str(self.message))

    @property
    def code(self) -> str:
        name = type(self).__name__
        return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


class NotFound(DomainError):
    status = 404
    title = _l("Not found")


class Forbidden(DomainError):
    status = 403
    title = _l("You are not allowed to do that")


class Conflict(DomainError):
    status = 409
    title = _l("That clashes with what has already happened")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, title: Any, detail: Any = None, **extra: Any) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": str(title), "status": status}
    if detail is not None:
        body["detail"] = str(detail)
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


def _domain_error(error: DomainError) -> tuple[str, int] | Response:
    if wants_json():
        extra: dict[str, Any] = {"code": error.code}
        if error.field:
            extra["errors"] = {error.field: [str(error.message)]}
        return problem(error.status, error.title, error.message, **extra)
    return render_template("errors/error.html", error=error, status=error.status), error.status


def _http_error(error: HTTPException) -> tuple[str, int] | Response:
    status = error.code or 500
    if wants_json():
        extra: dict[str, Any] = {}
        messages = (getattr(error, "data", None) or {}).get("messages")
        if messages:  # webargs / marshmallow validation
            # flatten {"json": {"field": [...]}} to {"field": [...]}
            flat: dict[str, Any] = {}
            for location in messages.values():
                flat.update(location if isinstance(location, dict) else {"_schema": location})
            extra["errors"] = flat
        return problem(status, error.name, error.description if not messages else None, **extra)
    return render_template("errors/error.html", error=error, status=status), status


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)

"""Domain errors and the app-wide handlers that turn them into pages or problem+json.

Services raise a ``DomainError`` subclass and never know about HTTP. Each subclass carries the status
it maps to, a stable ``code`` of its own (what an API client branches on: it never changes once
published, and no two classes share one; ``tests/api/test_error_codes.py`` checks both), a
plain-language message (translatable), and optionally the form field it concerns.

A commit the database refuses is ``NotSaved`` (raised by ``db.commit``, the one commit of every unit of
work), so nobody is told that work was done that was not kept. ``keeping_work`` marks the rare refusal
whose record must stay (the audit of a failed sign-in, an import's rejection report).

The handlers cannot fail. Each first rolls back whatever the request flushed (a refused request changes
nothing, and the error page then reads a clean session). After an unexpected error (a 5xx) the database
is off limits for the rest of the request (``database_off_limits``), since it may be what failed: the
error page renders from what is at hand. If even the rollback fails, the session is discarded. If the
page cannot be rendered all the same, a fixed problem document answers: never werkzeug's own page.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from timebank.db import db
from timebank.logs import current_request_id

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    #: Stable and unique, in kebab-case: every subclass sets its own (see the module's note).
    code = "domain-error"
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
    def headers(self) -> dict[str, str]:
        """HTTP headers the refusal carries on pages and in the API (``Retry-After``, say)."""
        return {}


class NotFound(DomainError):
    code = "not-found"
    status = 404
    title = _l("Not found")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    title = _l("You are not allowed to do that")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    title = _l("That clashes with what has already happened")


class NotSaved(Conflict):
    """The database refused to keep the request's work when it was committed: a serialization failure or
    deadlock (PostgreSQL gives up one of two transactions that overlapped), or a constraint checked only
    at commit. Nothing was saved; sending the same request again is safe (writes carry idempotency keys)."""

    code = "not-saved"

    def __init__(self) -> None:
        super().__init__(_l("Someone changed the same records at the same moment, so nothing was saved. "
                            "Please try again."))


#: Set by ``keeping_work`` on an error whose refusal is itself a record.
_KEEPS_WORK = "timebank_keeps_work"

E = TypeVar("E", bound=Exception)


def keeping_work(error: E) -> E:
    """Mark a refusal whose record must stay: the request's unit of work commits what it flushed (the
    audit row of a failed sign-in, the report of a rejected import) and then answers with the error."""
    setattr(error, _KEEPS_WORK, True)
    return error


def keeps_work(error: BaseException) -> bool:
    return getattr(error, _KEEPS_WORK, False)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, title: Any, detail: Any = None, **extra: Any) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": str(title), "status": status}
    if detail is not None:
        body["detail"] = str(detail)
    body.update(extra)
    if request_id := current_request_id():  # the request's id in the logs, for whoever reports the problem
        body["request_id"] = request_id
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


def database_off_limits() -> bool:
    """Whether this request may no longer touch the database. What runs while any page renders (context
    processors, the language choice, the user loader) asks first, and makes do without it."""
    return bool(g.get("database_off_limits"))


def _undo_request_work(*, failed: bool) -> None:
    """Roll back the request's unfinished work. After a failure the database is off limits from here on;
    if even the rollback fails (the connection is gone), the session is discarded too."""
    if failed:
        g.database_off_limits = True
    try:
        db.session.rollback()
    except Exception:
        current_app.logger.exception("Rolling back after an error failed; discarding the session")
        g.database_off_limits = True
        db.session.remove()


def _error_page(status: int, title: Any, message: Any) -> tuple[str, int]:
    return render_template("errors/error.html", status=status, title=title, message=message), status


def domain_error(error: DomainError) -> tuple[str, int, dict[str, str]] | Response:
    """The handler for every ``DomainError``: problem+json under ``/api/``, an error page elsewhere.
    Public so that an error another library raises can be answered as the domain error it stands for."""
    _undo_request_work(failed=False)
    if wants_json():
        extra: dict[str, Any] = {"code": error.code}
        if error.field:
            extra["errors"] = {error.field: [str(error.message)]}
        response = problem(error.status, error.title, error.message, **extra)
        response.headers.update(error.headers)
        return response
    return (*_error_page(error.status, error.title, error.message), error.headers)


#: Titles of HTTP errors in problem+json and on error pages, in words we can translate (werkzeug's names
#: are English only).
HTTP_TITLES: dict[int, Any] = {
    400: _l("The request could not be read"),
    401: _l("Sign in to use the API"),
    403: _l("You are not allowed to do that"),
    404: _l("Not found"),
    405: _l("That method is not allowed here"),
    413: _l("The request is too large"),
    415: _l("Send the request body as JSON"),
    422: _l("Check the details you sent"),
    429: _l("Too many attempts"),
    500: _l("Sorry, something went wrong"),
}


def _flatten_messages(messages: dict[str, Any]) -> tuple[dict[str, list[str]], list[str]]:
    """Turn webargs' ``{"json": {"field": [...]}}`` into per-field messages plus general ones
    (a location whose message is a list, or marshmallow's ``_schema``)."""
    fields: dict[str, list[str]] = {}
    general: list[str] = []

    def strings(value: Any) -> list[str]:
        if isinstance(value, dict):  # nested or list-item errors: keep them readable, one level
            return [f"{key}: {message}" for key, inner in value.items() for message in strings(inner)]
        if isinstance(value, list | tuple):
            return [message for item in value for message in strings(item)]
        return [str(value)]

    for location in messages.values():
        if not isinstance(location, dict):
            general.extend(strings(location))
            continue
        for field, value in location.items():
            if field == "_schema":
                general.extend(strings(value))
            else:
                fields[field] = strings(value)
    return fields, general


def http_code(name: str) -> str:
    """The ``code`` of an HTTP error's problem: its name in kebab-case (``method-not-allowed``)."""
    return name.lower().replace(" ", "-")


def _http_problem(error: HTTPException, status: int) -> Response:
    data = getattr(error, "data", None) or {}
    errors, general = _flatten_messages(data["messages"]) if data.get("messages") else ({}, [])
    # werkzeug's default descriptions are English; use one only when the code raising it chose it.
    detail = " ".join(general) or (error.description if "description" in vars(error) else None)
    if detail is None and errors:
        detail = " ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
    extra: dict[str, Any] = {"code": http_code(error.name)}
    if errors:
        extra["errors"] = errors
    response = problem(status, HTTP_TITLES.get(status, error.name), detail, **extra)
    # Keep the headers the error carries (WWW-Authenticate on 401, Allow on 405), not its HTML type.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers.add(name, value)
    response.headers.update(data.get("headers") or {})
    return response


def http_error(error: HTTPException) -> tuple[str, int] | Response:
    """The handler for every ``HTTPException``, and so for every unexpected exception too (Flask hands
    those over as a 500): problem+json under ``/api/``, an error page elsewhere.

    Public because flask-smorest's ``Api`` registers its own app-wide handler; ours delegates here.
    """
    status = error.code or 500
    try:
        _undo_request_work(failed=status >= 500)
        if wants_json():
            return _http_problem(error, status)
        # werkzeug's own descriptions are English; show one only when the code raising it chose it.
        message = error.description if "description" in vars(error) else None
        return _error_page(status, HTTP_TITLES.get(status, error.name), message)
    except Exception:
        if status < 500:
            raise  # Flask hands it back to this handler as a 500
        # The last resort: no template and no translation, nothing that can fail.
        current_app.logger.exception("The error page for a %s failed", status)
        body = {"type": "about:blank", "title": "Sorry, something went wrong", "status": status}
        return Response(json.dumps(body), status, mimetype=PROBLEM_JSON)


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, domain_error)
    app.register_error_handler(HTTPException, http_error)

"""The pieces that make flask-smorest fit this app: one error handler, problem+json in the spec, a JSON
parser that never lets bad input become a 500, and a blueprint that guards and documents bearer auth.
"""

from __future__ import annotations

import http
import json
from collections.abc import Callable
from typing import Any

import flask
import flask_smorest
from flask_babel import lazy_gettext as _l
from flask_smorest.utils import prepare_response
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.exceptions import HTTPException

from timebank import errors
from timebank.api import auth
from timebank.api.schemas import Problem

BEARER_SCHEME = "bearerAuth"


class TimebankApi(flask_smorest.Api):
    """flask-smorest's ``Api`` with this app's errors: it registers its own app-wide ``HTTPException``
    handler at ``init_app``, which would replace ours for pages too, so it delegates to ours."""

    ERROR_SCHEMA = Problem

    def handle_http_exception(self, error: HTTPException) -> Any:
        return errors.http_error(error)

    def _register_responses(self) -> None:
        """Document every error response as problem+json (flask-smorest says application/json)."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, errors.PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, errors.PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


class JsonParser(FlaskParser):
    """webargs' parser, stricter about bodies: anything that is not readable JSON is a 400 or 415."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            if req.content_length or req.headers.get("Transfer-Encoding"):
                abort(415, messages={"json": [_l("Send the body as JSON, with Content-Type: application/json.")]})
            return webargs_core.missing
        try:
            return webargs_core.parse_json(req.get_data(cache=True))
        except json.JSONDecodeError:
            raise  # webargs turns these into a 400 below (and an empty body into "no body")
        except (ValueError, RecursionError) as error:  # e.g. an integer of 5,000 digits, or [[[[…]]]]
            self._handle_invalid_json_error(error, req)  # type: ignore[arg-type]

    def _handle_invalid_json_error(self, error: Exception, req: flask.Request, *args: Any, **kwargs: Any) -> Any:
        abort(400, exc=error, messages={"json": [_l("The request body is not valid JSON.")]})


class ApiBlueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JsonParser()

    def token_required(self, view: Callable[..., Any]) -> Callable[..., Any]:
        """Require ``Authorization: Bearer <token>`` and pass the person as ``actor``; document both, and
        the 403 a read-only token gets for anything but GET."""
        guarded = auth.token_required(view)
        guarded = self.doc(security=[{BEARER_SCHEME: []}])(guarded)
        return self.problems(401, 403)(guarded)

    def problems(self, *statuses: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Document the problem+json responses a route can give besides the usual ones."""

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            for status in statuses:
                view = self.alt_response(status, response=http.HTTPStatus(status).name)(view)
            return view

        return decorator


def register(app: flask.Flask, api: flask_smorest.Api, blueprints: list[ApiBlueprint]) -> None:
    """Register the API's blueprints: bearer tokens only, so no session cookie and no CSRF token."""
    from timebank.extensions import csrf

    api.spec.components.security_scheme(BEARER_SCHEME, {
        "type": "http", "scheme": "bearer", "description": (
            "A token from POST /api/v1/tokens. A token whose scope is read may only make GET requests: "
            "anything else gets a 403 problem with code insufficient-scope."),
    })
    for bp in blueprints:
        csrf.exempt(bp)
        api.register_blueprint(bp)

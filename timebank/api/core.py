"""The pieces that make flask-smorest fit this app: one error handler, problem+json in the spec, a JSON
parser that never lets bad input become a 500, and a blueprint that guards and documents bearer auth and
makes each route one unit of work.

One unit of work per request. A route parses, calls its service (which only flushes) and returns; the
blueprint commits once, after the route has returned, before the answer leaves (``ApiBlueprint.add_url_rule``
wraps every view). A refusal raised on the way is left to the app-wide handler
(``timebank.errors.domain_error``), which rolls back and answers problem+json; a commit the database
refuses is such a refusal too (``errors.NotSaved``, a 409), so a client is never told of work that was not
kept. A GET commits only if it is marked ``@writes``. No ``api.py`` calls ``commit()`` itself
(``tests/api/test_unit_of_work.py``).

Access is decided before input is read. ``@bp.arguments`` parses and validates the body or query before
the view runs, so a check inside the view (or the service it calls) comes too late: a caller who may not
use the route at all would be told what is wrong with their input (a 422) instead of that they may not
(a 403 or 404). So the guards, ``@bp.token_required`` and ``@bp.access(rule)``, go above
``@bp.arguments``, and the blueprint refuses, at import time, an ``@bp.arguments`` placed above them.
"""

from __future__ import annotations

import http
import importlib
import importlib.util
import inspect
import json
import pkgutil
from collections.abc import Callable
from functools import wraps
from typing import Any

import flask
import flask_smorest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_smorest.utils import prepare_response
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.exceptions import HTTPException, default_exceptions
from werkzeug.http import HTTP_STATUS_CODES

from timebank import errors
from timebank.api import auth
from timebank.api.schemas import Problem
from timebank.db import READ_ONLY_METHODS, commit, db, marked_writes, request_writes
from timebank.members.models import Person

BEARER_SCHEME = "bearerAuth"
#: Set on a view once a guard wraps it, so ``ApiBlueprint.arguments`` can refuse to be put above one.
_GUARDED = "_timebank_guarded"
#: The rule of ``ApiBlueprint.access``: the session, the person, then the first path ids it takes.
AccessRule = Callable[..., object]


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
    """webargs' parser, stricter about bodies: anything that is not readable JSON is a 400 or 415. And a
    query string is held to its schema like a body: a parameter the route does not take is refused (a
    misspelt ``per_pag=5`` is reported, not silently ignored while the default applies)."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}

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


def _body_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """The document says the body is required, so no body is refused (400), even where every field is
    optional: webargs would read a missing body as ``{}``, and a PUT with nothing would change nothing
    and succeed."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not flask.request.get_data(cache=True).strip():
            abort(400, messages={"json": [_l("Send the details as a JSON body.")]})
        return view(*args, **kwargs)

    return wrapper


def _unit_of_work(view: Callable[..., Any]) -> Callable[..., Any]:
    """Commit once when ``view`` returns (if the request may write); leave an error to the app-wide
    handlers, which roll back, except one marked ``errors.keeping_work``, whose record is committed first."""

    @wraps(view)
    def committed(*args: Any, **kwargs: Any) -> Any:
        try:
            answer = view(*args, **kwargs)
        except Exception as error:
            if errors.keeps_work(error):
                commit()
            raise
        if request_writes():
            commit()
        return answer

    return committed


class ApiBlueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JsonParser()

    def add_url_rule(self, rule: str, endpoint: str | None = None, view_func: Any = None,
                     provide_automatic_options: bool | None = None, **options: Any) -> None:
        """Register a route as one unit of work (see the module's note). A route that writes documents the
        409 a refused commit gives."""
        if callable(view_func) and not isinstance(view_func, type):
            methods = set(options.get("methods") or ("GET",))
            if methods - READ_ONLY_METHODS or marked_writes(view_func):
                view_func = self.problems(409)(view_func)
            view_func = _unit_of_work(view_func)
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **options)

    def token_required(self, view: Callable[..., Any]) -> Callable[..., Any]:
        """Require ``Authorization: Bearer <token>`` and pass the person as ``actor``; document both, and
        the 403 a read-only token gets for anything but GET."""
        guarded = auth.token_required(view)
        setattr(guarded, _GUARDED, True)
        guarded = self.doc(security=[{BEARER_SCHEME: []}])(guarded)
        return self.problems(401, 403)(guarded)

    def access(self, rule: AccessRule) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Require a token, then decide whether the caller may use the route at all, before any input
        is read. ``rule(session, actor, *ids)`` is a service's own check, called with as many of the
        path's ids, in the order the path names them, as it takes (``/activities/<a>/roles/<r>`` gives
        ``role_of(session, actor, a, r)``); it raises the ``DomainError`` (a 403 or 404) that refuses, and
        the service asks it again as part of its work. Where the body names what is acted on (a bank, an
        account), the rule is the part that needs no input: "brokers some bank", "acts for some account".
        """
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        taken = sum(1 for p in inspect.signature(rule).parameters.values()
                    if p.kind in positional and p.default is inspect.Parameter.empty) - 2

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(view)
            def decided(*args: Any, actor: Person, **kwargs: Any) -> Any:
                rule(db.session, actor, *list((flask.request.view_args or {}).values())[:taken])
                return view(*args, actor=actor, **kwargs)

            return self.token_required(decided)

        return decorator

    def arguments(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """flask-smorest's, refusing to be placed above a guard (it would read input before access), and
        documenting the answers reading input can give besides its 422: 400 for what cannot be read (a
        body that is not JSON, a NUL character), and for a body 413 (too large) and 415 (not JSON)."""
        parse = super().arguments(*args, **kwargs)
        body = kwargs.get("location", "json") == "json"
        unreadable = (400, 413, 415) if body else (400,)

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            if getattr(view, _GUARDED, False):
                raise TypeError(f"{view.__name__}: put @bp.arguments below @bp.token_required and @bp.access, "
                                "so access is decided before input is read")
            parsed = parse(view)
            if body and kwargs.get("required", True):
                parsed = _body_required(parsed)
            return self.problems(*unreadable)(parsed)

        return decorator

    def problems(self, *statuses: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Document the problem+json responses a route can give besides the usual ones."""

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            for status in statuses:
                view = self.alt_response(status, response=http.HTTPStatus(status).name)(view)
            return view

        return decorator


def domain_error_classes() -> list[type[errors.DomainError]]:
    """Every ``DomainError`` class, once every feature's ``errors`` module is imported (the API's own
    modules import the rest: services keep a few classes beside their rules)."""
    import timebank

    for feature in pkgutil.iter_modules(timebank.__path__):
        if feature.ispkg and importlib.util.find_spec(f"timebank.{feature.name}.errors") is not None:
            importlib.import_module(f"timebank.{feature.name}.errors")
    found: list[type[errors.DomainError]] = []
    unseen = [errors.DomainError]
    while unseen:
        for subclass in unseen.pop().__subclasses__():
            found.append(subclass)
            unseen.append(subclass)
    return found


def error_codes() -> list[dict[str, Any]]:
    """Every ``code`` a problem may carry, with its status and title, sorted by code: each domain error's
    (and what it means, from its docstring) and each HTTP error's."""
    table = {cls.code: {"code": cls.code, "status": cls.status, "title": str(cls.title),
                        **({"description": " ".join(cls.__doc__.split())} if cls.__doc__ else {})}
             for cls in domain_error_classes()}
    for status in sorted(default_exceptions):
        code = errors.http_code(HTTP_STATUS_CODES[status])
        table.setdefault(code, {"code": code, "status": status,
                                "title": str(errors.HTTP_TITLES.get(status, HTTP_STATUS_CODES[status]))})
    return [table[code] for code in sorted(table)]


def _document_error_codes(app: flask.Flask, api: flask_smorest.Api) -> None:
    """List every code in the served document: as the ``enum`` of the problem schema's ``code``, and as a
    table, ``components.x-error-codes``, with each code's status and (English) title."""
    with app.app_context(), force_locale("en_GB"):
        table = error_codes()
    api.spec.options.setdefault("components", {}).update({
        "x-error-codes": table,
        "schemas": {"Problem": {"properties": {"code": {"enum": [row["code"] for row in table]}}}},
    })


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
    _document_error_codes(app, api)

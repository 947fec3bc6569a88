"""Bearer-token authentication for the API.

The API reads only the ``Authorization`` header, never the session cookie: a browser cannot be tricked
into sending a bearer token, so API routes need no CSRF token and are exempt from CSRF protection.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from timebank.auth import tokens
from timebank.db import db
from timebank.members.models import Person


def unauthorized(detail: Any) -> Unauthorized:
    return Unauthorized(description=detail, www_authenticate=WWWAuthenticate("bearer", {"realm": "timebank"}))


def bearer_person() -> Person:
    """The person whose token this request carries, or a 401; a 403 if the token's scope does not allow
    this request (a read token sending anything but GET)."""
    credentials = request.authorization
    if credentials is None or credentials.type != "bearer" or not credentials.token:
        raise unauthorized(_l("Send an API token in the Authorization header: Bearer <token>."))
    token = tokens.valid_token(db.session, credentials.token)
    if token is None:
        raise unauthorized(_l("That API token is not valid: it may have expired or been revoked."))
    g.api_person = token.person  # so messages speak the token holder's language (see timebank.i18n)
    tokens.require_scope(token, request.method)
    return token.person


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Authenticate and check the token's scope before anything else (so a stranger learns nothing from
    validation errors, and a read token's write changes nothing) and pass the person to the view as
    ``actor``."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return view(*args, actor=bearer_person(), **kwargs)

    return wrapper

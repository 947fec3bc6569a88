"""Rate limits on the doors someone could knock on over and over: signing in (the page and ``POST
/api/v1/tokens``), signing up (``/join`` and ``POST /api/v1/signups``) and asking for a new password.

Each kind of attempt is one ``AttemptLimit``, used as a decorator on every route that offers it::

    @bp.route("/sign-in", methods=["GET", "POST"])
    @limits.sign_in
    def sign_in(): ...

It counts POST requests per client address and per account (the email typed, normalised as members'
emails are), in buckets shared by all its routes, so the page and the API draw on one allowance. The
limits are settings (``config.RATE_LIMITS``). Over a limit the answer is a 429 that says when to try
again, with ``Retry-After``: the error page, or problem+json with code ``too-many-requests``.

Each app gets its own Flask-Limiter (``init_app``), with its own storage: memory, or Redis when
configured, which every worker then shares. ``timebank.auth.backoff`` keeps its counts in the same
storage. The client address is the connection's, or ``X-Forwarded-For``'s only as far as
``PROXY_COUNT`` trusted proxies vouch for it (``create_app`` wraps the app in werkzeug's ``ProxyFix``).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from flask_babel import LazyString, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter, RateLimitExceeded

from timebank.digests import digest
from timebank.errors import DomainError, domain_error
from timebank.i18n import format_minutes
from timebank.members.service import normalise_email

View = TypeVar("View", bound=Callable[..., Any])

#: Where ``init_app`` keeps the app's limiter (absent when limits are turned off).
EXTENSION = "timebank.limiter"
#: The attribute that lists a view's attempt limits, for ``init_app`` to apply.
_MARK = "attempt_limits"


def wait_in_words(seconds: int) -> str:
    """'30 seconds', '3 minutes', '1 hour 15 minutes': rounded up, so nobody is told to come back early."""
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    return format_minutes(math.ceil(seconds / 60))


class TooManyAttempts(DomainError):
    """Someone tried too often: they may try again after ``retry_after`` seconds."""

    code = "too-many-requests"  # as werkzeug's 429 (Flask-Limiter's), which means the same
    status = 429
    title = _l("Too many attempts")

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(LazyString(lambda: gettext("Too many attempts. Try again in %(wait)s.",
                                                    wait=wait_in_words(self.retry_after))))

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def client_address() -> str:
    return request.remote_addr or "unknown"


def submitted_email() -> str:
    """The email a form or JSON body names, as members' emails are stored; '' if it names none. Read
    before the body is validated, so anything unexpected is simply no email."""
    if request.is_json:
        try:
            body = json.loads(request.get_data(cache=True))
        except (ValueError, RecursionError):
            return ""
        value = body.get("email") if isinstance(body, dict) else None
    else:
        value = request.form.get("email")
    return normalise_email(value) if isinstance(value, str) else ""


def account_key(email: str) -> str:
    """The account's key in the limiter's storage: a digest of the email as members' emails are stored,
    so no email address is kept there."""
    return digest(normalise_email(email))


def _account() -> str:
    return account_key(submitted_email())


def _no_account_named() -> bool:
    return not submitted_email()


@dataclass(frozen=True)
class AttemptLimit:
    """One kind of attempt. Its limits are the settings ``RATELIMIT_<NAME>_PER_ADDRESS`` and
    ``RATELIMIT_<NAME>_PER_ACCOUNT``; decorating a view marks it, and ``init_app`` applies them."""

    name: str

    @property
    def setting(self) -> str:
        return "RATELIMIT_" + self.name.upper().replace("-", "_")

    def __call__(self, view: View) -> View:
        setattr(view, _MARK, (*getattr(view, _MARK, ()), self))
        return view

    def apply(self, limiter: Limiter, view: Callable[..., Any], config: Any) -> Callable[..., Any]:
        per_address = limiter.shared_limit(config[f"{self.setting}_PER_ADDRESS"], scope=f"{self.name}/address",
                                           key_func=client_address, methods=["POST"])
        # A request naming no email only meets the per-address limit (and its form's "enter your email").
        per_account = limiter.shared_limit(config[f"{self.setting}_PER_ACCOUNT"], scope=f"{self.name}/account",
                                           key_func=_account, methods=["POST"], exempt_when=_no_account_named)
        return per_account(per_address(view))


sign_in = AttemptLimit("sign-in")
sign_up = AttemptLimit("sign-up")
password_reset = AttemptLimit("password-reset")
password_link = AttemptLimit("password-link")


def limits_of(view: Callable[..., Any]) -> tuple[AttemptLimit, ...]:
    return getattr(view, _MARK, ())


def current_limiter() -> Limiter | None:
    """The app's limiter, or ``None`` when rate limits are turned off (as in most tests)."""
    return current_app.extensions.get(EXTENSION)


def _too_many(error: RateLimitExceeded) -> tuple[str, int, dict[str, str]] | Response:
    """Answer Flask-Limiter's refusal as this app answers every 429, saying when the breached limit's
    window ends (Flask-Limiter's own ``reset_at`` adds a second)."""
    breached = current_app.extensions[EXTENSION].current_limit
    return domain_error(TooManyAttempts(breached.window.reset_time - time.time()))


def init_app(app: Flask) -> None:
    """Give the app its own limiter and apply each marked view's limits. Call it once every blueprint
    is registered. One limiter per app, not one per process: two apps (a test's, say) never share
    counters or storage."""
    limiter = Limiter(client_address)
    limiter.init_app(app)  # reads the RATELIMIT_* settings
    if not limiter.enabled:
        return
    app.extensions[EXTENSION] = limiter
    for endpoint, view in list(app.view_functions.items()):
        for limit in limits_of(view):
            app.view_functions[endpoint] = limit.apply(limiter, app.view_functions[endpoint], app.config)
    app.register_error_handler(RateLimitExceeded, _too_many)

"""Progressive back-off for one account after wrong passwords in a row.

After ``SIGN_IN_BACKOFF_AFTER`` wrong passwords for an email, each further sign-in for it waits: the
first pause is ``SIGN_IN_BACKOFF_FIRST_SECONDS``, and each wrong password after a pause doubles it, up to
``SIGN_IN_BACKOFF_MAX_SECONDS``. During a pause every attempt is answered 429 with ``Retry-After``
before the password is even checked, so guessing gets nowhere; it is not counted, so waiting always
works. A right password clears it all, and the count is forgotten a day after the first wrong
password: nobody is ever locked out for good.

The counts live in the rate limiter's storage (``timebank.auth.limits``), through the ``limits``
library's storage API: memory in development, Redis when configured, shared by every worker. If that
storage cannot be reached, sign-in goes on without the back-off (the rate limits fall back to memory),
rather than nobody being able to sign in.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from flask import current_app
from limits.errors import StorageError
from limits.storage import Storage

from timebank.auth.limits import TooManyAttempts, account_key, current_limiter

log = logging.getLogger(__name__)

#: How long wrong passwords are remembered, from the first of a run.
REMEMBERED = dt.timedelta(days=1)
#: Beyond this many doublings every pause is the longest anyway (and 2**n stays small).
_MAX_DOUBLINGS = 32


def pause_after(failures: int, *, after: int, first: int, longest: int) -> int:
    """Seconds to wait after ``failures`` wrong passwords in a row: none before ``after``, then
    ``first``, doubling with each one more, never more than ``longest``."""
    if failures < after:
        return 0
    return min(first * 2 ** min(failures - after, _MAX_DOUBLINGS), longest)


def _storage() -> Storage | None:
    limiter = current_limiter()
    return limiter.storage if limiter is not None else None


def _keys(email: str) -> tuple[str, str]:
    account = account_key(email)
    return f"sign-in-failures/{account}", f"sign-in-pause/{account}"


def refuse_while_paused(email: str) -> None:
    """Raise ``TooManyAttempts`` if this account's sign-ins are paused; otherwise do nothing."""
    storage = _storage()
    if storage is None:
        return
    _, pause = _keys(email)
    try:
        if storage.get(pause):
            raise TooManyAttempts(storage.get_expiry(pause) - time.time())
    except StorageError:
        log.warning("Sign-in back-off skipped: the rate limit storage cannot be reached", exc_info=True)


def record_failure(email: str) -> int:
    """Count a wrong password for this account and start a pause if it has had too many. Returns the
    pause in seconds (0 for none)."""
    storage = _storage()
    if storage is None:
        return 0
    failures_key, pause_key = _keys(email)
    config = current_app.config
    try:
        failures = storage.incr(failures_key, int(REMEMBERED.total_seconds()))
        pause = pause_after(failures, after=config["SIGN_IN_BACKOFF_AFTER"],
                            first=config["SIGN_IN_BACKOFF_FIRST_SECONDS"],
                            longest=config["SIGN_IN_BACKOFF_MAX_SECONDS"])
        if pause:
            # A pause key exists only while it lasts, so this always starts a fresh one.
            storage.incr(pause_key, pause)
    except StorageError:
        log.warning("Sign-in back-off skipped: the rate limit storage cannot be reached", exc_info=True)
        return 0
    return pause


def forget_failures(email: str) -> None:
    """A right password: the account starts again with a clean slate."""
    storage = _storage()
    if storage is None:
        return
    try:
        for key in _keys(email):
            storage.clear(key)
    except StorageError:
        log.warning("Sign-in back-off not cleared: the rate limit storage cannot be reached", exc_info=True)

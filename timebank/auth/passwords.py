"""Passwords: the one rule every new password meets, and hashing with argon2id (argon2-cffi's recommended
parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from timebank.errors import DomainError

MIN_LENGTH = 10
#: The sign-in form takes no more, so a longer password could be set but never typed in.
MAX_LENGTH = 1000
#: The rule in plain words, for forms and the API description.
RULE = _l("Use at least 10 characters, and not your email address. A few words you will remember make a good "
          "password.")

_STANDARD = PasswordHasher()
#: The lowest argon2id costs, for the test suite only (``FAST_PASSWORD_HASHING``): thousands of test
#: people then hash in milliseconds instead of minutes. Never set it on a real install.
_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
#: Verified against when no such user exists, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = _STANDARD.hash("timebank-dummy-password")


class UnsuitablePassword(DomainError):
    code = "unsuitable-password"
    title = _l("Choose another password")


def check_new_password(password: str, *, email: str | None, field: str = "password") -> str:
    """The rule for every new password (joining, setting up, resetting, changing): 10 to 1,000 characters,
    and not the person's email address, the first thing anyone would try."""
    if len(password) < MIN_LENGTH:
        raise UnsuitablePassword(_l("Use at least 10 characters for your password"), field=field)
    if len(password) > MAX_LENGTH:
        raise UnsuitablePassword(_l("Keep your password to 1,000 characters or fewer"), field=field)
    if email and password.strip().casefold() == email.strip().casefold():
        raise UnsuitablePassword(_l("Choose a password that is not your email address"), field=field)
    return password


def _hasher() -> PasswordHasher:
    if has_app_context() and current_app.config.get("FAST_PASSWORD_HASHING"):
        return _FAST
    return _STANDARD


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher().verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)

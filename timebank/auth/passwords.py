"""Password hashing with argon2id (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

_STANDARD = PasswordHasher()
#: The lowest argon2id costs, for the test suite only (``FAST_PASSWORD_HASHING``): thousands of test
#: people then hash in milliseconds instead of minutes. Never set it on a real install.
_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
#: Verified against when no such user exists, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = _STANDARD.hash("timebank-dummy-password")


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

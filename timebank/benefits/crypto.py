"""Field-level encryption for benefit data: every column that says anything about a member's benefits
is stored as a Fernet token (AES-128-CBC with HMAC-SHA256, from ``cryptography``), never as plaintext.

The keys come from configuration, outside the database (``TIMEBANK_BENEFIT_KEYS``: Fernet keys separated
by commas, the newest first). Each value is encrypted with the first and read with any of them
(``MultiFernet``), so a new key is put first, ``flask --app wsgi benefits rotate-key`` re-encrypts every
row with it, and then the old one can be removed.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

#: Where the app keeps its ``MultiFernet`` (made once from the configuration).
_EXTENSION = "timebank.benefits.keys"


class BenefitKeyError(RuntimeError):
    """The benefit keys are missing or malformed."""


def parse_keys(raw: str) -> MultiFernet:
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise BenefitKeyError("no key given")
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError) as error:
        raise BenefitKeyError("each key must be a Fernet key: 32 url-safe base64-encoded bytes") from error


def make_key() -> str:
    return Fernet.generate_key().decode("ascii")


def init_app(app: Any) -> None:
    app.extensions[_EXTENSION] = parse_keys(app.config["BENEFIT_KEYS"])


def keys() -> MultiFernet:
    return current_app.extensions[_EXTENSION]


def encrypt(value: Any) -> str:
    """The JSON of ``value``, encrypted with the newest key."""
    return keys().encrypt(json.dumps(value, separators=(",", ":")).encode()).decode("ascii")


def decrypt(token: str) -> Any:
    try:
        return json.loads(keys().decrypt(token.encode("ascii")))
    except InvalidToken as error:
        raise BenefitKeyError("a benefit field cannot be read with the configured keys") from error


def rotate(token: str) -> str:
    """The same value encrypted with the newest key."""
    return keys().rotate(token.encode("ascii")).decode("ascii")


class Encrypted(sa.types.TypeDecorator[Any]):
    """A JSON-able value stored encrypted (a Fernet token in a text column). ``None`` stays NULL, so
    "not given" is not hidden; every given value, even ``False``, is a token."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> Any:
        return None if value is None else decrypt(value)

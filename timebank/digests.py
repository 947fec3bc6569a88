"""Secrets handed to people (API tokens, calendar addresses, password links) and how they are kept.

A secret is shown once and stored only as its SHA-256: a slow password hash adds nothing to a value that
cannot be guessed, and a lookup by digest stays one indexed equality. Secrets a program keeps (tokens,
calendar addresses) are 256 random bits; a secret a person may have to read out or copy by hand (a
password link) is 100 random bits in 20 characters that cannot be mistaken for one another, which is
still far beyond guessing for something that works once and expires.
"""

from __future__ import annotations

import hashlib
import secrets

#: Crockford's base 32: digits and capital letters without I, L, O and U, so nothing reads as anything else.
READABLE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
READABLE_LENGTH = 20
#: What people write by mistake for the characters left out.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def digest(raw: str) -> str:
    """The hex SHA-256 stored in place of a secret."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_secret() -> tuple[str, str]:
    """A fresh URL-safe secret and its digest: ``(raw, digest)``."""
    raw = secrets.token_urlsafe(32)
    return raw, digest(raw)


def new_readable_secret() -> tuple[str, str]:
    """A fresh secret to read out or write down, in groups of four (``7KQM-3XJP-…``), and its digest."""
    raw = "".join(secrets.choice(READABLE_ALPHABET) for _ in range(READABLE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, READABLE_LENGTH, 4)), digest(raw)


def readable_digest(typed: str) -> str | None:
    """The digest of a readable secret however it was typed (any case, with or without the dashes or
    spaces, O for 0, I or L for 1), or ``None`` if it cannot be one."""
    raw = "".join(typed.upper().replace("-", "").split()).translate(_READ_AS)
    if len(raw) != READABLE_LENGTH or not set(raw) <= set(READABLE_ALPHABET):
        return None
    return digest(raw)

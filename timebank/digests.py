"""Secrets handed to people (API tokens, calendar addresses, password links) and how they are kept.

A secret is 256 random bits, shown once and stored only as its SHA-256: a slow password hash adds
nothing to a value that cannot be guessed, and a lookup by digest stays one indexed equality.
"""

from __future__ import annotations

import hashlib
import secrets


def digest(raw: str) -> str:
    """The hex SHA-256 stored in place of a secret."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_secret() -> tuple[str, str]:
    """A fresh URL-safe secret and its digest: ``(raw, digest)``."""
    raw = secrets.token_urlsafe(32)
    return raw, digest(raw)

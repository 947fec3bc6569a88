"""Configuration classes. Everything is read from ``TIMEBANK_*`` environment variables.

Importing this module has no side effects: the environment is read when a class is instantiated
(``create_app`` does that), so tests can set variables first.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent / "instance"


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"TIMEBANK_{name}", default)


class BaseConfig:
    def __init__(self) -> None:
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'timebank.sqlite'}"
        self.SECRET_KEY = _env("SECRET_KEY")
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
        self.BABEL_DEFAULT_LOCALE = "en"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/London"
        self.LANGUAGES = ("en", "cy")
        #: How long an API bearer token lives.
        self.API_TOKEN_LIFETIME = timedelta(days=int(_env("API_TOKEN_DAYS", "30") or 30))
        self.PAGE_SIZE = 25
        #: Requests larger than this are refused with 413: no form or API call needs more.
        self.MAX_CONTENT_LENGTH = 1024 * 1024
        # flask-smorest / OpenAPI
        self.API_TITLE = "timebank"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api/v1"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds it
        #: The Strict-Transport-Security header, sent only in production: there the app sits behind a
        #: TLS-terminating proxy, while development and tests use plain http (and are never redirected).
        self.STRICT_TRANSPORT_SECURITY: str | None = None
        self.validate()

    def validate(self) -> None:
        if not self.SECRET_KEY:
            raise ConfigError("TIMEBANK_SECRET_KEY must be set (a long random string).")


class DevelopmentConfig(BaseConfig):
    def validate(self) -> None:
        # A fixed key is acceptable only on a developer's own machine.
        self.SECRET_KEY = self.SECRET_KEY or "development-only-not-secret"


class TestingConfig(DevelopmentConfig):
    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.WTF_CSRF_ENABLED = False
        self.FAST_PASSWORD_HASHING = True
        self.SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL") or "sqlite://"


class ProductionConfig(BaseConfig):
    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load(name: str | None = None) -> BaseConfig:
    name = name or _env("ENV", "development") or "development"
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigError(f"TIMEBANK_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None

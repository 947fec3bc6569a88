"""Configuration classes. Everything is read from ``TIMEBANK_*`` environment variables.

Importing this module has no side effects: the environment is read when a class is instantiated
(``create_app`` does that), so tests can set variables first.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from limits import parse_many

INSTANCE_DIR = Path(__file__).resolve().parent / "instance"


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"TIMEBANK_{name}", default)


def _whole_number(name: str, default: int, *, low: int, high: int) -> int:
    raw = _env(name, str(default)) or str(default)
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"TIMEBANK_{name} must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)


#: Each kind of attempt's limits, per client address and per account (the email typed), as Flask-Limiter
#: strings; each can be changed with ``TIMEBANK_RATELIMIT_<NAME>``. A community centre's computers share
#: one address, so the per-address limits leave room for a busy drop-in session.
RATE_LIMITS = {
    "SIGN_IN_PER_ADDRESS": "20 per minute; 200 per hour",
    "SIGN_IN_PER_ACCOUNT": "10 per minute; 100 per hour",
    "SIGN_UP_PER_ADDRESS": "20 per hour",
    "SIGN_UP_PER_ACCOUNT": "5 per hour",
    "PASSWORD_RESET_PER_ADDRESS": "10 per hour",
    "PASSWORD_RESET_PER_ACCOUNT": "3 per hour",
}


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
        #: How long an API bearer token lives unless its maker chooses (1 to 365 days).
        self.API_TOKEN_LIFETIME = timedelta(days=_whole_number("API_TOKEN_DAYS", 30, low=1, high=365))
        #: How many proxies in front of the app add to ``X-Forwarded-For`` (and ``-Proto``). 0 trusts none,
        #: so nobody can dodge the per-address limits by sending the header themselves.
        self.PROXY_COUNT = _whole_number("PROXY_COUNT", 0, low=0, high=10)
        self._rate_limits()
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
        self.validate()

    def _rate_limits(self) -> None:
        """Flask-Limiter's settings, and the limits on each kind of attempt (``timebank.auth.limits``)."""
        self.RATELIMIT_ENABLED = (_env("RATELIMIT_ENABLED", "true") or "true").lower() != "false"
        #: ``memory://`` counts per process; with several workers use Redis: ``redis://host:6379/0``.
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URL", "memory://")
        #: Storage errors become ``limits.errors.StorageError``: one type to catch where Redis may be down.
        self.RATELIMIT_STORAGE_OPTIONS = {"wrap_exceptions": True}
        #: While Redis is unreachable the limits are counted in memory instead of failing every sign-in.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        for name, default in RATE_LIMITS.items():
            value = _env(f"RATELIMIT_{name}", default) or default
            try:
                parse_many(value)
            except ValueError:
                raise ConfigError(f"TIMEBANK_RATELIMIT_{name} must be like '10 per minute; 100 per hour', "
                                  f"not {value!r}") from None
            setattr(self, f"RATELIMIT_{name}", value)
        #: After this many wrong passwords in a row for one account, each further try waits ...
        self.SIGN_IN_BACKOFF_AFTER = _whole_number("SIGN_IN_BACKOFF_AFTER", 5, low=1, high=1000)
        #: ... this many seconds, doubling after each further wrong password ...
        self.SIGN_IN_BACKOFF_FIRST_SECONDS = _whole_number("SIGN_IN_BACKOFF_FIRST_SECONDS", 30, low=1, high=86400)
        #: ... up to this many seconds. A right password ends it; it never locks anyone out for good.
        self.SIGN_IN_BACKOFF_MAX_SECONDS = _whole_number("SIGN_IN_BACKOFF_MAX_SECONDS", 900, low=1, high=86400)

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
        # The suite signs in thousands of times from one address; the limiter's own tests turn it on.
        self.RATELIMIT_ENABLED = False
        self.SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL") or "sqlite://"


class ProductionConfig(BaseConfig):
    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True


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

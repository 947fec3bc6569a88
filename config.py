"""Configuration classes. Everything is read from ``TIMEBANK_*`` environment variables.

Importing this module has no side effects: the environment is read, and the development key file made,
when a class is instantiated (``create_app`` does that), so tests can set variables first.

An unset ``TIMEBANK_ENV`` means **production**, which refuses to start without a real secret key:
development (with a key kept on the developer's own machine) is only ever chosen explicitly, as
``make run`` does. There is no key in the source code, so nobody can forge a session cookie from it.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent / "instance"
#: A shorter key could be guessed offline from one signed cookie; 32 characters of ``token_urlsafe`` are
#: 192 random bits.
MIN_SECRET_KEY_LENGTH = 32
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"TIMEBANK_{name}", default)


def _lifetime(name: str, default: int, unit: str) -> timedelta:
    """A lifetime of whole ``unit`` (``days`` or ``hours``), at least one, from ``TIMEBANK_<name>``."""
    raw = _env(name)
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ConfigError(f"TIMEBANK_{name} must be a whole number of {unit}, not {raw!r}") from None
    if value < 1:
        raise ConfigError(f"TIMEBANK_{name} must be at least 1, not {value}")
    return timedelta(**{unit: value})


def development_secret_key(instance_dir: Path) -> str:
    """The key kept in ``instance/dev-secret-key`` on this machine, made (readable by its owner only) on
    first use. Never a constant: a key anyone can read in the source lets anyone forge a session."""
    path = instance_dir / "dev-secret-key"
    instance_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(f"{path} does not hold a usable key: delete it and a new one is made.") from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


class BaseConfig:
    #: Which configuration this is. Commands that load published logins (``flask demo``, ``flask seed``)
    #: refuse to run unless it says they may.
    TIMEBANK_ENV = "production"

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
        self.API_TOKEN_LIFETIME = _lifetime("API_TOKEN_DAYS", 30, "days")
        #: How long a link to set up a first password works: long enough for a broker to pass it on by
        #: post or at the next drop-in.
        self.PASSWORD_SET_UP_LINK_LIFETIME = _lifetime("PASSWORD_SET_UP_LINK_DAYS", 7, "days")
        #: How long a link to reset a forgotten password works: short, because the account already holds
        #: hours and history.
        self.PASSWORD_RESET_LINK_LIFETIME = _lifetime("PASSWORD_RESET_LINK_HOURS", 24, "hours")
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
            raise ConfigError(
                "TIMEBANK_SECRET_KEY must be set: it signs everyone's session. Make one with\n"
                f"    {MAKE_A_KEY}\n"
                "(or set TIMEBANK_ENV=development on your own machine, as `make run` does)."
            )
        if len(self.SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                f"TIMEBANK_SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters long, not "
                f"{len(self.SECRET_KEY)}. Make one with\n    {MAKE_A_KEY}"
            )


class DevelopmentConfig(BaseConfig):
    TIMEBANK_ENV = "development"

    def validate(self) -> None:
        self.SECRET_KEY = self.SECRET_KEY or development_secret_key(INSTANCE_DIR)


class TestingConfig(BaseConfig):
    """For the test suite and the benchmarks, which build it directly: ``TIMEBANK_ENV`` cannot choose it,
    because it turns CSRF protection off and password hashing down, which no server may do."""

    TIMEBANK_ENV = "testing"

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.WTF_CSRF_ENABLED = False
        self.FAST_PASSWORD_HASHING = True
        self.SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL") or "sqlite://"

    def validate(self) -> None:
        # A fresh key each time: nothing outlives the test run, and no file is written.
        self.SECRET_KEY = self.SECRET_KEY or secrets.token_urlsafe(48)


class ProductionConfig(BaseConfig):
    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


#: What ``TIMEBANK_ENV`` may name. Unset means production.
CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
}


def load(name: str | None = None) -> BaseConfig:
    name = name or _env("ENV") or "production"
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigError(f"TIMEBANK_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None

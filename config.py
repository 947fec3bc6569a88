"""Configuration classes. Everything is read from ``TIMEBANK_*`` environment variables.

Importing this module has no side effects: the environment is read, and the development key file made,
when a class is instantiated (``create_app`` does that), so tests can set variables first.

An unset ``TIMEBANK_ENV`` means **production**, which refuses to start without a real secret key:
development (with a key kept on the developer's own machine) is only ever chosen explicitly, as
``make run`` does. There is no key in the source code, so nobody can forge a session cookie from it.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from limits import parse_many

INSTANCE_DIR = Path(__file__).resolve().parent / "instance"
#: A shorter key could be guessed offline from one signed cookie; 32 characters of ``token_urlsafe`` are
#: 192 random bits.
MIN_SECRET_KEY_LENGTH = 32
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
MAKE_A_BENEFIT_KEY = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"TIMEBANK_{name}", default)


def _whole_number(name: str, default: int, *, low: int, high: int) -> int:
    raw = _env(name, str(default)) or str(default)
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"TIMEBANK_{name} must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)


def _lifetime(name: str, default: int, unit: str, *, high: int) -> timedelta:
    """A lifetime of whole ``unit`` (``days`` or ``hours``), from 1 to ``high``, from ``TIMEBANK_<name>``."""
    return timedelta(**{unit: _whole_number(name, default, low=1, high=high)})


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


def development_benefit_key(instance_dir: Path) -> str:
    """The benefit key kept in ``instance/dev-benefit-key`` on this machine, made on first use (as the
    secret key is)."""
    from cryptography.fernet import Fernet

    path = instance_dir / "dev-benefit-key"
    instance_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = Fernet.generate_key().decode("ascii")
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


#: One key for a whole test run (made when config is imported), so that copies of the template databases
#: made by one app are readable by the next.
_TEST_BENEFIT_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


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
    # Choosing a password with a link: the code cannot be guessed, and a drop-in session may see many
    # members use theirs from one address, so only a roomy per-address limit (there is no email to count).
    "PASSWORD_LINK_PER_ADDRESS": "60 per hour",
    "PASSWORD_LINK_PER_ACCOUNT": "60 per hour",
}


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
#: ``json``: one JSON object a line, for a log collector; ``text`` for people (development).
LOG_FORMATS = ("json", "text")


def log_settings(default_format: str) -> tuple[str, str]:
    """The level (``TIMEBANK_LOG_LEVEL``, default INFO) and format (``TIMEBANK_LOG_FORMAT``) of the logs."""
    level = (_env("LOG_LEVEL", "INFO") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"TIMEBANK_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
    log_format = _env("LOG_FORMAT", default_format) or default_format
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"TIMEBANK_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    return level, log_format


class BaseConfig:
    #: Which configuration this is. Commands that load published logins (``flask demo``, ``flask seed``)
    #: refuse to run unless it says they may.
    TIMEBANK_ENV = "production"
    #: JSON lines for a log collector in production; text for people elsewhere.
    DEFAULT_LOG_FORMAT = "json"

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
        self.API_TOKEN_LIFETIME = _lifetime("API_TOKEN_DAYS", 30, "days", high=365)
        #: How long a link to set up a first password works: long enough for a broker to pass it on by
        #: post or at the next drop-in.
        self.PASSWORD_SET_UP_LINK_LIFETIME = _lifetime("PASSWORD_SET_UP_LINK_DAYS", 7, "days", high=90)
        #: How long a link to reset a forgotten password works: short, because the account already holds
        #: hours and history.
        self.PASSWORD_RESET_LINK_LIFETIME = _lifetime("PASSWORD_RESET_LINK_HOURS", 24, "hours", high=24 * 14)
        #: How many proxies in front of the app add to ``X-Forwarded-For`` (and ``-Proto``). 0 trusts none,
        #: so nobody can dodge the per-address limits by sending the header themselves.
        self.PROXY_COUNT = _whole_number("PROXY_COUNT", 0, low=0, high=10)
        self._rate_limits()
        #: How much is logged, and how, to stderr (``timebank.logs``).
        self.LOG_LEVEL, self.LOG_FORMAT = log_settings(self.DEFAULT_LOG_FORMAT)
        #: The keys that encrypt benefit data (``timebank.benefits.crypto``): Fernet keys separated by commas,
        #: the newest first. Kept outside the database; production refuses to start without one.
        self.BENEFIT_KEYS = _env("BENEFIT_KEYS") or ""
        #: Resolved benefit flags are deleted this many days after they were resolved (a daily job).
        self.BENEFIT_FLAG_RETENTION = _lifetime("BENEFIT_FLAG_RETENTION_DAYS", 365, "days", high=3650)
        #: ``/readyz`` checks that each of these settings (name → what it is for) can be reached, where it
        #: is a Redis URL. A new setting that names a Redis (a task queue's broker) adds itself here.
        self.READINESS_REDIS_SETTINGS = {"RATELIMIT_STORAGE_URI": "rate limit storage", "QUEUE_URL": "task queue"}
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
        self._queue()
        self._mail()
        self.validate()

    def _queue(self) -> None:
        """Background jobs (``timebank.jobs``, on Dramatiq). Unset, jobs run on a thread inside the web process
        (a fresh machine, ``make run``: one process only); in production set ``TIMEBANK_QUEUE_URL=redis://…``
        and run ``flask --app wsgi jobs worker``."""
        self.QUEUE_URL = _env("QUEUE_URL") or None
        #: Every Redis key the queue writes starts with this: two installs can share one Redis.
        self.QUEUE_NAMESPACE = _env("QUEUE_NAMESPACE", "timebank-jobs") or "timebank-jobs"
        #: Threads of a worker (``jobs worker``), each running one job at a time.
        self.QUEUE_WORKER_THREADS = _whole_number("QUEUE_WORKER_THREADS", 2, low=1, high=64)
        #: A worker silent this long is taken for dead, and another takes over its unfinished jobs.
        self.QUEUE_HEARTBEAT_TIMEOUT_MS = 60_000
        #: How often (per million Redis commands) a worker looks for dead workers' jobs: Dramatiq's default.
        self.QUEUE_MAINTENANCE_CHANCE = 1000
        #: The first retry waits about this long, each later one twice as long as the one before.
        self.QUEUE_MIN_BACKOFF_MS = 15_000
        #: Whether this process runs the in-process queue's worker thread (the tests run jobs themselves).
        self.QUEUE_IN_PROCESS_WORKER = True

    def _mail(self) -> None:
        """Email (``timebank.mail``). With no ``TIMEBANK_MAIL_URL`` emails are kept in the outbox that admins
        read at ``/outbox`` instead of being sent (a fresh machine, ``make run``)."""
        #: The SMTP server: ``smtp://user:password@host:587?starttls=1``, ``smtps://user:password@host:465``.
        self.MAIL_URL = _env("MAIL_URL") or None
        #: Who emails come from, e.g. ``Hollinbridge Time Bank <hello@timebank.example>``.
        self.MAIL_FROM = _env("MAIL_FROM") or "timebank <timebank@localhost>"
        #: The address people reach the app on, for the links in emails (a job has no request to read it from).
        self.BASE_URL = _env("BASE_URL") or "http://127.0.0.1:5000/"
        #: Flask-Mail's own settings (``MAIL_SERVER``, ``MAIL_PORT`` …), made from the URL.
        self.MAIL_DEFAULT_SENDER = self.MAIL_FROM
        self.MAIL_SUPPRESS_SEND = not self.MAIL_URL
        if self.MAIL_URL:
            from timebank.mail.transport import smtp_settings  # the one parser of the URL

            try:
                for name, value in smtp_settings(self.MAIL_URL).items():
                    setattr(self, name, value)
            except ValueError as error:
                raise ConfigError(f"TIMEBANK_MAIL_URL cannot be used: {error}") from None
        if not self.BASE_URL.startswith(("http://", "https://")):
            raise ConfigError(f"TIMEBANK_BASE_URL must start with http:// or https://, not {self.BASE_URL!r}")

    def _rate_limits(self) -> None:
        """Flask-Limiter's settings, and the limits on each kind of attempt (``timebank.auth.limits``)."""
        self.RATELIMIT_ENABLED = (_env("RATELIMIT_ENABLED", "true") or "true").lower() != "false"
        #: ``memory://`` counts per process; with several workers use Redis: ``redis://host:6379/0``.
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URL", "memory://")
        #: Storage errors become ``limits.errors.StorageError``: one type to catch where Redis may be down.
        self.RATELIMIT_STORAGE_OPTIONS: dict[str, object] = {"wrap_exceptions": True}
        #: What begins every key in that storage (the limits' and the sign-in back-off's), so that two
        #: installs, or two test runs, can share one Redis.
        if prefix := _env("RATELIMIT_KEY_PREFIX"):
            self.RATELIMIT_STORAGE_OPTIONS["key_prefix"] = prefix
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
        self._check_benefit_keys()
        if self.MAIL_URL and not (_env("MAIL_FROM") and _env("BASE_URL")):
            raise ConfigError("With TIMEBANK_MAIL_URL set, set TIMEBANK_MAIL_FROM (who emails come from) and "
                              "TIMEBANK_BASE_URL (the address in their links, e.g. https://timebank.example/) too.")

    def _check_benefit_keys(self) -> None:
        from timebank.benefits import crypto  # the one parser of the keys (cryptography's Fernet)

        if not self.BENEFIT_KEYS:
            raise ConfigError(
                "TIMEBANK_BENEFIT_KEYS must be set: it encrypts members' benefit data. Make one with\n"
                f"    {MAKE_A_BENEFIT_KEY}\n"
                "and keep it outside the database (and its backups)."
            )
        try:
            crypto.parse_keys(self.BENEFIT_KEYS)
        except crypto.BenefitKeyError as error:
            raise ConfigError(f"TIMEBANK_BENEFIT_KEYS cannot be used: {error}. Make one with\n"
                              f"    {MAKE_A_BENEFIT_KEY}") from None


class DevelopmentConfig(BaseConfig):
    TIMEBANK_ENV = "development"
    DEFAULT_LOG_FORMAT = "text"

    def validate(self) -> None:
        self.SECRET_KEY = self.SECRET_KEY or development_secret_key(INSTANCE_DIR)
        self.BENEFIT_KEYS = self.BENEFIT_KEYS or development_benefit_key(INSTANCE_DIR)
        self._check_benefit_keys()


class TestingConfig(BaseConfig):
    """For the test suite and the benchmarks, which build it directly: ``TIMEBANK_ENV`` cannot choose it,
    because it turns CSRF protection off and password hashing down, which no server may do."""

    TIMEBANK_ENV = "testing"
    DEFAULT_LOG_FORMAT = "text"

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.WTF_CSRF_ENABLED = False
        self.FAST_PASSWORD_HASHING = True
        # The suite signs in thousands of times from one address; the limiter's own tests turn it on.
        self.RATELIMIT_ENABLED = False
        self.SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL") or "sqlite://"
        # Each test runs its jobs itself, in its own transaction (tests/jobs start real workers).
        self.QUEUE_IN_PROCESS_WORKER = False

    def validate(self) -> None:
        # A fresh key each time: nothing outlives the test run, and no file is written.
        self.SECRET_KEY = self.SECRET_KEY or secrets.token_urlsafe(48)
        self.BENEFIT_KEYS = self.BENEFIT_KEYS or _TEST_BENEFIT_KEY


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


@dataclass(frozen=True)
class WebServer:
    """How gunicorn serves the app (``timebank.serving`` hands these to it), from ``TIMEBANK_WEB_*``."""

    #: Where to listen: ``HOST:PORT`` or ``unix:PATH`` (``TIMEBANK_BIND``).
    bind: str
    #: Worker processes. Each is a whole copy of the app with its own database connections.
    workers: int
    #: Threads per worker: requests mostly wait on PostgreSQL, so a few threads overlap that wait.
    threads: int
    #: Seconds a request may take before its worker is killed and replaced (applying the largest paper
    #: timesheet in the request takes about a minute).
    timeout: int
    #: Seconds a worker has to finish the requests it holds after SIGTERM, before it is killed.
    graceful_timeout: int
    #: Seconds an idle keep-alive connection from the proxy stays open.
    keepalive: int
    #: A worker is replaced after about this many requests (0: never), which bounds any slow leak.
    max_requests: int
    #: The logs' level and format, as the app's (``log_settings``).
    log_level: str
    log_format: str


def default_web_workers() -> int:
    """gunicorn's own advice: two per core plus one, so one is always free while others wait."""
    return 2 * (os.cpu_count() or 1) + 1


def web_server() -> WebServer:
    environment = CONFIGS.get(_env("ENV") or "production", ProductionConfig)
    log_level, log_format = log_settings(environment.DEFAULT_LOG_FORMAT)
    return WebServer(
        bind=_env("BIND", "127.0.0.1:8000") or "127.0.0.1:8000",
        workers=_whole_number("WEB_WORKERS", default_web_workers(), low=1, high=256),
        threads=_whole_number("WEB_THREADS", 2, low=1, high=64),
        timeout=_whole_number("WEB_TIMEOUT", 30, low=1, high=3600),
        graceful_timeout=_whole_number("WEB_GRACEFUL_TIMEOUT", 30, low=1, high=3600),
        keepalive=_whole_number("WEB_KEEPALIVE", 5, low=0, high=300),
        max_requests=_whole_number("WEB_MAX_REQUESTS", 10000, low=0, high=10_000_000),
        log_level=log_level,
        log_format=log_format,
    )

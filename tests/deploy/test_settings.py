"""Every setting comes from the environment, through ``config.py`` alone, and each is documented in the
deployment guide's table of variables."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deployment.md"
#: Read only by the test suite, so not for a deployment's guide.
TEST_ONLY = {"TEST_DATABASE_URL"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith("TIMEBANK_")]:
        monkeypatch.delenv(name)


def _variables_read() -> set[str]:
    source = (ROOT / "config.py").read_text(encoding="utf-8")
    named = set(re.findall(r'_(?:env|whole_number|lifetime)\("([A-Z_]+)"', source))
    return named | {f"RATELIMIT_{name}" for name in config.RATE_LIMITS}


def test_every_variable_is_in_the_deployment_guide() -> None:
    documented = set(re.findall(r"^\| `TIMEBANK_([A-Z_]+)`", GUIDE.read_text(encoding="utf-8"), re.MULTILINE))
    assert sorted(_variables_read() - TEST_ONLY - documented) == [], "read but not documented"
    assert sorted(documented - _variables_read()) == [], "documented but never read"


def test_only_config_reads_the_environment() -> None:
    readers = [path.relative_to(ROOT) for path in (ROOT / "timebank").rglob("*.py")
               if re.search(r"os\.environ|getenv\(", path.read_text(encoding="utf-8"))]
    # backup passes the environment on to pg_dump and pg_restore, with the password added.
    assert readers == [Path("timebank/ops/backup.py")]


def test_the_web_server_defaults_to_two_workers_a_core_plus_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    server = config.web_server()
    assert (server.bind, server.workers, server.threads) == ("127.0.0.1:8000", 9, 2)
    assert (server.log_level, server.log_format) == ("INFO", "json")


def test_the_web_server_takes_its_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"BIND": "0.0.0.0:5000", "WEB_WORKERS": "3", "WEB_THREADS": "4",
                        "WEB_GRACEFUL_TIMEOUT": "45", "LOG_LEVEL": "warning", "ENV": "development"}.items():
        monkeypatch.setenv(f"TIMEBANK_{name}", value)
    server = config.web_server()
    assert (server.bind, server.workers, server.threads, server.graceful_timeout) == ("0.0.0.0:5000", 3, 4, 45)
    assert (server.log_level, server.log_format) == ("WARNING", "text")


@pytest.mark.parametrize(("name", "value"), [("WEB_WORKERS", "0"), ("WEB_THREADS", "many"),
                                             ("LOG_LEVEL", "LOUD"), ("LOG_FORMAT", "xml")])
def test_a_malformed_setting_stops_the_server_from_starting(monkeypatch: pytest.MonkeyPatch, name: str,
                                                            value: str) -> None:
    monkeypatch.setenv(f"TIMEBANK_{name}", value)
    with pytest.raises(config.ConfigError, match=f"TIMEBANK_{name}"):
        config.web_server()


def test_a_key_prefix_reaches_the_rate_limit_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEBANK_RATELIMIT_KEY_PREFIX", "council-a")
    settings = config.TestingConfig()
    assert settings.RATELIMIT_STORAGE_OPTIONS == {"wrap_exceptions": True, "key_prefix": "council-a"}
    assert (settings.LOG_LEVEL, settings.LOG_FORMAT) == ("INFO", "text")

"""Configuration is read from the environment and fails fast where a secret is missing. Unset
``TIMEBANK_ENV`` means production; development is chosen explicitly and then signs with a random key
kept on the machine, never one from the source code."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = "s" * 40
#: A Fernet key (32 bytes, url-safe base64), for the settings that need one.
BENEFIT_KEY = "c2V0dGluZ3MtdGVzdC1iZW5lZml0LWtleS0zMmJ5dGU="


@pytest.fixture(autouse=True)
def instance_dir(monkeypatch, tmp_path) -> Path:
    """Development keeps its key under the instance folder: a fresh one for each test, and no TIMEBANK_*
    setting from whoever runs the tests."""
    for name in [name for name in os.environ if name.startswith("TIMEBANK_")]:
        monkeypatch.delenv(name)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path / "instance")
    return tmp_path / "instance"


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(config.ConfigError, match="TIMEBANK_SECRET_KEY must be set") as refused:
        config.load("production")
    assert "secrets.token_urlsafe(48)" in str(refused.value)


def test_no_environment_at_all_is_production_and_refuses_to_start():
    with pytest.raises(config.ConfigError, match="TIMEBANK_SECRET_KEY"):
        config.load()


@pytest.mark.parametrize("key", ["development-only-not-secret", "x" * 31])
def test_production_refuses_a_short_secret_key(monkeypatch, key):
    monkeypatch.setenv("TIMEBANK_SECRET_KEY", key)
    with pytest.raises(config.ConfigError, match="at least 32 characters"):
        config.load("production")


def test_settings_come_from_timebank_variables(monkeypatch):
    monkeypatch.setenv("TIMEBANK_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("TIMEBANK_BENEFIT_KEYS", BENEFIT_KEY)
    monkeypatch.setenv("TIMEBANK_DATABASE_URL", "postgresql+psycopg://db.invalid/timebank")
    monkeypatch.setenv("TIMEBANK_PASSWORD_RESET_LINK_HOURS", "2")
    settings = config.load()
    assert settings.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://db.invalid/timebank"
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.TIMEBANK_ENV == "production"
    assert settings.PASSWORD_RESET_LINK_LIFETIME.total_seconds() == 2 * 3600
    assert settings.PASSWORD_SET_UP_LINK_LIFETIME.days == 7


@pytest.mark.parametrize("value", ["soon", "0", "-3"])
def test_a_lifetime_that_is_not_a_whole_number_above_zero_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("TIMEBANK_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("TIMEBANK_BENEFIT_KEYS", BENEFIT_KEY)
    monkeypatch.setenv("TIMEBANK_PASSWORD_SET_UP_LINK_DAYS", value)
    with pytest.raises(config.ConfigError, match="TIMEBANK_PASSWORD_SET_UP_LINK_DAYS"):
        config.load()


def test_the_default_database_is_sqlite_under_instance():
    settings = config.load("development")
    assert settings.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert settings.SQLALCHEMY_DATABASE_URI.endswith("instance/timebank.sqlite")


def test_development_signs_with_a_random_key_kept_private_on_this_machine(instance_dir):
    first = config.load("development").SECRET_KEY
    kept = instance_dir / "dev-secret-key"

    assert first != "development-only-not-secret" and len(first) >= config.MIN_SECRET_KEY_LENGTH
    assert kept.read_text().strip() == first
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert first == config.load("development").SECRET_KEY  # the same key on the next start


def test_development_uses_a_key_that_is_set(monkeypatch):
    monkeypatch.setenv("TIMEBANK_SECRET_KEY", "short is fine on my own machine")
    assert config.load("development").SECRET_KEY == "short is fine on my own machine"


def test_a_test_configuration_has_a_fresh_key_and_writes_nothing(instance_dir):
    keys = {config.TestingConfig().SECRET_KEY for _ in range(2)}
    assert len(keys) == 2 and "development-only-not-secret" not in keys
    assert not instance_dir.exists()


def test_production_refuses_to_start_without_a_key_for_benefit_data(monkeypatch):
    monkeypatch.setenv("TIMEBANK_SECRET_KEY", GOOD_KEY)
    with pytest.raises(config.ConfigError, match="TIMEBANK_BENEFIT_KEYS must be set") as refused:
        config.load("production")
    assert "Fernet.generate_key()" in str(refused.value)


@pytest.mark.parametrize("keys", ["not-a-key", "c2hvcnQ=", f"{BENEFIT_KEY},not-a-key"])
def test_production_refuses_a_benefit_key_that_is_not_a_fernet_key(monkeypatch, keys):
    monkeypatch.setenv("TIMEBANK_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("TIMEBANK_BENEFIT_KEYS", keys)
    with pytest.raises(config.ConfigError, match="TIMEBANK_BENEFIT_KEYS cannot be used"):
        config.load("production")


def test_development_keeps_a_benefit_key_of_its_own_on_the_machine(instance_dir):
    first = config.load("development").BENEFIT_KEYS
    assert first == config.load("development").BENEFIT_KEYS
    assert stat.S_IMODE((instance_dir / "dev-benefit-key").stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["staging", "testing"])
def test_an_environment_that_is_not_offered_is_a_clear_error(name):
    """``testing`` turns CSRF protection off: no server may start with it."""
    with pytest.raises(config.ConfigError, match="TIMEBANK_ENV must be one of development, production"):
        config.load(name)


def test_a_server_started_with_no_settings_refuses_to_run():
    """What gunicorn or ``flask run`` does outside ``make run``: import ``wsgi`` and build the app."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("TIMEBANK_")}
    started = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120)
    assert started.returncode != 0
    assert "ConfigError: TIMEBANK_SECRET_KEY must be set" in started.stderr


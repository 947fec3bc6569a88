"""Configuration is read from the environment, and fails fast where a secret is missing."""

from __future__ import annotations

import pytest

import config


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("TIMEBANK_SECRET_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="TIMEBANK_SECRET_KEY"):
        config.load("production")


def test_settings_come_from_timebank_variables(monkeypatch):
    monkeypatch.setenv("TIMEBANK_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("TIMEBANK_DATABASE_URL", "postgresql+psycopg://db.invalid/timebank")
    settings = config.load("production")
    assert settings.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://db.invalid/timebank"
    assert settings.SESSION_COOKIE_SECURE is True


def test_the_default_database_is_sqlite_under_instance(monkeypatch):
    monkeypatch.delenv("TIMEBANK_DATABASE_URL", raising=False)
    settings = config.load("development")
    assert settings.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert settings.SQLALCHEMY_DATABASE_URI.endswith("instance/timebank.sqlite")


def test_an_unknown_environment_is_a_clear_error():
    with pytest.raises(config.ConfigError, match="TIMEBANK_ENV"):
        config.load("staging")

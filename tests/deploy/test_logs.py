"""Logs: one JSON object a line with the request's id, which comes from the proxy when it is a sane token
and is sent back in ``X-Request-ID``."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from flask import Flask

from timebank import logs


def test_a_sane_request_id_from_the_proxy_is_kept_and_logged(app: Flask, capsys: pytest.CaptureFixture[str],
                                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=logs.access_log.name)
    handler = logs.handler("json")
    logs.access_log.addHandler(handler)
    try:
        response = app.test_client().get("/healthz", headers={"X-Request-ID": "0f9e8d7c6b5a4930"})
    finally:
        logs.access_log.removeHandler(handler)
    assert response.headers["X-Request-ID"] == "0f9e8d7c6b5a4930"
    (record,) = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert {"level": "INFO", "logger": "timebank.access", "message": "request", "method": "GET",
            "path": "/healthz", "status": 200, "request_id": "0f9e8d7c6b5a4930"}.items() <= record.items()


@pytest.mark.parametrize("offered", ["", "short", "a b c d e f g h", "x" * 129, "<script>alert(1)</script>"])
def test_anything_else_gets_an_id_of_our_own(app: Flask, offered: str) -> None:
    response = app.test_client().get("/healthz", headers={"X-Request-ID": offered})
    made = response.headers["X-Request-ID"]
    assert made != offered and len(made) == 32 and int(made, 16) >= 0


def test_a_json_line_carries_extras_and_the_traceback() -> None:
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord("timebank.test", logging.ERROR, __file__, 1, "failed %s", ("twice",),
                                   exc_info=sys.exc_info())
    record.bank_id = 7
    logs.RequestIdFilter().filter(record)
    line = json.loads(logs.JsonFormatter().format(record))
    assert {"level": "ERROR", "logger": "timebank.test", "message": "failed twice", "bank_id": 7,
            "request_id": None}.items() <= line.items()
    assert "ValueError: broken" in line["exception"]


def test_configuring_twice_leaves_one_handler() -> None:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    try:
        logs.configure("text", "WARNING")
        logs.configure("json", "INFO")
        added = [handler for handler in root.handlers if handler not in before]
        assert len(added) == 1 and isinstance(added[0].formatter, logs.JsonFormatter)
        assert root.level == logging.INFO
    finally:
        root.handlers[:] = before
        root.setLevel(level)

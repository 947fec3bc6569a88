"""Logs: one line per record on stderr, as JSON in production (for a log collector) or as text in
development, each tagged with the id of the request it belongs to.

The request id is the proxy's ``X-Request-ID`` when that is a plain token (nginx's ``$request_id``, a
UUID), so one id follows a request from the proxy's log through ours; otherwise one is made. It is sent
back in the ``X-Request-ID`` header, and every record logged while the request runs carries it. Each
request ends with one ``request`` record (method, path, status, milliseconds): the access log.

Gunicorn's own records (workers starting and stopping, a worker timed out) go through the same formatter
(``timebank.serving``), so a log collector reads one format.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
#: What a request id from the proxy may be: a token that cannot forge a log line or a header.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
#: The attributes every ``LogRecord`` has; anything else on a record came from ``extra=`` and is logged.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
#: Marks the handler ``configure`` installs, so configuring again replaces it rather than adding another.
_OURS = "timebank_handler"

access_log = logging.getLogger("timebank.access")


def current_request_id() -> str | None:
    """The current request's id (taken or made on first asking), or ``None`` outside a request."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = offered if _SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
    return g.request_id


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (``None`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request id, whatever the
    call passed in ``extra``, and the traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update((key, value) for key, value in vars(record).items() if key not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def formatter(kind: str) -> logging.Formatter:
    return JsonFormatter() if kind == "json" else logging.Formatter(TEXT_FORMAT)


def handler(kind: str) -> logging.Handler:
    """A handler writing to stderr in ``kind`` (``json`` or ``text``), tagging records with the request id."""
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(formatter(kind))
    stream.addFilter(RequestIdFilter())
    return stream


def configure(kind: str, level: str) -> None:
    """Send every logger's records (the root's) to stderr in ``kind`` at ``level``. Idempotent."""
    root = logging.getLogger()
    for old in [each for each in root.handlers if getattr(each, _OURS, False)]:
        root.removeHandler(old)
    new = handler(kind)
    setattr(new, _OURS, True)
    root.addHandler(new)
    root.setLevel(level)


def _start_request() -> None:
    g.request_started = time.perf_counter()


def _end_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = current_request_id() or ""
    if not access_log.isEnabledFor(logging.INFO):  # above INFO (production's WARNING, say): nothing to make
        return response
    started = g.get("request_started")  # absent if an earlier hook refused the request
    access_log.info("request", extra={
        "method": request.method, "path": request.path, "status": response.status_code,
        "duration_ms": None if started is None else round((time.perf_counter() - started) * 1000, 1),
    })
    return response


def init_app(app: Flask) -> None:
    """Tag each request with its id and log its end. Outside the tests, also send the logs to stderr as
    ``LOG_FORMAT`` says (the test runner captures records its own way)."""
    if not app.testing:
        configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    app.before_request(_start_request)
    app.after_request(_end_request)

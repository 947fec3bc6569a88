"""What ``/readyz`` checks: the database answers ``SELECT 1``, and every Redis the settings name answers
``PING`` (``READINESS_REDIS_SETTINGS``: the rate limit storage, and any other that adds itself there).
Nothing here writes or reads anyone's data."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import redis
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from timebank.db import db

log = logging.getLogger(__name__)
#: How long a check waits for Redis before calling it unreachable: a load balancer asks often.
REDIS_TIMEOUT_SECONDS = 2
#: URL schemes ``redis.from_url`` reads, and the ``limits`` library's name for a Unix socket.
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
_LIMITS_UNIX = "redis+unix://"


def redis_url(value: Any) -> str | None:
    """``value`` as a URL the Redis client reads, or ``None`` if it names no Redis (``memory://``, unset)."""
    if not isinstance(value, str):
        return None
    if value.startswith(_LIMITS_UNIX):
        return "unix://" + value.removeprefix(_LIMITS_UNIX)
    return value if value.startswith(_REDIS_SCHEMES) else None


def _database_answers() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return True
    except SQLAlchemyError:
        log.warning("Readiness: the database cannot be reached", exc_info=True)
        return False
    finally:
        db.session.rollback()


def _redis_answers(url: str, name: str) -> bool:
    try:
        with redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS,
                                  socket_connect_timeout=REDIS_TIMEOUT_SECONDS) as client:
            client.ping()
        return True
    except (redis.RedisError, OSError):
        log.warning("Readiness: the %s cannot be reached", name, exc_info=True)
        return False


def unreachable(settings: Mapping[str, Any]) -> list[str]:
    """The names of what cannot be reached (``database`` and the names in ``READINESS_REDIS_SETTINGS``);
    empty when the app is ready to serve."""
    failed = [] if _database_answers() else ["database"]
    for setting, name in settings["READINESS_REDIS_SETTINGS"].items():
        url = redis_url(settings.get(setting))
        if url is not None and not _redis_answers(url, name):
            failed.append(name)
    return failed

"""What the deployment tests share: the test Redis, under a key prefix of each test's own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from tests.support import service_url


@pytest.fixture
def redis_prefix() -> Iterator[tuple[str, str]]:
    """The test Redis (the skip-or-fail rule of ``tests.support.service_url``) and a key prefix of this
    test's own, for the rate limits and the task queue; its keys are deleted afterwards."""
    url = service_url("TIMEBANK_TEST_REDIS_URL", "Redis", lambda url: redis.Redis.from_url(url).ping(),
                      redis.exceptions.RedisError)
    prefix = f"timebank-test-{uuid.uuid4().hex}"
    yield url, prefix
    with redis.Redis.from_url(url) as client:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)

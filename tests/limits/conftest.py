"""A real redis-server for the shared-state tests (``redis_process.running_redis``),
started on a free loopback port for the session and stopped after.

``make test`` installs Debian's redis-server first (scripts/ensure-redis.sh).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from .redis_process import RedisServerError, running_redis


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a redis-server of its own (``redis://127.0.0.1:PORT/0``)."""
    try:
        server = running_redis(tmp_path_factory.mktemp("redis"))
        url = server.__enter__()
    except RedisServerError as exc:
        pytest.fail(str(exc))
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """The session's server, emptied before each test."""
    client = redis.Redis.from_url(redis_server)
    client.flushall()
    client.close()
    yield redis_server

"""Fixtures of the webhooks tests: a sandbox over plain HTTP whose clock runs 600 times
faster (a retry "after a minute" comes after 0.1 s), and a redis-server of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from xero_sandbox.process import RunningSandbox, launch

from ..limits.redis_process import RedisServerError, running_redis

TIME_SCALE = 600


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """``xero-sandbox serve --http --time-scale 600 --db FILE`` for the module."""
    db = tmp_path_factory.mktemp("webhooks") / "sandbox.db"
    running = launch(["--http", "--time-scale", str(TIME_SCALE), "--db", str(db)])
    running.values["db"] = str(db)
    try:
        yield running
    finally:
        status = running.stop()
        assert status in (0, -15), running.stderr


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a redis-server of its own."""
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


@pytest.fixture
def tmp_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path

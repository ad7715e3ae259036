"""A redis-server of its own: started on a free loopback port (no persistence, data in a
given folder) and stopped after. Used by the shared-state tests and the benchmark.

``make test`` and ``make bench`` install Debian's redis-server first (scripts/ensure-redis.sh).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis


class RedisServerError(RuntimeError):
    """redis-server is missing, exited, or did not answer."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def running_redis(folder: Path) -> Iterator[str]:
    """The URL (``redis://127.0.0.1:PORT/0``) of a redis-server kept running meanwhile."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        raise RedisServerError("redis-server is not installed: run `bash scripts/ensure-redis.sh`")
    port = _free_port()
    options = {"bind": "127.0.0.1", "port": str(port), "save": "", "appendonly": "no",
               "dir": str(folder), "protected-mode": "yes"}  # fmt: skip
    args = [binary] + [word for name, value in options.items() for word in (f"--{name}", value)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(200):
            try:
                if client.ping():
                    break
            except redis.exceptions.ConnectionError:
                if process.poll() is not None:
                    raise RedisServerError(
                        f"redis-server exited with {process.returncode}"
                    ) from None
                time.sleep(0.02)
        else:
            raise RedisServerError("redis-server did not answer PING")
        yield url
    finally:
        client.close()
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

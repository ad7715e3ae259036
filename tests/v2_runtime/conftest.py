"""Fixtures of the 2.0 runtime tests: no test ever really sleeps between retries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from xero_customer_api._runtime import _base_client


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Every retry delay the runtime asked for, in order (sync and async); nothing waits."""
    delays: list[float] = []

    def fake_sleep(seconds: float) -> None:
        delays.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        delays.append(seconds)

    monkeypatch.setattr(_base_client.time, "sleep", fake_sleep)
    monkeypatch.setattr(_base_client, "_async_sleep", fake_async_sleep)
    yield delays

"""Issue 20 item 10: a rotated refresh token is never lost, against a real redis-server.

Xero rotates the refresh token on every refresh (RT0 -> RT1; RT0 is refused from then on).
Before the fix the client ran ``on_token_refresh`` before the store was written: when the
callback raised (the app's database is down) or the worker died inside it, Redis kept RT0,
every other worker got ``invalid_grant`` and the organisation was disconnected; worker A
even adopted the stale RT0 over its own good RT1.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import redis
from xero_customer_api import AsyncXeroClient, MemoryTokenStore, TokenStore, XeroError
from xero_customer_api.redis import RedisTokenStore

from .test_redis import BASE_URL, TENANT, TOKEN_URL, Identity, client, expired


class DatabaseDown(Exception):
    pass


class WorkerKilled(BaseException):
    """What a worker dying inside the callback looks like to the code around it."""


def fail(exc: BaseException) -> Any:
    def callback(token: dict[str, Any]) -> None:
        raise exc

    return callback


def make_store(kind: str, url: str) -> TokenStore:
    return MemoryTokenStore() if kind == "memory" else RedisTokenStore(url)


@pytest.mark.parametrize("kind", ["memory", "redis"])
@pytest.mark.parametrize("error", [DatabaseDown("db down"), WorkerKilled()])
def test_a_failing_callback_does_not_lose_the_rotated_token(
    kind: str, error: BaseException, redis_url: str
) -> None:
    xero = Identity()
    store = make_store(kind, redis_url)
    worker_a = client(store, xero, on_token_refresh=fail(error))
    with pytest.raises((XeroError, WorkerKilled)):
        worker_a.contacts.list()
    assert xero.refreshes == 1
    stored = store.get(TENANT)
    assert stored is not None and stored["refresh_token"] == xero.live == "refresh-1"
    # every other worker starts from the store and needs no refresh: nothing refused
    worker_b = client(store, xero)
    worker_b.contacts.list()
    worker_a.contacts.list()  # A keeps its own good token
    assert xero.refused == 0 and xero.refreshes == 1
    if isinstance(store, RedisTokenStore):
        store.close()


def test_the_callback_runs_after_the_store_holds_the_token(redis_url: str) -> None:
    xero = Identity()
    store = RedisTokenStore(redis_url)
    seen_in_store: list[str | None] = []

    def callback(token: dict[str, Any]) -> None:
        stored = store.get(TENANT)
        seen_in_store.append(None if stored is None else stored["refresh_token"])

    client(store, xero, on_token_refresh=callback).contacts.list()
    assert seen_in_store == [xero.live] == ["refresh-1"]
    store.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_async_failing_callback_does_not_lose_the_rotated_token(
    kind: str, redis_url: str
) -> None:
    xero = Identity()
    store = make_store(kind, redis_url)

    async def callback(token: dict[str, Any]) -> None:
        raise DatabaseDown("db down")

    def make(**extra: Any) -> AsyncXeroClient:
        return AsyncXeroClient(
            client_id="CLIENTID0123456789ABCDEF",
            client_secret="s3cr3t-CLIENT-SECRET-value",
            token=expired(),
            tenant_id=TENANT,
            token_url=TOKEN_URL,
            base_url=BASE_URL,
            token_store=store,
            limiter=None,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(xero)),
            **extra,
        )

    with pytest.raises(XeroError, match="on_token_refresh"):
        await make(on_token_refresh=callback).contacts.list()
    stored = await asyncio.to_thread(store.get, TENANT)
    assert stored is not None and stored["refresh_token"] == "refresh-1"
    await make().contacts.list()
    assert xero.refused == 0 and xero.refreshes == 1
    if isinstance(store, RedisTokenStore):
        await store.aclose()


class ExpiresOnce(Identity):
    """Xero that answers 401 TokenExpired to the first call with ``access-token-1``."""

    def __init__(self) -> None:
        super().__init__()
        self.expired_once = False
        self.armed = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if (
            not request.url.path.endswith("/connect/token")
            and request.headers.get("authorization") == "Bearer access-token-1-abcdefgh"
            and self.armed
            and not self.expired_once
        ):
            self.expired_once = True
            return httpx.Response(
                401,
                json={
                    "Title": "Unauthorized",
                    "Status": 401,
                    "Detail": "TokenExpired: token expired",
                },
            )
        return super().__call__(request)


def test_a_worker_never_adopts_an_older_token_over_its_own(redis_url: str) -> None:
    xero = ExpiresOnce()
    store = RedisTokenStore(redis_url)
    worker_a = client(store, xero)
    worker_a.contacts.list()  # refresh-0 -> refresh-1, stored
    # the store loses the write (restored from an old backup, a failover): it holds RT0 again
    raw = redis.Redis.from_url(redis_url)
    raw.set(store._name(TENANT), json.dumps(expired()))
    raw.close()
    xero.armed = True
    worker_a.contacts.list()  # 401 TokenExpired: A refreshes with its own RT1, not RT0
    assert xero.refused == 0 and xero.refreshes == 2
    stored = store.get(TENANT)
    assert stored is not None and stored["refresh_token"] == xero.live == "refresh-2"
    store.close()

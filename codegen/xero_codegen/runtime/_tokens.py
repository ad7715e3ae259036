"""Token stores: where the OAuth 2.0 tokens of each organisation live, shared by clients.

A refresh rotates the refresh token: the old one stops working once the new one is issued, so
two clients (or two worker processes) refreshing the same token at the same time lose the
organisation (it must connect again). A :class:`TokenStore` makes the refresh happen once:
:meth:`TokenStore.refresh` runs under the key's lock, and a client that waited finds the
token another one stored meanwhile and uses it instead of refreshing again. The new token is
stored before the lock is released and before ``on_token_refresh`` runs, so the rotated
refresh token is never lost (a callback that raises, or a worker that dies in it, leaves it in
the store), and a client never adopts a stored token older (expiring earlier) than its own.

Give one to a client as ``XeroClient(..., token_store=store, tenant_id=...)``: the client's
tokens live under its ``tenant_id`` (``"default"`` without one). A token already in the store
wins over the ``token=`` given to the client (the store holds the live refresh token),
unless it is older.

:class:`MemoryTokenStore` serves the clients of one process;
``xero_customer_api.redis.RedisTokenStore`` those of many processes and machines.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

__all__ = ["MemoryTokenStore", "TokenStore", "same_token"]

Fetch = Callable[[Mapping[str, Any] | None], dict[str, Any]]
AsyncFetch = Callable[[Mapping[str, Any] | None], Awaitable[dict[str, Any]]]
Usable = Callable[[Mapping[str, Any] | None], bool]


def same_token(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    """Whether two token dicts carry the same access token."""
    return (a or {}).get("access_token") == (b or {}).get("access_token")


class TokenStore:
    """The interface clients use; subclasses keep the tokens somewhere."""

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored token of ``key``, or None."""
        raise NotImplementedError

    def put(self, key: str, token: Mapping[str, Any]) -> None:
        """Store ``token`` under ``key`` unless a token is there already (a client's first
        token; refreshed tokens are written by :meth:`refresh`)."""
        raise NotImplementedError

    def refresh(
        self, key: str, stale: Mapping[str, Any] | None, fetch: Fetch, usable: Usable
    ) -> dict[str, Any]:
        """The token to use after ``stale`` failed or expired, refreshed at most once.

        Under the key's lock: when the stored token is another one than ``stale`` and
        ``usable``, somebody refreshed meanwhile and it is returned; otherwise
        ``fetch(stored)`` gets a new one (from the stored token's refresh token), which is
        stored before the lock is released and returned.
        """
        raise NotImplementedError

    async def arefresh(
        self, key: str, stale: Mapping[str, Any] | None, fetch: AsyncFetch, usable: Usable
    ) -> dict[str, Any]:
        """The async twin of :meth:`refresh` (never blocks the event loop while waiting)."""
        raise NotImplementedError


def _reusable(
    current: Mapping[str, Any] | None, stale: Mapping[str, Any] | None, usable: Usable
) -> bool:
    return current is not None and not same_token(current, stale) and usable(current)


class MemoryTokenStore(TokenStore):
    """Tokens kept in this process, shared by its clients (threads and event loops)."""

    def __init__(self) -> None:
        self._tokens: dict[str, dict[str, Any]] = {}
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def __repr__(self) -> str:
        return f"MemoryTokenStore({len(self._tokens)} tokens)"  # never the tokens

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, key: str) -> dict[str, Any] | None:
        with self._guard:
            token = self._tokens.get(key)
            return None if token is None else dict(token)

    def put(self, key: str, token: Mapping[str, Any]) -> None:
        with self._guard:
            self._tokens.setdefault(key, dict(token))

    def _write(self, key: str, token: Mapping[str, Any]) -> None:
        with self._guard:
            self._tokens[key] = dict(token)

    def refresh(
        self, key: str, stale: Mapping[str, Any] | None, fetch: Fetch, usable: Usable
    ) -> dict[str, Any]:
        with self._lock(key):
            current = self.get(key)
            if _reusable(current, stale, usable):
                assert current is not None
                return current
            token = fetch(current)
            self._write(key, token)
            return dict(token)

    async def arefresh(
        self, key: str, stale: Mapping[str, Any] | None, fetch: AsyncFetch, usable: Usable
    ) -> dict[str, Any]:
        import asyncio

        lock = self._lock(key)
        while not lock.acquire(blocking=False):  # another thread or loop is refreshing
            await asyncio.sleep(0.005)
        try:
            current = self.get(key)
            if _reusable(current, stale, usable):
                assert current is not None
                return current
            token = await fetch(current)
            self._write(key, token)
            return dict(token)
        finally:
            lock.release()

"""Rate limits as Xero's API 2.0 applies them, per app and tenant, with a time scale for tests.

Per app and tenant: 5 calls in progress, 60 calls a minute, 5,000 a day; per app across its
tenants: 10,000 calls a minute. Windows are fixed and start at a tenant's (or app's) first
call, so they reset at different times for each tenant. Every answer carries
``X-DayLimit-Remaining``, ``X-MinLimit-Remaining`` and ``X-AppMinLimit-Remaining`` (a
tenantless call such as ``/connections`` only the app's); a call over a limit gets 429 with
``X-Rate-Limit-Problem`` (``concurrent``, ``minute``, ``day`` or ``appminute``) and
``Retry-After``. Refused calls do not count.

``time_scale`` N shortens every window N times (a minute lasts 60/N seconds, a day
86400/N). ``Retry-After`` is the time left in the window that refused the call, in the
same scaled seconds, rounded *up* to a whole second (at least 1): a client that waits what
it was told always finds the window reset, never a second refusal. Concurrent refusals say
``Retry-After: 1``.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

CONCURRENT = 5
PER_MINUTE = 60
PER_DAY = 5000
APP_PER_MINUTE = 10_000
MINUTE = 60.0
DAY = 86_400.0


@dataclass
class _Window:
    """A fixed window: ``count`` calls since ``start``."""

    length: float
    limit: int
    start: float = -math.inf
    count: int = 0

    def roll(self, now: float) -> None:
        if now >= self.start + self.length:
            self.start, self.count = now, 0

    def remaining(self) -> int:
        return max(0, self.limit - self.count)

    def retry_after(self, now: float) -> int:
        return max(1, math.ceil(self.start + self.length - now))


@dataclass
class _Tenant:
    minute: _Window
    day: _Window
    in_progress: int = 0


@dataclass(frozen=True)
class Decision:
    """Whether a call may go ahead, and the headers its answer carries."""

    allowed: bool
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    problem: str = ""


class RateLimiter:
    """The limits of every app and tenant (thread-safe; ``enabled=False`` lets all through)."""

    def __init__(
        self,
        *,
        time_scale: float = 1.0,
        enabled: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not time_scale > 0:
            raise ValueError("time_scale must be positive")
        self.time_scale = time_scale
        self.enabled = enabled
        self._clock = clock
        self._lock = threading.Lock()
        self._tenants: dict[tuple[str, str], _Tenant] = {}
        self._apps: dict[str, _Window] = {}

    def _tenant(self, app: str, tenant: str) -> _Tenant:
        key = (app, tenant)
        if key not in self._tenants:
            self._tenants[key] = _Tenant(
                _Window(MINUTE / self.time_scale, PER_MINUTE),
                _Window(DAY / self.time_scale, PER_DAY),
            )
        return self._tenants[key]

    def _app(self, app: str) -> _Window:
        if app not in self._apps:
            self._apps[app] = _Window(MINUTE / self.time_scale, APP_PER_MINUTE)
        return self._apps[app]

    def _headers(self, app: _Window, tenant: _Tenant | None) -> list[tuple[bytes, bytes]]:
        out = []
        if tenant is not None:
            out += [
                (b"x-daylimit-remaining", str(tenant.day.remaining()).encode()),
                (b"x-minlimit-remaining", str(tenant.minute.remaining()).encode()),
            ]
        out.append((b"x-appminlimit-remaining", str(app.remaining()).encode()))
        return out

    def acquire(self, app_id: str, tenant_id: str | None) -> Decision:
        """Count a call (and hold a concurrency slot until :meth:`release`) or refuse it."""
        if not self.enabled:
            return Decision(True)
        with self._lock:
            now = self._clock()
            app = self._app(app_id)
            app.roll(now)
            tenant = self._tenant(app_id, tenant_id) if tenant_id is not None else None
            problem, retry = "", 0
            if tenant is not None:
                tenant.minute.roll(now)
                tenant.day.roll(now)
                if tenant.in_progress >= CONCURRENT:
                    problem, retry = "concurrent", 1
                elif tenant.day.remaining() == 0:
                    problem, retry = "day", tenant.day.retry_after(now)
                elif tenant.minute.remaining() == 0:
                    problem, retry = "minute", tenant.minute.retry_after(now)
            if not problem and app.remaining() == 0:
                problem, retry = "appminute", app.retry_after(now)
            if problem:
                headers = [
                    *self._headers(app, tenant),
                    (b"x-rate-limit-problem", problem.encode()),
                    (b"retry-after", str(retry).encode()),
                ]
                return Decision(False, headers, problem)
            app.count += 1
            if tenant is not None:
                tenant.minute.count += 1
                tenant.day.count += 1
                tenant.in_progress += 1
            return Decision(True, self._headers(app, tenant))

    def release(self, app_id: str, tenant_id: str | None) -> None:
        """End a call admitted by :meth:`acquire`."""
        if not self.enabled or tenant_id is None:
            return
        with self._lock:
            tenant = self._tenants.get((app_id, tenant_id))
            if tenant is not None and tenant.in_progress > 0:
                tenant.in_progress -= 1

    def use(
        self, app_id: str, tenant_id: str, *, minute: int | None = None, day: int | None = None
    ) -> None:
        """Test hook: mark *minute* / *day* calls as already made in the current windows."""
        with self._lock:
            now = self._clock()
            tenant = self._tenant(app_id, tenant_id)
            for window, used in ((tenant.minute, minute), (tenant.day, day)):
                if used is not None:
                    window.roll(now)
                    window.count = max(0, min(used, window.limit))

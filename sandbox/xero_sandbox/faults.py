"""Fault injection and request counters for tests (reachable from loopback only).

Faults are scheduled per endpoint ("GET contacts") and consumed by the next matching
requests. ``503`` and ``429`` answer before the request is processed (nothing is written);
``delay``, ``reset`` and ``truncate`` act on the response of a processed request (a write
is committed before the client sees the fault).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

KINDS = ("503", "429", "delay", "reset", "truncate")
_METHODS = ("GET", "PUT", "POST")


@dataclass
class Fault:
    """A scheduled fault and how many more responses it applies to."""

    kind: str
    remaining: int
    retry_after: int = 1
    delay: float = 1.0


def endpoint_name(path: str) -> str:
    """``/api.xro/1.0/Contacts`` or ``contacts`` -> ``contacts``."""
    return path.rstrip("/").rsplit("/", 1)[-1].lower()


class FaultBoard:
    """Scheduled faults and per-endpoint request counts, shared by all connections."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, list[Fault]] = {}
        self._counts: Counter[str] = Counter()

    def schedule(self, spec: dict[str, Any]) -> str:
        """Schedule a fault from the JSON body of ``POST /_sandbox/faults``; returns its key."""
        kind = str(spec.get("kind", ""))
        method = str(spec.get("method", "GET")).upper()
        path = str(spec.get("path", ""))
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if method not in _METHODS:
            raise ValueError(f"method must be one of {', '.join(_METHODS)}")
        if not path:
            raise ValueError("path is required, e.g. 'contacts'")
        count = int(spec.get("count", 1))
        retry_after = int(spec.get("retry_after", 1))
        delay = float(spec.get("delay", 1.0))
        if count < 1 or retry_after < 0 or not 0 <= delay <= 60:
            raise ValueError("count must be >= 1, retry_after >= 0 and delay between 0 and 60")
        key = f"{method} {endpoint_name(path)}"
        with self._lock:
            self._faults.setdefault(key, []).append(Fault(kind, count, retry_after, delay))
        return key

    def take(self, method: str, endpoint: str) -> Fault | None:
        """Consume one application of the first fault scheduled for this endpoint."""
        key = f"{method} {endpoint}"
        with self._lock:
            queue = self._faults.get(key)
            if not queue:
                return None
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.pop(0)
            return Fault(fault.kind, 1, fault.retry_after, fault.delay)

    def clear(self) -> None:
        """Drop every scheduled fault."""
        with self._lock:
            self._faults.clear()

    def count(self, method: str, endpoint: str) -> None:
        """Count one API request."""
        with self._lock:
            self._counts[f"{method} {endpoint}"] += 1

    def stats(self) -> dict[str, Any]:
        """Counts per endpoint and the faults still pending."""
        with self._lock:
            return {
                "requests": dict(sorted(self._counts.items())),
                "pending_faults": {
                    k: sum(f.remaining for f in v) for k, v in self._faults.items() if v
                },
            }

    def reset_stats(self) -> None:
        """Zero the counters."""
        with self._lock:
            self._counts.clear()

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
_METHODS = ("GET", "PUT", "POST", "DELETE")


@dataclass
class Fault:
    """A scheduled fault and how many more responses it applies to."""

    kind: str
    remaining: int
    retry_after: int = 1
    delay: float = 1.0


def _number(
    spec: dict[str, Any], name: str, default: float, low: float, high: float, *, whole: bool
) -> float:
    """``spec[name]`` as a number within [low, high] (a whole one if *whole*), else ValueError.

    JSON numbers arrive as int or float (``1e400`` is ``inf``); booleans and strings are refused.
    """
    value = spec.get(name, default)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not low <= value <= high or (whole and value != int(value)):
        kind = "a whole number" if whole else "a number"
        raise ValueError(f"{name} must be {kind} between {low} and {high}")
    return float(value)


def endpoint_name(path: str) -> str:
    """``/api.xro/1.0/Contacts`` or ``contacts`` -> ``contacts``; a 2.0 path
    (``/api.xro/2.0/Invoices/...`` or ``2.0/Invoices``) -> ``2.0/invoices`` (its resource)."""
    text = path.strip().strip("/")
    for marker in ("api.xro/2.0/", "2.0/"):
        if marker in text and (marker != "2.0/" or text.startswith(marker)):
            rest = text.split(marker, 1)[1]
            return "2.0/" + rest.split("/", 1)[0].lower()
    return text.rsplit("/", 1)[-1].lower()


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
            raise ValueError("path is required, e.g. 'contacts' or '/api.xro/2.0/Invoices'")
        count = _number(spec, "count", 1, 1, 1_000_000, whole=True)
        retry_after = _number(spec, "retry_after", 1, 0, 86_400, whole=True)
        delay = _number(spec, "delay", 1.0, 0, 60, whole=False)
        key = f"{method} {endpoint_name(path)}"
        with self._lock:
            self._faults.setdefault(key, []).append(
                Fault(kind, int(count), int(retry_after), float(delay))
            )
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

"""Peak RSS growth of this process while a block runs, sampled by a thread every 2 ms.

``ru_maxrss`` cannot be used: it survives exec, so a child started by a big parent inherits the
parent's peak.
"""

from __future__ import annotations

import threading
from types import TracebackType

import psutil


class PeakRss:
    """``with PeakRss() as rss: ...``; then ``rss.growth`` is the peak RSS above the RSS at entry."""

    def __init__(self, interval: float = 0.002) -> None:
        self._interval = interval
        self._process = psutil.Process()
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._before = 0
        self._peak = 0

    def _sample(self) -> None:
        while not self._done.is_set():
            self._peak = max(self._peak, self._process.memory_info().rss)
            self._done.wait(self._interval)

    def __enter__(self) -> PeakRss:
        self._before = self._process.memory_info().rss
        self._sampler.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._done.set()
        self._sampler.join()

    @property
    def growth(self) -> int:
        """Bytes the peak stood above the RSS at entry (0 if it never rose)."""
        return max(0, self._peak - self._before)

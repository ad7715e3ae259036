"""Automatic garbage collection paused while a whole document is decoded.

Decoding a large answer allocates hundreds of thousands of container objects (dataclasses,
lists) that all survive. The automatic passes of the cyclic collector, triggered by those
allocations, find nothing to free (a decoded tree has no reference cycles; everything
temporary is freed by reference counting) but traverse the growing result again and again:
about a fifth of the time to decode 10,000 invoices. So the decoders of whole documents (the
client's, the generated ``DECODERS`` and the reference :func:`._xml.bind`) run with automatic
collection paused, and restore it afterwards.

The pause is process-wide (``gc`` has no per-thread switch) and counted: nested and
concurrent decodes re-enable collection when the last one ends, and only if it was enabled
when the first one began (an application that runs with ``gc.disable()`` is left alone).
``gc.collect()`` still works meanwhile; other threads' cyclic garbage waits for the end of
the decode. The streaming iterators decode one small item at a time and never pause.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["pause", "paused", "resume"]

E = TypeVar("E")
T = TypeVar("T")

_lock = threading.Lock()
_depth = 0
_reenable = False


def pause() -> None:
    """Start a pause (always pair with :func:`resume`, in a ``finally``)."""
    global _depth, _reenable
    with _lock:
        if _depth == 0:
            _reenable = gc.isenabled()
            if _reenable:
                gc.disable()
        _depth += 1


def resume() -> None:
    """End a pause; the last one re-enables collection if the first one disabled it."""
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _reenable:
            gc.enable()


def paused(decode: Callable[[E, bool], T]) -> Callable[[E, bool], T]:
    """``decode(element, strict)`` run with automatic garbage collection paused."""

    @functools.wraps(decode)
    def run(element: E, strict: bool = False) -> T:
        pause()
        try:
            return decode(element, strict)
        finally:
            resume()

    return run

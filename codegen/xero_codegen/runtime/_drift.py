"""Counting what answers held that the schemas did not know (schema drift).

Xero changes its API without notice. The generated decoders skip an element they do not
know (unless ``strict=True``) and keep an unknown enumerated value as its text; both are
reported here: counted per client and logged as a warning once per kind and client, saying
what a user of the package does (upgrade; report it with the answer recorded) and what a
maintainer with a checkout runs (``xero-codegen drift``, recorded answers -> schema patch).

The client activates its counter around each decode (:func:`watching`); the decoders call
:func:`skipped` and :func:`kept_open`, which cost nothing on the known path (they are only
reached for unknown names and values).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar

__all__ = ["DriftCounter", "kept_open", "skipped", "watching"]

log = logging.getLogger("xero_customer_api")

UNKNOWN_ELEMENT = "unknown element"
UNKNOWN_VALUE = "unknown enum value"
# Worded for both readers of the log: a user of the installed package (who has no
# xero-codegen) and a maintainer with a checkout of the SDK's repository.
_ADVICE = (
    "the SDK's schemas may be behind Xero's API. Upgrade the SDK "
    "(pip install -U xero-customer-api); if the latest release still warns, report it to the "
    "SDK's maintainers with the answer attached (private values blanked), recorded with "
    "client.<resource>.with_raw_response.<method>(...).content or "
    "`xero <resource> <command> --format xml > answer.xml`. "
    "Maintainers, in a checkout of the SDK: `xero-codegen drift answer.xml` turns recorded "
    "answers into a schema patch. (Logged once per client; client.schema_drift() counts them all.)"
)


class DriftCounter:
    """What one client's answers held that the schemas did not know."""

    __slots__ = ("_counts", "_lock", "_warned")

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str]] = Counter()
        self._warned: set[str] = set()
        self._lock = threading.Lock()

    def record(self, kind: str, what: str) -> None:
        with self._lock:
            self._counts[(kind, what)] += 1
            first = kind not in self._warned
            self._warned.add(kind)
        if first:
            log.warning("an answer held an %s, %s; %s", kind, what, _ADVICE)

    def counts(self) -> dict[tuple[str, str], int]:
        """``{(kind, what): count}``: kind is "unknown element" or "unknown enum value"."""
        with self._lock:
            return dict(self._counts)


_active: ContextVar[DriftCounter | None] = ContextVar("xero_schema_drift", default=None)


@contextlib.contextmanager
def watching(counter: DriftCounter) -> Iterator[None]:
    """Count into ``counter`` what the decoders meet inside the block."""
    token = _active.set(counter)
    try:
        yield
    finally:
        _active.reset(token)


def _name(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1][:60]


def skipped(parent: str, tag: object) -> None:
    """A decoder skipped the unknown child ``tag`` of ``<parent>``."""
    counter = _active.get()
    if counter is not None:
        counter.record(UNKNOWN_ELEMENT, f"<{_name(tag)}> in <{parent}> (skipped)")


def kept_open(enum: str, text: str) -> None:
    """A decoder kept ``text``, not a value of ``enum``, as text."""
    counter = _active.get()
    if counter is not None:
        counter.record(UNKNOWN_VALUE, f"{enum} {text.strip()[:40]!r} (kept as text)")

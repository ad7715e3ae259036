"""The result of a batch write: one status per element sent.

API 2.0 takes many elements in one PUT/POST. With ``summarizeErrors=false`` Xero answers 200
and marks every element with a ``status`` attribute (``OK``, ``WARNING`` or ``ERROR``) and its
own ``ValidationErrors``/``Warnings``; with summarised errors (Xero's default) a failing batch
is a 400 ``ApiException`` (raised as ``ValidationError``) and a successful one carries no
status (each element then counts as ``OK``). ``create_many`` / ``save_many`` return a
:class:`BatchResult` either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

__all__ = ["BatchItem", "BatchResult", "batch_result"]

M = TypeVar("M")

OK = "OK"
WARNING = "WARNING"
ERROR = "ERROR"


@dataclass(frozen=True, slots=True)
class BatchItem(Generic[M]):
    """One element of a batch write, as Xero answered it.

    Attributes:
        item: The decoded entity (on ``ERROR``, Xero's echo of what was sent, often with an
            all-zero id).
        status: ``OK``, ``WARNING`` or ``ERROR`` (or whatever else Xero sent, upper case).
        validation_errors: The messages of the element's ``ValidationErrors``.
        warnings: The messages of the element's ``Warnings``.
    """

    item: M
    status: str
    validation_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True unless the element failed (``OK`` and ``WARNING`` both succeeded)."""
        return self.status != ERROR


@dataclass(frozen=True, slots=True)
class BatchResult(Generic[M]):
    """Every element of a batch write with its status, in the order Xero answered.

    Iterating gives the :class:`BatchItem` s; ``len()`` counts them.

    Attributes:
        items: Every element's result.
    """

    items: list[BatchItem[M]]

    @property
    def succeeded(self) -> list[BatchItem[M]]:
        """The elements Xero accepted (``OK`` or ``WARNING``)."""
        return [i for i in self.items if i.ok]

    @property
    def failed(self) -> list[BatchItem[M]]:
        """The elements Xero refused (``ERROR``)."""
        return [i for i in self.items if not i.ok]

    def __iter__(self) -> Iterator[BatchItem[M]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _status(value: object, has_errors: bool) -> str:
    if value is None:
        # summarised answers carry no status: the element was accepted (unless it says not)
        return ERROR if has_errors else OK
    if isinstance(value, Enum):
        value = value.value
    text = str(value).strip().upper()
    return text or (ERROR if has_errors else OK)


def _messages(entries: object) -> list[str]:
    if not entries:
        return []
    found: list[str] = []
    for entry in entries if isinstance(entries, Iterable) else ():
        message = getattr(entry, "message", None)
        if isinstance(message, str) and message.strip():
            found.append(message.strip())
    return found


def batch_result(items: Iterable[M] | None) -> BatchResult[M]:
    """The :class:`BatchResult` of a decoded batch payload.

    Reads from each generated model ``validation_status`` (the ``status`` attribute),
    ``validation_errors`` and ``warnings`` (lists of entries with ``.message``); a model
    without them counts as ``OK`` with no messages.
    """
    results: list[BatchItem[M]] = []
    for item in items or ():
        errors = _messages(getattr(item, "validation_errors", None))
        results.append(
            BatchItem(
                item=item,
                status=_status(getattr(item, "validation_status", None), bool(errors)),
                validation_errors=errors,
                warnings=_messages(getattr(item, "warnings", None)),
            )
        )
    return BatchResult(results)

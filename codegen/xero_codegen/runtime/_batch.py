"""Batch writes: sending them (:func:`send_batch`) and their result, one status per element.

API 2.0 takes many elements in one PUT/POST. With ``summarizeErrors=false`` Xero answers 200
and marks every element with a ``status`` attribute (``OK``, ``WARNING`` or ``ERROR``) and its
own ``ValidationErrors``/``Warnings``; with summarised errors (Xero's default) a failing batch
is a 400 ``ApiException`` (raised as ``ValidationError``), yet Xero still saves the valid
elements and returns no ids for them (a resend then makes duplicates), and a successful one
carries no status (each element then counts as ``OK``). So the SDK's ``create_many`` /
``save_many`` send ``summarizeErrors=false`` unless asked otherwise, and return a
:class:`BatchResult` either way.

:func:`send_batch` is the one mechanism behind every batch method: it checks the whole batch
before sending any of it, refuses an empty one, sends it in parts of at most
:data:`BATCH_SIZE` (Xero's advice), each with its own Idempotency-Key, and requires every
element sent to come back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, Literal, TypeVar

from ._checks import Model, as_list, check_body
from ._errors import RequestValidationError, ValidationError, XeroError, XeroResponseError
from ._secrets import redact, scope_of
from ._types import NOT_GIVEN, NotGiven

__all__ = [
    "BATCH_SIZE",
    "BatchItem",
    "BatchResult",
    "BatchStatus",
    "asend_batch",
    "batch_result",
    "send_batch",
]

BATCH_SIZE = 50
"""Elements per call: Xero advises at most 50; a larger batch is sent in parts."""

M = TypeVar("M")

BatchStatus = Literal["OK", "WARNING", "ERROR"]
"""The status Xero gives each element of a batch answered with ``summarizeErrors=false``."""

OK: BatchStatus = "OK"
WARNING: BatchStatus = "WARNING"
ERROR: BatchStatus = "ERROR"
_STATUSES: dict[str, BatchStatus] = {"OK": OK, "WARNING": WARNING, "ERROR": ERROR}


@dataclass(frozen=True, slots=True)
class BatchItem(Generic[M]):
    """One element of a batch write, as Xero answered it.

    Attributes:
        item: The decoded entity (on ``ERROR``, Xero's echo of what was sent, often with an
            all-zero id).
        status: ``OK``, ``WARNING`` or ``ERROR`` (read case-insensitively; a status the SDK
            does not know counts as ``ERROR`` when the element carries validation errors and
            as ``WARNING`` otherwise).
        validation_errors: The messages of the element's ``ValidationErrors``.
        warnings: The messages of the element's ``Warnings``.
    """

    item: M
    status: BatchStatus
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


def _status(value: object, has_errors: bool) -> BatchStatus:
    if value is None:
        # summarised answers carry no status: the element was accepted (unless it says not)
        return ERROR if has_errors else OK
    if isinstance(value, Enum):
        value = value.value
    text = str(value).strip().upper()
    if not text:
        return ERROR if has_errors else OK
    return _STATUSES.get(text, ERROR if has_errors else WARNING)


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


# ---------------------------------------------------------------------- sending


def _plan(
    items: object, check: Model, param: str, idempotency_key: str | NotGiven
) -> tuple[list[list[Any]], list[str | NotGiven]]:
    """The parts to send and their Idempotency-Keys, after checking the whole batch."""
    elements: list[Any] = as_list(items, param, check.cls.__name__)  # type: ignore[arg-type]
    if not elements:
        raise RequestValidationError([f"`{param}` is an empty batch: there is nothing to send"])
    problems = check_body(elements, check)
    if problems:
        raise RequestValidationError([redact(p) for p in problems])
    parts = [elements[i : i + BATCH_SIZE] for i in range(0, len(elements), BATCH_SIZE)]
    keys: list[str | NotGiven] = [idempotency_key] * len(parts)
    if isinstance(idempotency_key, str) and len(parts) > 1:
        # one key per part, derived from the caller's: a retry of the whole batch applies once
        keys = [f"{idempotency_key[:120]}-{n}" for n in range(1, len(parts) + 1)]
    return parts, keys


def _answered(raw: Any, payload: str, part: list[Any], start: int) -> list[BatchItem[Any]]:
    """The part's results; every element sent must come back."""
    got = list(getattr(raw.parsed, payload) or ())
    if len(got) != len(part):
        first, last = start + len(got) + 1, start + len(part)
        unknown = f"elements {first} to {last}" if len(got) < len(part) else "none"
        raise XeroResponseError(
            f"Xero answered {len(got)} element{'s' if len(got) != 1 else ''} for {len(part)} sent:"
            f" the answer cannot be matched to the batch (unknown: {unknown}; they may or may"
            " not have been saved: look them up before sending them again)",
            status_code=raw.status_code,
        )
    return batch_result(got).items


def _explained(exc: XeroError, summarized: bool, done: list[BatchItem[Any]]) -> XeroError:
    """``exc`` with what the caller must know: valid elements of a summarised batch may have
    been saved; parts sent before were saved (their results on ``.partial_result``)."""
    notes = []
    if summarized and isinstance(exc, ValidationError):
        notes.append(
            "with summarize_errors=True the valid elements may have been saved without their"
            " ids: look them up before sending them again (summarize_errors=False, the default,"
            " answers each element)"
        )
    if done:
        notes.append(
            f"the first {len(done)} elements were sent in earlier parts (see .partial_result)"
        )
    if not notes:
        return exc
    args, kwargs = exc._init_arguments
    try:
        clone = type(exc)(f"{args[0]}; {'; '.join(notes)}", *args[1:], **kwargs)
    except Exception:  # a class that cannot be rebuilt keeps its own message
        clone = exc
    if done:
        clone.partial_result = BatchResult(list(done))  # type: ignore[attr-defined]
    return clone


def send_batch(
    send: Callable[..., Any],
    payload: str,
    check: Model,
    items: Iterable[Any],
    /,
    *,
    summarize_errors: bool | NotGiven = NOT_GIVEN,
    idempotency_key: str | NotGiven = NOT_GIVEN,
    **options: Any,
) -> BatchResult[Any]:
    """Send a batch through ``send`` (the raw method) in parts; see the module docstring.

    ``payload`` is the answer's list attribute (``contacts``), ``check`` the element's model
    checks; ``options`` go to every part's call. ``summarize_errors`` is passed on only where
    the endpoint has it (Xero's batch endpoints without summarizeErrors answer as summarised).
    """
    param = getattr(send, "__name__", "items")
    with scope_of(getattr(getattr(send, "__self__", None), "_client", None)):  # its secrets
        parts, keys = _plan(items, check, _param_name(send, param), idempotency_key)
    done: list[BatchItem[Any]] = []
    for part, key in zip(parts, keys, strict=True):
        try:
            raw = send(part, **_summarize(summarize_errors), idempotency_key=key, **options)
            done.extend(_answered(raw, payload, part, len(done)))
        except XeroError as exc:
            summarized = summarize_errors is not False
            raise _explained(exc, summarized, done).with_traceback(None) from None
    return BatchResult(done)


async def asend_batch(
    send: Callable[..., Awaitable[Any]],
    payload: str,
    check: Model,
    items: Iterable[Any],
    /,
    *,
    summarize_errors: bool | NotGiven = NOT_GIVEN,
    idempotency_key: str | NotGiven = NOT_GIVEN,
    **options: Any,
) -> BatchResult[Any]:
    """The async twin of :func:`send_batch`."""
    param = getattr(send, "__name__", "items")
    with scope_of(getattr(getattr(send, "__self__", None), "_client", None)):  # its secrets
        parts, keys = _plan(items, check, _param_name(send, param), idempotency_key)
    done: list[BatchItem[Any]] = []
    for part, key in zip(parts, keys, strict=True):
        try:
            raw = await send(part, **_summarize(summarize_errors), idempotency_key=key, **options)
            done.extend(_answered(raw, payload, part, len(done)))
        except XeroError as exc:
            summarized = summarize_errors is not False
            raise _explained(exc, summarized, done).with_traceback(None) from None
    return BatchResult(done)


def _summarize(summarize_errors: bool | NotGiven) -> dict[str, bool]:
    """The ``summarize_errors=`` argument of a part's call, where the endpoint has one."""
    return {} if isinstance(summarize_errors, NotGiven) else {"summarize_errors": summarize_errors}


def _param_name(send: Callable[..., Any], fallback: str) -> str:
    """The name of the raw method's first parameter (``contacts``), for messages."""
    code = getattr(getattr(send, "__func__", send), "__code__", None)
    if code is not None and code.co_argcount > 1:
        return str(code.co_varnames[1])
    return fallback

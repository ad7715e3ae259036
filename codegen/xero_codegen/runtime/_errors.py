"""The SDK's exceptions: one class per kind of failure, all under :class:`XeroError`.

```
XeroError                       base of every error the SDK raises
├── XeroAPIError                Xero answered, and the answer is an error
│   │                           (.status_code, .status, .response_id, .errors, .exception_types)
│   │                           (.rate_limit: the limit headers of the answer)
│   ├── NotFoundError           ObjectDoesNotExistException: no such contact or invoice;
│   │                           2.0: HTTP 404
│   ├── InvalidCustomerKeyError AuthKeyNotValidForProviderException: the customer key (xeroKey)
│   │                           is unknown or belongs to another partner
│   ├── ValidationError         Xero refused the document or a parameter (ValidationException,
│   │                           System.FormatException, invalid XML ...); 2.0: the 400
│   │                           ApiException (.error_number, .type, .elements)
│   ├── AuthenticationError     2.0: HTTP 401, the token is invalid, expired or revoked (.detail)
│   ├── PermissionDeniedError   2.0: HTTP 403, wrong or unconnected tenant, missing scope (.detail)
│   ├── RateLimitError          HTTP 429; .retry_after in seconds when Xero said, .problem
│   │                           (2.0: minute, day, concurrent, appminute ...)
│   └── ServerError             a 5xx answer without a readable Xero envelope
├── InvalidPartnerKeyError      the partner key (apiKey) was refused: Xero answers with a
│                               redirect to its login page, not with XML
├── XeroResponseError           the answer cannot be read: not XML, malformed, truncated,
│                               unsafe (DOCTYPE, entities), too large, or an unexpected root
├── WebhookError                xero_customer_api.webhooks: a webhook could not be received
│   ├── WebhookSignatureError   the x-xero-signature is missing or wrong (answer 401)
│   └── WebhookPayloadError     signed, but not a payload of Xero's shape (.field)
├── XeroConnectionError         the request did not complete: DNS, refused, reset, TLS ...
│   │                           (.may_have_been_applied: a write that may have reached Xero)
│   └── XeroTimeoutError        ... or it took longer than the timeout
└── RequestValidationError      the SDK refused to send the request (client-side checks);
                                also a ValueError. Nothing was sent.
```

``ErrorDetail`` (one error of 1.0's envelope, or one message of 2.0's) and
``ApiExceptionElement`` (one refused element of a 2.0 ``ApiException``) describe the errors.
Messages never contain the partner key, the customer key, tokens or client secrets; an API
error's message leads with what happened (``not found: ...``, the class's :attr:`XeroAPIError.headline`).

Every class pickles (process pools, Celery and RQ send exceptions between processes) and
copies with its class, message and attributes: :class:`XeroError` remembers the arguments it
was constructed with and rebuilds from them, so a subclass gets this for free, whatever
keyword attributes it adds. The public classes carry the public module name
(``xero_customer_api.NotFoundError`` in tracebacks and pickles); a class added to the runtime
must be exported from the package, as these are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from ._ratelimit import RateLimit

__all__ = [
    "ApiExceptionElement",
    "AuthenticationError",
    "ErrorDetail",
    "InvalidCustomerKeyError",
    "InvalidPartnerKeyError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ServerError",
    "ValidationError",
    "XeroAPIError",
    "XeroConnectionError",
    "XeroError",
    "XeroResponseError",
    "XeroTimeoutError",
]


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One error of Xero's error envelope."""

    description: str
    """Human-readable description of the error."""
    exception_type: str | None = None
    """Full type name of the server-side exception, e.g.
    ``Xero.API.Library.Exceptions.ObjectDoesNotExistException``."""
    message: str | None = None
    """The exception's own message (often the same as the description)."""


@dataclass(frozen=True, slots=True)
class ApiExceptionElement:
    """One element that API 2.0 refused: a ``DataContractBase`` of an ``ApiException``."""

    xsi_type: str | None
    """What the element is (its ``xsi:type``: ``Invoice``, ``Contact`` ...)."""
    validation_errors: tuple[str, ...] = ()
    """The validation messages of the element and of the entities inside it (its contact,
    line items ...), in document order, each once."""
    warnings: tuple[str, ...] = ()
    """The warning messages, gathered the same way."""


_RUNTIME = __name__.rpartition(".")[0]  # xero_customer_api._runtime
_PUBLIC_MODULE = _RUNTIME.removesuffix("._runtime")  # xero_customer_api


def _rebuild(cls: type[XeroError], args: tuple[Any, ...], kwargs: dict[str, Any]) -> XeroError:
    """Unpickling: the error constructed again from its original arguments."""
    return cls(*args, **kwargs)


class _Rebuildable(Exception):
    """Remembers the arguments an exception was constructed with, and pickles by them.

    ``BaseException`` pickles as ``type(self)(*self.args)``: that loses keyword-only
    attributes and garbles a class whose message is derived from its arguments. Kept apart
    from :class:`XeroError` so that ``XeroError``'s signature is its ``__init__``'s.
    """

    _init_arguments: tuple[tuple[Any, ...], dict[str, Any]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        self = super().__new__(cls, *args, **kwargs)
        self._init_arguments = (args, kwargs)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from the constructor's own arguments, then the attributes set afterwards
        # (notes, anything a caller attached) are restored.
        args, kwargs = self._init_arguments
        state = {k: v for k, v in vars(self).items() if k != "_init_arguments"}
        return (_rebuild, (type(self), args, kwargs), state)


class XeroError(_Rebuildable):
    """Base class of every error raised by the SDK."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__.startswith(_RUNTIME + ".") and not cls.__name__.startswith("_"):
            cls.__module__ = _PUBLIC_MODULE


class XeroAPIError(XeroError):
    """Xero answered, and the answer is an error.

    Attributes:
        status_code: The HTTP status code of the answer.
        status: The ``Status`` of Xero's envelope (e.g. ``InternalServerError``), if any.
        response_id: The ``ID`` of Xero's envelope, to quote to Xero support.
        errors: The errors Xero listed, in order.
        rate_limit: The rate-limit headers of the answer (all ``None`` when it had none).
        headline: What happened, in a few words: the start of the message of an error read
            from Xero's envelope (``not found: No such contact (HTTP 500 ...)``).
    """

    headline: ClassVar[str] = "Xero reported an error"

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        status: str | None = None,
        response_id: str | None = None,
        errors: Sequence[ErrorDetail] = (),
        rate_limit: RateLimit | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.status = status
        self.response_id = response_id
        self.errors: tuple[ErrorDetail, ...] = tuple(errors)
        self.rate_limit: RateLimit = rate_limit if rate_limit is not None else RateLimit()

    @property
    def exception_types(self) -> tuple[str, ...]:
        """The server-side exception type names of the errors, in order."""
        return tuple(e.exception_type for e in self.errors if e.exception_type)

    @property
    def descriptions(self) -> tuple[str, ...]:
        """The descriptions of the errors, in order."""
        return tuple(e.description for e in self.errors)


class NotFoundError(XeroAPIError):
    """The requested object does not exist in this organisation."""

    headline: ClassVar[str] = "not found"


class InvalidCustomerKeyError(XeroAPIError):
    """The customer key (xeroKey) is not valid for this partner."""

    headline: ClassVar[str] = "customer key refused"


class ValidationError(XeroAPIError):
    """Xero refused the request's document or parameters.

    Attributes:
        error_number: API 2.0: the ``ErrorNumber`` of the ``ApiException`` (10 for a
            ValidationException, 14 for unreadable data ...); None on 1.0.
        type: API 2.0: its ``Type`` (``ValidationException``, ``PostDataInvalidException``
            ...); None on 1.0.
        elements: API 2.0: each refused element with its messages (empty on 1.0).
    """

    headline: ClassVar[str] = "validation failed"

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        status: str | None = None,
        response_id: str | None = None,
        errors: Sequence[ErrorDetail] = (),
        rate_limit: RateLimit | None = None,
        error_number: int | None = None,
        type: str | None = None,
        elements: Sequence[ApiExceptionElement] = (),
    ) -> None:
        super().__init__(
            message,
            status_code=status_code,
            status=status,
            response_id=response_id,
            errors=errors,
            rate_limit=rate_limit,
        )
        self.error_number = error_number
        self.type = type
        self.elements: tuple[ApiExceptionElement, ...] = tuple(elements)


class _ProblemError(XeroAPIError):
    """An API 2.0 refusal read from a JSON problem body: its ``detail`` and the status the
    class stands for (``_status_code``) unless the answer said otherwise."""

    _status_code: ClassVar[int] = 400

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        status: str | None = None,
        response_id: str | None = None,
        errors: Sequence[ErrorDetail] = (),
        rate_limit: RateLimit | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(
            message,
            status_code=self._status_code if status_code is None else status_code,
            status=status,
            response_id=response_id,
            errors=errors,
            rate_limit=rate_limit,
        )
        self.detail = detail


class AuthenticationError(_ProblemError):
    """API 2.0, HTTP 401: the access token is invalid, expired or revoked, or the
    organisation disconnected the app (a token endpoint refusing a grant raises it too).

    Attributes:
        detail: What Xero said, e.g. ``TokenExpired: token expired at ...`` or
            ``AuthenticationUnsuccessful`` (an OAuth error code for the token endpoint).
    """

    headline: ClassVar[str] = "authentication failed"

    _status_code: ClassVar[int] = 401


class PermissionDeniedError(_ProblemError):
    """API 2.0, HTTP 403: the token may not reach this organisation or resource (a wrong or
    unconnected ``tenant_id``, a missing scope).

    Attributes:
        detail: What Xero said, e.g. ``AuthenticationUnsuccessful``.
    """

    headline: ClassVar[str] = "permission denied"

    _status_code: ClassVar[int] = 403


class RateLimitError(XeroAPIError):
    """Too many requests (HTTP 429).

    Attributes:
        retry_after: Seconds Xero asked to wait, when it said.
        problem: The limit that was hit, as Xero named it in ``X-Rate-Limit-Problem``
            (``minute``, ``day``, ``concurrent``, ``appminute`` or whatever it sent), lower
            case; None when it did not say.
    """

    headline: ClassVar[str] = "rate limited"

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 429,
        status: str | None = None,
        response_id: str | None = None,
        errors: Sequence[ErrorDetail] = (),
        retry_after: float | None = None,
        rate_limit: RateLimit | None = None,
        problem: str | None = None,
    ) -> None:
        super().__init__(
            message,
            status_code=status_code,
            status=status,
            response_id=response_id,
            errors=errors,
            rate_limit=rate_limit,
        )
        self.retry_after = retry_after
        self.problem = problem


class ServerError(XeroAPIError):
    """A 5xx answer that carries no readable Xero error envelope."""

    headline: ClassVar[str] = "Xero server error"


class InvalidPartnerKeyError(XeroError):
    """The partner key (apiKey) was refused.

    Xero does not answer with XML here but redirects to its login page.

    Attributes:
        status_code: The HTTP status code of the answer.
    """

    def __init__(self, message: str, *, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


class XeroResponseError(XeroError):
    """The answer could not be read: not XML, malformed, truncated, unsafe or unexpected.

    Attributes:
        status_code: The HTTP status code of the answer, when one was received.
    """

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class XeroConnectionError(XeroError):
    """The request did not complete (connection refused or reset, DNS, TLS ...).

    Attributes:
        may_have_been_applied: True when the call was a write (PUT or POST) whose request
            may have reached Xero before the connection failed: it may have been saved,
            and it was not sent again. Check (e.g. ``get`` by number) before repeating it.
            False for reads, and for writes that provably never left.
    """

    def __init__(self, message: str, *, may_have_been_applied: bool = False) -> None:
        super().__init__(message)
        self.may_have_been_applied = may_have_been_applied


class XeroTimeoutError(XeroConnectionError):
    """The request took longer than its timeout."""


class RequestValidationError(XeroError, ValueError):
    """The SDK refused to send the request; nothing was sent.

    Attributes:
        problems: Every problem found, one line each.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        if len(self.problems) == 1:
            text = self.problems[0]
        else:
            text = f"{len(self.problems)} problems: " + "; ".join(self.problems)
        super().__init__(text)


XeroError.__module__ = _PUBLIC_MODULE
ErrorDetail.__module__ = _PUBLIC_MODULE
ApiExceptionElement.__module__ = _PUBLIC_MODULE

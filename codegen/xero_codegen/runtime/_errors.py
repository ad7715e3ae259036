"""The SDK's exceptions: one class per kind of failure, all under :class:`XeroError`.

```
XeroError                       base of every error the SDK raises
├── XeroAPIError                Xero answered, and the answer is an error
│   │                           (.status_code, .status, .response_id, .errors, .exception_types)
│   ├── NotFoundError           ObjectDoesNotExistException: no such contact or invoice
│   ├── InvalidCustomerKeyError AuthKeyNotValidForProviderException: the customer key (xeroKey)
│   │                           is unknown or belongs to another partner
│   ├── ValidationError         Xero refused the document or a parameter (ValidationException,
│   │                           System.FormatException, invalid XML ...)
│   ├── RateLimitError          HTTP 429; .retry_after in seconds when Xero said
│   └── ServerError             a 5xx answer without a readable Xero envelope
├── InvalidPartnerKeyError      the partner key (apiKey) was refused: Xero answers with a
│                               redirect to its login page, not with XML
├── XeroResponseError           the answer cannot be read: not XML, malformed, truncated,
│                               unsafe (DOCTYPE, entities), too large, or an unexpected root
├── XeroConnectionError         the request did not complete: DNS, refused, reset, TLS ...
│   └── XeroTimeoutError        ... or it took longer than the timeout
└── RequestValidationError      the SDK refused to send the request (client-side checks);
                                also a ValueError. Nothing was sent.
```

Messages never contain the partner key or the customer key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ErrorDetail",
    "InvalidCustomerKeyError",
    "InvalidPartnerKeyError",
    "NotFoundError",
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


class XeroError(Exception):
    """Base class of every error raised by the SDK."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class XeroAPIError(XeroError):
    """Xero answered, and the answer is an error.

    Attributes:
        status_code: The HTTP status code of the answer.
        status: The ``Status`` of Xero's envelope (e.g. ``InternalServerError``), if any.
        response_id: The ``ID`` of Xero's envelope, to quote to Xero support.
        errors: The errors Xero listed, in order.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        status: str | None = None,
        response_id: str | None = None,
        errors: Sequence[ErrorDetail] = (),
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.status = status
        self.response_id = response_id
        self.errors: tuple[ErrorDetail, ...] = tuple(errors)

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


class InvalidCustomerKeyError(XeroAPIError):
    """The customer key (xeroKey) is not valid for this partner."""


class ValidationError(XeroAPIError):
    """Xero refused the request's document or parameters."""


class RateLimitError(XeroAPIError):
    """Too many requests (HTTP 429).

    Attributes:
        retry_after: Seconds Xero asked to wait, when it said.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 429,
        status: str | None = None,
        response_id: str | None = None,
        errors: Sequence[ErrorDetail] = (),
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, status_code=status_code, status=status, response_id=response_id, errors=errors
        )
        self.retry_after = retry_after


class ServerError(XeroAPIError):
    """A 5xx answer that carries no readable Xero error envelope."""


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
    """The request did not complete (connection refused or reset, DNS, TLS ...)."""


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

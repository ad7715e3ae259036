"""Errors the sandbox reports in Xero's 1.0 error envelope.

Every failure of an API call is an :class:`ApiError` carrying the .NET exception type name
that Xero 1.0 put in ``<ExceptionType>``. The HTTP status is 500 unless said otherwise,
matching the ``<Status>InternalServerError</Status>`` of the envelope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_LIB = "Xero.API.Library.Exceptions."
VALIDATION = _LIB + "ValidationException"
NOT_FOUND = _LIB + "ObjectDoesNotExistException"
AUTH_KEY = _LIB + "AuthKeyNotValidForProviderException"
INVALID_XML = _LIB + "InvalidXmlException"
METHOD_NOT_ALLOWED = _LIB + "MethodNotAllowedException"
FORMAT_EXCEPTION = "System.FormatException"


@dataclass(frozen=True)
class ErrorItem:
    """One ``<Error>`` of the envelope."""

    exception_type: str
    message: str


@dataclass
class ApiError(Exception):
    """A failed call: one or more errors, reported with an HTTP status (500 by default)."""

    exception_type: str
    message: str
    more: list[ErrorItem] = field(default_factory=list)
    http_status: int = 500

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def items(self) -> list[ErrorItem]:
        """All errors, the first one included."""
        return [ErrorItem(self.exception_type, self.message), *self.more]

    @classmethod
    def many(cls, items: list[ErrorItem]) -> ApiError:
        """One error carrying several ``<Error>`` entries (a batch call)."""
        first, *rest = items
        return cls(first.exception_type, first.message, more=rest)

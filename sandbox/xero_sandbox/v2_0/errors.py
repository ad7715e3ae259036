"""Errors 2.0 answers with an ``<ApiException>`` (HTTP 400 unless said otherwise).

Known pairs (reference notes on 2.0): 10 ValidationException ("A validation exception
occurred", with the refused elements), 14 PostDataInvalidException (an unreadable value or
unknown element), 20 ApiMethodNotImplementedException. A ``where``/``order`` that cannot be
parsed is 16 QueryParseException, and a reused Idempotency-Key on another request 17
IdempotencyKeyException (numbers the sandbox chose: Xero documents neither).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VALIDATION = (10, "ValidationException")
POST_DATA_INVALID = (14, "PostDataInvalidException")
QUERY_PARSE = (16, "QueryParseException")
IDEMPOTENCY = (17, "IdempotencyKeyException")
NOT_IMPLEMENTED = (20, "ApiMethodNotImplementedException")


@dataclass
class ApiError(Exception):
    """A refused call: ``kind`` is (ErrorNumber, Type); ``elements`` are 2.0 models to echo
    (each carrying its own ValidationErrors)."""

    kind: tuple[int, str]
    message: str
    elements: list[Any] = field(default_factory=list)
    status: int = 400

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def number(self) -> int:
        """ErrorNumber."""
        return self.kind[0]

    @property
    def type(self) -> str:
        """Type."""
        return self.kind[1]


class Problems(Exception):
    """Validation messages about one element of a write (collected, then reported)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages

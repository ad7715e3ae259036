"""The hand-written runtime of the SDK: transport, keys, retries, errors, XML safety.

Its single source is ``codegen/xero_codegen/runtime/``; the generator copies it verbatim into
``xero_customer_api/_runtime/``. Import public names from ``xero_customer_api``.
"""

from ._base_client import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncAPIClient,
    RawResponse,
    SyncAPIClient,
)
from ._errors import (
    ErrorDetail,
    InvalidCustomerKeyError,
    InvalidPartnerKeyError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    ValidationError,
    XeroAPIError,
    XeroConnectionError,
    XeroError,
    XeroResponseError,
    XeroTimeoutError,
)
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "AsyncAPIClient",
    "ErrorDetail",
    "InvalidCustomerKeyError",
    "InvalidPartnerKeyError",
    "NotFoundError",
    "NotGiven",
    "RateLimitError",
    "RawResponse",
    "RequestValidationError",
    "ServerError",
    "SyncAPIClient",
    "TimeoutTypes",
    "ValidationError",
    "XeroAPIError",
    "XeroConnectionError",
    "XeroError",
    "XeroResponseError",
    "XeroTimeoutError",
]

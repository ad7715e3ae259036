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
from ._batch import BatchItem, BatchResult, BatchStatus
from ._errors import (
    ApiExceptionElement,
    AuthenticationError,
    ErrorDetail,
    InvalidCustomerKeyError,
    InvalidPartnerKeyError,
    NotFoundError,
    PermissionDeniedError,
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
from ._limiter import InProcessLimiter, Limiter, RateLimits
from ._oauth import (
    DEFAULT_AUTHORIZE_URL,
    DEFAULT_REVOCATION_URL,
    DEFAULT_TOKEN_URL,
    AuthorizationRequest,
    Connection,
    XeroToken,
    aexchange_code,
    arevoke_token,
    authorization_url,
    exchange_code,
    revoke_token,
)
from ._ratelimit import RateLimit
from ._reports import MissingExtraError, Percent, ReportLine, ReportTable, SkippedRow
from ._tokens import MemoryTokenStore, TokenStore
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes
from ._where import Field, Where, all_of, any_of, field

__all__ = [
    "DEFAULT_AUTHORIZE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_REVOCATION_URL",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOKEN_URL",
    "NOT_GIVEN",
    "ApiExceptionElement",
    "AsyncAPIClient",
    "AuthenticationError",
    "AuthorizationRequest",
    "BatchItem",
    "BatchResult",
    "BatchStatus",
    "Connection",
    "ErrorDetail",
    "Field",
    "InProcessLimiter",
    "InvalidCustomerKeyError",
    "InvalidPartnerKeyError",
    "Limiter",
    "MemoryTokenStore",
    "MissingExtraError",
    "NotFoundError",
    "NotGiven",
    "Percent",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RateLimits",
    "RawResponse",
    "ReportLine",
    "ReportTable",
    "RequestValidationError",
    "ServerError",
    "SkippedRow",
    "SyncAPIClient",
    "TimeoutTypes",
    "TokenStore",
    "ValidationError",
    "Where",
    "XeroAPIError",
    "XeroConnectionError",
    "XeroError",
    "XeroResponseError",
    "XeroTimeoutError",
    "XeroToken",
    "aexchange_code",
    "all_of",
    "any_of",
    "arevoke_token",
    "authorization_url",
    "exchange_code",
    "field",
    "revoke_token",
]

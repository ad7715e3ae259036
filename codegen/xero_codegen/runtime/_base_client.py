"""The thick part of every client: transport, keys, retries, timeouts, logging, errors.

Generated endpoint methods stay thin: they build a path, query parameters and a body, then
call :meth:`SyncAPIClient._request` (or the async twin), which

1. authenticates the call (:mod:`._auth`), serialises the body (:mod:`._xml`),
2. sends it with a timeout, retrying only where that is safe (see ``_retry_delay``),
3. reads the answer with a size cap, and turns it into the response dataclass or into one
   exception of :mod:`._errors`.

Sync and async share everything but the I/O: :class:`_ClientCore` holds the logic.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import itertools
import logging
import random
import re
import time
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

import httpx
from lxml import etree

from . import _gc
from ._auth import AUTH_SCHEMES, AuthScheme, OAuth2Auth, Sender
from ._checks import Model, check_body
from ._drift import DriftCounter, watching
from ._envelope import ENVELOPE_READERS, EnvelopeReader, html_title, is_html_page
from ._errors import (
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    XeroAPIError,
    XeroConnectionError,
    XeroError,
    XeroResponseError,
    XeroTimeoutError,
)
from ._limiter import Limiter, Slot, app_key, resolve_limiter
from ._oauth import Connection, asend_token_request, parse_connections, send_token_request
from ._ratelimit import RateLimit
from ._secrets import hold, redact, release, scoped
from ._tokens import TokenStore
from ._transport import ACCEPT_ENCODING, adecoded, bound_by_deadlines, deadline_scope, decoded
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes
from ._xml import UnsafeXMLError, bind, parse_document, serialize

if typing.TYPE_CHECKING:
    from ._binary import Upload

__all__ = [
    "DEFAULT_MAX_ATTACHMENT_BYTES",
    "DEFAULT_MAX_ITEM_BYTES",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "RETRY_POLICIES",
    "AsyncAPIClient",
    "RawResponse",
    "RetryPolicy",
    "SyncAPIClient",
    "check_deadline",
    "check_payload",
    "payload_tag",
    "require_payload",
]

R = TypeVar("R")
_HttpT = TypeVar("_HttpT", httpx.Client, httpx.AsyncClient)

log = logging.getLogger("xero_customer_api")
TRACE = 5
"""Log level of request and response bodies (below DEBUG)."""
logging.addLevelName(TRACE, "TRACE")

DEFAULT_TIMEOUT = 60.0
"""Seconds one attempt of a call may take in total (see :func:`httpx_timeout`)."""
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_ITEM_BYTES = 16 * 1024 * 1024
"""What a streamed list (``iter()``) may hold at once: one item and anything before it that
is not an item (an lxml tree of small elements costs several times its bytes)."""
DEFAULT_MAX_RETRY_AFTER = 60.0
DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
"""The largest file an upload sends (Xero's limit per attachment: 10 MB per its 2026 update;
older sources say 3 MB): larger ones are refused before sending (see ``_binary``)."""
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
_TENANT_HEADER = "xero-tenant-id"
_IDEMPOTENCY_HEADER = "Idempotency-Key"
_MAX_IDEMPOTENCY_KEY = 128
_USER_AGENT = "xero-customer-api-python"
_DEFAULT_HEADERS = {
    "Accept": "text/xml, application/xml",
    "Accept-Encoding": ACCEPT_ENCODING,
    "User-Agent": _USER_AGENT,
}
"""Headers of every request: set once on an HTTP client the SDK creates itself (merging them
into httpx's defaults on every request costs tens of microseconds), per request otherwise."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Which calls carry an Idempotency-Key, and which may be sent again once they may have
    reached Xero. Chosen per API version by the manifest's ``retries`` value.

    Attributes:
        keyed_methods: Methods that carry an ``Idempotency-Key`` (the caller's or one the
            SDK makes per logical call), the same on every retry of that call.
        retry_sent: Methods retried on the retryable faults (network errors after sending,
            429, 502-504) even though the request may have reached Xero. Other methods are
            retried only when the request provably never left.
    """

    keyed_methods: frozenset[str]
    retry_sent: frozenset[str]


RETRY_POLICIES: dict[str, RetryPolicy] = {
    # 1.0: no idempotency keys, so a write that may have arrived is never sent twice
    "safe-methods": RetryPolicy(keyed_methods=frozenset(), retry_sent=_IDEMPOTENT),
    # 2.0: PUT/POST carry an Idempotency-Key (Xero replays the first answer), DELETE is
    # idempotent: every method is retried on the same faults as reads
    "idempotency-key": RetryPolicy(
        keyed_methods=frozenset({"PUT", "POST"}),
        retry_sent=_IDEMPOTENT | {"PUT", "POST", "DELETE"},
    ),
}
"""The manifest's ``retries`` value (a client's ``_retry_style``) -> its policy."""


def new_idempotency_key() -> str:
    """A fresh Idempotency-Key in Xero's recommended form: four UUIDs, hex, no hyphens."""
    return "".join(uuid.uuid4().hex for _ in range(4))


_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", re.ASCII)


def _tenant_problem(tenant_id: object) -> str:
    """Why ``tenant_id`` is not a tenant id: Xero's are GUIDs (``Connection.tenant_id``)."""
    if isinstance(tenant_id, str):
        shown = repr(redact(tenant_id)[:60]) + ("..." if len(tenant_id) > 60 else "")
        got = f"got {shown}"
    else:
        got = f"got a {type(tenant_id).__name__}"
    return (
        "`tenant_id` must be the organisation's tenant id, a GUID such as"
        f" 4c76ffb5-02e7-47c5-9a86-b0a5a35d1682 (a str or uuid.UUID); {got}:"
        " client.connections() lists the tenants your token can reach"
    )


def _visible_ascii(value: str) -> bool:
    return bool(value) and all(" " < c <= "~" for c in value)


async def _async_sleep(seconds: float) -> None:
    """``asyncio.sleep``, imported on first use: ``import xero_customer_api`` does not load
    asyncio (about 10 ms); an async client's event loop has loaded it already."""
    import asyncio

    await asyncio.sleep(seconds)


@dataclass(frozen=True, slots=True)
class RawResponse(Generic[R]):
    """The raw HTTP answer next to the parsed result.

    Attributes:
        status_code: HTTP status code.
        headers: Response headers.
        content: The body, exactly as received.
        parsed: The response dataclass (for ``client.request(...)``: the lxml root of an
            XML answer, the body's bytes otherwise).
        elapsed: Seconds from sending the request to reading the whole body.
        rate_limit: The rate-limit headers of the answer (API 2.0; all None on 1.0).
    """

    status_code: int
    headers: httpx.Headers
    content: bytes
    parsed: R
    elapsed: float

    @property
    def rate_limit(self) -> RateLimit:
        """Calls left today / this minute / this minute for the app, as Xero reported."""
        return RateLimit.from_headers(self.headers)


class _Attempt:
    """Why an attempt failed, and whether the request may have reached the server.

    ``cause`` is what the final exception is raised ``from``: for transport failures a
    detached copy of httpx's exception chain (see :func:`_detached`), never the original,
    whose ``.request`` carries the URL with the keys.
    """

    def __init__(
        self,
        error: XeroError,
        *,
        sent: bool,
        retry_after: float | None = None,
        cause: BaseException | None = None,
    ) -> None:
        self.error = error
        self.sent = sent
        self.retry_after = retry_after
        self.cause = cause

    def raise_error(self) -> typing.NoReturn:
        if self.cause is None or self.error.__cause__ is self.cause:
            raise self.error
        raise self.error from self.cause


def _clone_exception(exc: BaseException) -> BaseException:
    text = redact(str(exc))
    try:
        clone = type(exc)(text)
    except Exception:
        clone = RuntimeError(f"{type(exc).__module__}.{type(exc).__qualname__}: {text}")
    if not isinstance(clone, type(exc)) or redact(str(clone)) != str(clone):
        clone = RuntimeError(f"{type(exc).__module__}.{type(exc).__qualname__}: {text}")
    return clone.with_traceback(exc.__traceback__)


def _detached(exc: BaseException) -> BaseException:
    """A copy of an exception chain with redacted messages and no ``.request``.

    httpx exceptions carry the request, whose repr and URL hold the partner and customer
    keys. The SDK's exceptions are raised ``from`` this copy: same types (where they can be
    rebuilt from a message), same messages (redacted), same tracebacks, same order.
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10 and all(current is not c for c in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    copy: BaseException | None = None
    for original in reversed(chain):
        clone = _clone_exception(original)
        clone.__cause__ = copy
        clone.__suppress_context__ = True
        copy = clone
    assert copy is not None
    return copy


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_RAW_METHODS = frozenset({"GET", "PUT", "POST", "DELETE"})
_RESERVED_HEADERS = {
    "authorization": "the client's token is sent on every call",
    _TENANT_HEADER: "give `tenant_id=`",
    _IDEMPOTENCY_HEADER.lower(): "give `idempotency_key=`",
}


def _raw_value(name: str, value: object, problems: list[str]) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if not _encodable(value):
            problems.append(f"the query parameter `{name}` is not valid text (lone surrogates)")
        return value
    if isinstance(value, (int, uuid.UUID)):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    problems.append(
        f"the query parameter `{redact(name)[:60]}` must be a str, int, bool, date or UUID;"
        f" got a {type(value).__name__}"
    )
    return None


def _raw_params(params: object, problems: list[str]) -> list[tuple[str, str | None]]:
    """``params=`` of :meth:`SyncAPIClient.request`: a mapping or (name, value) pairs."""
    if params is None:
        return []
    if isinstance(params, Mapping):
        pairs = list(params.items())
    elif isinstance(params, Sequence) and not isinstance(params, (str, bytes)):
        pairs = list(params)
    else:
        problems.append(
            f"`params` must be a mapping or (name, value) pairs; got a {type(params).__name__}"
        )
        return []
    out: list[tuple[str, str | None]] = []
    for pair in pairs:
        if not (
            isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str) and pair[0]
        ):
            problems.append("`params` must map non-empty names to values")
            return []
        out.append((pair[0], _raw_value(pair[0], pair[1], problems)))
    return out


def _raw_headers(headers: object, problems: list[str]) -> list[tuple[str, str | None]]:
    """``headers=`` of :meth:`SyncAPIClient.request`: names the SDK sends itself refused."""
    if headers is None:
        return []
    if not isinstance(headers, Mapping):
        problems.append(f"`headers` must be a mapping; got a {type(headers).__name__}")
        return []
    out: list[tuple[str, str | None]] = []
    for name, value in headers.items():
        if not isinstance(name, str) or not name:
            problems.append("`headers` must map non-empty header names to values")
            continue
        why = _RESERVED_HEADERS.get(name.lower())
        if why is not None:
            problems.append(f"the `{redact(name)}` header is the SDK's to send: {why}")
            continue
        canonical = "Content-Type" if name.lower() == "content-type" else name
        canonical = "Accept" if name.lower() == "accept" else canonical
        out.append((canonical, value))
    return out


_MAX_URL_COMPONENT = 65536
"""httpx refuses a URL (or its path or query) longer than this."""


def _sendable_header(name: str, value: str) -> bool:
    """A header httpx and h11 can put on the wire: printable ASCII, no CR, LF or NUL."""
    return (
        isinstance(name, str)
        and isinstance(value, str)
        and name.isascii()
        and name.isprintable()
        and bool(name)
        and " " not in name
        and value.isascii()
        and value.replace("\t", " ").isprintable()
    )


def _unbuildable(exc: Exception, path: str, params: Sequence[tuple[str, str | None]]) -> str:
    """What is wrong with a request httpx refused to build, naming the parameter if it can."""
    detail = redact(str(exc))[:200] or type(exc).__name__
    given = [(name, value) for name, value in params if value is not None]
    for name, value in given:
        if isinstance(exc, UnicodeEncodeError) and not _encodable(value):
            return f"the query parameter `{name}` is not valid text (lone surrogates): {detail}"
    if isinstance(exc, httpx.InvalidURL) and given:
        size, name = max((len(value), name) for name, value in given)
        if size > _MAX_URL_COMPONENT // 4:  # long enough to be the one to blame
            return (
                f"the query parameter `{name}` is too long to send in a URL ({size:,} "
                f"characters; a URL may have at most {_MAX_URL_COMPONENT:,}): {detail}"
            )
    return f"the request to `{redact(path)}` cannot be built: {detail}"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "(?P<month>" + "|".join(_MONTHS) + ")"
_TIME = "(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
_HTTP_DATES = tuple(
    re.compile(pattern, re.ASCII)
    for pattern in (
        # IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        rf"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?P<day>[0-9]{{2}}) {_MONTH} (?P<year>[0-9]{{4}}) {_TIME} GMT",
        # obsolete RFC 850 form: Sunday, 06-Nov-94 08:49:37 GMT
        rf"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (?P<day>[0-9]{{2}})-{_MONTH}-(?P<yy>[0-9]{{2}}) {_TIME} GMT",
        # obsolete asctime form: Sun Nov  6 08:49:37 1994
        rf"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) {_MONTH} (?P<day>[0-9]{{2}}| [0-9]) {_TIME} (?P<year>[0-9]{{4}})",
    )
)
_DELAY_SECONDS = re.compile(r"[0-9]+", re.ASCII)
_LONGEST_DELAY = 10**12
"""Retry-After seconds beyond this are read as this (longer than any cap; no overflow)."""


def _parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, or None when absent or malformed.

    RFC 9110 allows ``delay-seconds`` (ASCII digits only: no sign, fraction, exponent,
    underscore or other scripts' digits) or an ``HTTP-date`` (IMF-fixdate, or one of the two
    obsolete forms recipients must accept); a date in the past means now. Anything else is
    ignored, so the call backs off as if the header were absent. ``now`` (epoch seconds)
    replaces the clock, for tests.
    """
    if value is None:
        return None
    value = value.strip(" \t")
    if _DELAY_SECONDS.fullmatch(value):
        return float(int(value)) if len(value) <= 12 else float(_LONGEST_DELAY)
    for pattern in _HTTP_DATES:
        match = pattern.fullmatch(value)
        if match is not None:
            break
    else:
        return None
    fields = match.groupdict()
    now = time.time() if now is None else now
    if fields.get("yy") is not None:
        # RFC 9110 5.6.7: a two-digit year more than 50 years ahead is in the past century
        this_year = datetime.datetime.fromtimestamp(now, datetime.UTC).year
        year = this_year - this_year % 100 + int(fields["yy"])
        if year > this_year + 50:
            year -= 100
    else:
        year = int(fields["year"])
    try:
        when = datetime.datetime(
            year,
            _MONTHS.index(fields["month"]) + 1,
            int(fields["day"]),
            int(fields["hour"]),
            int(fields["minute"]),
            min(int(fields["second"]), 59),  # a leap second reads as :59
            tzinfo=datetime.UTC,
        )
    except ValueError:  # no such day or time (31 Feb, 25:00)
        return None
    return max(0.0, when.timestamp() - now)


MAX_TIMEOUT = 365 * 86_400.0
"""The longest timeout accepted, in seconds (a year): sockets refuse far larger ones."""


def timeout_problem(timeout: object) -> str | None:
    """Why ``timeout`` cannot be a timeout (None when it can): a number of seconds above 0
    and at most :data:`MAX_TIMEOUT`, ``None`` (no limit) or an ``httpx.Timeout`` whose phases
    are such numbers or None. Never shows the value (only its type)."""
    rule = (
        "`timeout` must be a number of seconds above 0 and at most a year (31,536,000), "
        "None (wait forever) or an httpx.Timeout"
    )
    if timeout is None:
        return None
    if isinstance(timeout, httpx.Timeout):
        phases = (timeout.connect, timeout.read, timeout.write, timeout.pool)
        if all(p is None or timeout_problem(p) is None for p in phases):
            return None
        return rule + " of such numbers"
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        return f"{rule}; got a {type(timeout).__name__}"
    try:
        seconds = float(timeout)
    except OverflowError:
        return rule
    if not 0 < seconds <= MAX_TIMEOUT:  # also refuses nan
        return rule
    return None


def httpx_timeout(timeout: TimeoutTypes) -> httpx.Timeout:
    """The per-phase limits handed to httpx.

    A number is the total budget of one attempt: connecting may use at most
    ``DEFAULT_CONNECT_TIMEOUT`` of it, and every other wait (write, read, pool) the whole
    number. An ``httpx.Timeout`` sets the phases directly; ``None`` waits forever.
    """
    if timeout is None:
        return httpx.Timeout(None)
    if isinstance(timeout, httpx.Timeout):
        return timeout
    seconds = float(timeout)
    return httpx.Timeout(seconds, connect=min(DEFAULT_CONNECT_TIMEOUT, seconds))


def total_timeout(timeout: TimeoutTypes) -> float | None:
    """The total seconds one attempt may take, when the timeout is a number."""
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return None
    return float(timeout)


class _ClientCore(Generic[_HttpT]):
    """Configuration and the I/O-free logic shared by the sync and async clients."""

    _environments: ClassVar[Mapping[str, str]] = {}
    _default_environment: ClassVar[str] = ""
    _api_version: ClassVar[str] = ""
    _auth_style: ClassVar[str] = "query-keys"
    _error_style: ClassVar[str] = "response-errors"
    _retry_style: ClassVar[str] = "safe-methods"
    _content_type: ClassVar[str] = "text/xml; charset=utf-8"
    _headers_on_client: bool = False  # True when _DEFAULT_HEADERS are the HTTP client's own

    def __init__(
        self,
        *,
        tenant_id: str | uuid.UUID | None = None,
        environment: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        strict: bool = False,
        http_client: _HttpT | None = None,
        max_item_bytes: int = DEFAULT_MAX_ITEM_BYTES,
        limiter: object = True,
        token_store: TokenStore | None = None,
        max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
        **credentials: Any,
    ) -> None:
        """``credentials`` are the auth scheme's (``AUTH_SCHEMES[_auth_style]``): 1.0's
        ``api_key`` and ``customer_key``; 2.0's ``access_token``, ``client_id`` ... ``None``
        values count as not given. ``limiter``: see :func:`._limiter.resolve_limiter`;
        ``token_store``: see :mod:`._tokens` (keyed by ``tenant_id``)."""
        problems: list[str] = []
        sender = (
            Sender(None, self._asend_token) if self._is_async() else Sender(self._send_token, None)
        )
        auth = AUTH_SCHEMES[self._auth_style].from_credentials(credentials, problems, sender)
        self._tenant_id = self._check_tenant(tenant_id, problems)
        self._limiter: Limiter | None = resolve_limiter(limiter, self._auth_style, problems)
        if token_store is not None and auth is not None:
            auth.attach_token_store(token_store, self._tenant_id or "default", problems)
        if not isinstance(max_retries, int) or max_retries < 0:
            problems.append("`max_retries` must be a whole number >= 0")
        if not isinstance(max_response_bytes, int) or max_response_bytes <= 0:
            problems.append("`max_response_bytes` must be a positive whole number")
        if not isinstance(max_item_bytes, int) or max_item_bytes <= 0:
            problems.append("`max_item_bytes` must be a positive whole number")
        if (
            isinstance(max_attachment_bytes, bool)
            or not isinstance(max_attachment_bytes, int)
            or max_attachment_bytes <= 0
        ):
            problems.append("`max_attachment_bytes` must be a positive whole number")
        if not isinstance(max_retry_after, (int, float)) or not max_retry_after >= 0:
            problems.append("`max_retry_after` must be a number of seconds >= 0")
        bad_timeout = timeout_problem(timeout)
        if bad_timeout is not None:
            problems.append(bad_timeout)
        if problems:
            raise RequestValidationError(problems)
        assert auth is not None
        self._auth: AuthScheme = auth
        hold(self, auth.secrets)  # its secrets mask log lines while it is open (see _secrets)
        self._limit_app = app_key(auth.app_identity()) if self._limiter is not None else ""
        self._retry_policy = RETRY_POLICIES[self._retry_style]
        self.base_url = self._resolve_base_url(environment, base_url)
        self.timeout: TimeoutTypes = timeout
        self.max_retries = max_retries
        self.max_response_bytes = max_response_bytes
        self.max_item_bytes = max_item_bytes
        self.max_attachment_bytes = max_attachment_bytes
        self.max_retry_after = max_retry_after
        self.strict = strict
        self._envelope: EnvelopeReader = ENVELOPE_READERS[self._error_style]
        self._drift = DriftCounter()  # what answers held that the schemas did not know
        # path -> base_url.join(path): joining parses URLs twice (about 25 us a call), and the
        # paths are the endpoints' constants, so each is joined once per client.
        self._urls: dict[str, httpx.URL] = {}
        if http_client is not None and not isinstance(http_client, self._http_client_class()):
            name = self._http_client_class().__name__
            raise RequestValidationError([f"`http_client` must be an httpx.{name}"])
        # A client the SDK opens is the SDK's to close, and carries the default headers.
        self._owns_http_client = http_client is None
        self._headers_on_client = http_client is None
        self._closed = False  # close() was called (or the with block ended)
        self._http: _HttpT = (
            http_client
            if http_client is not None
            else self._http_client_class()(timeout=httpx_timeout(timeout), headers=_DEFAULT_HEADERS)
        )
        bound_by_deadlines(self._http)  # the total timeout of every attempt: see _transport

    @classmethod
    def _http_client_class(cls) -> type[_HttpT]:
        raise NotImplementedError

    @classmethod
    def _is_async(cls) -> bool:
        return cls._http_client_class() is httpx.AsyncClient

    def _check_tenant(self, tenant_id: object, problems: list[str]) -> str | None:
        if tenant_id is None:
            return None
        if not AUTH_SCHEMES[self._auth_style].uses_tenant:
            problems.append(f"API {self._api_version} has no tenants: leave out `tenant_id`")
            return None
        if isinstance(tenant_id, uuid.UUID):
            return str(tenant_id)
        if not isinstance(tenant_id, str) or not _GUID.fullmatch(tenant_id.strip()):
            problems.append(_tenant_problem(tenant_id))
            return None
        return tenant_id.strip().lower()

    def with_options(
        self: _C,
        *,
        tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> _C:
        """A client like this one with other defaults, e.g. for another organisation.

        It shares this client's connection pool and (API 2.0) its token: a refresh by one is
        seen by both. Closing it does not close the pool; close the original when done.

        Raises:
            RequestValidationError: An option is unusable.
        """
        problems: list[str] = []
        tenant = self._tenant_id
        if not isinstance(tenant_id, NotGiven):
            tenant = self._check_tenant(tenant_id, problems)
            if tenant is None and not problems:
                problems.append(_tenant_problem(tenant_id))
        if not isinstance(timeout, NotGiven):
            bad_timeout = timeout_problem(timeout)
            if bad_timeout is not None:
                problems.append(bad_timeout)
        retries = self.max_retries
        if not isinstance(max_retries, NotGiven):
            try:
                retries = self._effective_retries(max_retries)
            except RequestValidationError as exc:
                problems.extend(exc.problems)
        if problems:
            raise RequestValidationError(problems)
        clone = object.__new__(type(self))
        cls = type(self)
        clone.__dict__.update(
            (k, v)
            for k, v in self.__dict__.items()
            if not isinstance(getattr(cls, k, None), functools.cached_property)
        )
        clone._tenant_id = tenant
        clone.max_retries = retries
        if not isinstance(timeout, NotGiven):
            clone.timeout = timeout
        clone._owns_http_client = False
        hold(clone, clone._auth.secrets)
        return clone

    # ------------------------------------------------------------------ token calls

    def _log_token_call(self, request: httpx.Request, status: int | None, started: float) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s %s -> %s (%.1f ms)",
                request.method,
                redact(str(request.url)),
                status if status is not None else "failed",
                (time.monotonic() - started) * 1000,
            )

    # ------------------------------------------------------------------ rate-limit slots

    def _slot_tenant(self, request: httpx.Request) -> str | None:
        tenant: str | None = request.headers.get(_TENANT_HEADER)
        return tenant

    def _take_slot(self, request: httpx.Request) -> Slot | None:
        """Wait for a rate-limit slot for ``request`` (None without a limiter)."""
        if self._limiter is None:
            return None
        return self._limiter.acquire(self._limit_app, self._slot_tenant(request))

    async def _atake_slot(self, request: httpx.Request) -> Slot | None:
        if self._limiter is None:
            return None
        return await self._limiter.aacquire(self._limit_app, self._slot_tenant(request))

    def _give_slot(self, slot: Slot | None, answer: httpx.Response | None) -> None:
        """Give the slot back, teaching the limiter the answer's counts (if one came)."""
        if slot is not None and self._limiter is not None:
            status, headers = (
                (None, None) if answer is None else (answer.status_code, answer.headers)
            )
            self._limiter.release(slot, status, headers)

    async def _agive_slot(self, slot: Slot | None, answer: httpx.Response | None) -> None:
        if slot is not None and self._limiter is not None:
            status, headers = (
                (None, None) if answer is None else (answer.status_code, answer.headers)
            )
            await self._limiter.arelease(slot, status, headers)

    def _send_token(self, request: httpx.Request) -> tuple[int, httpx.Headers, bytes]:
        started = time.monotonic()
        status: int | None = None
        try:
            http: Any = self._http
            answer = send_token_request(http, request)
            status = answer[0]
            return answer
        finally:
            self._log_token_call(request, status, started)

    async def _asend_token(self, request: httpx.Request) -> tuple[int, httpx.Headers, bytes]:
        started = time.monotonic()
        status: int | None = None
        try:
            http: Any = self._http
            answer = await asend_token_request(http, request)
            status = answer[0]
            return answer
        finally:
            self._log_token_call(request, status, started)

    # ------------------------------------------------------------------ configuration

    def _resolve_base_url(
        self, environment: str | None, base_url: str | httpx.URL | None
    ) -> httpx.URL:
        if environment is not None and base_url is not None:
            raise RequestValidationError(["give either `environment` or `base_url`, not both"])
        if base_url is None:
            name = environment or self._default_environment
            if name not in self._environments:
                raise RequestValidationError(
                    [
                        f"`environment` must be one of {', '.join(sorted(self._environments))}; got {name!r}"
                    ]
                )
            url = httpx.URL(self._environments[name])
        else:
            try:
                url = httpx.URL(str(base_url))
            except (httpx.InvalidURL, ValueError, TypeError) as exc:
                raise RequestValidationError(
                    [f"`base_url` is not a valid URL: {redact(str(exc))[:200]}"]
                ) from None
            if url.scheme not in ("https", "http") or not url.host:
                raise RequestValidationError(
                    [f"`base_url` must be an absolute https URL; got {redact(str(url))!r}"]
                )
            if url.scheme == "http" and not _is_loopback(url.host):
                raise RequestValidationError(
                    [
                        "`base_url` must use https (Xero refuses plain HTTP); http is only allowed on loopback"
                    ]
                )
            if url.query or url.fragment:
                raise RequestValidationError(["`base_url` must not carry a query or a fragment"])
        if not url.raw_path.endswith(b"/"):
            url = url.copy_with(raw_path=url.raw_path + b"/")
        return url

    def __repr__(self) -> str:
        tenant = f", tenant_id={self._tenant_id!r}" if self._tenant_id is not None else ""
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}{tenant}, {self._auth.describe()})"

    # ------------------------------------------------------------------ building

    def _build_request(
        self,
        method: str,
        path: str,
        params: Sequence[tuple[str, str | None]],
        body: object | None,
        timeout: TimeoutTypes | NotGiven,
        encode: Callable[[Any], bytes] | None = None,
        extra_headers: Sequence[tuple[str, str | None]] = (),
        tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        tenantless: bool = False,
        check: Model | None = None,
        upload: Upload | None = None,
    ) -> httpx.Request:
        """The request of one logical call (sent as is on every attempt).

        ``extra_headers`` are the call's own (``None`` values dropped); ``tenant_id`` overrides
        the client's organisation (API versions with tenants; ``tenantless`` calls have none);
        PUT/POST of a version whose retry policy keys writes carry ``idempotency_key`` or a
        fresh one.
        """
        self._check_open()
        if not isinstance(timeout, NotGiven):
            bad_timeout = timeout_problem(timeout)
            if bad_timeout is not None:
                raise RequestValidationError([bad_timeout])
        headers = dict(self._auth.headers())
        if not self._headers_on_client:
            headers = {**_DEFAULT_HEADERS, **headers}
        if extra_headers or not isinstance(tenant_id, NotGiven) or self._auth.uses_tenant:
            self._call_headers(headers, extra_headers, tenant_id, tenantless)
        if method in self._retry_policy.keyed_methods:
            headers[_IDEMPOTENCY_HEADER] = self._idempotency_key(idempotency_key)
        elif not isinstance(idempotency_key, NotGiven):
            raise RequestValidationError(
                [f"`idempotency_key` is not sent with {method} calls of API {self._api_version}"]
            )
        content: bytes | None = None
        if body is None and check is not None:  # a write's document left out: never an empty PUT
            raise RequestValidationError(
                [f"the {check.name} to send is required (the body of this call); got None"]
            )
        if body is not None:
            problems = check_body(body, check) if check is not None else []
            if problems:
                raise RequestValidationError([redact(p) for p in problems])
            try:
                content = encode(body) if encode is not None else serialize(body)
            except Exception as exc:  # xsdata raises several kinds; the user gets one
                raise RequestValidationError(
                    [f"the request body cannot be written as XML: {redact(str(exc))}"]
                ) from exc
            headers.setdefault("Content-Type", self._content_type)
        if upload is not None:  # a file, streamed on every attempt (see _binary, _rewind)
            headers["Content-Type"] = upload.content_type
            headers["Content-Length"] = str(upload.size)
        effective_timeout = self.timeout if isinstance(timeout, NotGiven) else timeout
        bad_headers = [name for name, value in headers.items() if not _sendable_header(name, value)]
        if bad_headers:  # never show the value: it may be a token
            raise RequestValidationError(
                [
                    f"the request header `{redact(name)}` has a name or value that cannot be sent "
                    "(only printable ASCII; no line breaks or control characters)"
                    for name in bad_headers
                ]
            )
        try:
            query = httpx.QueryParams(
                [(k, v) for k, v in (*self._auth.query_params(), *params) if v is not None]
            )
            url = self._urls.get(path)
            if url is None:
                url = self.base_url.join(path)
                if len(self._urls) < 64:  # endpoint paths are constants; never grow without bound
                    self._urls[path] = url
            request = self._http.build_request(
                method,
                url,
                params=query,
                headers=headers or None,
                content=content,
                timeout=httpx_timeout(effective_timeout),
                extensions={"xero_total_timeout": total_timeout(effective_timeout)},
            )
            if upload is not None:
                request.extensions["xero_upload"] = upload
            return request
        except (httpx.InvalidURL, httpx.HTTPError, ValueError, TypeError) as exc:
            # httpx refuses to build it (a URL too long or malformed, a value of the wrong
            # type): nothing was sent, and no httpx exception may reach the caller.
            raise RequestValidationError([_unbuildable(exc, path, params)]) from None

    def _check_open(self) -> None:
        """Raise XeroError when the client (or its HTTP client) has been closed."""
        if self._closed or self._http.is_closed:
            raise XeroError(
                f"this {type(self).__name__} is closed (used after close() or after its"
                " `with` block): make a new client"
            )

    def _call_headers(
        self,
        headers: dict[str, str],
        extra: Sequence[tuple[str, str | None]],
        tenant_id: str | uuid.UUID | NotGiven,
        tenantless: bool,
    ) -> None:
        problems: list[str] = []
        for name, value in extra:
            if value is None:
                continue
            if not isinstance(value, str) or any(c in value for c in "\r\n\x00"):
                problems.append(f"the `{name}` header value must be a single-line string")
                continue
            headers[name] = value
        if self._auth.uses_tenant and not tenantless:
            tenant = self._tenant_id
            if not isinstance(tenant_id, NotGiven):
                tenant = self._check_tenant(tenant_id, problems)
                if tenant is None and not problems:
                    problems.append(_tenant_problem(tenant_id))
            if tenant is None and not problems:
                problems.append(
                    "`tenant_id` is required: give it to the client or to the call"
                    " (client.connections() lists the tenants your token can reach)"
                )
            if tenant is not None:
                headers[_TENANT_HEADER] = tenant
        elif not isinstance(tenant_id, NotGiven) and not tenantless:
            self._check_tenant(tenant_id, problems)
        if problems:
            raise RequestValidationError(problems)

    def _idempotency_key(self, given: str | NotGiven) -> str:
        if isinstance(given, NotGiven):
            return new_idempotency_key()
        if (
            not isinstance(given, str)
            or not _visible_ascii(given)
            or len(given) > _MAX_IDEMPOTENCY_KEY
        ):
            raise RequestValidationError(
                [
                    "`idempotency_key` must be 1 to 128 visible ASCII characters"
                    " (no spaces); leave it out and the SDK makes one"
                ]
            )
        return given

    # ------------------------------------------------------------------ reading

    def _interpret(
        self,
        status: int,
        headers: httpx.Headers,
        content: bytes,
        response_type: type[R],
        decode: Callable[[etree._Element, bool], R] | None = None,
    ) -> R:
        """Turn a complete HTTP answer into the response dataclass or an exception.

        ``decode`` is the generated fast decoder of ``response_type``; xsdata binds otherwise.
        """
        content_type = headers.get("content-type", "").lower()
        if status == 429:
            raise self._rate_limit_error(status, headers, content)
        early = self._envelope.status_error(status, headers, content) if status >= 300 else None
        if early is not None:
            raise early  # an error answer that is not XML (2.0: JSON 401/403, text 404 ...)
        if 300 <= status < 400:
            raise self._envelope.page_error(status, None, redirect=True)
        if ("html" in content_type or is_html_page(content)) and status < 500:
            raise self._envelope.page_error(status, html_title(content), redirect=False)
        try:
            root = parse_document(content)
        except Exception as exc:
            raise self._read_error(
                exc, status, len(content), parsing=True, headers=headers
            ) from exc
        self._check_document(root, status, headers)
        check_payload(root, payload_tag(response_type), status)
        if decode is None:
            return bind(root, response_type, strict=self.strict)  # pauses gc itself
        _gc.pause()  # a whole document: see _gc
        try:
            with watching(self._drift):
                return decode(root, self.strict)
        except XeroError:
            raise
        except Exception as exc:  # a decoder bug must not escape the error tree
            raise self._read_error(
                exc, status, len(content), parsing=False, headers=headers
            ) from exc
        finally:
            _gc.resume()

    def _read_no_content(self, status: int, headers: httpx.Headers, content: bytes) -> None:
        """The answer of an endpoint that returns nothing (204 No Content).

        Any 2xx is success, with or without a body (nothing in it is needed); an error answer
        raises exactly as for any other endpoint (ApiException 400, 404, 429, 5xx ...).
        """
        if 200 <= status < 300:
            return None
        self._interpret(status, headers, content, type(None))  # raises the answer's error
        raise XeroAPIError(  # an answer no status above explains (not reached with Xero)
            f"Xero answered HTTP {status}",
            status_code=status,
            rate_limit=RateLimit.from_headers(headers),
        )

    def _read_error(
        self,
        exc: BaseException,
        status: int,
        size: int,
        *,
        parsing: bool,
        headers: httpx.Headers | None = None,
    ) -> XeroError:
        """The SDK's error for an answer that arrived but cannot be read.

        The one mapping for whole documents and streams alike: ``parsing`` failures (an
        unsafe or malformed document) and decoding failures (a value the models cannot hold,
        or any other decoder failure). Transport failures (including a broken
        ``Content-Encoding``) go through :meth:`_transport_error`. ``size`` is the number of
        bytes read so far. An error of the SDK's own (the codec's, naming the element) is
        returned as it is.
        """
        if isinstance(exc, XeroError):
            return exc
        detail = redact(str(exc))[:200]
        if isinstance(exc, UnsafeXMLError):
            return XeroResponseError(
                f"refused an unsafe response (HTTP {status}): {exc}", status_code=status
            )
        if not parsing:
            return XeroResponseError(
                f"the response does not match the schema: {type(exc).__name__}: {detail}",
                status_code=status,
            )
        if status >= 500:
            return ServerError(
                f"Xero answered HTTP {status} without a readable error",
                status_code=status,
                rate_limit=RateLimit.from_headers(headers),
            )
        return XeroResponseError(
            f"the response (HTTP {status}, {size} bytes) is not well-formed XML: {detail}",
            status_code=status,
        )

    def _check_document(
        self, root: etree._Element, status: int, headers: httpx.Headers | None = None
    ) -> None:
        """Raise unless the parsed (or partly parsed, streaming) document is a success envelope.

        Shared by whole documents and streams (which call it before handing out the first
        item, and again at the end, after the same DOCTYPE check as :func:`parse_document`).
        """
        tag = root.tag if isinstance(root.tag, str) else ""
        if tag.lower() == "html" and status < 500:
            title = root.findtext(".//title") if len(root) else None
            raise self._envelope.page_error(status, title, redirect=False)
        self._envelope.raise_for_errors(root, status, headers)  # Xero's own error envelope
        if status >= 400:
            limits = RateLimit.from_headers(headers)
            if status >= 500:
                raise ServerError(
                    f"Xero answered HTTP {status}", status_code=status, rate_limit=limits
                )
            raise XeroAPIError(
                f"Xero answered HTTP {status}", status_code=status, rate_limit=limits
            )
        self._envelope.check_root(root, status)

    def _rate_limit_error(
        self, status: int, headers: httpx.Headers, content: bytes
    ) -> RateLimitError:
        retry_after = _parse_retry_after(headers.get("retry-after"))
        hint = f"; retry after {retry_after:g} s" if retry_after is not None else ""
        problem = redact(headers.get("x-rate-limit-problem", "").strip().lower())[:40] or None
        which = f" ({problem} limit)" if problem else ""
        return RateLimitError(
            f"Xero is rate limiting {self._envelope.rate_limited(problem)} (HTTP {status})"
            f"{which}{hint}",
            retry_after=retry_after,
            rate_limit=RateLimit.from_headers(headers),
            problem=problem,
        )

    # ------------------------------------------------------------------ retrying

    def _effective_retries(self, max_retries: int | NotGiven) -> int:
        if isinstance(max_retries, NotGiven):
            return self.max_retries
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise RequestValidationError(["`max_retries` must be a whole number >= 0"])
        return max_retries

    def _retry_delay(
        self, method: str, attempt: _Attempt, retries_done: int, max_retries: int
    ) -> float | None:
        """Seconds to wait before the next try, or None to give up and raise.

        A request that may have reached the server is retried only when the version's
        :class:`RetryPolicy` allows it for the method (1.0: GET only; a PUT or POST is sent
        again only when it provably never left). A 429 for the daily limit is never retried.
        """
        if retries_done >= max_retries:
            return None
        if attempt.sent and method not in self._retry_policy.retry_sent:
            return None
        error = attempt.error
        if isinstance(error, RateLimitError) and error.problem == "day":
            return None  # the daily limit: waiting hours is never what a call should do
        retryable = isinstance(error, XeroConnectionError) or (
            isinstance(error, XeroAPIError) and error.status_code in _RETRY_STATUSES
        )
        if not retryable:
            return None
        if attempt.retry_after is not None:
            if attempt.retry_after > self.max_retry_after:
                return None  # Xero asks for a longer wait than we accept: fail now
            return float(attempt.retry_after)
        delay: float = min(INITIAL_RETRY_DELAY * (2**retries_done), MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())

    def _transport_error(
        self, exc: httpx.HTTPError, request: httpx.Request, started: float
    ) -> _Attempt:
        # Never put the URL into the message: it carries the keys. The cause is a detached,
        # redacted copy of httpx's exception (which holds the request and so the keys).
        detail = redact(str(exc)) or type(exc).__name__
        total = request.extensions.get("xero_total_timeout")
        if (
            isinstance(exc, httpx.TimeoutException)
            and isinstance(total, float)
            and time.monotonic() - started >= total * 0.98
        ):  # the deadline of the attempt cut a socket wait short
            detail = f"the attempt took longer than the total timeout ({total:g} s)"
        cause = _detached(exc)
        if log.isEnabledFor(logging.DEBUG):
            elapsed_ms = (time.monotonic() - started) * 1000
            log.debug(
                "%s %s -> %s: %s (%.1f ms)",
                request.method,
                redact(str(request.url)),
                type(exc).__name__,
                detail,
                elapsed_ms,
            )
        error: XeroError
        if isinstance(exc, httpx.DecodingError):
            # The answer arrived but its Content-Encoding is broken: not a network failure.
            error = XeroResponseError(f"the response body could not be decoded: {detail}")
            return _Attempt(error, sent=True, cause=cause)
        if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
            error = XeroTimeoutError(f"timed out connecting to Xero: {detail}")
            return _Attempt(error, sent=False, cause=cause)
        if isinstance(exc, httpx.ConnectError):
            error = XeroConnectionError(f"could not connect to Xero: {detail}")
            return _Attempt(error, sent=False, cause=cause)
        # The request may have reached Xero: a write is not sent again, and the caller must
        # know that it may have been saved.
        write = request.method not in _IDEMPOTENT
        if isinstance(exc, httpx.TimeoutException):
            cls: type[XeroConnectionError] = XeroTimeoutError
            text = f"timed out waiting for Xero: {detail}"
        else:
            cls = XeroConnectionError
            text = f"the connection to Xero failed: {detail}"
        if write:
            text += (
                f"; the {request.method} may have been applied (it was not sent again): "
                "check whether it was saved before repeating it"
            )
        return _Attempt(cls(text, may_have_been_applied=write), sent=True, cause=cause)

    def _api_failure(self, exc: XeroAPIError, headers: httpx.Headers) -> _Attempt:
        """An error answer: Retry-After counts for 429 and for 502/503/504 alike."""
        retry_after: float | None = None
        if isinstance(exc, RateLimitError):
            retry_after = exc.retry_after
        elif exc.status_code in _RETRY_STATUSES:
            retry_after = _parse_retry_after(headers.get("retry-after"))
        return _Attempt(exc, sent=True, retry_after=retry_after)

    def _complete(
        self,
        request: httpx.Request,
        answer: tuple[int, httpx.Headers, bytes],
        started: float,
        response_type: type[R],
        decode: Callable[[etree._Element, bool], R] | None,
        read: Callable[[int, httpx.Headers, bytes], R] | None = None,
    ) -> RawResponse[R] | _Attempt:
        """A received answer: the parsed response, or the failed attempt to judge.

        ``read`` replaces the XML interpretation (a JSON call such as ``/connections``).
        """
        status, headers, content = answer
        self._log_exchange(request, status, content, started, headers)
        try:
            if read is not None:
                parsed = read(status, headers, content)
            else:
                parsed = self._interpret(status, headers, content, response_type, decode)
        except XeroAPIError as exc:
            return self._api_failure(exc, headers)
        return RawResponse(status, headers, content, parsed, time.monotonic() - started)

    def _next_delay(
        self, request: httpx.Request, path: str, attempt: _Attempt, retries_done: int, retries: int
    ) -> float:
        """Seconds to wait before retrying ``attempt``; raises its error when giving up."""
        upload = request.extensions.get("xero_upload")
        if attempt.sent and upload is not None and not upload.replayable:
            attempt.raise_error()  # its file cannot be read again from the start
        delay = self._retry_delay(request.method, attempt, retries_done, retries)
        if delay is None:
            attempt.raise_error()
        if attempt.retry_after is not None and isinstance(attempt.error, RateLimitError):
            # a wait Xero asked for can be long (up to max_retry_after): say so where it shows
            error = attempt.error
            limit = f"the {error.problem} limit" if error.problem else "a rate limit"
            log.info(
                "waiting %.0f s before retrying %s %s: Xero answered 429 (%s) with Retry-After %.0f"
                " (retry %d of %d)",
                delay,
                request.method,
                redact(path),
                limit,
                attempt.retry_after,
                retries_done + 1,
                retries,
            )
            return delay
        log.debug(
            "retrying %s %s in %.2f s after: %s",
            request.method,
            path,
            delay,
            attempt.error.message,
        )
        return delay

    def _log_exchange(
        self,
        request: httpx.Request,
        status: int,
        content: bytes,
        started: float,
        headers: httpx.Headers | None = None,
        streamed: int | None = None,
    ) -> None:
        """DEBUG: the call's line; TRACE: its bodies, redacted. A body that is not text (by the
        answer's ``headers``: a PDF, an attachment) is logged by its size and type only, and a
        body ``streamed`` to a destination by the number of bytes written."""
        if log.isEnabledFor(logging.DEBUG):
            elapsed_ms = (time.monotonic() - started) * 1000
            log.debug(
                "%s %s -> %d (%.1f ms)",
                request.method,
                redact(str(request.url)),
                status,
                elapsed_ms,
            )
        if log.isEnabledFor(TRACE):
            upload = request.extensions.get("xero_upload")
            if upload is not None:  # a file: its size and type, never its bytes
                log.log(TRACE, "request body: %d bytes of %s", upload.size, upload.content_type)
            elif request.content:
                log.log(
                    TRACE, "request body: %s", redact(request.content.decode("utf-8", "replace"))
                )
            content_type = (headers.get("content-type") or "") if headers is not None else ""
            if streamed is not None:
                log.log(TRACE, "response body: %d bytes written to the destination", streamed)
            elif content_type and not _textual(content_type):  # a file: never its bytes
                log.log(TRACE, "response body: %d bytes of %s", len(content), content_type)
            else:
                log.log(TRACE, "response body: %s", redact(content.decode("utf-8", "replace")))

    def _read_connections(
        self, status: int, headers: httpx.Headers, content: bytes
    ) -> list[Connection]:
        if status == 429:
            raise self._rate_limit_error(status, headers, content)
        if status != 200:
            error = self._envelope.status_error(status, headers, content)
            raise error or XeroAPIError(
                f"Xero answered HTTP {status} to GET /connections",
                status_code=status,
                rate_limit=RateLimit.from_headers(headers),
            )
        return parse_connections(status, content)

    def _connections_call(self) -> dict[str, Any]:
        if not self._auth.uses_tenant:
            raise RequestValidationError([f"API {self._api_version} has no connections"])
        return {
            "method": "GET",
            "path": "/connections",
            "response_type": list,
            "read": self._read_connections,
            "tenantless": True,
            "headers": [("Accept", "application/json")],
        }

    def _oauth(self, what: str) -> OAuth2Auth:
        if not isinstance(self._auth, OAuth2Auth):
            raise RequestValidationError([f"API {self._api_version} has no {what}"])
        return self._auth

    # ------------------------------------------------------------------ the escape hatch

    def _raw_call(
        self,
        method: object,
        path: object,
        params: object,
        content: object,
        headers: object,
        tenant_id: str | uuid.UUID | NotGiven,
        idempotency_key: str | NotGiven,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> dict[str, Any]:
        """The ``_request`` arguments of :meth:`SyncAPIClient.request`, checked."""
        problems: list[str] = []
        verb = method.upper() if isinstance(method, str) else ""
        if verb not in _RAW_METHODS:
            problems.append(
                f"`method` must be one of {', '.join(sorted(_RAW_METHODS))} (what Xero's API"
                f" takes); got {redact(repr(method))[:40]}"
            )
        target, tenantless = self._raw_target(path, problems)
        query = _raw_params(params, problems)
        extra = _raw_headers(headers, problems)
        body: bytes | None = None
        if isinstance(content, str):
            body = content.encode("utf-8", "surrogatepass") if _encodable(content) else None
            if body is None:
                problems.append("`content` is not valid text (lone surrogates)")
        elif isinstance(content, (bytes, bytearray, memoryview)):
            body = bytes(content)
        elif content is not None:
            problems.append(f"`content` must be bytes or str; got a {type(content).__name__}")
        if problems:
            raise RequestValidationError(problems)
        call: dict[str, Any] = {
            "method": verb,
            "path": target,
            "params": query,
            "headers": extra,
            "response_type": object,
            "read": self._read_raw,
            "tenantless": tenantless,
            "timeout": timeout,
            "max_retries": max_retries,
        }
        if body is not None:
            call["body"] = body
            call["encode"] = bytes
        if not isinstance(tenant_id, NotGiven):
            call["tenant_id"] = tenant_id
        if not isinstance(idempotency_key, NotGiven):
            call["idempotency_key"] = idempotency_key
        return call

    def _raw_target(self, path: object, problems: list[str]) -> tuple[str, bool]:
        """The path (or same-host URL) to send to, and whether it lies outside ``base_url``
        (``/connections``: sent without the tenant header)."""
        if not isinstance(path, str) or not path.strip() or not _encodable(path):
            problems.append("`path` must be a non-empty string such as 'Contacts'")
            return "", False
        try:
            url = self.base_url.join(path)
        except (httpx.InvalidURL, ValueError) as exc:
            problems.append(f"`path` is not a valid URL path: {redact(str(exc))[:200]}")
            return "", False
        base = self.base_url
        if (url.scheme, url.host, url.port) != (base.scheme, base.host, base.port):
            problems.append(
                f"`path` must be a path of the client's API such as 'Contacts' (or a URL on"
                f" {base.host}); {redact(url.host or path)[:100]!r} is another host, and the"
                " client's token and tenant would be sent there"
            )
            return "", False
        if url.query or url.fragment:
            problems.append("`path` must not carry a query or a fragment: give `params=`")
            return "", False
        return path, not url.path.startswith(base.path)

    def _read_raw(
        self, status: int, headers: httpx.Headers, content: bytes
    ) -> etree._Element | bytes:
        """The answer of :meth:`SyncAPIClient.request`: the parsed root of an XML answer,
        the bytes of any other; errors exactly as the generated calls raise them."""
        if status == 429:
            raise self._rate_limit_error(status, headers, content)
        early = self._envelope.status_error(status, headers, content) if status >= 300 else None
        if early is not None:
            raise early
        if 300 <= status < 400:
            raise self._envelope.page_error(status, None, redirect=True)
        content_type = headers.get("content-type", "").lower()
        if (("html" in content_type and status >= 300) or is_html_page(content)) and status < 500:
            raise self._envelope.page_error(status, html_title(content), redirect=False)
        head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if status < 300 and not ("xml" in content_type or (not content_type and head == b"<")):
            return content  # JSON, a PDF, an empty 204 ...
        try:
            root = parse_document(content)
        except Exception as exc:
            raise self._read_error(
                exc, status, len(content), parsing=True, headers=headers
            ) from exc
        self._envelope.raise_for_errors(root, status, headers)
        if status >= 300:
            self._check_document(root, status, headers)
        return root

    def _disconnect_call(self, connection_id: object) -> dict[str, Any]:
        if not self._auth.uses_tenant:
            raise RequestValidationError([f"API {self._api_version} has no connections"])
        if isinstance(connection_id, uuid.UUID):
            connection_id = str(connection_id)
        if not isinstance(connection_id, str) or not _GUID.fullmatch(connection_id.strip()):
            got = (
                repr(redact(connection_id)[:60])
                if isinstance(connection_id, str)
                else f"a {type(connection_id).__name__}"
            )
            raise RequestValidationError(
                [
                    "`connection_id` must be a connection's id, a GUID (Connection.id of"
                    f" client.connections(), not its tenant_id); got {got}"
                ]
            )
        return {
            "method": "DELETE",
            "path": "/connections/" + connection_id.strip().lower(),
            "response_type": object,
            "read": self._read_disconnect,
            "tenantless": True,
            "headers": [("Accept", "application/json")],
            "subject": [("connection_id", connection_id.strip().lower())],
        }

    def _read_disconnect(self, status: int, headers: httpx.Headers, content: bytes) -> None:
        if status == 429:
            raise self._rate_limit_error(status, headers, content)
        if status >= 300:
            error = self._envelope.status_error(status, headers, content)
            raise error or XeroAPIError(
                f"Xero answered HTTP {status} to DELETE /connections/...",
                status_code=status,
                rate_limit=RateLimit.from_headers(headers),
            )

    def _too_large(self, size: int, status: int) -> XeroResponseError:
        return XeroResponseError(
            f"the response is larger than max_response_bytes ({self.max_response_bytes} bytes; got at least {size})",
            status_code=status,
        )

    def schema_drift(self) -> dict[tuple[str, str], int]:
        """What this client's answers held that the SDK's schemas did not know, so far.

        Returns ``{(kind, what): count}``, kind being ``"unknown element"`` (skipped by the
        decoder) or ``"unknown enum value"`` (kept as text). The first of each kind is also
        logged as a warning on the ``xero_customer_api`` logger; ``xero-codegen drift`` turns
        recorded answers into a schema patch.
        """
        return self._drift.counts()


class SyncAPIClient(_ClientCore[httpx.Client]):
    """Base of the generated synchronous clients."""

    @classmethod
    def _http_client_class(cls) -> type[httpx.Client]:
        return httpx.Client

    def _connections(self) -> list[Connection]:
        raw = self._request(**self._connections_call())
        return typing.cast(list[Connection], raw.parsed)

    def _disconnect(self, connection_id: object) -> None:
        self._request(**self._disconnect_call(connection_id))

    def _revoke_token(self) -> None:
        auth = self._oauth("tokens to revoke")
        self._check_open()
        try:
            endpoint = auth.revocation_request()
            answer = self._send_token(endpoint)
            assert auth._endpoint is not None
            auth._endpoint.check_revoked(answer)
        except XeroError as error:
            failure = error.with_traceback(None)
        else:
            auth.forget()
            return
        raise failure

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | Sequence[tuple[str, object]] | None = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RawResponse[etree._Element | bytes]:
        """Send a request the SDK has no method for yet, with everything the SDK's own calls
        get: the client's token (fetched and refreshed), tenant header, rate limiter,
        retries (writes carry an Idempotency-Key), timeouts, size cap, redacted logging and
        safe XML parsing. Errors are raised as for the generated methods.

        Args:
            method: ``GET``, ``PUT``, ``POST`` or ``DELETE``.
            path: A path of the client's API, relative to ``base_url`` (``Contacts``,
                ``Invoices/{id}/History``), or ``/connections``-like paths of its host; a URL
                of another host is refused (the token would go there).
            params: Query parameters: a mapping or (name, value) pairs; values str, int,
                bool, date or UUID (None values are left out).
            content: The body (XML as ``str`` or ``bytes``), sent as ``text/xml`` unless
                ``headers`` give a ``Content-Type``.
            headers: More headers (``Accept``, ``If-Modified-Since`` ...); the SDK's own
                (``Authorization``, ``xero-tenant-id``, ``Idempotency-Key``) are refused:
                use the arguments.
            tenant_id: The organisation of this call; the client's by default. Paths outside
                the API (``/connections``) are sent without one.
            idempotency_key: The Idempotency-Key of a PUT or POST (one is made otherwise).
            timeout: Seconds (or an ``httpx.Timeout``) for this call.
            max_retries: Retries for this call where safe.

        Returns:
            The raw answer; ``.parsed`` is the root element (lxml) of an XML answer and the
            body's bytes otherwise (JSON, a PDF, an empty 204).

        Raises:
            RequestValidationError: Nothing was sent: an argument is unusable.
            NotFoundError: HTTP 404.
            ValidationError: Xero refused the request (a 400 ``ApiException``).
            AuthenticationError, PermissionDeniedError: The token or tenant was refused.
            RateLimitError: A rate limit was hit and waiting was not possible or allowed.
            XeroAPIError: Xero answered with another error.
            XeroError: The call failed otherwise (network, timeout, unreadable answer).
        """
        try:
            call = self._raw_call(
                method,
                path,
                params,
                content,
                headers,
                tenant_id,
                idempotency_key,
                timeout,
                max_retries,
            )
        except XeroError as error:
            failure = error.with_traceback(None)
        else:
            return typing.cast(RawResponse[etree._Element | bytes], self._request(**call))
        raise failure

    def close(self) -> None:
        """Close the HTTP connections (only those the client opened itself); later calls
        raise XeroError."""
        self._closed = True
        release(self, with_copies=self._owns_http_client)  # copies share its pool
        if self._owns_http_client:
            self._http.close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @scoped  # its messages mask this client's secrets only
    def _request(
        self,
        *,
        method: str,
        path: str,
        params: Sequence[tuple[str, str | None]] = (),
        body: object | None = None,
        response_type: type[R],
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        decode: Callable[[etree._Element, bool], R] | None = None,
        encode: Callable[[Any], bytes] | None = None,
        headers: Sequence[tuple[str, str | None]] = (),
        tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        read: Callable[[int, httpx.Headers, bytes], R] | None = None,
        tenantless: bool = False,
        check: Model | None = None,
        subject: Sequence[tuple[str, object]] = (),
        upload: Upload | None = None,
    ) -> RawResponse[R]:
        try:
            request = self._build_request(
                method,
                path,
                params,
                body,
                timeout,
                encode,
                check=check,
                extra_headers=headers,
                tenant_id=tenant_id,
                idempotency_key=idempotency_key,
                tenantless=tenantless,
                upload=upload,
            )
            retries = self._effective_retries(max_retries)
            retries_done = 0
            renewed = False
            while True:
                started = time.monotonic()
                outcome: RawResponse[R] | _Attempt
                deadline = _deadline(request, started)
                try:
                    with deadline_scope(deadline):  # the token call counts against it too
                        self._auth.authorize(request)  # may fetch or refresh the token
                    answer = self._send(request, deadline)
                except XeroConnectionError as exc:  # the token endpoint failed: nothing was sent
                    outcome = _Attempt(exc, sent=False)
                except httpx.HTTPError as exc:
                    outcome = self._transport_error(exc, request, started)
                else:
                    outcome = self._complete(request, answer, started, response_type, decode, read)
                if isinstance(outcome, RawResponse):
                    return outcome
                if not renewed and _token_expired(outcome):
                    renewed = True  # once per call: a fresh token that fails again is an error
                    if self._auth.renew(request):
                        continue
                time.sleep(self._next_delay(request, path, outcome, retries_done, retries))
                retries_done += 1
        except XeroError as error:
            # Raised from here, without the SDK's inner frames (a cause keeps its own).
            failure = _naming(error, method, path, subject).with_traceback(None)
        raise failure

    def _send(
        self, request: httpx.Request, deadline: float | None
    ) -> tuple[int, httpx.Headers, bytes]:
        slot = self._take_slot(request)  # rate limits: may wait, not counted in the deadline
        response: httpx.Response | None = None
        deadline = slot.extend(deadline) if slot else deadline
        try:
            with deadline_scope(deadline):
                _rewind(request)
                response = self._http.send(request, stream=True, follow_redirects=False)
                try:
                    body = _Body(self, response, deadline)
                    for chunk in decoded(response):
                        body.add(chunk)
                    return response.status_code, response.headers, body.content()
                finally:
                    response.close()
        finally:
            self._give_slot(slot, response)


class AsyncAPIClient(_ClientCore[httpx.AsyncClient]):
    """Base of the generated asynchronous clients."""

    @classmethod
    def _http_client_class(cls) -> type[httpx.AsyncClient]:
        return httpx.AsyncClient

    async def _connections(self) -> list[Connection]:
        raw = await self._request(**self._connections_call())
        return typing.cast(list[Connection], raw.parsed)

    async def _disconnect(self, connection_id: object) -> None:
        await self._request(**self._disconnect_call(connection_id))

    async def _revoke_token(self) -> None:
        auth = self._oauth("tokens to revoke")
        self._check_open()
        try:
            endpoint = auth.revocation_request()
            answer = await self._asend_token(endpoint)
            assert auth._endpoint is not None
            auth._endpoint.check_revoked(answer)
        except XeroError as error:
            failure = error.with_traceback(None)
        else:
            auth.forget()
            return
        raise failure

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | Sequence[tuple[str, object]] | None = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RawResponse[etree._Element | bytes]:
        """The async twin of :meth:`SyncAPIClient.request`: a request the SDK has no method
        for yet, sent with the client's token, tenant, limiter, retries and safety checks.

        Returns:
            The raw answer; ``.parsed`` is the root element (lxml) of an XML answer and the
            body's bytes otherwise.

        Raises:
            RequestValidationError: Nothing was sent: an argument is unusable.
            XeroAPIError: Xero answered with an error (its subclasses as for any call).
            XeroError: The call failed otherwise (network, timeout, unreadable answer).
        """
        try:
            call = self._raw_call(
                method,
                path,
                params,
                content,
                headers,
                tenant_id,
                idempotency_key,
                timeout,
                max_retries,
            )
        except XeroError as error:
            failure = error.with_traceback(None)
        else:
            raw = await self._request(**call)
            return typing.cast(RawResponse[etree._Element | bytes], raw)
        raise failure

    async def close(self) -> None:
        """Close the HTTP connections (only those the client opened itself); later calls
        raise XeroError."""
        self._closed = True
        release(self, with_copies=self._owns_http_client)  # copies share its pool
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self: _A) -> _A:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @scoped  # its messages mask this client's secrets only
    async def _request(
        self,
        *,
        method: str,
        path: str,
        params: Sequence[tuple[str, str | None]] = (),
        body: object | None = None,
        response_type: type[R],
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        decode: Callable[[etree._Element, bool], R] | None = None,
        encode: Callable[[Any], bytes] | None = None,
        headers: Sequence[tuple[str, str | None]] = (),
        tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        read: Callable[[int, httpx.Headers, bytes], R] | None = None,
        tenantless: bool = False,
        check: Model | None = None,
        subject: Sequence[tuple[str, object]] = (),
        upload: Upload | None = None,
    ) -> RawResponse[R]:
        try:
            request = self._build_request(
                method,
                path,
                params,
                body,
                timeout,
                encode,
                check=check,
                extra_headers=headers,
                tenant_id=tenant_id,
                idempotency_key=idempotency_key,
                tenantless=tenantless,
                upload=upload,
            )
            retries = self._effective_retries(max_retries)
            retries_done = 0
            renewed = False
            while True:
                started = time.monotonic()
                outcome: RawResponse[R] | _Attempt
                deadline = _deadline(request, started)
                try:
                    with deadline_scope(deadline):  # the token call counts against it too
                        await self._auth.aauthorize(request)  # may fetch or refresh the token
                    answer = await self._send(request, deadline)
                except XeroConnectionError as exc:  # the token endpoint failed: nothing was sent
                    outcome = _Attempt(exc, sent=False)
                except httpx.HTTPError as exc:
                    outcome = self._transport_error(exc, request, started)
                else:
                    outcome = self._complete(request, answer, started, response_type, decode, read)
                if isinstance(outcome, RawResponse):
                    return outcome
                if not renewed and _token_expired(outcome):
                    renewed = True  # once per call: a fresh token that fails again is an error
                    if await self._auth.arenew(request):
                        continue
                await _async_sleep(self._next_delay(request, path, outcome, retries_done, retries))
                retries_done += 1
        except XeroError as error:
            # Raised from here, without the SDK's inner frames (a cause keeps its own).
            failure = _naming(error, method, path, subject).with_traceback(None)
        raise failure

    async def _send(
        self, request: httpx.Request, deadline: float | None
    ) -> tuple[int, httpx.Headers, bytes]:
        slot = await self._atake_slot(request)  # rate limits: may wait, not in the deadline
        response: httpx.Response | None = None
        deadline = slot.extend(deadline) if slot else deadline
        try:
            with deadline_scope(deadline):
                _rewind(request)
                response = await self._http.send(request, stream=True, follow_redirects=False)
                try:
                    body = _Body(self, response, deadline)
                    async for chunk in adecoded(response):
                        body.add(chunk)
                    return response.status_code, response.headers, body.content()
                finally:
                    await response.aclose()
        finally:
            await self._agive_slot(slot, response)


def _naming(
    error: XeroError, method: str, path: str, subject: Sequence[tuple[str, object]]
) -> XeroError:
    """A 404 that names what was asked for: the call's path arguments (``subject``, given
    ones only), e.g. ``no invoice with invoice_number='INV-0001' (GET Invoices/...)``.

    The error is rebuilt with the same class and attributes and a message that leads with
    what was not found; anything else is returned as it is.
    """
    given = [(name, value) for name, value in subject if value is not None]
    if not isinstance(error, NotFoundError) or not given:
        return error
    head = path.lstrip("/").split("/", 1)[0]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", head).lower()
    resource = words[:-1] if words.endswith("s") and not words.endswith("ss") else words
    asked = " and ".join(f"{name}={str(value)!r}" for name, value in given)
    args, kwargs = error._init_arguments
    message = (
        f"no {resource or 'record'} with {redact(asked)} in this organisation"
        f" ({method} {redact(path)[:200]}): "
        f"{args[0] if args else error.message}"
    )
    try:
        named = type(error)(message, *args[1:], **kwargs)
    except Exception:  # a subclass with another signature: keep Xero's own words
        return error
    named.__cause__ = error.__cause__
    return named


def _rewind(request: httpx.Request) -> None:
    """Give an upload's request a fresh body stream, read from the start, for this attempt
    (a transport that read the body before, such as httpx's MockTransport, reads it again)."""
    upload = request.extensions.get("xero_upload")
    if upload is not None:
        request.stream = upload.stream()
        request.__dict__.pop("_content", None)


def token_expired(error: BaseException) -> bool:
    """Whether Xero refused a call's access token as expired (401 ``TokenExpired``)."""
    if not isinstance(error, AuthenticationError) or error.status_code != 401:
        return False
    return "expired" in (error.detail or "").lower()


def _token_expired(attempt: _Attempt) -> bool:
    return token_expired(attempt.error)


def _textual(content_type: str) -> bool:
    """Whether a body of this media type is text to log (XML, JSON, HTML, text/*)."""
    kind = content_type.lower()
    return kind.startswith("text/") or any(t in kind for t in ("xml", "json", "html"))


def _deadline(request: httpx.Request, started: float) -> float | None:
    """When the attempt started at ``started`` must be complete (monotonic clock)."""
    total = request.extensions.get("xero_total_timeout")
    return None if total is None else started + float(total)


def check_deadline(response: httpx.Response, deadline: float | None) -> None:
    """Raise httpx.ReadTimeout once the attempt is past its ``deadline`` (see :func:`_deadline`).

    Called after every chunk of a body (whole or streamed): a server that trickles bytes
    cannot stretch a call past its total timeout by more than one read timeout.
    """
    if deadline is not None and time.monotonic() > deadline:
        total = response.request.extensions.get("xero_total_timeout")
        raise httpx.ReadTimeout(
            f"the answer took longer than the total timeout ({total:g} s)",
            request=response.request,
        )


class _Body:
    """A response body, read under the size cap and, when given, the attempt's deadline.

    Checked as the body streams in: an answer larger than ``max_response_bytes`` is refused
    before it is all in memory, and a server that trickles bytes cannot stretch a call past
    its total timeout by more than one read timeout.
    """

    def __init__(
        self, core: _ClientCore[Any], response: httpx.Response, deadline: float | None = None
    ) -> None:
        self._core = core
        self._response = response
        self._deadline = deadline
        self._chunks: list[bytes] = []
        self._size = 0
        declared = response.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > core.max_response_bytes:
            raise core._too_large(int(declared), response.status_code)

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self._core.max_response_bytes:
            raise self._core._too_large(self._size, self._response.status_code)
        self._chunks.append(chunk)
        check_deadline(self._response, self._deadline)

    def content(self) -> bytes:
        return b"".join(self._chunks)


_C = TypeVar("_C", bound="_ClientCore[Any]")
_S = TypeVar("_S", bound=SyncAPIClient)
_A = TypeVar("_A", bound=AsyncAPIClient)


_payload_tags: dict[type, str | None] = {}
_ENVELOPE_HEADER = frozenset({"Id", "ID", "Status", "ProviderName", "DateTimeUTC"})


def payload_tag(response_type: type) -> str | None:
    """The element a success envelope of ``response_type`` must hold (``Contacts``), if known.

    That is the one field a response dataclass adds to its envelope base class (1.0:
    ``ContactsResponse(ResponseEnvelope)``), or (2.0, no base class) its one wrapped list
    beside the envelope's header elements (``Id``, ``Status``, ``ProviderName``,
    ``DateTimeUTC``); its element, or the wrapper of a list. None for a type that is not
    shaped so (no check).
    """
    if response_type in _payload_tags:
        return _payload_tags[response_type]
    from dataclasses import fields, is_dataclass  # once per response type

    tag: str | None = None
    if is_dataclass(response_type):
        inherited = {
            f.name for base in response_type.__mro__[1:] if is_dataclass(base) for f in fields(base)
        }
        own = [f for f in fields(response_type) if f.name not in inherited]
        if not inherited:
            own = [f for f in own if f.metadata.get("name") not in _ENVELOPE_HEADER]
            if len(own) != 1 or not own[0].metadata.get("wrapper"):
                own = []
        if len(own) == 1:
            meta = own[0].metadata
            name = meta.get("wrapper") or meta.get("name")
            tag = name if isinstance(name, str) and name else None
    if len(_payload_tags) < 256:
        _payload_tags[response_type] = tag
    return tag


def check_payload(root: etree._Element, tag: str | None, status: int) -> None:
    """Raise XeroResponseError unless the success envelope ``root`` holds a ``<tag>``.

    A list answer without its list (or with another one: ``<Invoices>`` for contacts) is an
    error, never an empty list. Whole documents and streams share this check.
    """
    if tag is None or root.find(tag) is not None:
        return
    held = [redact(c.tag)[:60] for c in itertools.islice(root, 8) if isinstance(c.tag, str)]
    found = f" (its elements: {', '.join(held)}{', ...' if len(root) > 8 else ''})" if held else ""
    raise XeroResponseError(
        f"Xero reported success but the response has no <{tag}>{found}", status_code=status
    )


def require_payload(value: R | None, element: str) -> R:
    """The payload of a successful response, which Xero must not leave out."""
    if value is None:
        raise XeroResponseError(f"Xero reported success but the response has no <{element}>")
    return value

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

import ipaddress
import logging
import random
import time
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

import httpx
from lxml import etree

from . import _gc
from ._auth import AUTH_SCHEMES
from ._checks import check_body
from ._drift import DriftCounter, watching
from ._envelope import ENVELOPE_READERS, EnvelopeReader
from ._errors import (
    InvalidPartnerKeyError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    XeroAPIError,
    XeroConnectionError,
    XeroError,
    XeroResponseError,
    XeroTimeoutError,
)
from ._secrets import redact
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes
from ._xml import UnsafeXMLError, bind, parse_document, serialize

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "RawResponse",
    "SyncAPIClient",
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
DEFAULT_MAX_RETRY_AFTER = 60.0
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
_USER_AGENT = "xero-customer-api-python"
_DEFAULT_HEADERS = {"Accept": "text/xml, application/xml", "User-Agent": _USER_AGENT}
"""Headers of every request: set once on an HTTP client the SDK creates itself (merging them
into httpx's defaults on every request costs tens of microseconds), per request otherwise."""


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
        parsed: The response dataclass.
        elapsed: Seconds from sending the request to reading the whole body.
    """

    status_code: int
    headers: httpx.Headers
    content: bytes
    parsed: R
    elapsed: float


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


def _parse_retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - time.time()
    if seconds != seconds or seconds < 0:  # NaN or in the past
        return 0.0
    return seconds


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
    _headers_on_client: bool = False  # True when _DEFAULT_HEADERS are the HTTP client's own

    def __init__(
        self,
        *,
        api_key: str,
        customer_key: str,
        environment: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        strict: bool = False,
        http_client: _HttpT | None = None,
    ) -> None:
        problems: list[str] = []
        if not isinstance(api_key, str) or not api_key.strip():
            problems.append("`api_key` (the partner key) must be a non-empty string")
        if not isinstance(customer_key, str) or not customer_key.strip():
            problems.append("`customer_key` (the Xero customer key) must be a non-empty string")
        if not isinstance(max_retries, int) or max_retries < 0:
            problems.append("`max_retries` must be a whole number >= 0")
        if not isinstance(max_response_bytes, int) or max_response_bytes <= 0:
            problems.append("`max_response_bytes` must be a positive whole number")
        if not isinstance(max_retry_after, (int, float)) or not max_retry_after >= 0:
            problems.append("`max_retry_after` must be a number of seconds >= 0")
        if problems:
            raise RequestValidationError(problems)
        self._auth = AUTH_SCHEMES[self._auth_style](
            api_key=api_key.strip(), customer_key=customer_key.strip()
        )
        self.base_url = self._resolve_base_url(environment, base_url)
        self.timeout: TimeoutTypes = timeout
        self.max_retries = max_retries
        self.max_response_bytes = max_response_bytes
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
        self._http: _HttpT = (
            http_client
            if http_client is not None
            else self._http_client_class()(timeout=httpx_timeout(timeout), headers=_DEFAULT_HEADERS)
        )

    @classmethod
    def _http_client_class(cls) -> type[_HttpT]:
        raise NotImplementedError

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
            url = httpx.URL(str(base_url))
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
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, api_key='***', customer_key='***')"

    # ------------------------------------------------------------------ building

    def _build_request(
        self,
        method: str,
        path: str,
        params: Sequence[tuple[str, str | None]],
        body: object | None,
        timeout: TimeoutTypes | NotGiven,
        encode: Callable[[Any], bytes] | None = None,
    ) -> httpx.Request:
        query = httpx.QueryParams(
            [(k, v) for k, v in (*self._auth.query_params(), *params) if v is not None]
        )
        headers = dict(self._auth.headers())
        if not self._headers_on_client:
            headers = {**_DEFAULT_HEADERS, **headers}
        content: bytes | None = None
        if body is not None:
            problems = check_body(body)
            if problems:
                raise RequestValidationError([redact(p) for p in problems])
            try:
                content = encode(body) if encode is not None else serialize(body)
            except Exception as exc:  # xsdata raises several kinds; the user gets one
                raise RequestValidationError(
                    [f"the request body cannot be written as XML: {redact(str(exc))}"]
                ) from exc
            headers["Content-Type"] = "text/xml; charset=utf-8"
        effective_timeout = self.timeout if isinstance(timeout, NotGiven) else timeout
        url = self._urls.get(path)
        if url is None:
            url = self.base_url.join(path)
            if len(self._urls) < 64:  # endpoint paths are constants; never grow without bound
                self._urls[path] = url
        return self._http.build_request(
            method,
            url,
            params=query,
            headers=headers or None,
            content=content,
            timeout=httpx_timeout(effective_timeout),
            extensions={"xero_total_timeout": total_timeout(effective_timeout)},
        )

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
        if 300 <= status < 400:
            raise InvalidPartnerKeyError(
                f"Xero refused the partner key (apiKey): HTTP {status} redirect to its login page",
                status_code=status,
            )
        if "html" in content_type and status < 500:
            raise InvalidPartnerKeyError(
                f"Xero refused the partner key (apiKey): HTTP {status} with an HTML page instead of XML",
                status_code=status,
            )
        try:
            root = parse_document(content)
        except UnsafeXMLError as exc:
            raise XeroResponseError(
                f"refused an unsafe response (HTTP {status}): {exc}", status_code=status
            ) from exc
        except (etree.XMLSyntaxError, ValueError, LookupError) as exc:
            if status >= 500:
                raise ServerError(
                    f"Xero answered HTTP {status} without a readable error", status_code=status
                ) from exc
            detail = redact(str(exc))[:200]
            raise XeroResponseError(
                f"the response (HTTP {status}, {len(content)} bytes) is not well-formed XML: {detail}",
                status_code=status,
            ) from exc
        tag = root.tag if isinstance(root.tag, str) else ""
        if tag.lower() == "html" and status < 500:
            raise InvalidPartnerKeyError(
                f"Xero refused the partner key (apiKey): HTTP {status} with an HTML page instead of XML",
                status_code=status,
            )
        self._envelope.raise_for_errors(root, status)  # Xero's own error envelope
        if status >= 400:
            if status >= 500:
                raise ServerError(f"Xero answered HTTP {status}", status_code=status)
            raise XeroAPIError(f"Xero answered HTTP {status}", status_code=status)
        self._envelope.check_root(root, status)
        if decode is None:
            return bind(root, response_type, strict=self.strict)  # pauses gc itself
        _gc.pause()  # a whole document: see _gc
        try:
            with watching(self._drift):
                return decode(root, self.strict)
        except XeroError:
            raise
        except Exception as exc:  # a decoder bug must not escape the error tree
            detail = redact(str(exc))[:200]
            raise XeroResponseError(
                f"the response does not match the schema: {type(exc).__name__}: {detail}",
                status_code=status,
            ) from exc
        finally:
            _gc.resume()

    def _rate_limit_error(
        self, status: int, headers: httpx.Headers, content: bytes
    ) -> RateLimitError:
        retry_after = _parse_retry_after(headers.get("retry-after"))
        hint = f"; retry after {retry_after:g} s" if retry_after is not None else ""
        return RateLimitError(
            f"Xero is rate limiting this partner (HTTP {status}){hint}", retry_after=retry_after
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

        A request that may have reached the server is retried only when it is a GET: a PUT
        or POST is sent again only when it provably never left (connection not made).
        """
        if retries_done >= max_retries:
            return None
        if attempt.sent and method not in _IDEMPOTENT:
            return None
        error = attempt.error
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
        if isinstance(exc, httpx.TimeoutException):
            error = XeroTimeoutError(f"timed out waiting for Xero: {detail}")
            return _Attempt(error, sent=True, cause=cause)
        if isinstance(exc, httpx.ConnectError):
            error = XeroConnectionError(f"could not connect to Xero: {detail}")
            return _Attempt(error, sent=False, cause=cause)
        error = XeroConnectionError(f"the connection to Xero failed: {detail}")
        return _Attempt(error, sent=True, cause=cause)

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
    ) -> RawResponse[R] | _Attempt:
        """A received answer: the parsed response, or the failed attempt to judge."""
        status, headers, content = answer
        self._log_exchange(request, status, content, started)
        try:
            parsed = self._interpret(status, headers, content, response_type, decode)
        except XeroAPIError as exc:
            return self._api_failure(exc, headers)
        return RawResponse(status, headers, content, parsed, time.monotonic() - started)

    def _next_delay(
        self, request: httpx.Request, path: str, attempt: _Attempt, retries_done: int, retries: int
    ) -> float:
        """Seconds to wait before retrying ``attempt``; raises its error when giving up."""
        delay = self._retry_delay(request.method, attempt, retries_done, retries)
        if delay is None:
            attempt.raise_error()
        log.debug(
            "retrying %s %s in %.2f s after: %s",
            request.method,
            path,
            delay,
            attempt.error.message,
        )
        return delay

    def _log_exchange(
        self, request: httpx.Request, status: int, content: bytes, started: float
    ) -> None:
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
            if request.content:
                log.log(
                    TRACE, "request body: %s", redact(request.content.decode("utf-8", "replace"))
                )
            log.log(TRACE, "response body: %s", redact(content.decode("utf-8", "replace")))

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

    def close(self) -> None:
        """Close the HTTP connections (only those the client opened itself)."""
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
    ) -> RawResponse[R]:
        request = self._build_request(method, path, params, body, timeout, encode)
        retries = self._effective_retries(max_retries)
        retries_done = 0
        while True:
            started = time.monotonic()
            outcome: RawResponse[R] | _Attempt
            try:
                answer = self._send(request, _deadline(request, started))
            except httpx.HTTPError as exc:
                outcome = self._transport_error(exc, request, started)
            else:
                outcome = self._complete(request, answer, started, response_type, decode)
            if isinstance(outcome, RawResponse):
                return outcome
            time.sleep(self._next_delay(request, path, outcome, retries_done, retries))
            retries_done += 1

    def _send(
        self, request: httpx.Request, deadline: float | None
    ) -> tuple[int, httpx.Headers, bytes]:
        response = self._http.send(request, stream=True, follow_redirects=False)
        try:
            body = _Body(self, response, deadline)
            for chunk in response.iter_bytes():
                body.add(chunk)
            return response.status_code, response.headers, body.content()
        finally:
            response.close()


class AsyncAPIClient(_ClientCore[httpx.AsyncClient]):
    """Base of the generated asynchronous clients."""

    @classmethod
    def _http_client_class(cls) -> type[httpx.AsyncClient]:
        return httpx.AsyncClient

    async def close(self) -> None:
        """Close the HTTP connections (only those the client opened itself)."""
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
    ) -> RawResponse[R]:
        request = self._build_request(method, path, params, body, timeout, encode)
        retries = self._effective_retries(max_retries)
        retries_done = 0
        while True:
            started = time.monotonic()
            outcome: RawResponse[R] | _Attempt
            try:
                answer = await self._send(request, _deadline(request, started))
            except httpx.HTTPError as exc:
                outcome = self._transport_error(exc, request, started)
            else:
                outcome = self._complete(request, answer, started, response_type, decode)
            if isinstance(outcome, RawResponse):
                return outcome
            await _async_sleep(self._next_delay(request, path, outcome, retries_done, retries))
            retries_done += 1

    async def _send(
        self, request: httpx.Request, deadline: float | None
    ) -> tuple[int, httpx.Headers, bytes]:
        response = await self._http.send(request, stream=True, follow_redirects=False)
        try:
            body = _Body(self, response, deadline)
            async for chunk in response.aiter_bytes():
                body.add(chunk)
            return response.status_code, response.headers, body.content()
        finally:
            await response.aclose()


def _deadline(request: httpx.Request, started: float) -> float | None:
    """When the attempt started at ``started`` must be complete (monotonic clock)."""
    total = request.extensions.get("xero_total_timeout")
    return None if total is None else started + float(total)


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
        if self._deadline is not None and time.monotonic() > self._deadline:
            total = self._response.request.extensions.get("xero_total_timeout")
            raise httpx.ReadTimeout(
                f"the answer took longer than the total timeout ({total:g} s)",
                request=self._response.request,
            )

    def content(self) -> bytes:
        return b"".join(self._chunks)


_S = TypeVar("_S", bound=SyncAPIClient)
_A = TypeVar("_A", bound=AsyncAPIClient)


def require_payload(value: R | None, element: str) -> R:
    """The payload of a successful response, which Xero must not leave out."""
    if value is None:
        raise XeroResponseError(f"Xero reported success but the response has no <{element}>")
    return value

"""OAuth 2.0 with Xero's identity service: authorization URL, code exchange, token calls.

The protocol pieces are Authlib's (``authlib.oauth2``): the authorization URL
(``prepare_grant_uri``), the PKCE S256 challenge (``create_s256_code_challenge``), the
callback parsing and its state check (``parse_authorization_code_response``), the
token-endpoint request bodies (``prepare_token_request``), the client authentication
(``ClientAuth``: HTTP Basic with a secret, ``client_id`` in the body for a public PKCE
client) and the expiry arithmetic (``OAuth2Token``). They go over the client's own
``httpx`` client (same connection pool, timeout and size cap as the API calls), and every
failure maps onto the SDK's error tree. Authlib is imported on first use, so
``import xero_customer_api`` does not pay for it.

The authorization-code flow for an app that connects many organisations::

    start = authorization_url(client_id=..., redirect_uri=..., scopes=[...])
    # keep start.state and start.code_verifier (e.g. in the session); send the user to start.url
    token = exchange_code(client_id=..., client_secret=..., redirect_uri=...,
                          code_verifier=start.code_verifier,
                          callback_url=request_url, state=start.state)
    client = XeroClient(client_id=..., client_secret=..., token=token,
                        on_token_refresh=save_token, tenant_id=...)
"""

from __future__ import annotations

import base64
import datetime
import hmac
import ipaddress
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, cast

import httpx

from ._errors import (
    AuthenticationError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    XeroConnectionError,
    XeroResponseError,
    XeroTimeoutError,
)
from ._ratelimit import RateLimit
from ._secrets import Secrets, redact, secret_problem
from ._transport import (
    ACCEPT_ENCODING,
    adecoded,
    bound_by_deadlines,
    current_deadline,
    deadline_scope,
    decoded,
    load_json,
)

__all__ = [
    "DEFAULT_AUTHORIZE_URL",
    "DEFAULT_REVOCATION_URL",
    "DEFAULT_TOKEN_URL",
    "AuthorizationRequest",
    "Connection",
    "TokenEndpoint",
    "XeroToken",
    "aexchange_code",
    "arevoke_token",
    "authorization_url",
    "check_endpoint_url",
    "exchange_code",
    "revoke_token",
]

DEFAULT_TOKEN_URL = "https://identity.xero.com/connect/token"
DEFAULT_AUTHORIZE_URL = "https://login.xero.com/identity/connect/authorize"
DEFAULT_REVOCATION_URL = "https://identity.xero.com/connect/revocation"


class XeroToken(TypedDict, total=False):
    """A token of Xero's identity server, as :func:`exchange_code` (and ``on_token_refresh``)
    give it: a plain ``dict`` at run time, so it stores as JSON and goes back into
    ``XeroClient(token=...)`` as it is. Keep it secret.

    Attributes:
        access_token: The bearer token of API calls (a JWT, valid 30 minutes).
        refresh_token: Trades for a new token (``offline_access`` scope only); rotates on
            every use and lapses after 60 days unused.
        expires_in: The access token's lifetime in seconds, as Xero said.
        expires_at: When the access token expires, in seconds since 1970 (added by the SDK).
        token_type: ``Bearer``.
        scope: The scopes granted, separated by spaces.
        id_token: The OpenID Connect identity token (``openid`` scope only).
    """

    access_token: str
    refresh_token: str
    expires_in: int
    expires_at: int
    token_type: str
    scope: str
    id_token: str


_TOKEN_TIMEOUT = 30.0
_MAX_TOKEN_BYTES = 1024 * 1024
_MAX_CALLBACK_URL = 8192
_FORM_HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": ACCEPT_ENCODING,
    "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
}


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_endpoint_url(name: str, value: object) -> list[str]:
    """Problems of an identity endpoint URL: absolute https (http only on loopback)."""
    if not isinstance(value, (str, httpx.URL)):
        return [f"`{name}` must be a URL string"]
    try:
        url = httpx.URL(str(value))
    except httpx.InvalidURL:
        return [f"`{name}` is not a valid URL"]
    if url.scheme not in ("https", "http") or not url.host:
        return [f"`{name}` must be an absolute https URL; got {redact(str(value))!r}"]
    if url.scheme == "http" and not _is_loopback(url.host):
        return [f"`{name}` must use https; http is only allowed on loopback"]
    if url.fragment:
        return [f"`{name}` must not carry a fragment"]
    return []


def _text_param(name: str, value: object, problems: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"`{name}` must be a non-empty string")
        return ""
    return value.strip()


# ---------------------------------------------------------------------- token endpoint


@dataclass(frozen=True)
class TokenEndpoint:
    """Xero's token endpoint for one app (client id and, for confidential apps, secret)."""

    token_url: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    scopes: tuple[str, ...] = ()
    secrets: Secrets = field(default_factory=Secrets, repr=False, compare=False)
    """What this app's token calls hide (its secret, codes, verifiers, the tokens answered):
    the secrets of the client (or the exchange) that uses the endpoint."""

    def __post_init__(self) -> None:
        if self.client_secret:
            self.secrets.add(self.client_secret)
            # the Basic credentials Authlib writes from it (never logged, but make sure)
            basic = f"{self.client_id}:{self.client_secret}".encode("latin-1", "replace")
            self.secrets.add(base64.b64encode(basic).decode("ascii"))

    def __repr__(self) -> str:
        secret = ", client_secret='***'" if self.client_secret else ""
        return f"TokenEndpoint(token_url={self.token_url!r}, client_id='***'{secret})"

    def _request(self, grant_type: str, **params: str | None) -> httpx.Request:
        from authlib.oauth2.auth import ClientAuth
        from authlib.oauth2.rfc6749.parameters import prepare_token_request

        body = prepare_token_request(grant_type, body="", **params)
        method = "client_secret_basic" if self.client_secret else "none"
        auth = ClientAuth(self.client_id, self.client_secret, method)
        url, headers, body = auth.prepare("POST", self.token_url, dict(_FORM_HEADERS), body)
        request = httpx.Request("POST", url, headers=headers, content=body.encode("utf-8"))
        request.extensions["timeout"] = httpx.Timeout(_TOKEN_TIMEOUT).as_dict()
        return request

    def client_credentials_request(self) -> httpx.Request:
        """The client-credentials grant (a "custom connection")."""
        scope = " ".join(self.scopes) or None
        return self._request("client_credentials", scope=scope)

    def refresh_request(self, refresh_token: str) -> httpx.Request:
        """The refresh-token grant."""
        self.secrets.add(refresh_token)
        return self._request("refresh_token", refresh_token=refresh_token)

    def code_request(self, code: str, code_verifier: str, redirect_uri: str) -> httpx.Request:
        """The authorization-code grant with its PKCE verifier."""
        self.secrets.add(code)
        self.secrets.add(code_verifier)
        return self._request(
            "authorization_code",
            code=code,
            code_verifier=code_verifier,
            redirect_uri=redirect_uri,
        )

    @property
    def revocation_url(self) -> str:
        """Xero's revocation endpoint beside the token endpoint (``/connect/revocation``)."""
        return revocation_url_of(self.token_url)

    def revocation_request(self, token: str, hint: str, url: str | None = None) -> httpx.Request:
        """RFC 7009: revoke ``token`` (a refresh token revokes its access tokens too), at
        ``url`` or the endpoint beside the token endpoint."""
        from urllib.parse import urlencode

        from authlib.oauth2.auth import ClientAuth

        body = urlencode({"token": token, "token_type_hint": hint})
        method = "client_secret_basic" if self.client_secret else "none"
        auth = ClientAuth(self.client_id, self.client_secret, method)
        url, headers, body = auth.prepare(
            "POST", url or self.revocation_url, dict(_FORM_HEADERS), body
        )
        request = httpx.Request("POST", url, headers=headers, content=body.encode("utf-8"))
        request.extensions["timeout"] = httpx.Timeout(_TOKEN_TIMEOUT).as_dict()
        return request

    def check_revoked(self, answer: tuple[int, httpx.Headers, bytes]) -> None:
        """Return when the revocation endpoint accepted (HTTP 200), else raise its error."""
        if answer[0] == 200:
            return
        self.parse(answer, where="Xero's revocation endpoint")
        raise XeroResponseError(  # parse only returns for a 200 carrying a token
            f"Xero's revocation endpoint answered HTTP {answer[0]}", status_code=answer[0]
        )

    def parse(
        self,
        answer: tuple[int, httpx.Headers, bytes],
        *,
        register: Callable[[str], None] | None = None,
        where: str = "Xero's token endpoint",
    ) -> dict[str, Any]:
        """The token of a token-endpoint answer (``expires_at`` added), or the mapped error.

        The token's secrets are added to ``register`` (this endpoint's :attr:`secrets` by
        default) before anything could log or repeat them.
        """
        if register is None:
            register = self.secrets.add
        from authlib.oauth2.rfc6749 import OAuth2Token

        status, headers, content = answer
        data: object = None
        try:
            data = load_json(content)
        except ValueError:
            data = None
        if isinstance(data, dict):
            for key in ("access_token", "refresh_token", "id_token"):
                value = data.get(key)
                if value is None:
                    continue
                if status == 200 and secret_problem(key, value) is not None:
                    raise XeroResponseError(
                        f"Xero's token endpoint answered an unusable {key.replace('_', ' ')} (too"
                        " short to be real, not text, or with spaces, line breaks or control"
                        " characters); it is not shown and was not used",
                        status_code=status,
                    )
                if isinstance(value, str) and value:
                    register(value)
        rate_limit = RateLimit.from_headers(headers)
        if status == 200 and isinstance(data, dict) and isinstance(data.get("access_token"), str):
            # A lifetime that is not a sane finite number is dropped, not refused: the
            # token (and a rotated refresh token) was issued and must not be lost.
            if data.get("expires_in") is not None:
                lifetime = whole_seconds(data["expires_in"], 1, MAX_TOKEN_LIFETIME)
                if lifetime is None:
                    data.pop("expires_in")
                else:
                    data["expires_in"] = lifetime
            if data.get("expires_at") is not None:
                when = whole_seconds(data["expires_at"], 0, MAX_EPOCH_SECONDS)
                if when is None:
                    data.pop("expires_at")
                else:
                    data["expires_at"] = when
            return dict(OAuth2Token.from_dict(data))
        if isinstance(data, dict) and data.get("error"):
            error = redact(str(data["error"]))[:100]
            description = data.get("error_description")
            detail = error + (f": {redact(str(description))[:200]}" if description else "")
            if status >= 500:
                raise ServerError(
                    f"{where} failed (HTTP {status}): {detail}",
                    status_code=status,
                    rate_limit=rate_limit,
                )
            raise AuthenticationError(
                f"{where} refused the grant (HTTP {status}): {detail}",
                status_code=status,
                rate_limit=rate_limit,
                detail=detail,
            )
        if status == 429:
            raise RateLimitError(
                f"{where} is rate limiting this app (HTTP 429)",
                rate_limit=rate_limit,
                problem=(headers.get("x-rate-limit-problem") or "").strip().lower() or None,
            )
        if status >= 500:
            raise ServerError(f"{where} failed (HTTP {status})", status_code=status)
        if status >= 400:
            raise AuthenticationError(
                f"{where} refused the request (HTTP {status})",
                status_code=status,
                rate_limit=rate_limit,
            )
        raise XeroResponseError(
            f"{where} answered HTTP {status} without a token", status_code=status
        )


def revocation_url_of(token_url: str) -> str:
    """The revocation endpoint of the identity server whose token endpoint is ``token_url``:
    Xero's sit side by side (``.../connect/token``, ``.../connect/revocation``)."""
    url = httpx.URL(token_url)
    path = url.path
    if path.rstrip("/").endswith("/token"):
        path = path.rstrip("/")[: -len("token")] + "revocation"
    else:
        path = "/connect/revocation"
    return str(url.copy_with(path=path, query=None, fragment=None))


def send_token_request(
    http: httpx.Client, request: httpx.Request
) -> tuple[int, httpx.Headers, bytes]:
    """Send a token call on ``http``; transport failures become XeroConnectionError.

    The call ends by the deadline of the attempt it serves (the client's total timeout), and
    within ``_TOKEN_TIMEOUT`` seconds in any case (see :mod:`._transport`).
    """
    scope = deadline_scope(current_deadline(), cap=_token_timeout(request))
    try:
        with scope:
            response = http.send(request, stream=True, follow_redirects=False)
            try:
                body = _CappedBody(response.status_code)
                for chunk in decoded(response):
                    body.add(chunk)
                content = body.content()
            finally:
                response.close()
    except httpx.HTTPError as exc:
        raise _transport_error(exc, scope.passed()) from None
    return response.status_code, response.headers, content


async def asend_token_request(
    http: httpx.AsyncClient, request: httpx.Request
) -> tuple[int, httpx.Headers, bytes]:
    """The async twin of :func:`send_token_request`."""
    scope = deadline_scope(current_deadline(), cap=_token_timeout(request))
    try:
        with scope:
            response = await http.send(request, stream=True, follow_redirects=False)
            try:
                body = _CappedBody(response.status_code)
                async for chunk in adecoded(response):
                    body.add(chunk)
                content = body.content()
            finally:
                await response.aclose()
    except httpx.HTTPError as exc:
        raise _transport_error(exc, scope.passed()) from None
    return response.status_code, response.headers, content


def _token_timeout(request: httpx.Request) -> float:
    """The total seconds a token call may take (``_TOKEN_TIMEOUT`` unless set per request)."""
    given = request.extensions.get("xero_total_timeout")
    return float(given) if isinstance(given, (int, float)) else _TOKEN_TIMEOUT


class _CappedBody:
    """A token-endpoint answer, refused once it passes ``_MAX_TOKEN_BYTES``."""

    def __init__(self, status: int) -> None:
        self._status = status
        self._parts: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > _MAX_TOKEN_BYTES:
            raise XeroResponseError(
                f"Xero's token endpoint answered more than {_MAX_TOKEN_BYTES} bytes",
                status_code=self._status,
            )
        self._parts.append(chunk)

    def content(self) -> bytes:
        return b"".join(self._parts)


MAX_TOKEN_LIFETIME = 10 * 365 * 86_400
"""The longest token lifetime read from an answer (``expires_in``), in seconds."""
MAX_EPOCH_SECONDS = 32_503_680_000
"""The latest ``expires_at`` read or accepted (the year 3000), in seconds since 1970."""


def whole_seconds(value: object, lowest: int, highest: int) -> int | None:
    """``value`` as whole seconds when it is a finite number in ``[lowest, highest]``
    (a JSON number or its digits as a string), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 12:
            return None
        value = int(text)
    if isinstance(value, int):
        return value if lowest <= value <= highest else None
    if isinstance(value, float) and math.isfinite(value) and lowest <= value <= highest:
        return int(value)
    return None


def _transport_error(exc: httpx.HTTPError, past_deadline: bool = False) -> XeroConnectionError:
    detail = redact(str(exc)) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException) and past_deadline:
        detail = "the call took longer than its total timeout"
    if isinstance(exc, httpx.TimeoutException):
        return XeroTimeoutError(f"timed out talking to Xero's token endpoint: {detail}")
    return XeroConnectionError(f"the connection to Xero's token endpoint failed: {detail}")


# ---------------------------------------------------------------------- authorization code


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the user to connect an organisation, and what to keep until the callback.

    Attributes:
        url: The authorization URL (Xero's login and consent page).
        state: The anti-CSRF value; the callback must carry it back (check it with
            ``exchange_code(..., callback_url=..., state=...)``).
        code_verifier: The PKCE secret for ``exchange_code``; keep it server-side.
    """

    url: str
    state: str
    code_verifier: str = field(repr=False)

    def __repr__(self) -> str:
        return f"AuthorizationRequest(url={self.url!r}, state={self.state!r}, code_verifier='***')"


def authorization_url(
    *,
    client_id: str,
    redirect_uri: str,
    scopes: Sequence[str],
    state: str | None = None,
    code_verifier: str | None = None,
    authorize_url: str = DEFAULT_AUTHORIZE_URL,
) -> AuthorizationRequest:
    """Start Xero's authorization-code flow with PKCE (S256).

    Args:
        client_id: The app's client id.
        redirect_uri: The callback URL registered for the app.
        scopes: The scopes to ask for, e.g. ``["openid", "offline_access",
            "accounting.transactions", "accounting.contacts", "accounting.settings"]``
            (``offline_access`` is what yields a refresh token).
        state: The anti-CSRF value; a random one by default.
        code_verifier: The PKCE verifier (43-128 characters); a random one by default.
        authorize_url: Xero's authorization endpoint (override for a sandbox).

    Returns:
        The URL to send the user to, with the ``state`` and ``code_verifier`` to keep.

    Raises:
        RequestValidationError: An argument is unusable (nothing was sent anywhere).
    """
    from authlib.common.security import generate_token
    from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    problems: list[str] = []
    client_id = _text_param("client_id", client_id, problems)
    problems.extend(check_endpoint_url("redirect_uri", redirect_uri))
    problems.extend(check_endpoint_url("authorize_url", authorize_url))
    if (
        isinstance(scopes, str)
        or not isinstance(scopes, Sequence)
        or not scopes
        or not all(isinstance(s, str) and s and " " not in s for s in scopes)
    ):
        problems.append("`scopes` must be a non-empty list of scope names")
    if state is not None:
        state = _text_param("state", state, problems)
    if code_verifier is not None and (
        not isinstance(code_verifier, str) or not 43 <= len(code_verifier) <= 128
    ):
        problems.append("`code_verifier` must be a string of 43 to 128 characters (RFC 7636)")
    if problems:
        raise RequestValidationError(problems)
    verifier = code_verifier or generate_token(64)  # hidden by the exchange that uses it
    chosen_state = state or generate_token(32)
    url = prepare_grant_uri(
        str(authorize_url),
        client_id=client_id,
        response_type="code",
        redirect_uri=str(redirect_uri),
        scope=list(scopes),
        state=chosen_state,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    return AuthorizationRequest(url=url, state=chosen_state, code_verifier=verifier)


def _code_from(code: str | None, callback_url: str | None, state: str | None) -> str:
    """The authorization code, given directly or read from the callback URL (state checked)."""
    from authlib.oauth2.rfc6749.errors import MismatchingStateException, MissingCodeException
    from authlib.oauth2.rfc6749.parameters import parse_authorization_code_response

    if (code is None) == (callback_url is None):
        raise RequestValidationError(["give either `code` or `callback_url`"])
    if code is not None:
        if state is not None:  # never silently ignored: there is no callback to check it on
            raise RequestValidationError(
                [
                    "`state` is checked against the callback's: give it with `callback_url`"
                    " (with `code` there is no state to compare it with; check it yourself)"
                ]
            )
        if not isinstance(code, str) or not code.strip():
            raise RequestValidationError(["`code` must be a non-empty string"])
        return code.strip()
    if not isinstance(callback_url, str):
        raise RequestValidationError(["`callback_url` must be the callback URL as a string"])
    if not isinstance(state, str) or not state.strip():
        # an empty state would match a callback without one (Authlib compares truthy states)
        raise RequestValidationError(
            [
                "`state` (the non-empty state from authorization_url, kept e.g. in the session)"
                " is required with `callback_url`"
            ]
        )
    if len(callback_url) > _MAX_CALLBACK_URL:
        raise RequestValidationError(
            [f"`callback_url` is too long to be a callback ({len(callback_url):,} characters)"]
        )
    try:
        query = httpx.URL(callback_url).params
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise RequestValidationError(
            [f"`callback_url` is not a valid URL: {redact(str(exc))[:100]}"]
        ) from None
    returned = query.get("state")
    if not returned or not hmac.compare_digest(
        returned.encode("utf-8", "surrogatepass"), state.strip().encode("utf-8", "surrogatepass")
    ):
        raise RequestValidationError(
            ["`callback_url` carries another `state` than the authorization request (CSRF?)"]
        )
    if query.get("error"):
        detail = redact(str(query.get("error")))[:100]
        raise AuthenticationError(
            f"the user or Xero declined the authorization: {detail}", status_code=400, detail=detail
        )
    try:
        params = parse_authorization_code_response(callback_url, state=state.strip())
    except MissingCodeException:
        raise RequestValidationError(["`callback_url` carries no `code`"]) from None
    except MismatchingStateException:
        raise RequestValidationError(
            ["`callback_url` carries another `state` than the authorization request (CSRF?)"]
        ) from None
    return str(params["code"])


def _exchange_setup(
    client_id: str,
    client_secret: str | None,
    redirect_uri: str,
    code_verifier: str,
    code: str | None,
    callback_url: str | None,
    state: str | None,
    token_url: str,
) -> tuple[TokenEndpoint, httpx.Request]:
    problems: list[str] = []
    client_id = _text_param("client_id", client_id, problems)
    if client_secret is not None:
        client_secret = _text_param("client_secret", client_secret, problems)
    problems.extend(check_endpoint_url("redirect_uri", redirect_uri))
    problems.extend(check_endpoint_url("token_url", token_url))
    if not isinstance(code_verifier, str) or not code_verifier:
        problems.append("`code_verifier` (from authorization_url) must be a non-empty string")
    if problems:
        raise RequestValidationError(problems)
    endpoint = TokenEndpoint(
        token_url=str(token_url), client_id=client_id, client_secret=client_secret
    )
    found = _code_from(code, callback_url, state)
    return endpoint, endpoint.code_request(found, code_verifier, str(redirect_uri))


def _set_total_timeout(request: httpx.Request, timeout: object) -> None:
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or not 0 < timeout < 86400 * 365
    ):
        raise RequestValidationError(
            ["`timeout` must be a number of seconds above 0 (at most a year)"]
        )
    request.extensions["xero_total_timeout"] = float(timeout)


def exchange_code(
    *,
    client_id: str,
    redirect_uri: str,
    code_verifier: str,
    client_secret: str | None = None,
    code: str | None = None,
    callback_url: str | None = None,
    state: str | None = None,
    token_url: str = DEFAULT_TOKEN_URL,
    timeout: float = _TOKEN_TIMEOUT,
    http_client: httpx.Client | None = None,
) -> XeroToken:
    """Finish the authorization-code flow: trade the callback's code for a token.

    Args:
        client_id: The app's client id.
        redirect_uri: The same callback URL as in :func:`authorization_url`.
        code_verifier: The PKCE verifier from :func:`authorization_url`.
        client_secret: The app's secret (leave out for a PKCE public client).
        code: The ``code`` of the callback; or give ``callback_url`` and ``state``.
        callback_url: The full URL Xero redirected the user to.
        state: The ``state`` from :func:`authorization_url`, checked against the callback's.
        token_url: Xero's token endpoint (override for a sandbox).
        http_client: An ``httpx.Client`` to send with (a private one by default).
        timeout: The seconds the whole exchange may take (connect, send, answer).

    Returns:
        The token (a :class:`XeroToken`, a plain dict: ``access_token``, ``refresh_token``,
        ``expires_at``, ``scope`` ...): persist it and give it to
        ``XeroClient(token=..., client_id=..., ...)``.

    Raises:
        RequestValidationError: A missing or mismatching argument (nothing was sent).
        AuthenticationError: The token endpoint refused the code (``.detail``:
            ``invalid_grant`` ...), or the user declined.
        XeroConnectionError: The token endpoint could not be reached.
    """
    endpoint, request = _exchange_setup(
        client_id, client_secret, redirect_uri, code_verifier, code, callback_url, state, token_url
    )
    _set_total_timeout(request, timeout)
    http = http_client if http_client is not None else httpx.Client()
    bound_by_deadlines(http)
    with endpoint.secrets.scope():  # its messages hide this exchange's secrets
        try:
            answer = send_token_request(http, request)
        finally:
            if http_client is None:
                http.close()
        return cast(XeroToken, endpoint.parse(answer))


async def aexchange_code(
    *,
    client_id: str,
    redirect_uri: str,
    code_verifier: str,
    client_secret: str | None = None,
    code: str | None = None,
    callback_url: str | None = None,
    state: str | None = None,
    token_url: str = DEFAULT_TOKEN_URL,
    timeout: float = _TOKEN_TIMEOUT,
    http_client: httpx.AsyncClient | None = None,
) -> XeroToken:
    """The async twin of :func:`exchange_code` (``http_client`` an ``httpx.AsyncClient``)."""
    endpoint, request = _exchange_setup(
        client_id, client_secret, redirect_uri, code_verifier, code, callback_url, state, token_url
    )
    _set_total_timeout(request, timeout)
    http = http_client if http_client is not None else httpx.AsyncClient()
    bound_by_deadlines(http)
    with endpoint.secrets.scope():  # its messages hide this exchange's secrets
        try:
            answer = await asend_token_request(http, request)
        finally:
            if http_client is None:
                await http.aclose()
        return cast(XeroToken, endpoint.parse(answer))


# ---------------------------------------------------------------------- revocation


def token_to_revoke(token: object, problems: list[str]) -> tuple[str, str]:
    """(value, token_type_hint) of what to revoke: a token dict's refresh token (else its
    access token), or a token string (a refresh token, unless ``hint`` says otherwise)."""
    if isinstance(token, Mapping):
        for key in ("refresh_token", "access_token"):
            value = token.get(key)
            if isinstance(value, str) and value:
                return value, key
        problems.append("`token` holds neither a `refresh_token` nor an `access_token`")
        return "", ""
    if not isinstance(token, str) or not token or not token.isprintable() or " " in token:
        problems.append("`token` must be a token dict or a refresh (or access) token string")
        return "", ""
    return token, "refresh_token"


def _revoke_setup(
    client_id: object,
    client_secret: object,
    token: object,
    revocation_url: object,
    token_type_hint: object,
) -> tuple[TokenEndpoint, httpx.Request]:
    problems: list[str] = []
    client = _text_param("client_id", client_id, problems)
    secret = (
        None if client_secret is None else _text_param("client_secret", client_secret, problems)
    )
    problems.extend(check_endpoint_url("revocation_url", revocation_url))
    value, hint = token_to_revoke(token, problems)
    if token_type_hint is not None:
        if token_type_hint not in ("refresh_token", "access_token"):
            problems.append("`token_type_hint` must be 'refresh_token' or 'access_token'")
        else:
            hint = str(token_type_hint)
    if problems:
        raise RequestValidationError(problems)
    endpoint = TokenEndpoint(token_url=str(revocation_url), client_id=client, client_secret=secret)
    endpoint.secrets.add(value)  # hidden in what this revocation's messages say
    return endpoint, endpoint.revocation_request(value, hint, url=str(revocation_url))


def revoke_token(
    *,
    client_id: str,
    token: str | Mapping[str, Any],
    client_secret: str | None = None,
    token_type_hint: str | None = None,
    revocation_url: str = DEFAULT_REVOCATION_URL,
    timeout: float = _TOKEN_TIMEOUT,
    http_client: httpx.Client | None = None,
) -> None:
    """Revoke a token at Xero's revocation endpoint (RFC 7009), e.g. when a user disconnects
    your app or signs out: revoking a refresh token ends its access tokens too.

    Args:
        client_id: The app's client id.
        token: A stored token dict (its ``refresh_token`` is revoked, else its
            ``access_token``), or a refresh token string.
        client_secret: The app's secret (leave out for a PKCE public client).
        token_type_hint: ``refresh_token`` (the default for a string) or ``access_token``.
        revocation_url: Xero's revocation endpoint (override for a sandbox).
        timeout: The seconds the whole call may take.
        http_client: An ``httpx.Client`` to send with (a private one by default).

    Raises:
        RequestValidationError: A missing or malformed argument (nothing was sent).
        AuthenticationError: The endpoint refused the app's credentials (``.detail``:
            ``invalid_client`` ...). An unknown or already revoked token is not an error
            (RFC 7009: the endpoint answers 200).
        XeroConnectionError: The endpoint could not be reached.
    """
    endpoint, request = _revoke_setup(
        client_id, client_secret, token, revocation_url, token_type_hint
    )
    _set_total_timeout(request, timeout)
    http = http_client if http_client is not None else httpx.Client()
    bound_by_deadlines(http)
    with endpoint.secrets.scope():  # its messages hide the token and the app's secret
        try:
            answer = send_token_request(http, request)
        finally:
            if http_client is None:
                http.close()
        endpoint.check_revoked(answer)


async def arevoke_token(
    *,
    client_id: str,
    token: str | Mapping[str, Any],
    client_secret: str | None = None,
    token_type_hint: str | None = None,
    revocation_url: str = DEFAULT_REVOCATION_URL,
    timeout: float = _TOKEN_TIMEOUT,
    http_client: httpx.AsyncClient | None = None,
) -> None:
    """The async twin of :func:`revoke_token` (``http_client`` an ``httpx.AsyncClient``)."""
    endpoint, request = _revoke_setup(
        client_id, client_secret, token, revocation_url, token_type_hint
    )
    _set_total_timeout(request, timeout)
    http = http_client if http_client is not None else httpx.AsyncClient()
    bound_by_deadlines(http)
    with endpoint.secrets.scope():  # its messages hide the token and the app's secret
        try:
            answer = await asend_token_request(http, request)
        finally:
            if http_client is None:
                await http.aclose()
        endpoint.check_revoked(answer)


# ---------------------------------------------------------------------- connections


@dataclass(frozen=True, slots=True)
class Connection:
    """One organisation (tenant) a token can reach, from ``GET /connections``.

    Attributes:
        id: The connection's id: ``client.disconnect(connection.id)`` disconnects the
            organisation from the app.
        tenant_id: The organisation's tenant id: the ``tenant_id=`` of calls.
        tenant_type: ``ORGANISATION`` (or another kind of tenant).
        tenant_name: The organisation's name.
        created_date_utc: When the connection was made (UTC).
        updated_date_utc: When it last changed (UTC).
    """

    id: str
    tenant_id: str
    tenant_type: str | None
    tenant_name: str | None
    created_date_utc: datetime.datetime | None
    updated_date_utc: datetime.datetime | None


def _utc(value: object) -> datetime.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python < 3.11 would refuse 7 fraction digits; 3.11 accepts up to 6: trim the rest
    head, dot, tail = text.partition(".")
    if dot:
        digits = "".join(c for c in tail if c.isdigit())
        rest = tail[len(digits) :]
        text = f"{head}.{digits[:6]}{rest}"
    try:
        when = datetime.datetime.fromisoformat(text)
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        return when.astimezone(datetime.UTC)
    except (ValueError, OverflowError):  # not a date, or out of range once in UTC
        return None


def parse_connections(status: int, content: bytes) -> list[Connection]:
    """The JSON list of ``GET /connections`` as typed connections."""
    try:
        data = load_json(content)
    except ValueError as exc:
        raise XeroResponseError(
            f"the connections answer (HTTP {status}) is not JSON: {redact(str(exc))[:200]}",
            status_code=status,
        ) from None
    if not isinstance(data, list):
        raise XeroResponseError(
            f"the connections answer (HTTP {status}) is not a JSON list", status_code=status
        )
    found: list[Connection] = []
    for item in data:
        if not isinstance(item, Mapping):
            raise XeroResponseError(
                "the connections answer holds something that is not an object",
                status_code=status,
            )
        keys = {str(k).lower(): v for k, v in item.items()}
        tenant = keys.get("tenantid")
        if not isinstance(tenant, str) or not tenant:
            raise XeroResponseError(
                "a connection of the answer has no tenantId", status_code=status
            )
        found.append(
            Connection(
                id=str(keys.get("id") or ""),
                tenant_id=tenant,
                tenant_type=str(keys["tenanttype"]) if keys.get("tenanttype") else None,
                tenant_name=str(keys["tenantname"]) if keys.get("tenantname") else None,
                created_date_utc=_utc(keys.get("createddateutc")),
                updated_date_utc=_utc(keys.get("updateddateutc")),
            )
        )
    return found

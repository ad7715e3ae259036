"""How a call proves who it is for: one scheme per manifest ``auth`` value.

API 1.0 (``query-keys``) sends the partner key (``apiKey``) and the organisation's customer
key (``xeroKey``) as the first two query parameters of every call.

API 2.0 (``oauth2``) sends ``Authorization: Bearer <access token>`` and picks the
organisation with the ``xero-tenant-id`` header. The token comes from one of three sources:

- ``access_token=``: a token the caller manages (never refreshed by the SDK);
- ``client_id=`` + ``client_secret=``: Xero's client-credentials grant ("custom
  connection"); the SDK fetches the token on first use and again before it expires;
- ``token=`` (a stored token dict with a ``refresh_token``, from the authorization-code
  flow of :mod:`._oauth`) + ``client_id=`` (and ``client_secret=`` unless the app is a PKCE
  public client): refreshed before it expires and once when Xero answers 401
  ``TokenExpired``; every new token is handed to ``on_token_refresh`` so the app can
  persist the rotated refresh token.

One token fetch or refresh runs at a time per client (and its :meth:`with_options` copies,
which share the scheme): threads wait on a lock, tasks on an ``asyncio.Lock``; whoever
waited finds the new token and does not refresh again. Every token, the client secret and
the refresh token go into the scheme's :class:`._secrets.Secrets` (``.secrets``, shared by the
client and its :meth:`with_options` copies), so no log line, repr or message of that client
shows them, and no other client's messages are masked with them.

The client core builds a scheme from the constructor's credentials with
``AUTH_SCHEMES[style].from_credentials(credentials, problems, sender)``, then asks it for
query parameters and headers when building a request, to :meth:`AuthScheme.authorize` a
request before each attempt and to :meth:`AuthScheme.renew` after a 401.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import httpx

from ._errors import RequestValidationError, XeroError
from ._oauth import (
    DEFAULT_TOKEN_URL,
    MAX_EPOCH_SECONDS,
    TokenEndpoint,
    check_endpoint_url,
    whole_seconds,
)
from ._secrets import Secrets, redact, secret_problem
from ._tokens import TokenStore

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "AUTH_SCHEMES",
    "MIN_KEY_LENGTH",
    "AuthScheme",
    "OAuth2Auth",
    "QueryKeyAuth",
    "Sender",
    "key_problem",
]

REFRESH_LEEWAY = 60
"""Seconds before its expiry at which a token is refreshed ahead of use (at most: see
:func:`refresh_leeway`)."""


def refresh_leeway(token: Mapping[str, Any]) -> float:
    """How long before its expiry ``token`` is refreshed: :data:`REFRESH_LEEWAY`, or a tenth
    of its lifetime when that is shorter (a 60 s token refreshed 60 s early would mean a
    token request per call)."""
    lifetime = whole_seconds(token.get("expires_in"), 1, 10 * 365 * 86_400)
    if isinstance(token.get("expires_in"), str) or lifetime is None:
        return float(REFRESH_LEEWAY)
    return min(float(REFRESH_LEEWAY), lifetime / 10)


MIN_KEY_LENGTH = 16
"""The shortest partner or customer key accepted. Xero's keys are 30 upper-case letters and
digits; anything much shorter cannot be one, and a short string could not be redacted from
logs without masking ordinary words."""


def key_problem(label: str, value: object) -> str | None:
    """Why ``value`` cannot be a Xero key (``label`` names it), or None. Never shows it."""
    if not isinstance(value, str) or not value.strip():
        return f"{label} must be a non-empty string"
    key = value.strip()
    if len(key) < MIN_KEY_LENGTH:
        return (
            f"{label} is too short to be a Xero key ({len(key)} characters; Xero's keys are 30, "
            f"at least {MIN_KEY_LENGTH} are required)"
        )
    if not key.isascii() or not key.isprintable() or any(c.isspace() for c in key):
        return f"{label} cannot be a Xero key: only printable ASCII without spaces is allowed"
    return None


def _expiry(token: Mapping[str, Any] | None) -> float | None:
    value = (token or {}).get("expires_at")
    if isinstance(value, str):
        return None
    seconds = whole_seconds(value, 0, MAX_EPOCH_SECONDS)  # never OverflowError
    return None if seconds is None else float(seconds)


def _older(candidate: Mapping[str, Any] | None, held: Mapping[str, Any] | None) -> bool:
    """Whether ``candidate`` was issued before ``held`` (it expires earlier): adopting it
    would bring back a refresh token Xero has rotated away. Unknown expiries compare as
    not older."""
    if candidate is None or held is None:
        return candidate is None
    if candidate.get("access_token") == held.get("access_token"):
        return False
    a, b = _expiry(candidate), _expiry(held)
    return a is not None and b is not None and a < b


class Sender:
    """How a scheme sends its own requests (token calls): through the client's HTTP client,
    with its timeout and size cap. Provided by the client core; exactly one of the two
    functions works (the sync or the async one, by client)."""

    def __init__(
        self,
        send: Callable[[httpx.Request], tuple[int, httpx.Headers, bytes]] | None = None,
        asend: Callable[[httpx.Request], Awaitable[tuple[int, httpx.Headers, bytes]]] | None = None,
    ) -> None:
        self.send = send
        self.asend = asend


class AuthScheme:
    """The interface the client core uses; the defaults do nothing (no token, no tenant)."""

    uses_tenant: ClassVar[bool] = False
    """Whether calls name an organisation with a tenant id (``xero-tenant-id``)."""
    credential_names: ClassVar[tuple[str, ...]] = ()
    secrets: Secrets
    """The secrets this scheme holds (see :mod:`._secrets`): what the client's messages mask."""

    @classmethod
    def from_credentials(
        cls, credentials: Mapping[str, Any], problems: list[str], sender: Sender
    ) -> AuthScheme | None:
        """A scheme for the constructor's credentials; appends to ``problems`` (and returns
        None) when they are not usable."""
        raise NotImplementedError

    def query_params(self) -> list[tuple[str, str | None]]:
        """The parameters that go first in every query string."""
        return []

    def headers(self) -> dict[str, str]:
        """Extra request headers known without I/O."""
        return {}

    def authorize(self, request: httpx.Request) -> None:
        """Put the credentials on ``request`` before an attempt (may fetch a token)."""

    async def aauthorize(self, request: httpx.Request) -> None:
        """The async twin of :meth:`authorize`."""

    def renew(self, request: httpx.Request) -> bool:
        """After a 401 to ``request``: get fresh credentials; True when a retry can work."""
        return False

    async def arenew(self, request: httpx.Request) -> bool:
        """The async twin of :meth:`renew`."""
        return False

    def app_identity(self) -> str | None:
        """What identifies the app to rate limits (hashed by the limiter; None: no app)."""
        return None

    def attach_token_store(self, store: object, key: str, problems: list[str]) -> None:
        """Keep this scheme's tokens in ``store`` under ``key`` (see :mod:`._tokens`)."""
        problems.append("`token_store` keeps OAuth 2.0 tokens: this API version has none")

    def describe(self) -> str:
        """The credentials for a repr, every secret as ``***``."""
        return ", ".join(f"{name}='***'" for name in self.credential_names)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()})"


class QueryKeyAuth(AuthScheme):
    """The 1.0 scheme: ``apiKey`` and ``xeroKey`` in the query string."""

    __slots__ = ("_api_key", "_customer_key", "secrets")
    credential_names = ("api_key", "customer_key")

    def __init__(self, *, api_key: str, customer_key: str) -> None:
        self._api_key = api_key
        self._customer_key = customer_key
        self.secrets = Secrets((api_key, customer_key))

    @classmethod
    def from_credentials(
        cls, credentials: Mapping[str, Any], problems: list[str], sender: Sender
    ) -> QueryKeyAuth | None:
        api_key = credentials.get("api_key")
        customer_key = credentials.get("customer_key")
        before = len(problems)
        for label, key in (
            ("`api_key` (the partner key)", api_key),
            ("`customer_key` (the Xero customer key)", customer_key),
        ):
            problem = key_problem(label, key)
            if problem is not None:
                problems.append(problem)
        if len(problems) > before:
            return None
        assert isinstance(api_key, str) and isinstance(customer_key, str)
        return cls(api_key=api_key.strip(), customer_key=customer_key.strip())

    def query_params(self) -> list[tuple[str, str | None]]:
        """The parameters that go first in every query string."""
        return [("apiKey", self._api_key), ("xeroKey", self._customer_key)]

    def headers(self) -> dict[str, str]:
        """Extra request headers (none for 1.0)."""
        return {}

    def __repr__(self) -> str:
        return "QueryKeyAuth(api_key='***', customer_key='***')"


def _visible(value: object) -> bool:
    return isinstance(value, str) and bool(value) and all(" " < c <= "~" for c in value)


class OAuth2Auth(AuthScheme):
    """The 2.0 scheme: an OAuth 2.0 bearer token (see the module docstring for its sources)."""

    uses_tenant = True

    def __init__(
        self,
        *,
        mode: str,
        token: dict[str, Any] | None,
        endpoint: TokenEndpoint | None,
        on_token_refresh: Callable[[dict[str, Any]], object] | None,
        sender: Sender,
    ) -> None:
        self.mode = mode  # "access-token" | "client-credentials" | "authorization-code"
        self._token = token
        self._endpoint = endpoint
        self._on_token_refresh = on_token_refresh
        self._sender = sender
        self._lock = threading.Lock()
        self._alock: asyncio.Lock | None = None
        self._tokens: TokenStore | None = None  # shared token store (many clients, workers)
        self._tokens_key = ""
        self._registered: list[str] = []
        self._revoked = False  # revoke_token() was called (authorization-code mode)
        self.secrets = endpoint.secrets if endpoint is not None else Secrets()
        if token is not None:
            self._remember(token)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_credentials(
        cls, credentials: Mapping[str, Any], problems: list[str], sender: Sender
    ) -> OAuth2Auth | None:
        access_token = credentials.get("access_token")
        client_id = credentials.get("client_id")
        client_secret = credentials.get("client_secret")
        token = credentials.get("token")
        on_token_refresh = credentials.get("on_token_refresh")
        token_url = credentials.get("token_url")
        scopes = credentials.get("scopes")
        before = len(problems)
        if client_id is not None and not _visible(client_id):
            problems.append("`client_id` must be a non-empty string of visible ASCII characters")
        for name, value in (("access_token", access_token), ("client_secret", client_secret)):
            problem = None if value is None else secret_problem(f"`{name}`", value)
            if problem is not None:
                problems.append(problem)
        stored: dict[str, Any] | None = None
        if token is not None:
            if not isinstance(token, Mapping):
                problems.append("`token` must be a mapping (a stored OAuth 2.0 token dict)")
            else:
                stored = dict(token)
                for key in ("access_token", "refresh_token"):
                    if stored.get(key) is not None:
                        problem = secret_problem(f"`token[{key!r}]`", stored[key])
                        if problem is not None:
                            problems.append(problem)
                if not stored.get("access_token") and not stored.get("refresh_token"):
                    problems.append("`token` needs an `access_token` or a `refresh_token`")
                expires_at = stored.get("expires_at")
                if expires_at is not None and (
                    isinstance(expires_at, str)
                    or whole_seconds(expires_at, 0, MAX_EPOCH_SECONDS) is None
                ):
                    problems.append(
                        "`token['expires_at']` must be a number of seconds since 1970 (at most"
                        " the year 3000)"
                    )
        if on_token_refresh is not None and not callable(on_token_refresh):
            problems.append("`on_token_refresh` must be callable")
        elif sender.asend is None and inspect.iscoroutinefunction(on_token_refresh):
            problems.append(
                "`on_token_refresh` is a coroutine function: give a plain function to XeroClient"
                " (AsyncXeroClient awaits coroutine functions)"
            )
        if scopes is not None and (
            isinstance(scopes, str)
            or not isinstance(scopes, Sequence)
            or not all(_visible(s) for s in scopes)
        ):
            problems.append("`scopes` must be a list of scope names, e.g. ['accounting.contacts']")
        if token_url is not None:
            problems.extend(check_endpoint_url("token_url", token_url))
        given = [n for n, v in (("access_token", access_token), ("token", token)) if v is not None]
        mode = ""
        if len(given) > 1:
            problems.append("give `access_token` or `token`, not both")
        elif access_token is not None:
            mode = "access-token"
            if client_id is not None or client_secret is not None:
                problems.append(
                    "`access_token` is a token you manage: give it without `client_id`/`client_secret`"
                    " (or give `token=` to let the SDK refresh it)"
                )
        elif token is not None:
            mode = "authorization-code"
            if client_id is None and stored is not None and stored.get("refresh_token"):
                problems.append(
                    "`token` with a refresh token needs `client_id` (and `client_secret` unless"
                    " the app is a PKCE public client) to refresh it"
                )
        elif client_id is not None or client_secret is not None:
            mode = "client-credentials"
            if client_id is None or client_secret is None:
                problems.append(
                    "the client-credentials flow needs both `client_id` and `client_secret`"
                )
        else:
            problems.append(
                "give `access_token=` (a token you manage), `client_id=` + `client_secret=`"
                " (client credentials) or `token=` + `client_id=` (authorization code)"
            )
        if len(problems) > before:
            return None
        endpoint = None
        if client_id is not None:
            endpoint = TokenEndpoint(
                token_url=str(token_url or DEFAULT_TOKEN_URL),
                client_id=client_id,
                client_secret=client_secret,
                scopes=tuple(scopes or ()),
            )
        if mode == "access-token":
            stored = {"access_token": access_token, "token_type": "Bearer"}
        return cls(
            mode=mode,
            token=stored,
            endpoint=endpoint,
            on_token_refresh=on_token_refresh,
            sender=sender,
        )

    # ------------------------------------------------------------------ tokens

    @property
    def token(self) -> dict[str, Any] | None:
        """A copy of the current token dict (None before the first fetch)."""
        return None if self._token is None else dict(self._token)

    def _remember(self, token: Mapping[str, Any]) -> None:
        """Register the token's secrets; forget those of tokens two rotations old."""
        values = [
            str(token[k]) for k in ("access_token", "refresh_token", "id_token") if token.get(k)
        ]
        for value in values:
            self.secrets.add(value)
        self._registered.extend(values)
        # keep the current and the previous token's values (late log lines may quote them)
        keep = 2 * 3
        if len(self._registered) > keep:
            stale, self._registered = self._registered[:-keep], self._registered[-keep:]
            for value in stale:
                if value not in self._registered:
                    self.secrets.discard(value)

    def _usable(self, token: Mapping[str, Any] | None) -> bool:
        if token is None or not token.get("access_token"):
            return False
        if self.mode == "access-token":
            return True
        expires_at = _expiry(token)
        if expires_at is None:
            return True  # unknown (or unreadable) lifetime: used until Xero says it expired
        return expires_at - refresh_leeway(token) > time.time()

    def _bearer(self) -> str:
        assert self._token is not None
        return f"Bearer {self._token['access_token']}"

    def revocation_request(self) -> httpx.Request:
        """The RFC 7009 request revoking this client's refresh token (its access token when
        it has none)."""
        if self._endpoint is None:
            raise RequestValidationError(
                [
                    "revoke_token() needs the app's `client_id` (and `client_secret`): this"
                    " client was given only an `access_token`; use the function"
                    " revoke_token(client_id=..., client_secret=..., token=...)"
                ]
            )
        token = self._token or {}
        for key in ("refresh_token", "access_token"):
            value = token.get(key)
            if isinstance(value, str) and value:
                return self._endpoint.revocation_request(value, key)
        raise RequestValidationError(["this client holds no token to revoke yet"])

    def forget(self) -> None:
        """After a revocation: drop the token, so that no call sends it again."""
        self._revoked = self.mode == "authorization-code"
        self._token = None

    def _new_token_request(self) -> httpx.Request:
        assert self._endpoint is not None
        refresh_token = (self._token or {}).get("refresh_token")
        if self._revoked:
            raise XeroError(
                "this client's token was revoked (revoke_token()): connect the organisation"
                " again (authorization-code flow) and make a new client with the new token"
            )
        if self.mode == "authorization-code":
            if not refresh_token:
                raise XeroError(
                    "the access token has expired and the stored token has no refresh token:"
                    " connect the organisation again (authorization-code flow)"
                )
            return self._endpoint.refresh_request(str(refresh_token))
        return self._endpoint.client_credentials_request()

    def _store(self, answer: tuple[int, httpx.Headers, bytes]) -> dict[str, Any]:
        assert self._endpoint is not None
        previous = self._token or {}
        token = self._endpoint.parse(answer)
        if self.mode == "authorization-code" and not token.get("refresh_token"):
            token["refresh_token"] = previous.get("refresh_token")
        self._remember(token)
        self._token = token
        return dict(token)

    def _callback_failed(self, exc: Exception) -> XeroError:
        kept = "the token store and the client keep" if self._tokens else "the client keeps"
        return XeroError(
            "on_token_refresh raised "
            f"{type(exc).__name__}: {redact(str(exc))[:200]} ({kept} the new token)"
        )

    def _adopt(self, token: Mapping[str, Any]) -> None:
        """Use a token another client or worker fetched (read from the token store), unless
        it is older than the one this client holds (see :func:`_older`)."""
        if _older(token, self._token):
            return  # a store that lost a write: this client's refresh token is the live one
        self._remember(token)
        self._token = dict(token)

    def _refresh(self) -> None:
        """A new token: through the token store when there is one (one refresh among all
        its users; the others adopt the result), else fetched here.

        The new token is in the store (and this client) before ``on_token_refresh`` runs:
        a callback that raises, or a worker that dies inside it, cannot lose the rotated
        refresh token.
        """
        if self._tokens is None:
            self._notify(self._fetch_new())
            return
        fetched: list[dict[str, Any]] = []

        def fetch(current: Mapping[str, Any] | None) -> dict[str, Any]:
            if current is not None:
                self._adopt(current)  # the newest stored token: its refresh token is the live one
            fetched.append(self._fetch_new())
            return dict(fetched[-1])

        try:
            self._adopt(self._tokens.refresh(self._tokens_key, self._token, fetch, self._usable))
        except XeroError:
            if fetched:  # the store failed to keep it: the app's callback is its only copy
                with contextlib.suppress(XeroError):
                    self._notify(fetched[-1])
            raise
        if fetched:
            self._notify(fetched[-1])

    async def _arefresh(self) -> None:
        """The async twin of :meth:`_refresh`."""
        if self._tokens is None:
            await self._anotify(await self._afetch_new())
            return
        fetched: list[dict[str, Any]] = []

        async def fetch(current: Mapping[str, Any] | None) -> dict[str, Any]:
            if current is not None:
                self._adopt(current)
            fetched.append(await self._afetch_new())
            return dict(fetched[-1])

        try:
            self._adopt(
                await self._tokens.arefresh(self._tokens_key, self._token, fetch, self._usable)
            )
        except XeroError:
            if fetched:
                with contextlib.suppress(XeroError):
                    await self._anotify(fetched[-1])
            raise
        if fetched:
            await self._anotify(fetched[-1])

    def _fetch_new(self) -> dict[str, Any]:
        send = self._sender.send
        assert send is not None, "a sync scheme has a sync sender"
        return self._store(send(self._new_token_request()))

    async def _afetch_new(self) -> dict[str, Any]:
        asend = self._sender.asend
        assert asend is not None, "an async scheme has an async sender"
        return self._store(await asend(self._new_token_request()))

    def _notify(self, token: dict[str, Any]) -> None:
        """Hand a new token to ``on_token_refresh`` (after it is stored)."""
        if self._on_token_refresh is None:
            return
        try:
            result = self._on_token_refresh(dict(token))
        except Exception as exc:
            raise self._callback_failed(exc) from exc
        if inspect.isawaitable(result):  # e.g. a lambda returning a coroutine
            close = getattr(result, "close", None)
            if callable(close):
                close()  # never awaited here: do not leave it pending
            raise XeroError(
                "on_token_refresh returned an awaitable, which XeroClient cannot await"
                " (use AsyncXeroClient, or a plain function); the client keeps the new token"
            )

    async def _anotify(self, token: dict[str, Any]) -> None:
        if self._on_token_refresh is None:
            return
        try:
            result = self._on_token_refresh(dict(token))
            if inspect.isawaitable(result):
                await result
        except Exception as exc:
            raise self._callback_failed(exc) from exc

    def _async_lock(self) -> asyncio.Lock:
        if self._alock is None:
            import asyncio  # an async client's loop has loaded it already

            self._alock = asyncio.Lock()
        return self._alock

    # ------------------------------------------------------------------ the interface

    def headers(self) -> dict[str, str]:
        return {}

    def authorize(self, request: httpx.Request) -> None:
        token = self._token
        if not self._usable(token):
            with self._lock:
                if not self._usable(self._token):
                    self._refresh()
        request.headers["Authorization"] = self._bearer()

    async def aauthorize(self, request: httpx.Request) -> None:
        if not self._usable(self._token):
            async with self._async_lock():
                if not self._usable(self._token):
                    await self._arefresh()
        request.headers["Authorization"] = self._bearer()

    def _renewable(self) -> bool:
        if self.mode == "client-credentials":
            return True
        return self.mode == "authorization-code" and bool((self._token or {}).get("refresh_token"))

    def _failed_is_current(self, request: httpx.Request) -> bool:
        """Whether the token ``request`` carried is still the current one (not yet renewed)."""
        return self._token is not None and request.headers.get("Authorization") == self._bearer()

    def renew(self, request: httpx.Request) -> bool:
        if not self._renewable():
            return False
        with self._lock:
            if self._failed_is_current(request):  # nobody renewed it meanwhile
                self._refresh()
        return True

    async def arenew(self, request: httpx.Request) -> bool:
        if not self._renewable():
            return False
        async with self._async_lock():
            if self._failed_is_current(request):
                await self._arefresh()
        return True

    def app_identity(self) -> str | None:
        if self._endpoint is not None:
            return "client:" + self._endpoint.client_id
        return "token:" + str((self._token or {}).get("access_token", ""))

    def attach_token_store(self, store: object, key: str, problems: list[str]) -> None:
        if self.mode == "access-token":
            problems.append(
                "`token_store` keeps tokens the SDK fetches or refreshes: not with `access_token`"
            )
            return
        if not isinstance(store, TokenStore):
            problems.append(
                "`token_store` must be a TokenStore (e.g. xero_customer_api.redis.RedisTokenStore)"
            )
            return
        self._tokens, self._tokens_key = store, key
        stored = store.get(key)
        if stored is not None and stored.get("access_token"):
            self._adopt(stored)  # the store is the truth: it holds the live refresh token
        elif self._token is not None:
            store.put(key, self._token)

    def describe(self) -> str:
        if self.mode == "access-token":
            return "access_token='***'"
        parts = ["client_id='***'"]
        if self._endpoint is not None and self._endpoint.client_secret is not None:
            parts.append("client_secret='***'")
        if self.mode == "authorization-code":
            parts.append("token='***'")
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"OAuth2Auth(mode={self.mode!r}, {self.describe()})"


AUTH_SCHEMES: dict[str, type[AuthScheme]] = {"query-keys": QueryKeyAuth, "oauth2": OAuth2Auth}
"""The manifest's ``auth`` value (a client's ``_auth_style``) -> its scheme."""

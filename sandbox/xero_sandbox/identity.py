"""OAuth 2.0 as Xero's identity server does it, built on Authlib's server components.

Paths (on the sandbox's own host, as Xero has them on identity.xero.com / login.xero.com):

``GET /identity/connect/authorize``
    The authorization page: the app's name, the scopes asked for and a checkbox per
    organisation of the app's partner; a person picks the organisations to connect and
    presses Allow (or Cancel). ``POST`` of that form redirects to the app's ``redirect_uri``
    with ``code`` and ``state`` (or ``error=access_denied``). PKCE takes S256 only
    (``plain`` is refused); a PKCE app's authorization without ``code_challenge`` is refused
    (``invalid_request``).
``POST /connect/token``
    ``client_credentials`` (a "custom connection": the app's one organisation; no refresh
    token), ``authorization_code`` (with the PKCE ``code_verifier``) and ``refresh_token``.
    Refresh tokens rotate: each use issues a new one and the old one is refused from then
    on. Access tokens live ``token_ttl`` seconds (``--token-ttl``). A confidential app (one
    with a secret) authenticates with it, by HTTP Basic or form fields, on every grant and on
    revocation; a PKCE app (``keys add-app --pkce``: no secret) sends only its ``client_id``,
    and its code is redeemed only with the ``code_verifier`` of an S256 challenge.
``POST /connect/revocation``
    RFC 7009: revokes a refresh token (and its access token) or an access token.
``GET /connections``
    The tenants the bearer token reaches, as Xero's JSON list.
``DELETE /connections/{id}``
    Disconnects that tenant from the app: none of the app's tokens reach it any more (calls
    naming it are refused with 403); 204 No Content, 404 for an id the token does not reach.

Tokens, codes and apps are rows of the shared :class:`~xero_sandbox.store.Store`; Authlib's
``AuthorizationServer`` with ``ClientCredentialsGrant``, ``AuthorizationCodeGrant`` +
``CodeChallenge``, ``RefreshTokenGrant`` and ``RevocationEndpoint`` does all the protocol
work; this module only adapts it to the raw ASGI app and the store. Redirect URIs: any
``https`` URI, or ``http`` on a loopback host (the sandbox keeps no registered list).
"""

from __future__ import annotations

import base64
import html
import ipaddress
import json
import secrets
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
from authlib.oauth2.rfc6749 import (
    AuthorizationCodeMixin,
    AuthorizationServer,
    ClientMixin,
    InvalidRequestError,
    OAuth2Error,
    OAuth2Payload,
    OAuth2Request,
    TokenMixin,
    grants,
)
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge

from .http import HTML_TYPE, TEXT_TYPE, Request, Response, json_response
from .store import App, Org, Store

AUTHORIZE_PATH = "/identity/connect/authorize"
TOKEN_PATH = "/connect/token"
REVOCATION_PATH = "/connect/revocation"
CONNECTIONS_PATH = "/connections"
PATHS = (AUTHORIZE_PATH, TOKEN_PATH, REVOCATION_PATH, CONNECTIONS_PATH)

#: The accounting scopes and what each lets a token do.
ACCOUNTING_SCOPES = (
    "accounting.contacts",
    "accounting.contacts.read",
    "accounting.transactions",
    "accounting.transactions.read",
    "accounting.settings",
    "accounting.settings.read",
    "accounting.journals.read",
    "accounting.budgets.read",
    "accounting.reports.read",
    "accounting.reports.tenninetynine.read",
    "accounting.attachments",
    "accounting.attachments.read",
    "paymentservices",
)
SCOPES = (*ACCOUNTING_SCOPES, "offline_access", "openid", "profile", "email")
#: A custom connection's scopes when the token request names none.
DEFAULT_SCOPES = " ".join(
    s
    for s in ACCOUNTING_SCOPES
    if not s.endswith(".read") or s.removesuffix(".read") not in ACCOUNTING_SCOPES
)  # every write scope, and the read scopes that have no write twin (journals, budgets, reports)
CODE_TTL = 300


# ----------------------------------------------------------------------------- models


class Client(ClientMixin):  # type: ignore[misc]
    """An app of the store as Authlib's client."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.client_id = app.client_id

    def get_client_id(self) -> str:
        return self.app.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return DEFAULT_SCOPES
        return " ".join(s for s in scope.split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        try:
            parts = urlsplit(redirect_uri)
        except ValueError:
            return False
        if parts.scheme == "https" and parts.hostname:
            return True
        return parts.scheme == "http" and _is_loopback(parts.hostname or "")

    @property
    def public(self) -> bool:
        """A PKCE app: no secret, so PKCE (S256) alone proves it."""
        return self.app.public

    def check_client_secret(self, client_secret: str) -> bool:
        if self.app.public:
            return False
        return secrets.compare_digest(client_secret.encode(), self.app.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        # A confidential app authenticates with its secret at the token endpoint (every
        # grant, refresh included) and at revocation; a PKCE app with its client id alone.
        if self.app.public:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        if grant_type == "client_credentials":
            return self.app.custom_org_id is not None
        return grant_type in ("authorization_code", "refresh_token")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Grantee:
    """The "user" of a grant: the tenants a person connected (or the custom connection's)."""

    tenants: tuple[str, ...]

    def get_user_id(self) -> str:
        return ",".join(self.tenants)


class Code(AuthorizationCodeMixin):  # type: ignore[misc]
    """A stored authorization code."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row
        self.code_challenge = row["challenge"]
        self.code_challenge_method = row["challenge_method"]

    def get_redirect_uri(self) -> str | None:
        value = self.row["redirect_uri"]
        return str(value) if value else None

    def get_scope(self) -> str:
        return str(self.row["scope"])


class Token(TokenMixin):  # type: ignore[misc]
    """A stored token."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row

    def check_client(self, client: Client) -> bool:
        return bool(self.row["client_id"] == client.get_client_id())

    def get_scope(self) -> str:
        return str(self.row["scope"])

    def get_expires_in(self) -> int:
        return int(self.row["expires_in"])

    def is_expired(self) -> bool:
        return expires_at(self.row) <= time.time()

    def is_revoked(self) -> bool:
        return bool(self.row["access_revoked"])

    def get_user(self) -> Grantee:
        return Grantee(tuple(self.row["tenants"]))

    def get_client(self) -> None:
        return None


def expires_at(row: dict[str, Any]) -> float:
    """When a token row's access token stops working (epoch seconds)."""
    return float(row["issued"]) + int(row["expires_in"])


# ----------------------------------------------------------------------------- requests


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in pairs:
            self._datalist[key].append(value)
        self._data = {key: values[0] for key, values in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class _OAuthRequest(OAuth2Request):  # type: ignore[misc]
    """A sandbox request as Authlib's: parameters from the query (GET) or the form body."""

    def __init__(self, request: Request) -> None:
        # The sandbox serves plain HTTP on loopback hosts only, so it always counts as secure.
        super().__init__(
            request.method, f"https://sandbox{request.path}", headers=httpx.Headers(request.headers)
        )
        self._query = parse_qsl(request.query_string, keep_blank_values=True)
        form_pairs: list[tuple[str, str]] = []
        if request.method == "POST":
            form_pairs = parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        self._form = {k: v for k, v in reversed(form_pairs)}
        self.payload = _Payload(form_pairs if request.method == "POST" else self._query)

    @property
    def args(self) -> dict[str, str]:
        return dict(self._query)

    @property
    def form(self) -> dict[str, str]:
        return self._form


# ----------------------------------------------------------------------------- grants


class _ClientCredentials(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


class _S256(CodeChallenge):  # type: ignore[misc]
    """PKCE as Xero has it: S256 only (``plain`` and a missing method are refused), and a
    PKCE app's authorization must carry a ``code_challenge`` (RFC 7636 4.4.1:
    ``invalid_request``; Xero's own wording is not in the facts: # inferred)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        request: OAuth2Request = grant.request
        challenge = request.payload.data.get("code_challenge")
        method = request.payload.data.get("code_challenge_method")
        client = request.client
        if not challenge and not method:
            if isinstance(client, Client) and client.public:
                raise InvalidRequestError("Missing 'code_challenge': a PKCE app must use PKCE")
            return
        if challenge and not method:
            raise InvalidRequestError("Missing 'code_challenge_method': only S256 is supported")
        if method != "S256":
            raise InvalidRequestError("Unsupported 'code_challenge_method': only S256 is supported")
        super().validate_code_challenge(grant, redirect_uri)


class _AuthorizationCode(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        server: Identity = self.server
        user: Grantee = request.user
        data = request.payload.data
        server.store.save_code(
            {
                "code": code,
                "client_id": request.client.get_client_id(),
                "redirect_uri": request.payload.redirect_uri,
                "scope": request.client.get_allowed_scope(request.payload.scope),
                "tenants": list(user.tenants),
                "challenge": data.get("code_challenge"),
                "challenge_method": data.get("code_challenge_method"),
                "expires": time.time() + CODE_TTL,
            }
        )

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        server: Identity = self.server
        row = server.store.code(code)
        if row is None or row["client_id"] != client.get_client_id():
            return None
        if float(row["expires"]) <= time.time():
            return None
        return Code(row)

    def delete_authorization_code(self, authorization_code: Code) -> None:
        server: Identity = self.server
        server.store.delete_code(authorization_code.row["code"])

    def authenticate_user(self, authorization_code: Code) -> Grantee:
        return Grantee(tuple(authorization_code.row["tenants"]))


class _RefreshToken(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True  # refresh tokens rotate

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        server: Identity = self.server
        row = server.store.token_by_refresh(refresh_token)
        if row is None or row["refresh_revoked"]:
            return None
        return Token(row)

    def authenticate_user(self, refresh_token: Token) -> Grantee:
        return refresh_token.get_user()

    def revoke_old_credential(self, refresh_token: Token) -> None:
        server: Identity = self.server
        server.store.revoke_token(refresh_token.row["access_token"], access=False, refresh=True)


class _Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        server: Identity = self.server
        row = None
        if token_type_hint != "access_token":
            row = server.store.token_by_refresh(token_string)
        if row is None and token_type_hint != "refresh_token":
            row = server.store.token_by_access(token_string)
        return None if row is None else Token(row)

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:
        server: Identity = self.server
        server.store.revoke_token(token.row["access_token"], access=True, refresh=True)


# ----------------------------------------------------------------------------- server


class Identity(AuthorizationServer):  # type: ignore[misc]
    """The sandbox's identity server (Authlib's AuthorizationServer over the store)."""

    def __init__(self, store: Store, token_ttl: int = 1800) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.store = store
        self.token_ttl = token_ttl
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=lambda **_: secrets.token_urlsafe(40),
                refresh_token_generator=lambda **_: secrets.token_urlsafe(40),
                expires_generator=lambda client, grant_type: self.token_ttl,
            ),
        )
        self.register_grant(_ClientCredentials)
        self.register_grant(_AuthorizationCode, [_S256(required=True)])
        self.register_grant(_RefreshToken)
        self.register_endpoint(_Revocation)

    # Authlib's framework hooks
    def query_client(self, client_id: str) -> Client | None:
        app = self.store.app(client_id) if client_id else None
        return None if app is None else Client(app)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        client: Client = request.client
        user: Grantee | None = request.user
        if user is None:  # client credentials: the custom connection's organisation
            org = self.store.org_by_id(client.app.custom_org_id or 0)
            user = Grantee((org.tenant_id,) if org is not None else ())
        scope = str(token.get("scope") or "")
        if "offline_access" not in scope.split():
            token.pop("refresh_token", None)  # Xero gives refresh tokens for offline_access only
        self.store.save_token(
            {
                "access_token": token["access_token"],
                "refresh_token": token.get("refresh_token"),
                "client_id": client.get_client_id(),
                "scope": scope,
                "tenants": list(user.tenants),
                "issued": time.time(),
                "expires_in": int(token.get("expires_in", self.token_ttl)),
            }
        )

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        return _OAuthRequest(request)

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError("the sandbox has no JSON OAuth endpoints")

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Response:
        content = json.dumps(body).encode() if isinstance(body, dict) else str(body).encode()
        out: list[tuple[bytes, bytes]] = []
        content_type = b"application/json"
        for name, value in headers:
            if name.lower() == "content-type":
                content_type = value.encode()
            else:
                out.append((name.lower().encode(), value.encode()))
        if status == 302:
            content_type = HTML_TYPE
        return Response(status, content, content_type, out)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    # ------------------------------------------------------------------ HTTP

    def handle(self, request: Request) -> Response:
        """Answer a request to one of :data:`PATHS`."""
        path = request.path.rstrip("/") or "/"
        if path == TOKEN_PATH and request.method == "POST":
            return self._token_response(request)
        if path == REVOCATION_PATH and request.method == "POST":
            result: Response = self.create_endpoint_response("revocation", request)
            return result
        if path == AUTHORIZE_PATH and request.method in ("GET", "POST"):
            return self._authorize(request)
        return json_response(405, {"error": f"{request.method} is not allowed on {path}"})

    def _token_response(self, request: Request) -> Response:
        response: Response = self.create_token_response(request)
        response.headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
        return response

    def _authorize(self, request: Request) -> Response:
        oauth_request = self.create_oauth2_request(request)
        try:
            grant = self.get_consent_grant(oauth_request)
        except OAuth2Error as error:
            return _page(
                400,
                "Authorization failed",
                f"<p class='error'>{html.escape(error.error)}: "
                f"{html.escape(error.description or '')}</p>",
            )
        client: Client = grant.client
        orgs = self.store.orgs_of_partner(client.app.partner_key)
        if request.method == "GET":
            return _consent_page(client, orgs, oauth_request.payload.datalist)
        form = oauth_request.payload.datalist
        if form.get("action", [""])[0] != "allow":
            deny: Response = self.create_authorization_response(
                oauth_request, grant_user=None, grant=grant
            )
            return deny
        allowed = {org.tenant_id for org in orgs}
        picked = tuple(t for t in dict.fromkeys(form.get("tenant", [])) if t in allowed)
        if not picked:
            return _consent_page(
                client, orgs, form, problem="Pick at least one organisation to connect."
            )
        allow: Response = self.create_authorization_response(
            oauth_request, grant_user=Grantee(picked), grant=grant
        )
        return allow

    # ------------------------------------------------------------------ resource side

    def bearer(self, request: Request) -> tuple[dict[str, Any] | None, str]:
        """The token row of the request's bearer token, or None and Xero's 401 detail."""
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None, "AuthenticationUnsuccessful"
        row = self.store.token_by_access(value.strip())
        if row is None or row["access_revoked"]:
            return None, "AuthenticationUnsuccessful"
        ends = expires_at(row)
        if ends <= time.time():
            when = datetime.fromtimestamp(ends, UTC).strftime("%m/%d/%Y %H:%M:%S")
            return None, f"TokenExpired: token expired at {when}"
        return row, ""

    def connections(self, row: dict[str, Any]) -> Response:
        """``GET /connections`` for a valid token: one entry per tenant it reaches."""
        out = []
        for tenant in row["tenants"]:
            org = self.store.org_by_tenant(tenant)
            if org is None:
                continue
            issued = datetime.fromtimestamp(float(row["issued"]), UTC)
            out.append(
                {
                    "id": self.connection_id(row, tenant),
                    "authEventId": str(uuid.uuid5(uuid.NAMESPACE_URL, row["access_token"])),
                    "tenantId": tenant,
                    "tenantType": "ORGANISATION",
                    "tenantName": org.name,
                    "createdDateUtc": _utc(org.created),
                    "updatedDateUtc": issued.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3],
                }
            )
        return json_response(200, out)

    def connection_id(self, row: dict[str, Any], tenant: str) -> str:
        """The id of the connection between the token's app and a tenant (stable per pair)."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{row['client_id']}/{tenant}"))

    def disconnect(self, row: dict[str, Any], connection_id: str) -> Response:
        """``DELETE /connections/{id}`` for a valid token: the tenant leaves every token of
        the app (the authorization-code flow connects it again)."""
        wanted = connection_id.strip().lower()
        for tenant in row["tenants"]:
            if self.connection_id(row, tenant) == wanted:
                self.store.disconnect_tenant(str(row["client_id"]), tenant)
                return Response(204, b"", TEXT_TYPE)
        # inferred: Xero's answer for an unknown connection id is not documented; a 404 as
        # for any unknown id of the API
        return Response(404, b"The resource you're looking for cannot be found", HTML_TYPE)


def _utc(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def _page(status: int, title: str, body: str) -> Response:
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"{body}</body></html>"
    )
    return Response(status, page.encode(), HTML_TYPE, [(b"cache-control", b"no-store")])


#: The authorization request's parameters carried through the consent form.
_CARRIED = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)


def _consent_page(client: Client, orgs: list[Org], params: Any, problem: str = "") -> Response:
    esc: Callable[[str], str] = html.escape
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{esc(params[name][0])}">'
        for name in _CARRIED
        if params.get(name)
    )
    scopes = "".join(
        f"<li>{esc(s)}</li>" for s in client.get_allowed_scope(params.get("scope", [""])[0]).split()
    )
    boxes = "".join(
        f'<li><label><input type="checkbox" name="tenant" value="{esc(org.tenant_id)}">'
        f" {esc(org.name)}</label></li>"
        for org in orgs
    )
    warning = f'<p class="error" id="problem">{esc(problem)}</p>' if problem else ""
    body = (
        f'<p><strong id="app">{esc(client.app.name)}</strong> wants to access your Xero data:</p>'
        f'<ul id="scopes">{scopes}</ul>{warning}'
        f'<form method="post" action="{AUTHORIZE_PATH}" id="consent">{hidden}'
        f'<fieldset><legend>Organisations to connect</legend><ul id="orgs">{boxes}</ul></fieldset>'
        '<button type="submit" name="action" value="allow" id="allow">Allow access</button> '
        '<button type="submit" name="action" value="deny" id="deny">Cancel</button>'
        "</form>"
    )
    return _page(200, "Connect to Xero sandbox", body)


# ----------------------------------------------------------------------------- error answers


def problem(status: int, title: str, detail: str) -> Response:
    """Xero's JSON problem body (401, 403), whatever the request's ``Accept`` says."""
    body: dict[str, object] = {
        "Type": None,
        "Title": title,
        "Status": status,
        "Detail": detail,
        "Instance": str(uuid.uuid4()),
        "Extensions": {},
    }
    return json_response(status, body, [(b"xero-correlation-id", str(uuid.uuid4()).encode())])


def unauthorized(detail: str) -> Response:
    """401 for a missing, unknown, revoked or expired bearer token."""
    response = problem(401, "Unauthorized", detail)
    description = "The access token expired" if detail.startswith("TokenExpired") else ""
    challenge = 'Bearer error="invalid_token"' + (
        f', error_description="{description}"' if description else ""
    )
    response.headers.append((b"www-authenticate", challenge.encode()))
    return response


def forbidden(detail: str = "AuthenticationUnsuccessful") -> Response:
    """403 for a tenant the token is not connected to (or none), or a missing scope."""
    return problem(403, "Forbidden", detail)


def too_many(limit: str) -> Response:
    """429 over a rate limit (the caller adds the limit headers)."""
    return Response(429, f"Rate limit exceeded: {limit}".encode(), TEXT_TYPE)


def client_of(request: Request) -> str:
    """The client id a token-endpoint request names (Basic credentials or form field)."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return ""
        return unquote(decoded.partition(":")[0])
    pairs = parse_qsl(request.query_string) + (
        parse_qsl(request.body.decode("utf-8", "replace")) if request.method == "POST" else []
    )
    return next((v for k, v in pairs if k == "client_id"), "")


def proven(store: Store, request: Request, response: Response, client_id: str) -> bool:
    """True if a token or revocation request naming *client_id* came from that app: the
    server accepted it (which takes the app's secret, or a PKCE app's code verifier or
    refresh token), or it carried the app's secret. Authorization pages prove nothing
    (anyone can open one naming any app): they are never shown in a console."""
    if not client_id or request.path.rstrip("/") not in (TOKEN_PATH, REVOCATION_PATH):
        return False
    if response.status < 400:
        return True
    app = store.app(client_id)
    if app is None or app.public:
        return False
    given = ""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        given = unquote(decoded.partition(":")[2])
    elif request.method == "POST":
        pairs = parse_qsl(request.body.decode("utf-8", "replace"))
        given = next((v for k, v in pairs if k == "client_secret"), "")
    return bool(given) and secrets.compare_digest(given.encode(), app.client_secret.encode())

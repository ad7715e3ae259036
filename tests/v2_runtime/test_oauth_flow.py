"""Authorization-code flow with PKCE: authorization URL, code exchange, then the client."""

from __future__ import annotations

import base64
import datetime
import hashlib
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from xero_customer_api import (
    DEFAULT_AUTHORIZE_URL,
    AuthenticationError,
    AuthorizationRequest,
    Connection,
    RequestValidationError,
    aexchange_code,
    authorization_url,
    exchange_code,
)

from .helpers import (
    ACCESS_TOKEN,
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    REFRESH_TOKEN,
    TENANT,
    TOKEN_URL,
    V2Client,
    Xero,
    async_client,
    basic,
    problem,
    sync_client,
    token_json,
)

REDIRECT = "https://app.example.test/xero/callback"
SCOPES = ["openid", "offline_access", "accounting.transactions", "accounting.contacts"]


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def test_authorization_url_carries_pkce_s256_and_state() -> None:
    start = authorization_url(client_id=CLIENT_ID, redirect_uri=REDIRECT, scopes=SCOPES)
    url = httpx.URL(start.url)
    assert str(url).startswith(DEFAULT_AUTHORIZE_URL + "?")
    query = dict(url.params)
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == REDIRECT
    assert query["scope"] == " ".join(SCOPES)
    assert query["state"] == start.state and len(start.state) >= 20
    assert query["code_challenge_method"] == "S256"
    assert query["code_challenge"] == s256(start.code_verifier)
    assert 43 <= len(start.code_verifier) <= 128
    assert start.code_verifier not in start.url  # only its hash travels
    assert "***" in repr(start) and start.code_verifier not in repr(start)
    again = authorization_url(client_id=CLIENT_ID, redirect_uri=REDIRECT, scopes=SCOPES)
    assert again.state != start.state and again.code_verifier != start.code_verifier


def test_authorization_url_overrides() -> None:
    start = authorization_url(
        client_id=CLIENT_ID,
        redirect_uri="http://127.0.0.1:8080/cb",
        scopes=["offline_access"],
        state="my-state-123",
        code_verifier="v" * 43,
        authorize_url="http://127.0.0.1:9000/identity/connect/authorize",
    )
    assert start.url.startswith("http://127.0.0.1:9000/identity/connect/authorize?")
    assert start.state == "my-state-123"
    assert isinstance(start, AuthorizationRequest)


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"client_id": ""}, "client_id"),
        ({"scopes": []}, "scopes"),
        ({"scopes": "openid offline_access"}, "scopes"),
        ({"redirect_uri": "http://app.example.test/cb"}, "redirect_uri"),
        ({"authorize_url": "ftp://x.test/"}, "authorize_url"),
        ({"code_verifier": "short"}, "code_verifier"),
    ],
)
def test_authorization_url_refuses_bad_arguments(options: dict[str, Any], needle: str) -> None:
    arguments: dict[str, Any] = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "scopes": SCOPES}
    arguments.update(options)
    with pytest.raises(RequestValidationError, match=needle):
        authorization_url(**arguments)


class TokenEndpoint:
    """A MockTransport token endpoint that checks the PKCE verifier against the challenge."""

    def __init__(self, challenge: str) -> None:
        self.challenge = challenge
        self.forms: list[dict[str, str]] = []
        self.headers: list[httpx.Headers] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert str(request.url) == TOKEN_URL
        form = dict(parse_qsl(request.content.decode()))
        self.forms.append(form)
        self.headers.append(request.headers)
        if form.get("grant_type") != "authorization_code" or form.get("code") != "the-code-42":
            return httpx.Response(400, json={"error": "invalid_grant"})
        if s256(form.get("code_verifier", "")) != self.challenge:
            return httpx.Response(400, json={"error": "invalid_grant", "error_description": "PKCE"})
        return httpx.Response(200, json=token_json(ACCESS_TOKEN, refresh=REFRESH_TOKEN))


def test_exchange_code_with_pkce_then_the_client_uses_and_refreshes_the_token() -> None:
    start = authorization_url(client_id=CLIENT_ID, redirect_uri=REDIRECT, scopes=SCOPES)
    endpoint = TokenEndpoint(s256(start.code_verifier))
    http = httpx.Client(transport=httpx.MockTransport(endpoint))
    callback = f"{REDIRECT}?code=the-code-42&state={start.state}&scope=openid"
    token = exchange_code(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=REDIRECT,
        code_verifier=start.code_verifier,
        callback_url=callback,
        state=start.state,
        token_url=TOKEN_URL,
        http_client=http,
    )
    http.close()
    (form,) = endpoint.forms
    assert form["redirect_uri"] == REDIRECT
    assert endpoint.headers[0]["authorization"] == basic(CLIENT_ID, CLIENT_SECRET)
    assert token["access_token"] == ACCESS_TOKEN
    assert token["refresh_token"] == REFRESH_TOKEN
    assert isinstance(token["expires_at"], int)
    # the stored token drives a client: expired -> refreshed, rotated token persisted
    token["expires_at"] = 0
    seen: list[dict[str, Any]] = []
    xero = Xero(
        tokens=[token_json("ACCESS-TOKEN-two-abcdefg", refresh="REFRESH-token-0002-abcdefghijk")]
    )
    with sync_client(
        xero,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token=token,
        on_token_refresh=seen.append,
    ) as client:
        client.contacts()
    assert xero.token_forms[0]["refresh_token"] == REFRESH_TOKEN
    assert seen[0]["refresh_token"] == "REFRESH-token-0002-abcdefghijk"


def test_exchange_code_of_a_public_client_sends_client_id_not_basic_auth() -> None:
    start = authorization_url(client_id=CLIENT_ID, redirect_uri=REDIRECT, scopes=SCOPES)
    endpoint = TokenEndpoint(s256(start.code_verifier))
    with httpx.Client(transport=httpx.MockTransport(endpoint)) as http:
        exchange_code(
            client_id=CLIENT_ID,
            redirect_uri=REDIRECT,
            code_verifier=start.code_verifier,
            code="the-code-42",
            token_url=TOKEN_URL,
            http_client=http,
        )
    assert endpoint.forms[0]["client_id"] == CLIENT_ID
    assert "authorization" not in endpoint.headers[0]


def test_a_wrong_verifier_is_refused_by_the_endpoint() -> None:
    start = authorization_url(client_id=CLIENT_ID, redirect_uri=REDIRECT, scopes=SCOPES)
    endpoint = TokenEndpoint(s256(start.code_verifier))
    http = httpx.Client(transport=httpx.MockTransport(endpoint))
    with http, pytest.raises(AuthenticationError) as info:
        exchange_code(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri=REDIRECT,
            code_verifier="w" * 64,
            code="the-code-42",
            token_url=TOKEN_URL,
            http_client=http,
        )
    assert info.value.detail == "invalid_grant: PKCE"


@pytest.mark.asyncio
async def test_async_exchange_code() -> None:
    start = authorization_url(client_id=CLIENT_ID, redirect_uri=REDIRECT, scopes=SCOPES)
    endpoint = TokenEndpoint(s256(start.code_verifier))
    async with httpx.AsyncClient(transport=httpx.MockTransport(endpoint)) as http:
        token = await aexchange_code(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri=REDIRECT,
            code_verifier=start.code_verifier,
            code="the-code-42",
            token_url=TOKEN_URL,
            http_client=http,
        )
    assert token["refresh_token"] == REFRESH_TOKEN


@pytest.mark.parametrize(
    ("callback", "state", "error", "needle"),
    [
        (f"{REDIRECT}?code=c&state=other", "mine", RequestValidationError, "state"),
        (f"{REDIRECT}?state=mine", "mine", RequestValidationError, "code"),
        (f"{REDIRECT}?code=c&state=mine", None, RequestValidationError, "state"),
        (
            f"{REDIRECT}?error=access_denied&state=mine",
            "mine",
            AuthenticationError,
            "access_denied",
        ),
    ],
)
def test_callback_checks(
    callback: str, state: str | None, error: type[Exception], needle: str
) -> None:
    def never(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not be called
        raise AssertionError("the token endpoint must not be called")

    http = httpx.Client(transport=httpx.MockTransport(never))
    with http, pytest.raises(error, match=needle):
        exchange_code(
            client_id=CLIENT_ID,
            redirect_uri=REDIRECT,
            code_verifier="v" * 43,
            callback_url=callback,
            state=state,
            token_url=TOKEN_URL,
            http_client=http,
        )


def test_code_or_callback_not_both() -> None:
    with pytest.raises(RequestValidationError, match="either"):
        exchange_code(
            client_id=CLIENT_ID,
            redirect_uri=REDIRECT,
            code_verifier="v" * 43,
            code="c",
            callback_url=f"{REDIRECT}?code=c",
        )


# ---------------------------------------------------------------------- connections

CONNECTIONS = [
    {
        "id": "e1eede29-f875-4a5d-8470-17f6a29a88b1",
        "authEventId": "d99ecdfe-391d-43d2-b834-17636ba90e8d",
        "tenantId": TENANT,
        "tenantType": "ORGANISATION",
        "tenantName": "Maple Florists",
        "createdDateUtc": "2026-07-01T04:13:44.7828584",
        "updatedDateUtc": "2026-07-02T10:00:00Z",
    },
    {"id": "x", "tenantId": "t-2", "tenantType": "ORGANISATION", "tenantName": None},
]


def connections_api(request: httpx.Request) -> httpx.Response:
    assert str(request.url) == "https://api.xero.test/connections"
    assert "xero-tenant-id" not in request.headers
    assert request.headers["accept"] == "application/json"
    return httpx.Response(200, json=CONNECTIONS, headers={"x-appminlimit-remaining": "9999"})


def test_connections_lists_the_tenants() -> None:
    xero = Xero(api=[connections_api])
    with sync_client(xero, access_token=ACCESS_TOKEN, tenant_id=None) as client:
        found = client._connections()
    first, second = found
    assert first == Connection(
        id="e1eede29-f875-4a5d-8470-17f6a29a88b1",
        tenant_id=TENANT,
        tenant_type="ORGANISATION",
        tenant_name="Maple Florists",
        created_date_utc=datetime.datetime(2026, 7, 1, 4, 13, 44, 782858, tzinfo=datetime.UTC),
        updated_date_utc=datetime.datetime(2026, 7, 2, 10, 0, tzinfo=datetime.UTC),
    )
    assert (
        second.tenant_id == "t-2" and second.tenant_name is None and second.created_date_utc is None
    )
    assert xero.bearers == [f"Bearer {ACCESS_TOKEN}"]


@pytest.mark.asyncio
async def test_async_connections_and_their_errors() -> None:
    xero = Xero(api=[connections_api])
    async with async_client(xero, access_token=ACCESS_TOKEN) as client:
        assert [c.tenant_id for c in await client._connections()] == [TENANT, "t-2"]
    xero = Xero(api=[problem(401, "AuthenticationUnsuccessful")])
    async with async_client(xero, access_token=ACCESS_TOKEN) as client:
        with pytest.raises(AuthenticationError):
            await client._connections()


def test_connections_refresh_on_token_expired() -> None:
    xero = Xero(
        tokens=[token_json("CC-TOKEN-1-abcdefgh"), token_json("CC-TOKEN-2-abcdefgh")],
        api=[problem(401, "TokenExpired: token expired"), connections_api],
    )
    with sync_client(xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
        assert len(client._connections()) == 2
    assert xero.bearers == ["Bearer CC-TOKEN-1-abcdefgh", "Bearer CC-TOKEN-2-abcdefgh"]


def test_connections_answer_that_is_not_a_list() -> None:
    from xero_customer_api import XeroResponseError

    xero = Xero(api=[httpx.Response(200, json={"tenantId": "x"})])
    client = sync_client(xero, access_token=ACCESS_TOKEN)
    with client, pytest.raises(XeroResponseError, match="JSON list"):
        client._connections()


def test_base_url_path_is_replaced_for_connections() -> None:
    def api(request: httpx.Request) -> httpx.Response:
        assert str(request.url) == "http://127.0.0.1:8123/connections"
        return httpx.Response(200, json=[])

    client = V2Client(
        access_token=ACCESS_TOKEN,
        base_url="http://127.0.0.1:8123/api.xro/2.0/",
        http_client=httpx.Client(transport=httpx.MockTransport(api)),
    )
    with client:
        assert client._connections() == []
    assert client.base_url != BASE_URL

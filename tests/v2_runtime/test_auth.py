"""API 2.0 auth strategies: static token, client credentials, authorization code + refresh."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest
from xero_customer_api import AuthenticationError, RequestValidationError, XeroError

from .helpers import (
    ACCESS_TOKEN,
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_TENANT,
    REFRESH_TOKEN,
    TENANT,
    TOKEN_URL,
    AsyncV2Client,
    V2Client,
    Xero,
    async_client,
    basic,
    problem,
    sync_client,
    token_json,
)

EXPIRED = problem(401, "TokenExpired: token expired at 01/01/2001 00:00:00")


def stored_token(*, expires_at: float | None = None, access: str = ACCESS_TOKEN) -> dict[str, Any]:
    return {
        "access_token": access,
        "refresh_token": REFRESH_TOKEN,
        "token_type": "Bearer",
        "expires_at": int(time.time() + 1800) if expires_at is None else int(expires_at),
    }


# ---------------------------------------------------------------------- static access token


def test_access_token_sends_bearer_and_tenant_headers() -> None:
    xero = Xero()
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        raw = client.contacts()
    assert raw.parsed == "Response"
    (request,) = xero.api_requests
    assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.headers["xero-tenant-id"] == TENANT
    assert str(request.url) == BASE_URL + "Contacts"  # no keys in the query
    assert "idempotency-key" not in request.headers  # never on a GET
    assert xero.token_requests == []


@pytest.mark.asyncio
async def test_async_access_token_sends_bearer_and_tenant_headers() -> None:
    xero = Xero()
    async with async_client(xero, access_token=ACCESS_TOKEN) as client:
        await client.contacts()
    (request,) = xero.api_requests
    assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.headers["xero-tenant-id"] == TENANT


def test_per_call_tenant_overrides_the_clients() -> None:
    xero = Xero()
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        client.contacts(tenant_id=OTHER_TENANT)
        client.contacts()
    assert [r.headers["xero-tenant-id"] for r in xero.api_requests] == [OTHER_TENANT, TENANT]


def test_missing_tenant_is_refused_before_sending() -> None:
    xero = Xero()
    client = sync_client(xero, access_token=ACCESS_TOKEN, tenant_id=None)
    with pytest.raises(RequestValidationError, match="tenant_id"):
        client.contacts()
    client.contacts(tenant_id=TENANT)
    client.close()
    assert len(xero.api_requests) == 1


@pytest.mark.parametrize("bad", ["", "   ", "a\r\nX-Evil: 1", "x" * 101, 42])
def test_bad_tenant_is_refused(bad: Any) -> None:
    xero = Xero()
    with pytest.raises(RequestValidationError, match="tenant_id"):
        sync_client(xero, access_token=ACCESS_TOKEN, tenant_id=bad)
    with (
        sync_client(xero, access_token=ACCESS_TOKEN) as client,
        pytest.raises(RequestValidationError, match="tenant_id"),
    ):
        client.contacts(tenant_id=bad)
    assert xero.api_requests == []


def test_with_options_shares_pool_and_token_and_changes_tenant() -> None:
    xero = Xero(tokens=[token_json("CC-TOKEN-1-abcdefgh")])
    http = httpx.Client(transport=httpx.MockTransport(xero))
    client = V2Client(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant_id=TENANT,
        base_url=BASE_URL,
        token_url=TOKEN_URL,
        http_client=http,
    )
    other = client.with_options(tenant_id=OTHER_TENANT)
    assert other._http is client._http and other._auth is client._auth
    assert isinstance(other, V2Client)
    client.contacts()
    other.contacts()
    other.close()  # does not close the shared pool
    client.contacts()
    assert [r.headers["xero-tenant-id"] for r in xero.api_requests] == [
        TENANT,
        OTHER_TENANT,
        TENANT,
    ]
    assert len(xero.token_requests) == 1  # one token for both
    assert set(xero.bearers) == {"Bearer CC-TOKEN-1-abcdefgh"}
    http.close()


def test_with_options_refuses_a_bad_tenant() -> None:
    with (
        sync_client(Xero(), access_token=ACCESS_TOKEN) as client,
        pytest.raises(RequestValidationError, match="tenant_id"),
    ):
        client.with_options(tenant_id="")


def test_static_token_is_not_refreshed_on_401() -> None:
    xero = Xero(api=[EXPIRED])
    with (
        sync_client(xero, access_token=ACCESS_TOKEN) as client,
        pytest.raises(AuthenticationError) as info,
    ):
        client.contacts()
    assert info.value.detail == "TokenExpired: token expired at 01/01/2001 00:00:00"
    assert len(xero.api_requests) == 1
    assert xero.token_requests == []


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({}, "access_token"),
        ({"access_token": ""}, "access_token"),
        ({"access_token": "a b"}, "access_token"),
        ({"access_token": ACCESS_TOKEN, "token": {"access_token": "x"}}, "not both"),
        ({"access_token": ACCESS_TOKEN, "client_id": CLIENT_ID}, "client_id"),
        ({"client_id": CLIENT_ID}, "client_secret"),
        ({"client_secret": CLIENT_SECRET}, "client_id"),
        ({"token": {"refresh_token": REFRESH_TOKEN}}, "client_id"),
        ({"token": {}, "client_id": CLIENT_ID}, "refresh_token"),
        ({"token": "abc", "client_id": CLIENT_ID}, "mapping"),
        (
            {"token": {"access_token": "x", "expires_at": "soon"}, "client_id": CLIENT_ID},
            "expires_at",
        ),
        ({"access_token": ACCESS_TOKEN, "on_token_refresh": 3}, "callable"),
        ({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "scopes": "a b"}, "scopes"),
        (
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "token_url": "http://x.test/t",
            },
            "token_url",
        ),
    ],
)
def test_unusable_credentials_are_refused(options: dict[str, Any], needle: str) -> None:
    with pytest.raises(RequestValidationError, match=needle) as info:
        V2Client(tenant_id=TENANT, **options)
    assert CLIENT_SECRET not in str(info.value)


# ---------------------------------------------------------------------- client credentials


def test_client_credentials_fetches_a_token_with_basic_auth() -> None:
    xero = Xero(tokens=[token_json("CC-TOKEN-1-abcdefgh")])
    with sync_client(
        xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, scopes=["accounting.contacts"]
    ) as client:
        client.contacts()
        client.contacts()
    (token_call,) = xero.token_requests
    assert str(token_call.url) == TOKEN_URL
    assert token_call.method == "POST"
    assert token_call.headers["authorization"] == basic(CLIENT_ID, CLIENT_SECRET)
    assert token_call.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert xero.token_forms[0] == {
        "grant_type": "client_credentials",
        "scope": "accounting.contacts",
    }
    assert xero.bearers == ["Bearer CC-TOKEN-1-abcdefgh"] * 2


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the wall clock the token expiries are read against ``seconds`` ahead."""
    import time

    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + seconds)


def test_client_credentials_fetches_again_before_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    # 28 s later the first token (30 s) expires within the refresh leeway (a tenth of its
    # lifetime): the next call fetches a new one
    xero = Xero(
        tokens=[token_json("CC-TOKEN-1-abcdefgh", expires_in=30), token_json("CC-TOKEN-2-abcdefgh")]
    )
    seen: list[dict[str, Any]] = []
    with sync_client(
        xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, on_token_refresh=seen.append
    ) as client:
        client.contacts()
        later(monkeypatch, 28)
        client.contacts()
        client.contacts()
    assert xero.bearers == [
        "Bearer CC-TOKEN-1-abcdefgh",
        "Bearer CC-TOKEN-2-abcdefgh",
        "Bearer CC-TOKEN-2-abcdefgh",
    ]
    assert [t["access_token"] for t in seen] == ["CC-TOKEN-1-abcdefgh", "CC-TOKEN-2-abcdefgh"]
    assert all(isinstance(t["expires_at"], int) for t in seen)


@pytest.mark.asyncio
async def test_async_client_credentials_fetch_and_refetch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    xero = Xero(
        tokens=[token_json("CC-TOKEN-1-abcdefgh", expires_in=30), token_json("CC-TOKEN-2-abcdefgh")]
    )
    async with async_client(xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
        await client.contacts()
        later(monkeypatch, 28)
        await client.contacts()
    assert xero.bearers == ["Bearer CC-TOKEN-1-abcdefgh", "Bearer CC-TOKEN-2-abcdefgh"]
    assert xero.token_forms[1]["grant_type"] == "client_credentials"


def test_client_credentials_refetches_once_on_401_token_expired() -> None:
    xero = Xero(
        tokens=[token_json("CC-TOKEN-1-abcdefgh"), token_json("CC-TOKEN-2-abcdefgh")],
        api=[
            EXPIRED,
            httpx.Response(200, headers={"content-type": "text/xml"}, content=b"<Response/>"),
        ],
    )
    with sync_client(
        xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, max_retries=0
    ) as client:
        assert client.contacts().parsed == "Response"
    assert xero.bearers == ["Bearer CC-TOKEN-1-abcdefgh", "Bearer CC-TOKEN-2-abcdefgh"]


def test_token_endpoint_refusal_is_an_authentication_error() -> None:
    refused = httpx.Response(
        400, json={"error": "invalid_client", "error_description": "bad secret"}
    )
    xero = Xero(tokens=[refused])
    with (
        sync_client(xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client,
        pytest.raises(AuthenticationError) as info,
    ):
        client.contacts()
    assert info.value.detail == "invalid_client: bad secret"
    assert info.value.status_code == 400
    assert xero.api_requests == []


def test_token_endpoint_unreachable_is_a_connection_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    client = V2Client(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant_id=TENANT,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with pytest.raises(XeroError, match="token endpoint"):
        client.contacts()


# ---------------------------------------------------------------------- refresh tokens


def test_stored_token_is_used_until_it_expires() -> None:
    xero = Xero()
    with sync_client(
        xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token=stored_token()
    ) as client:
        client.contacts()
    assert xero.bearers == [f"Bearer {ACCESS_TOKEN}"]
    assert xero.token_requests == []


@pytest.mark.parametrize("secret", [CLIENT_SECRET, None], ids=["confidential", "pkce-public"])
def test_expired_token_is_refreshed_before_the_call(secret: str | None) -> None:
    rotated = token_json("ACCESS-TOKEN-two-abcdefg", refresh="REFRESH-token-0002-abcdefghijk")
    xero = Xero(tokens=[rotated])
    seen: list[dict[str, Any]] = []
    with sync_client(
        xero,
        client_id=CLIENT_ID,
        client_secret=secret,
        token=stored_token(expires_at=time.time() - 10),
        on_token_refresh=seen.append,
    ) as client:
        client.contacts()
        client.contacts()
    assert xero.bearers == ["Bearer ACCESS-TOKEN-two-abcdefg"] * 2
    form = xero.token_forms[0]
    assert form["grant_type"] == "refresh_token"
    assert form["refresh_token"] == REFRESH_TOKEN
    if secret is None:  # a public client identifies itself in the body
        assert form["client_id"] == CLIENT_ID
        assert "authorization" not in xero.token_requests[0].headers
    else:
        assert xero.token_requests[0].headers["authorization"] == basic(CLIENT_ID, secret)
    (new,) = seen
    assert new["refresh_token"] == "REFRESH-token-0002-abcdefghijk"
    assert new["access_token"] == "ACCESS-TOKEN-two-abcdefg"
    assert new["expires_at"] > time.time()


def test_refresh_without_a_new_refresh_token_keeps_the_old_one() -> None:
    xero = Xero(tokens=[token_json("ACCESS-TOKEN-two-abcdefg")])
    seen: list[dict[str, Any]] = []
    with sync_client(
        xero,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token=stored_token(expires_at=time.time() - 10),
        on_token_refresh=seen.append,
    ) as client:
        client.contacts()
    assert seen[0]["refresh_token"] == REFRESH_TOKEN


def test_refresh_once_on_401_token_expired_then_success() -> None:
    rotated = token_json("ACCESS-TOKEN-two-abcdefg", refresh="REFRESH-token-0002-abcdefghijk")
    ok = httpx.Response(200, headers={"content-type": "text/xml"}, content=b"<Response/>")
    xero = Xero(tokens=[rotated], api=[EXPIRED, ok])
    seen: list[dict[str, Any]] = []
    with sync_client(
        xero,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token=stored_token(),
        on_token_refresh=seen.append,
        max_retries=0,  # the refresh retry is not a fault retry
    ) as client:
        assert client.contacts().parsed == "Response"
    assert xero.bearers == [f"Bearer {ACCESS_TOKEN}", "Bearer ACCESS-TOKEN-two-abcdefg"]
    assert [t["refresh_token"] for t in seen] == ["REFRESH-token-0002-abcdefghijk"]


@pytest.mark.asyncio
async def test_async_refresh_once_on_401_token_expired_then_success() -> None:
    rotated = token_json("ACCESS-TOKEN-two-abcdefg", refresh="REFRESH-token-0002-abcdefghijk")
    ok = httpx.Response(200, headers={"content-type": "text/xml"}, content=b"<Response/>")
    xero = Xero(tokens=[rotated], api=[EXPIRED, ok])
    seen: list[dict[str, Any]] = []

    async def persist(token: dict[str, Any]) -> None:  # a coroutine callback is awaited
        await asyncio.sleep(0)
        seen.append(token)

    async with async_client(
        xero,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token=stored_token(),
        on_token_refresh=persist,
    ) as client:
        assert (await client.contacts()).parsed == "Response"
    assert xero.bearers == [f"Bearer {ACCESS_TOKEN}", "Bearer ACCESS-TOKEN-two-abcdefg"]
    assert [t["refresh_token"] for t in seen] == ["REFRESH-token-0002-abcdefghijk"]


def test_a_second_401_after_the_refresh_raises() -> None:
    xero = Xero(tokens=[token_json("ACCESS-TOKEN-two-abcdefg")], api=[EXPIRED])
    with (
        sync_client(
            xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token=stored_token()
        ) as client,
        pytest.raises(AuthenticationError, match="TokenExpired"),
    ):
        client.contacts()
    assert len(xero.api_requests) == 2
    assert len(xero.token_requests) == 1


def test_other_401s_are_not_refreshed() -> None:
    xero = Xero(
        tokens=[token_json("ACCESS-TOKEN-two-abcdefg")],
        api=[problem(401, "AuthenticationUnsuccessful")],
    )
    with (
        sync_client(
            xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token=stored_token()
        ) as client,
        pytest.raises(AuthenticationError) as info,
    ):
        client.contacts()
    assert info.value.detail == "AuthenticationUnsuccessful"
    assert xero.token_requests == []


def test_refused_refresh_raises_authentication_error() -> None:
    refused = httpx.Response(400, json={"error": "invalid_grant"})
    xero = Xero(tokens=[refused])
    with (
        sync_client(
            xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token=stored_token(expires_at=0)
        ) as client,
        pytest.raises(AuthenticationError, match="invalid_grant"),
    ):
        client.contacts()
    assert xero.api_requests == []


def test_a_failing_callback_is_reported_but_the_token_is_kept() -> None:
    xero = Xero(
        tokens=[token_json("ACCESS-TOKEN-two-abcdefg", refresh="REFRESH-token-0002-abcdefghijk")]
    )

    def broken(token: dict[str, Any]) -> None:
        raise OSError("database down")

    with sync_client(
        xero,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token=stored_token(expires_at=0),
        on_token_refresh=broken,
    ) as client:
        with pytest.raises(XeroError, match="on_token_refresh raised OSError: database down"):
            client.contacts()
        client.contacts()  # the new token is in use; no second refresh
    assert len(xero.token_requests) == 1
    assert xero.bearers == ["Bearer ACCESS-TOKEN-two-abcdefg"]


# ---------------------------------------------------------------------- concurrency


def test_many_threads_refresh_exactly_once() -> None:
    xero = Xero(
        tokens=[token_json("ACCESS-TOKEN-two-abcdefg", refresh="REFRESH-token-0002-abcdefghijk")],
        token_delay=0.05,
    )
    seen: list[dict[str, Any]] = []
    client = sync_client(
        xero,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token=stored_token(expires_at=0),
        on_token_refresh=seen.append,
    )
    start = threading.Barrier(16)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            client.contacts()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    assert errors == []
    assert len(xero.token_requests) == 1
    assert len(seen) == 1
    assert xero.bearers == ["Bearer ACCESS-TOKEN-two-abcdefg"] * 16


def test_many_threads_hitting_401_refresh_exactly_once() -> None:
    rotated = token_json("ACCESS-TOKEN-two-abcdefg", refresh="REFRESH-token-0002-abcdefghijk")
    xero = Xero(tokens=[rotated], token_delay=0.02)
    gate = threading.Barrier(8)

    def api(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}":
            gate.wait()  # every thread has sent the old token before anyone refreshes
            return EXPIRED
        return httpx.Response(200, headers={"content-type": "text/xml"}, content=b"<Response/>")

    xero.api = [api]
    client = sync_client(
        xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token=stored_token()
    )
    threads = [threading.Thread(target=client.contacts) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    assert len(xero.token_requests) == 1
    assert xero.bearers.count("Bearer ACCESS-TOKEN-two-abcdefg") == 8


@pytest.mark.asyncio
async def test_many_tasks_refresh_exactly_once() -> None:
    calls = 0
    rotated = token_json("ACCESS-TOKEN-two-abcdefg", refresh="REFRESH-token-0002-abcdefghijk")

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        if request.url.path.endswith("/connect/token"):
            calls += 1
            for _ in range(5):  # let the other tasks run while this refresh is in flight
                await asyncio.sleep(0)
            return httpx.Response(200, json=rotated)
        assert request.headers["authorization"] == "Bearer ACCESS-TOKEN-two-abcdefg"
        return httpx.Response(200, headers={"content-type": "text/xml"}, content=b"<Response/>")

    client = AsyncV2Client(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token=stored_token(expires_at=0),
        tenant_id=TENANT,
        base_url=BASE_URL,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    )
    async with client:
        results = await asyncio.gather(*(client.contacts() for _ in range(20)))
    assert all(r.parsed == "Response" for r in results)
    assert calls == 1


def test_rotated_tokens_do_not_grow_the_redaction_set_without_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from xero_customer_api._runtime import _secrets

    tokens = [
        token_json(
            f"ACCESS-rot-{i:04d}-abcdefgh", refresh=f"REFRESH-rot-{i:04d}-abcdefgh", expires_in=1
        )
        for i in range(40)
    ]
    xero = Xero(tokens=tokens)
    with sync_client(
        xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token=stored_token(expires_at=0)
    ) as client:
        client.contacts()
        held = client._auth.secrets
        size = len(held.forms)
        for n in range(30):
            later(monkeypatch, 2 * (n + 1))  # each call 2 s later: the 1 s tokens have expired
            client.contacts()  # so each call refreshes
        assert len(held.forms) <= size + 8
        current = xero.issued[-1]
        assert _secrets.redact(f"x {current} y") == "x *** y"  # the live token is still hidden
        assert held.redact(f"x {current} y") == "x *** y"
    assert len(xero.token_requests) == 31
    # closed: its token no longer masks anything outside its own calls
    assert _secrets.redact(f"x {current} y") == f"x {current} y"


def test_sync_client_refuses_a_coroutine_callback() -> None:
    async def persist(token: dict[str, Any]) -> None:  # pragma: no cover - never called
        pass

    with pytest.raises(RequestValidationError, match="coroutine function"):
        V2Client(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            tenant_id=TENANT,
            on_token_refresh=persist,
        )


def test_sync_client_reports_a_callback_returning_an_awaitable() -> None:
    async def persist(token: dict[str, Any]) -> None:  # pragma: no cover - closed, not run
        pass

    xero = Xero(tokens=[token_json("CC-TOKEN-1-abcdefgh")])
    with (
        sync_client(
            xero,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            on_token_refresh=lambda t: persist(t),
        ) as client,
        pytest.raises(XeroError, match="awaitable"),
    ):
        client.contacts()


def test_an_unreachable_token_endpoint_is_retried_like_a_connect_error(sleeps: list[float]) -> None:
    answers: list[httpx.Response | BaseException] = [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.Response(200, json=token_json("CC-TOKEN-1-abcdefgh")),
    ]
    api: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/connect/token"):
            answer = answers.pop(0)
            if isinstance(answer, BaseException):
                raise answer
            return answer
        api.append(request)
        return httpx.Response(200, headers={"content-type": "text/xml"}, content=b"<Response/>")

    client = V2Client(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant_id=TENANT,
        base_url=BASE_URL,
        token_url=TOKEN_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with client:
        client.put_contacts()  # a write too: it had not left when the token call failed
    assert len(api) == 1 and len(sleeps) == 1 and answers == []

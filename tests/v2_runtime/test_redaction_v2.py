"""Tokens, refresh tokens, client secrets, codes and verifiers never appear anywhere."""

from __future__ import annotations

import base64
import io
import logging
import time
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from xero_customer_api import AuthenticationError, XeroError, authorization_url, exchange_code
from xero_customer_api._runtime._base_client import TRACE

from .helpers import (
    ACCESS_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    REFRESH_TOKEN,
    TOKEN_URL,
    Xero,
    async_client,
    problem,
    sync_client,
    token_json,
)

NEW_ACCESS = "NEW-ACCESS-token-9876543210"
NEW_REFRESH = "NEW-REFRESH-token-5555555555"
CODE = "AUTH-CODE-abcdef-123456"
BASIC = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
SECRETS = (ACCESS_TOKEN, CLIENT_SECRET, REFRESH_TOKEN, NEW_ACCESS, NEW_REFRESH, CODE, BASIC)


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=1)
        self.stream = io.StringIO()
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(self.format(record) + "\n")


@pytest.fixture
def verbose() -> Iterator[Capture]:
    capture = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(1)
    named = [logging.getLogger(n) for n in ("httpx", "httpcore", "xero_customer_api")]
    old = [lg.level for lg in named]
    for lg in named:
        lg.setLevel(1)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
        for lg, level in zip(named, old, strict=True):
            lg.setLevel(level)


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def echo_body(request: httpx.Request) -> httpx.Response:
    # an API answer that quotes the token it got (worst case for the TRACE body log)
    auth = request.headers.get("authorization", "")
    body = f"<Response><Status>OK</Status><Echo>{auth}</Echo></Response>".encode()
    return httpx.Response(200, headers={"content-type": "text/xml"}, content=body)


def test_whole_oauth_flow_at_trace_level_leaks_nothing(verbose: Capture) -> None:
    assert logging.getLogger("xero_customer_api").isEnabledFor(TRACE)
    texts: list[str] = []
    xero = Xero(
        tokens=[token_json(NEW_ACCESS, refresh=NEW_REFRESH)],
        api=[problem(401, f"TokenExpired: {ACCESS_TOKEN} expired"), echo_body],
    )
    token = {
        "access_token": ACCESS_TOKEN,
        "refresh_token": REFRESH_TOKEN,
        "expires_at": int(time.time()) + 999,
    }
    seen: list[dict[str, Any]] = []
    with sync_client(
        xero,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token=token,
        on_token_refresh=seen.append,
    ) as client:
        texts += [repr(client), str(client), repr(client._auth)]
        raw = client.put_contacts()
    assert seen[0]["refresh_token"] == NEW_REFRESH  # the app gets the real values
    texts.append(verbose.stream.getvalue())
    assert "Echo" in verbose.stream.getvalue()  # the TRACE body log ran
    assert raw.parsed == "Response"
    for text in texts:
        assert leaks(text) == [], text


def test_token_endpoint_error_echoing_the_secret_is_redacted(verbose: Capture) -> None:
    refused = httpx.Response(
        401,
        json={"error": "invalid_client", "error_description": f"secret {CLIENT_SECRET} is wrong"},
    )
    xero = Xero(tokens=[refused])
    client = sync_client(xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    with client, pytest.raises(AuthenticationError) as info:
        client.contacts()
    error = info.value
    rendered = "".join(traceback.format_exception(error))
    for text in (str(error), repr(error), error.detail or "", rendered, verbose.stream.getvalue()):
        assert leaks(text) == [], text
    assert "***" in str(error)


def test_exchange_code_logs_and_errors_leak_nothing(verbose: Capture) -> None:
    start = authorization_url(
        client_id=CLIENT_ID, redirect_uri="https://app.test/cb", scopes=["offline_access"]
    )

    def endpoint(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400,
            json={
                "error": "invalid_grant",
                "error_description": f"code {CODE} used with {start.code_verifier}",
            },
        )

    http = httpx.Client(transport=httpx.MockTransport(endpoint))
    with http, pytest.raises(XeroError) as info:
        exchange_code(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri="https://app.test/cb",
            code_verifier=start.code_verifier,
            code=CODE,
            token_url=TOKEN_URL,
            http_client=http,
        )
    for text in (str(info.value), repr(start), verbose.stream.getvalue()):
        assert leaks(text) == [], text
        assert start.code_verifier not in text


@pytest.mark.asyncio
async def test_async_client_credentials_leak_nothing(verbose: Capture) -> None:
    xero = Xero(tokens=[token_json(NEW_ACCESS)], api=[echo_body])
    async with async_client(xero, client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
        await client.contacts()
        text = repr(client) + verbose.stream.getvalue()
    assert leaks(text) == []
    assert "client_secret='***'" in repr(client)


def test_reprs_mask_every_credential() -> None:
    with sync_client(Xero(), access_token=ACCESS_TOKEN) as client:
        assert "access_token='***'" in repr(client)
        assert "tenant_id=" in repr(client)  # not a secret
        assert leaks(repr(client) + repr(client._auth)) == []

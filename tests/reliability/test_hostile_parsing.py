"""Issue 20 item 12: every parse of every answer maps to the SDK's errors. Before: JSON nested
100k deep raised RecursionError (401/403 bodies, token answers, /connections); an
``expires_in`` of 1e999 or Infinity, or a 400-digit ``expires_at``, raised OverflowError (the
400-digit one on every later call of the client); ``<ErrorNumber>²</ErrorNumber>`` a
ValueError; a /connections date at 9999-12-31T23:59:59-23:59 an OverflowError."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx
import pytest
from xero_customer_api import (
    AuthenticationError,
    PermissionDeniedError,
    RequestValidationError,
    ValidationError,
    XeroClient,
    XeroError,
    XeroResponseError,
)

from .helpers import TENANT, sync_client

DEEP = b"[" * 200_000 + b"]" * 200_000
DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


def oauth_client(handler: Any, **extra: Any) -> XeroClient:
    return XeroClient(
        client_id="CLIENTID0123456789ABCDEF",
        client_secret="s3cr3t-CLIENT-SECRET-value-xyz",
        tenant_id=TENANT,
        max_retries=0,
        limiter=False,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        **extra,
    )


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
@pytest.mark.parametrize("status", [401, 403])
def test_deep_json_in_an_error_answer_is_the_sdks_error(body: bytes, status: int) -> None:
    answer = httpx.Response(status, content=body, headers={"content-type": "application/json"})
    with (
        sync_client(lambda request: answer) as client,
        pytest.raises((AuthenticationError, PermissionDeniedError)),
    ):
        client.contacts.list()


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
def test_deep_json_from_the_token_endpoint_and_connections(body: bytes) -> None:
    answer = httpx.Response(200, content=body, headers={"content-type": "application/json"})
    with oauth_client(lambda request: answer) as client, pytest.raises(XeroError) as caught:
        client.contacts.list()
    assert type(caught.value).__module__.startswith("xero_customer_api")
    with sync_client(lambda request: answer) as client, pytest.raises(XeroResponseError):
        client.connections()


def token(**fields: Any) -> bytes:
    return json.dumps(
        {"access_token": "access-token-0123456789", "token_type": "Bearer", **fields}
    ).encode()


@pytest.mark.parametrize(
    "body",
    [
        token(expires_in=1e999).replace(b"Infinity", b"1e999"),
        token(expires_in=float("inf")),  # json.dumps writes Infinity
        token(expires_in=-5),
        token(expires_in=10**400),
        token(expires_at=10**400),
        token(expires_at=float("nan")),
    ],
)
def test_token_lifetimes_are_finite_integers_in_a_sane_range(body: bytes) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/connect/token"):
            return httpx.Response(200, content=body, headers={"content-type": "application/json"})
        return httpx.Response(
            200,
            content=b"<Response><Status>OK</Status><Contacts/></Response>",
            headers={"content-type": "text/xml"},
        )

    with oauth_client(handler) as client:
        with contextlib.suppress(XeroError):  # refusing is fine; a built-in exception is not
            client.contacts.list()
        with contextlib.suppress(XeroError):  # and the client is not poisoned for later calls
            client.contacts.list()


@pytest.mark.parametrize("expires_at", [10**400, float("inf"), float("nan"), -(10**400)])
def test_a_stored_token_with_an_absurd_expiry_is_refused(expires_at: Any) -> None:
    with pytest.raises(RequestValidationError, match="expires_at"):
        XeroClient(
            client_id="CLIENTID0123456789ABCDEF",
            token={
                "access_token": "access-token-0123456789",
                "refresh_token": "refresh-token-0123",
                "expires_at": expires_at,
            },
            tenant_id=TENANT,
        )


@pytest.mark.parametrize("number", ["²", "١٢", "1_0", "9" * 5000])
def test_an_odd_error_number_is_read_as_none(number: str) -> None:
    body = (
        "<ApiException><ErrorNumber>" + number + "</ErrorNumber><Type>ValidationException</Type>"
        "<Message>A validation exception occurred</Message></ApiException>"
    ).encode()
    answer = httpx.Response(400, content=body, headers={"content-type": "text/xml"})
    with sync_client(lambda request: answer) as client, pytest.raises(ValidationError) as caught:
        client.contacts.list()
    assert caught.value.error_number is None


@pytest.mark.parametrize(
    "when", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "99999-01-01T00:00:00"]
)
def test_a_connections_date_out_of_range_is_the_sdks_error(when: str) -> None:
    body = json.dumps(
        [{"id": "c1", "tenantId": TENANT, "tenantType": "ORGANISATION", "createdDateUtc": when}]
    ).encode()
    answer = httpx.Response(200, content=body, headers={"content-type": "application/json"})
    with sync_client(lambda request: answer) as client:
        try:
            connections = client.connections()
        except XeroResponseError:
            return
    assert connections[0].created_date_utc is None

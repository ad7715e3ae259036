"""The generated 2.0 clients wire the runtime strategies: auth, tenants, streams, options."""

from __future__ import annotations

import httpx
import pytest
import xero_customer_api
from xero_customer_api import (
    AsyncXeroClient,
    AuthenticationError,
    RequestValidationError,
    XeroClient,
)
from xero_customer_api.v1_0 import XeroClient as V1Client

from .helpers import (
    ACCESS_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_TENANT,
    TENANT,
    TOKEN_URL,
    Xero,
    problem,
    token_json,
)

PAGE = (
    b'<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Id>x</Id><Status>OK</Status>'
    b"<Contacts><Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID><Name>A</Name></Contact>"
    b"</Contacts></Response>"
)


def pages(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/xml"}, content=PAGE)


def test_the_top_level_clients_are_2_0s() -> None:
    assert XeroClient is xero_customer_api.v2_0.XeroClient
    assert XeroClient._auth_style == "oauth2"
    assert XeroClient._error_style == "api-exception"
    assert XeroClient._retry_style == "idempotency-key"
    assert XeroClient._content_type == "application/xml"
    assert V1Client._retry_style == "safe-methods"
    assert AsyncXeroClient._auth_style == "oauth2"


def test_client_credentials_list_and_iter_carry_token_and_tenant() -> None:
    xero = Xero(tokens=[token_json("CC-TOKEN-1-abcdefgh")], api=[pages])
    client = XeroClient(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant_id=TENANT,
        token_url=TOKEN_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(xero)),
    )
    with client:
        assert [c.name for c in client.contacts.list()] == ["A"]
        assert [c.name for c in client.contacts.iter(page_size=10)] == ["A"]  # a short page: done
        client.contacts.list(tenant_id=OTHER_TENANT)
    assert len(xero.token_requests) == 1
    assert xero.bearers == ["Bearer CC-TOKEN-1-abcdefgh"] * 3
    assert [h["xero-tenant-id"] for h in xero.api_headers] == [TENANT, TENANT, OTHER_TENANT]
    assert xero.api_requests[0].url.host == "api.xero.com"  # the production default


def test_with_options_gives_resources_bound_to_the_new_tenant() -> None:
    xero = Xero(api=[pages])
    client = XeroClient(
        access_token=ACCESS_TOKEN,
        tenant_id=TENANT,
        http_client=httpx.Client(transport=httpx.MockTransport(xero)),
    )
    client.contacts.list()  # caches the resource on the first client
    other = client.with_options(tenant_id=OTHER_TENANT)
    assert isinstance(other, XeroClient)
    other.contacts.list()
    client.contacts.list()
    assert [h["xero-tenant-id"] for h in xero.api_headers] == [TENANT, OTHER_TENANT, TENANT]
    assert "***" in repr(other) and ACCESS_TOKEN not in repr(other)


def test_connections() -> None:
    def api(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/connections"
        return httpx.Response(200, json=[{"id": "c", "tenantId": TENANT, "tenantName": "Org"}])

    with XeroClient(
        access_token=ACCESS_TOKEN, http_client=httpx.Client(transport=httpx.MockTransport(api))
    ) as client:
        (connection,) = client.connections()
    assert connection.tenant_id == TENANT and connection.tenant_name == "Org"


@pytest.mark.asyncio
async def test_async_client_iter_and_connections() -> None:
    xero = Xero(tokens=[token_json("CC-TOKEN-1-abcdefgh")], api=[pages])
    client = AsyncXeroClient(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant_id=TENANT,
        token_url=TOKEN_URL,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(xero)),
    )
    async with client:
        names = [c.name async for c in client.contacts.iter(page_size=5)]
    assert names == ["A"]
    assert xero.bearers == ["Bearer CC-TOKEN-1-abcdefgh"]
    assert xero.api_headers[0]["xero-tenant-id"] == TENANT


def test_missing_tenant_is_refused_by_generated_methods() -> None:
    xero = Xero(api=[pages])
    with XeroClient(
        access_token=ACCESS_TOKEN, http_client=httpx.Client(transport=httpx.MockTransport(xero))
    ) as client:
        with pytest.raises(RequestValidationError, match="tenant_id"):
            client.contacts.list()
        with pytest.raises(RequestValidationError, match="tenant_id"):
            list(client.contacts.iter())
    assert xero.api_requests == []


def test_1_0_clients_take_no_tenant() -> None:
    client = V1Client(api_key="PARTNERKEY0123456789", customer_key="CUSTOMERKEY0123456789")
    with client, pytest.raises(RequestValidationError, match="no tenants"):
        client.with_options(tenant_id=TENANT)
    assert not hasattr(client, "connections")


def _expired_then_pages(request: httpx.Request) -> httpx.Response:
    if request.headers["authorization"] == "Bearer CC-TOKEN-1-abcdefgh":
        return problem(401, "TokenExpired: token expired at 01/01/2001 00:00:00")
    return pages(request)


def test_iter_renews_once_on_token_expired() -> None:
    xero = Xero(
        tokens=[token_json("CC-TOKEN-1-abcdefgh"), token_json("CC-TOKEN-2-abcdefgh")],
        api=[_expired_then_pages],
    )
    client = XeroClient(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant_id=TENANT,
        token_url=TOKEN_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(xero)),
    )
    with client:
        assert [c.name for c in client.contacts.iter(page_size=10)] == ["A"]
    assert xero.bearers == ["Bearer CC-TOKEN-1-abcdefgh", "Bearer CC-TOKEN-2-abcdefgh"]


def test_iter_does_not_renew_twice() -> None:
    xero = Xero(
        tokens=[token_json("CC-TOKEN-1-abcdefgh")],  # the "new" token is the same expired one
        api=[_expired_then_pages],
    )
    client = XeroClient(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant_id=TENANT,
        token_url=TOKEN_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(xero)),
    )
    with client, pytest.raises(AuthenticationError, match="TokenExpired"):
        list(client.contacts.iter())
    assert len(xero.api_requests) == 2


@pytest.mark.asyncio
async def test_async_iter_renews_once_on_token_expired() -> None:
    xero = Xero(
        tokens=[token_json("CC-TOKEN-1-abcdefgh"), token_json("CC-TOKEN-2-abcdefgh")],
        api=[_expired_then_pages],
    )
    client = AsyncXeroClient(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        tenant_id=TENANT,
        token_url=TOKEN_URL,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(xero)),
    )
    async with client:
        assert [c.name async for c in client.contacts.iter(page_size=10)] == ["A"]
    assert xero.bearers[-1] == "Bearer CC-TOKEN-2-abcdefgh"

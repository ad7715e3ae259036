"""Issue 21 items 1, 3 and 4 against the sandbox over real sockets: ``client.request``,
``revoke_token`` (method and function) and ``disconnect``, and the messages of a 404, a
wrong tenant and a wrong ``base_url``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from lxml import etree
from xero_customer_api import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    XeroClient,
    XeroError,
    XeroResponseError,
    revoke_token,
)
from xero_sandbox.identity import REVOCATION_PATH
from xero_sandbox.process import RunningSandbox

from tests.limits.orgs import _connect

Factory = Callable[..., XeroClient]


@pytest.fixture
def http(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(verify=sandbox.verify()) as client:
        yield client


@pytest.fixture
def v2(sandbox: RunningSandbox, http: httpx.Client) -> Factory:
    def make(**overrides: Any) -> XeroClient:
        options: dict[str, Any] = {
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
            "tenant_id": sandbox.tenant_id,
            "token_url": sandbox.token_url,
            "base_url": sandbox.v2_base_url,
            "http_client": http,
            **overrides,
        }
        return XeroClient(**options)

    return make


def test_request_reaches_xero_paths_with_the_clients_auth(v2: Factory) -> None:
    client = v2()
    raw = client.request("GET", "Contacts", params={"page": 1})
    assert raw.status_code == 200
    assert isinstance(raw.parsed, etree._Element)
    assert raw.parsed.tag == "Response"
    assert raw.parsed.find("Contacts") is not None
    accounts = client.request("GET", "Accounts", params={"where": 'Type=="BANK"'})
    assert isinstance(accounts.parsed, etree._Element)
    types = {a.text for a in accounts.parsed.iterfind("Accounts/Account/Type")}
    assert types == {"BANK"}
    assert raw.rate_limit.minute_remaining is not None
    # a JSON path of the host: bytes, and no tenant needed
    connections = client.request("GET", "/connections", headers={"Accept": "application/json"})
    assert isinstance(connections.parsed, bytes) and b"tenantId" in connections.parsed
    with pytest.raises(NotFoundError):
        client.request("GET", "Invoices/00000000-0000-4000-8000-00000000dead")


def test_messages_name_what_was_asked_and_what_to_check(
    v2: Factory, sandbox: RunningSandbox
) -> None:
    client = v2()
    with pytest.raises(NotFoundError) as missing:
        client.invoices.get(invoice_number="NO-SUCH-INVOICE")
    assert str(missing.value).startswith(
        "no invoice with invoice_number='NO-SUCH-INVOICE' in this organisation"
    )
    with pytest.raises(PermissionDeniedError) as wrong_tenant:
        client.contacts.list(tenant_id="00000000-0000-4000-8000-000000000000")
    assert "check `tenant_id`" in str(wrong_tenant.value)
    # the host root (the sandbox's own 404 page) instead of the API
    with pytest.raises(XeroError) as root:
        v2(base_url=sandbox.root_url + "/nowhere/").invoices.get(invoice_number="INV-1")
    assert type(root.value) is XeroResponseError
    assert "not Xero's API: check base_url" in str(root.value)


def test_disconnect_takes_the_organisation_from_the_apps_tokens(
    v2: Factory,
    sandbox: RunningSandbox,
    http: httpx.Client,
    add_org: Callable[[str], tuple[str, str]],
) -> None:
    _, tenant = add_org("Disconnect Me Ltd")
    token = _connect(sandbox, http, tenant)
    client = v2(token=token, tenant_id=tenant)
    assert client.contacts.list(page=1) is not None
    (connection,) = [c for c in client.connections() if c.tenant_id == tenant]
    client.disconnect(connection.id)
    assert tenant not in [c.tenant_id for c in client.connections()]
    with pytest.raises(PermissionDeniedError, match=r"client\.connections"):
        client.contacts.list(page=1)
    with pytest.raises(NotFoundError, match="no connection with connection_id="):
        client.disconnect(connection.id)  # gone already


def test_revoke_token_ends_the_refresh_token_and_its_access_token(
    v2: Factory,
    sandbox: RunningSandbox,
    http: httpx.Client,
    add_org: Callable[[str], tuple[str, str]],
) -> None:
    _, tenant = add_org("Revoke Me Ltd")
    token = _connect(sandbox, http, tenant)
    client = v2(token=token, tenant_id=tenant)
    client.contacts.list(page=1)
    client.revoke_token()
    with pytest.raises(XeroError, match="revoked"):
        client.contacts.list(page=1)  # the client forgot the token
    # Xero (the sandbox) refuses both parts now
    again = v2(token=token, tenant_id=tenant)
    with pytest.raises(AuthenticationError):
        again.contacts.list(page=1)


def test_the_function_form_revokes_a_stored_token(
    v2: Factory,
    sandbox: RunningSandbox,
    http: httpx.Client,
    add_org: Callable[[str], tuple[str, str]],
) -> None:
    _, tenant = add_org("Revoke By Function Ltd")
    token = _connect(sandbox, http, tenant)
    revoke_token(
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        token=token,
        revocation_url=urljoin(sandbox.root_url, REVOCATION_PATH),
        http_client=http,
    )
    with pytest.raises(AuthenticationError):
        v2(token=token, tenant_id=tenant).contacts.list(page=1)

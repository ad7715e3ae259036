"""Issue 21 items 1, 3 and 4 on a fake transport: messages that say what to do, the
``client.request`` escape hatch, and OAuth housekeeping (revoke, disconnect, typed token).
"""

from __future__ import annotations

import asyncio
import base64
import logging
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from lxml import etree
from xero_customer_api import (
    AsyncXeroClient,
    NotFoundError,
    PermissionDeniedError,
    RequestValidationError,
    ValidationError,
    XeroClient,
    XeroError,
    XeroResponseError,
    arevoke_token,
    exchange_code,
    field,
    revoke_token,
)

TENANT = "a3b1c2d4-0000-4e5f-9a8b-7c6d5e4f3a2b"
ACCESS = "eyJhbGciOi.ACCESS-TOKEN-surface-1234567890"
REFRESH = "REFRESH-token-surface-abcdefghijk"
CLIENT_ID = "CLIENTID0123456789ABCDEF"
SECRET = "s3cr3t-CLIENT-SECRET-value-xyz"
BASE = "https://api.xero.com/api.xro/2.0/"
XML = {"content-type": "text/xml; charset=utf-8"}
NOT_FOUND = b"The resource you're looking for cannot be found"
ENVELOPE = (
    b"<Response><Id>6c1f0b0e-3f7a-4a55-9e62-1c5d2c3b4a59</Id><Status>OK</Status>"
    b"<ProviderName>App</ProviderName><DateTimeUTC>2026-07-01T04:13:44Z</DateTimeUTC>"
    b"<Contacts><Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID>"
    b"<Name>Red House Reads</Name></Contact></Contacts></Response>"
)

Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler, **options: Any) -> XeroClient:
    options.setdefault("access_token", ACCESS)
    options.setdefault("tenant_id", TENANT)
    options.setdefault("limiter", None)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return XeroClient(http_client=http, **options)


def aclient(handler: Handler, **options: Any) -> AsyncXeroClient:
    options.setdefault("access_token", ACCESS)
    options.setdefault("tenant_id", TENANT)
    options.setdefault("limiter", None)
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return AsyncXeroClient(http_client=http, **options)


def not_found(request: httpx.Request) -> httpx.Response:
    return httpx.Response(404, headers={"content-type": "text/html"}, content=NOT_FOUND)


# ---------------------------------------------------------------------- item 1: messages


def test_a_404_names_the_argument_and_the_value() -> None:
    with client(not_found) as xero:
        with pytest.raises(NotFoundError) as by_number:
            xero.invoices.get(invoice_number="INV-0404")
        invoice_id = "0f0e0d0c-0b0a-4909-8807-060504030201"
        with pytest.raises(NotFoundError) as by_id:
            xero.invoices.get(invoice_id=uuid.UUID(invoice_id))
        with pytest.raises(NotFoundError) as contact:
            xero.contacts.get(contact_id=invoice_id)
    message = str(by_number.value)
    assert message.startswith("no invoice with invoice_number='INV-0404' in this organisation")
    assert "GET Invoices/INV-0404" in message and "cannot be found" in message
    assert by_number.value.status_code == 404  # same class, same attributes
    assert f"no invoice with invoice_id='{invoice_id}'" in str(by_id.value)
    assert f"no contact with contact_id='{invoice_id}'" in str(contact.value)


def test_a_404_names_the_argument_on_the_async_client() -> None:
    async def main() -> str:
        async with aclient(not_found) as xero:
            with pytest.raises(NotFoundError) as info:
                await xero.invoices.get(invoice_number="INV-9")
        return str(info.value)

    assert asyncio.run(main()).startswith("no invoice with invoice_number='INV-9'")


def test_a_host_root_answering_html_is_a_wrong_base_url_not_a_missing_invoice() -> None:
    page = b"<!doctype html>\n<html><head><title>404 Not Found</title></head><body></body></html>"

    def host_root(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, headers={"content-type": "text/html"}, content=page)

    with (
        client(host_root, base_url="https://example.com/") as xero,
        pytest.raises(XeroError) as info,
    ):
        xero.invoices.get(invoice_number="INV-0001")
    assert type(info.value) is XeroResponseError
    assert "was an HTML page ('404 Not Found'), not Xero's API: check base_url" in str(info.value)
    assert "invoice_number" not in str(info.value)


@pytest.mark.parametrize("bad", ["abc", "", "4c76ffb5-02e7-47c5-9a86-b0a5a35d168", 42])
def test_a_tenant_id_that_is_not_a_guid_is_refused_before_sending(bad: object) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, headers=XML, content=ENVELOPE)

    with pytest.raises(RequestValidationError, match=r"`tenant_id` must be .* a GUID"):
        client(record, tenant_id=bad)
    with client(record) as xero:
        with pytest.raises(RequestValidationError, match=r"client\.connections\(\) lists"):
            xero.contacts.list(tenant_id=bad)  # type: ignore[arg-type]
        with pytest.raises(RequestValidationError, match="a GUID"):
            xero.with_options(tenant_id=bad)  # type: ignore[arg-type]
    assert sent == []
    if bad == "abc":
        with pytest.raises(RequestValidationError, match="got 'abc'"):
            client(record, tenant_id=bad)


def test_a_tenant_id_may_be_a_uuid_everywhere() -> None:
    seen: list[str] = []
    other = uuid.UUID("b4c2d3e5-1111-4f60-8b9c-8d7e6f5a4b3c")

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["xero-tenant-id"])
        return httpx.Response(200, headers=XML, content=ENVELOPE)

    with client(record, tenant_id=uuid.UUID(TENANT)) as xero:
        xero.contacts.list()
        xero.with_options(tenant_id=other).contacts.list()
        xero.contacts.list(tenant_id=TENANT.upper())
    assert seen == [TENANT, str(other), TENANT]


def test_a_403_for_the_tenant_hints_at_tenant_id_and_connections() -> None:
    def forbidden(request: httpx.Request) -> httpx.Response:
        body = {"Title": "Forbidden", "Status": 403, "Detail": "AuthenticationUnsuccessful"}
        return httpx.Response(403, json=body)

    with client(forbidden) as xero, pytest.raises(PermissionDeniedError) as info:
        xero.contacts.list()
    assert "AuthenticationUnsuccessful" in str(info.value)
    assert "check `tenant_id`" in str(info.value)
    assert "client.connections()" in str(info.value)


def test_where_given_a_number_says_what_where_takes() -> None:
    with client(not_found) as xero, pytest.raises(RequestValidationError) as info:
        xero.invoices.list(where=123)  # type: ignore[arg-type]
    assert "`where` takes a string" in str(info.value)
    assert "field(...) expression" in str(info.value)
    assert "got a int: 123" in str(info.value)
    # and the builder it names works as shown
    assert 'where=field("Status").eq("AUTHORISED")' in str(info.value)
    assert str(field("Status").eq("AUTHORISED")) == 'Status=="AUTHORISED"'


def test_a_wait_on_retry_after_is_logged_at_info(caplog: pytest.LogCaptureFixture) -> None:
    answers = [
        httpx.Response(
            429, headers={"retry-after": "1", "x-rate-limit-problem": "minute"}, content=b""
        ),
        httpx.Response(200, headers=XML, content=ENVELOPE),
    ]

    def limited(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    caplog.set_level(logging.INFO, logger="xero_customer_api")
    with client(limited, max_retry_after=5) as xero:
        xero.contacts.list()
    infos = [r for r in caplog.records if r.levelno == logging.INFO]
    assert len(infos) == 1
    text = infos[0].getMessage()
    assert "waiting 1 s before retrying GET Contacts" in text
    assert "429 (the minute limit) with Retry-After 1" in text


def test_other_retries_stay_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    answers = [
        httpx.Response(503, content=b"busy"),
        httpx.Response(200, headers=XML, content=ENVELOPE),
    ]
    caplog.set_level(logging.INFO, logger="xero_customer_api")
    with client(lambda request: answers.pop(0)) as xero:
        xero.contacts.list()
    assert [r for r in caplog.records if r.levelno >= logging.INFO] == []


# ---------------------------------------------------------------------- item 3: request()


def test_request_sends_with_the_clients_auth_tenant_and_returns_the_xml_root() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, headers=XML, content=ENVELOPE)

    with client(record) as xero:
        raw = xero.request("GET", "Contacts", params={"page": 1, "includeArchived": True})
    assert isinstance(raw.parsed, etree._Element)
    assert raw.parsed.findtext("Contacts/Contact/Name") == "Red House Reads"
    assert raw.status_code == 200 and raw.content == ENVELOPE
    (request,) = sent
    assert str(request.url) == BASE + "Contacts?page=1&includeArchived=true"
    assert request.headers["authorization"] == f"Bearer {ACCESS}"
    assert request.headers["xero-tenant-id"] == TENANT


def test_request_writes_carry_an_idempotency_key_and_are_retried_with_it() -> None:
    sent: list[httpx.Request] = []
    answers = [
        httpx.Response(503, content=b"busy"),
        httpx.Response(200, headers=XML, content=ENVELOPE),
    ]

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answers.pop(0)

    body = "<Contacts><Contact><Name>A</Name></Contact></Contacts>"
    with client(record) as xero:
        xero.request("PUT", "Contacts", content=body, idempotency_key="key-1")
    assert [r.headers["idempotency-key"] for r in sent] == ["key-1", "key-1"]
    assert sent[0].content == body.encode()
    assert sent[0].headers["content-type"] == "application/xml"


def test_request_answers_other_than_xml_are_bytes_and_errors_are_the_sdks() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/Invoices/INV-1"):
            return httpx.Response(200, headers={"content-type": "application/pdf"}, content=b"%PDF")
        if request.url.path.endswith("/Bad"):
            api_exception = (
                b"<ApiException><ErrorNumber>10</ErrorNumber><Type>ValidationException</Type>"
                b"<Message>A validation exception occurred</Message></ApiException>"
            )
            return httpx.Response(400, headers=XML, content=api_exception)
        return not_found(request)

    with client(answer) as xero:
        pdf = xero.request("GET", "Invoices/INV-1", headers={"Accept": "application/pdf"})
        assert pdf.parsed == b"%PDF"
        with pytest.raises(ValidationError, match="A validation exception occurred"):
            xero.request("POST", "Bad", content=b"<x/>")
        with pytest.raises(NotFoundError):
            xero.request("GET", "Nowhere")


def test_request_parses_xml_safely() -> None:
    bomb = b'<!DOCTYPE r [<!ENTITY a "aaaa">]><Response>&a;</Response>'
    with (
        client(lambda request: httpx.Response(200, headers=XML, content=bomb)) as xero,
        pytest.raises(XeroResponseError, match=r"unsafe|DOCTYPE"),
    ):
        xero.request("GET", "Contacts")


def test_request_refuses_other_hosts_and_the_sdks_own_headers() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, headers=XML, content=ENVELOPE)

    with client(record) as xero:
        with pytest.raises(RequestValidationError, match=r"another host.*token and tenant"):
            xero.request("GET", "https://evil.example/api.xro/2.0/Contacts")
        with pytest.raises(RequestValidationError, match="another host"):
            xero.request("GET", "//evil.example/Contacts")
        with pytest.raises(RequestValidationError, match=r"Authorization.*SDK's to send"):
            xero.request("GET", "Contacts", headers={"Authorization": "Bearer other"})
        with pytest.raises(RequestValidationError, match="give `tenant_id=`"):
            xero.request("GET", "Contacts", headers={"Xero-Tenant-Id": TENANT})
        with pytest.raises(RequestValidationError, match="`method` must be one of"):
            xero.request("PATCH", "Contacts")
        with pytest.raises(RequestValidationError, match="give `params=`"):
            xero.request("GET", "Contacts?page=1")
        with pytest.raises(RequestValidationError, match="`content` must be bytes or str"):
            xero.request("POST", "Contacts", content={"a": 1})  # type: ignore[arg-type]
        # the same host, absolute, is fine; /connections is sent without a tenant
        xero.request("GET", BASE + "Contacts")
        xero.request("GET", "/connections", headers={"Accept": "application/json"})
    assert [str(r.url) for r in sent] == [BASE + "Contacts", "https://api.xero.com/connections"]
    assert "xero-tenant-id" not in sent[1].headers


def test_request_async() -> None:
    async def main() -> bytes:
        async with aclient(
            lambda request: httpx.Response(200, headers=XML, content=ENVELOPE)
        ) as xero:
            raw = await xero.request("GET", "Contacts", params=[("page", 2)])
        assert isinstance(raw.parsed, etree._Element)
        return raw.content

    assert asyncio.run(main()) == ENVELOPE


# ---------------------------------------------------------------------- item 4: OAuth


class Identity:
    """A fake identity server: token and revocation endpoints, and /connections."""

    def __init__(self) -> None:
        self.revoked: list[dict[str, str]] = []
        self.deleted: list[str] = []
        self.auth: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/connect/revocation":
            self.auth.append(request.headers.get("authorization", ""))
            self.revoked.append(dict(parse_qsl(request.content.decode())))
            return httpx.Response(200)
        if path == "/connect/token":
            return httpx.Response(
                200,
                json={
                    "access_token": ACCESS,
                    "refresh_token": REFRESH,
                    "expires_in": 1800,
                    "token_type": "Bearer",
                    "scope": "accounting.contacts offline_access",
                },
            )
        if path.startswith("/connections/") and request.method == "DELETE":
            self.deleted.append(path.rsplit("/", 1)[1])
            if self.deleted[-1] == "00000000-0000-4000-8000-000000000000":
                return not_found(request)
            assert "xero-tenant-id" not in request.headers
            return httpx.Response(204)
        return httpx.Response(200, headers=XML, content=ENVELOPE)


def test_revoke_token_revokes_the_refresh_token_and_forgets_it() -> None:
    identity = Identity()
    token = {"access_token": ACCESS, "refresh_token": REFRESH, "expires_at": 4_000_000_000}
    with client(
        identity,
        access_token=None,
        token=token,
        client_id=CLIENT_ID,
        client_secret=SECRET,
        token_url="https://identity.xero.com/connect/token",
    ) as xero:
        xero.revoke_token()
        with pytest.raises(XeroError, match="revoked"):
            xero.contacts.list()
    assert identity.revoked == [{"token": REFRESH, "token_type_hint": "refresh_token"}]
    basic = base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
    assert identity.auth == [f"Basic {basic}"]


def test_revoke_token_needs_the_apps_credentials() -> None:
    with client(Identity()) as xero, pytest.raises(RequestValidationError, match="client_id"):
        xero.revoke_token()


def test_revoke_token_refused_is_an_authentication_error() -> None:
    from xero_customer_api import AuthenticationError

    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": "invalid_client"})

    with (
        client(
            refuse,
            access_token=None,
            client_id=CLIENT_ID,
            client_secret=SECRET,
            token={"refresh_token": REFRESH},
        ) as xero,
        pytest.raises(AuthenticationError, match=r"revocation endpoint.*invalid_client"),
    ):
        xero.revoke_token()


def test_the_function_form_revokes_a_stored_token_dict_or_a_string() -> None:
    identity = Identity()
    http = httpx.Client(transport=httpx.MockTransport(identity))
    revoke_token(
        client_id=CLIENT_ID,
        client_secret=SECRET,
        token={"access_token": ACCESS, "refresh_token": REFRESH},
        http_client=http,
    )
    revoke_token(
        client_id=CLIENT_ID, token=ACCESS, token_type_hint="access_token", http_client=http
    )
    assert identity.revoked == [
        {"token": REFRESH, "token_type_hint": "refresh_token"},
        {"token": ACCESS, "token_type_hint": "access_token", "client_id": CLIENT_ID},
    ]
    with pytest.raises(RequestValidationError, match="`token`"):
        revoke_token(client_id=CLIENT_ID, token={}, http_client=http)

    async def main() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(identity)) as ahttp:
            await arevoke_token(
                client_id=CLIENT_ID, client_secret=SECRET, token=REFRESH, http_client=ahttp
            )

    asyncio.run(main())
    assert identity.revoked[-1] == {"token": REFRESH, "token_type_hint": "refresh_token"}


def test_disconnect_deletes_the_connection() -> None:
    identity = Identity()
    connection = "6f5e4d3c-2b1a-4098-8776-655443322110"
    with client(identity) as xero:
        xero.disconnect(uuid.UUID(connection))
        with pytest.raises(NotFoundError, match="no connection with connection_id="):
            xero.disconnect("00000000-0000-4000-8000-000000000000")
        with pytest.raises(RequestValidationError, match=r"Connection.id"):
            xero.disconnect("not-a-guid")
    assert identity.deleted == [connection, "00000000-0000-4000-8000-000000000000"]

    async def main() -> None:
        async with aclient(identity) as axero:
            await axero.disconnect(connection)

    asyncio.run(main())
    assert identity.deleted[-1] == connection


def test_exchange_code_returns_a_typed_token_that_is_a_dict() -> None:
    http = httpx.Client(transport=httpx.MockTransport(Identity()))
    token = exchange_code(
        client_id=CLIENT_ID,
        client_secret=SECRET,
        redirect_uri="https://app.example.com/cb",
        code_verifier="v" * 43,
        code="CODE-1234567890",
        token_url="https://identity.xero.com/connect/token",
        http_client=http,
    )
    assert type(token) is dict  # stored as JSON, given back as token=...
    assert token["refresh_token"] == REFRESH and token["scope"].split()[-1] == "offline_access"
    assert isinstance(token["expires_at"], int)


def test_revoke_token_on_the_async_client() -> None:
    identity = Identity()

    async def main() -> None:
        async with aclient(
            identity,
            access_token=None,
            token={"access_token": ACCESS, "refresh_token": REFRESH, "expires_at": 4_000_000_000},
            client_id=CLIENT_ID,
        ) as xero:
            await xero.revoke_token()
            with pytest.raises(XeroError, match="revoked"):
                await xero.contacts.list()

    asyncio.run(main())
    # a PKCE public client: its client id in the body, no Basic credentials
    assert identity.revoked == [
        {"token": REFRESH, "token_type_hint": "refresh_token", "client_id": CLIENT_ID}
    ]
    assert identity.auth == [""]


def test_a_client_credentials_client_fetches_a_new_token_after_revoking() -> None:
    identity = Identity()
    with client(identity, access_token=None, client_id=CLIENT_ID, client_secret=SECRET) as xero:
        xero.contacts.list()
        xero.revoke_token()
        xero.contacts.list()  # a custom connection simply asks for a new token
    assert identity.revoked == [{"token": REFRESH, "token_type_hint": "refresh_token"}]

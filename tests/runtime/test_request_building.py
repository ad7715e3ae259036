"""Requests carry the same headers and query whether the SDK owns the HTTP client or not."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest
from xero_customer_api import RequestValidationError, XeroError
from xero_customer_api._runtime._auth import AuthScheme
from xero_customer_api._runtime._types import NOT_GIVEN
from xero_customer_api.v1_0 import XeroClient, models

from .helpers import (
    API_KEY,
    CUSTOMER_KEY,
    ENDPOINTS,
    INVOICES_OK,
    Call,
    Recorder,
    async_client,
    ok,
    sync_client,
)


@pytest.mark.parametrize("own", [True, False], ids=["own http client", "user's http client"])
@pytest.mark.parametrize("with_body", [False, True], ids=["GET", "PUT"])
def test_headers_and_query(own: bool, with_body: bool) -> None:
    http = None if own else httpx.Client(headers={"X-Custom": "1"})
    client = XeroClient(
        api_key="PARTNER" * 3, customer_key="CUSTOMER" * 3, base_url="https://x.test/api.xro/1.0",
        http_client=http,
    )  # fmt: skip
    with client:
        for _ in range(2):  # the second call uses the joined-URL cache
            request = client._build_request(
                "PUT" if with_body else "GET",
                "contact",
                [("page", "2"), ("where", None)],
                models.Contact(name="A") if with_body else None,
                NOT_GIVEN,
            )
            assert str(request.url).startswith("https://x.test/api.xro/1.0/contact?")
            assert list(request.url.params.multi_items()) == [
                ("apiKey", "PARTNER" * 3),
                ("xeroKey", "CUSTOMER" * 3),
                ("page", "2"),
            ]
            assert request.headers["Accept"] == "text/xml, application/xml"
            assert request.headers["User-Agent"] == "xero-customer-api-python"
            assert request.headers.get_list("Accept") == ["text/xml, application/xml"]
            assert ("Content-Type" in request.headers) is with_body
            if with_body:
                assert request.headers["Content-Type"] == "text/xml; charset=utf-8"
            assert ("X-Custom" in request.headers) is (not own)
    if http is not None:
        http.close()


# ---------------------------------------------------------------------------- httpx build errors


def test_a_parameter_too_long_for_a_url_is_refused_naming_it() -> None:
    rec = Recorder(ok())
    with sync_client(rec) as client, pytest.raises(RequestValidationError) as info:
        client.contacts.get(contact_number="A" * 70000)
    assert rec.count == 0
    (problem,) = info.value.problems
    assert problem.startswith("the query parameter `contactNumber` is too long to send in a URL")
    assert "70,000 characters" in problem
    assert not isinstance(info.value.__cause__, httpx.InvalidURL) or (
        info.value.__cause__.__traceback__ is not None
    )


def test_a_value_too_long_only_once_encoded_is_refused() -> None:
    rec = Recorder(ok(INVOICES_OK))
    with sync_client(rec) as client, pytest.raises(RequestValidationError) as info:
        client.invoices.list(modified_since=datetime.date(2024, 1, 1))  # short: sent
        client.invoices.get(invoice_number="N" * 40000 + "\u00e9" * 10000)  # 100,000 encoded
    assert "`invoiceNumber` is too long to send in a URL (50,000 characters" in info.value.message
    assert rec.count == 1


class BadHeaderAuth(AuthScheme):
    """An authentication scheme whose header cannot be sent (a token with a line break)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def query_params(self) -> list[tuple[str, str | None]]:
        return [("apiKey", API_KEY), ("xeroKey", CUSTOMER_KEY)]

    def headers(self) -> dict[str, str]:
        return {"Authorization": self.value}


@pytest.mark.parametrize(
    "value",
    ["Bearer abc\r\nX-Evil: 1", "Bearer caf\u00e9", "Bearer \x00"],
    ids=["crlf", "non-ascii", "nul"],
)
@pytest.mark.parametrize("call", [c for _, _, _, c in ENDPOINTS], ids=[n for n, *_ in ENDPOINTS])
def test_every_endpoint_refuses_an_unsendable_header(value: str, call: Call) -> None:
    rec = Recorder(ok())
    with sync_client(rec) as client:
        client._auth = BadHeaderAuth(value)  # type: ignore[assignment]
        with pytest.raises(RequestValidationError) as info:
            call(client)
    assert rec.count == 0
    assert "header `Authorization`" in info.value.message
    assert value not in info.value.message and "Bearer" not in info.value.message


def test_the_stream_path_refuses_what_cannot_be_built() -> None:
    rec = Recorder(ok())
    with sync_client(rec) as client:
        client._auth = BadHeaderAuth("Bearer \n")  # type: ignore[assignment]
        with pytest.raises(RequestValidationError):
            list(client.contacts.iter())
        with pytest.raises(RequestValidationError):
            list(client.invoices.iter())
    assert rec.count == 0


@pytest.mark.asyncio
async def test_async_stream_path_refuses_what_cannot_be_built() -> None:
    rec = Recorder(ok())
    async with async_client(rec) as client:
        client._auth = BadHeaderAuth("Bearer \n")  # type: ignore[assignment]
        with pytest.raises(RequestValidationError):
            [c async for c in client.contacts.iter()]
        with pytest.raises(RequestValidationError):
            await client.contacts.get(contact_number="A" * 70000)
    assert rec.count == 0


@pytest.mark.parametrize(
    "base_url",
    ["https://xero.test/" + "a" * 70000, "https://xero.test/a\nb/", "https://[::1/"],
    ids=["too long", "control character", "malformed host"],
)
def test_an_unusable_base_url_is_refused(base_url: str) -> None:
    with pytest.raises(RequestValidationError) as info:
        XeroClient(api_key=API_KEY, customer_key=CUSTOMER_KEY, base_url=base_url)
    assert "`base_url`" in info.value.message


def test_no_httpx_exception_escapes_a_call_with_odd_arguments() -> None:
    odd: list[dict[str, Any]] = [
        {"contact_number": "A" * 70000},
        {"contact_number": "\x00\r\n" * 30000},
        {"contact_number": "\ud800" * 10},  # a lone surrogate: not encodable
    ]
    for kwargs in odd:
        rec = Recorder(ok())
        with sync_client(rec) as client:
            try:
                client.contacts.get(**kwargs)
            except XeroError as exc:
                assert "contact" in str(exc), exc

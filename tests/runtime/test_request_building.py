"""Requests carry the same headers and query whether the SDK owns the HTTP client or not."""

from __future__ import annotations

import httpx
import pytest
from xero_customer_api._runtime._types import NOT_GIVEN
from xero_customer_api.v1_0 import XeroClient, models


@pytest.mark.parametrize("own", [True, False], ids=["own http client", "user's http client"])
@pytest.mark.parametrize("with_body", [False, True], ids=["GET", "PUT"])
def test_headers_and_query(own: bool, with_body: bool) -> None:
    http = None if own else httpx.Client(headers={"X-Custom": "1"})
    client = XeroClient(
        api_key="PARTNER", customer_key="CUSTOMER", base_url="https://x.test/api.xro/1.0",
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
                ("apiKey", "PARTNER"),
                ("xeroKey", "CUSTOMER"),
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

"""Issue 20 item 2: API 2.0 raises its own errors, not 1.0's: an HTML page with status 200
(a proxy, a captive portal, a maintenance page, a wrong base_url) is a XeroResponseError
saying what came back; a 429 speaks of the app and the organisation."""

from __future__ import annotations

import httpx
import pytest
from xero_customer_api import InvalidPartnerKeyError, RateLimitError, XeroResponseError

from .helpers import sync_client

PAGE = b"<!DOCTYPE html><html><head><title>Down for maintenance</title></head><body/></html>"


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=utf-8", "text/xml", "application/octet-stream"]
)
def test_an_html_page_on_2_0_is_a_response_error_saying_what_came_back(content_type: str) -> None:
    page = PAGE if content_type.startswith("text/html") else PAGE.split(b">", 1)[1]
    with (
        sync_client(
            lambda request: httpx.Response(
                200, content=page, headers={"content-type": content_type}
            )
        ) as client,
        pytest.raises(XeroResponseError) as caught,
    ):
        client.contacts.list()
    error = caught.value
    assert not isinstance(error, InvalidPartnerKeyError)
    assert "partner" not in str(error) and "apiKey" not in str(error)
    assert "HTML page" in str(error) and "HTTP 200" in str(error)


def test_the_page_title_is_named() -> None:
    with (
        sync_client(
            lambda request: httpx.Response(200, content=PAGE, headers={"content-type": "text/html"})
        ) as client,
        pytest.raises(XeroResponseError, match="Down for maintenance"),
    ):
        client.contacts.list()


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        ("minute", "this organisation"),
        ("day", "this organisation"),
        ("concurrent", "this organisation"),
        ("appminute", "all organisations"),
    ],
)
def test_a_2_0_429_speaks_of_the_app_and_the_organisation(problem: str, words: str) -> None:
    answer = httpx.Response(
        429, headers={"Retry-After": "5000", "X-Rate-Limit-Problem": problem}, content=b""
    )
    with sync_client(lambda request: answer) as client, pytest.raises(RateLimitError) as caught:
        client.contacts.list()
    assert "partner" not in str(caught.value)
    assert "this app" in str(caught.value) and words in str(caught.value)

"""API 2.0 error mapping: status and body -> one class of the SDK's tree, with details."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import httpx
import pytest
import xero_customer_api
from xero_customer_api import (
    ApiExceptionElement,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimit,
    RateLimitError,
    ServerError,
    ValidationError,
    XeroAPIError,
    XeroResponseError,
)

from .helpers import ACCESS_TOKEN, LIMITS, Xero, async_client, sync_client

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "v2.0"
XML = {"content-type": "text/xml; charset=utf-8"}


def answer(name: str) -> httpx.Response:
    """A recorded non-XML answer of ``fixtures/v2.0/errors``."""
    data = json.loads((FIXTURES / "errors" / name).read_text(encoding="utf-8"))
    return httpx.Response(data["status"], headers=data["headers"], content=data["body"].encode())


def api_exception(name: str, status: int = 400, **headers: str) -> httpx.Response:
    body = (FIXTURES / "responses" / "api_exception" / name).read_bytes()
    return httpx.Response(status, headers={**XML, **headers}, content=body)


def call(response: httpx.Response, **options: Any) -> XeroAPIError:
    xero = Xero(api=[response])
    options.setdefault("max_retries", 0)
    client = sync_client(xero, access_token=ACCESS_TOKEN, **options)
    with client, pytest.raises(XeroAPIError) as info:
        client.contacts()
    return info.value


def test_validation_exception_names_each_element_with_nested_messages() -> None:
    error = call(api_exception("validation_invoice_echo.xml"))
    assert type(error) is ValidationError
    assert error.status_code == 400
    assert error.error_number == 10
    assert error.type == "ValidationException"
    invoice, contact = error.elements[:2]
    assert invoice == ApiExceptionElement(
        xsi_type="Invoice",
        # the invoice's own message and its line item's (the same text) once
        validation_errors=("Account code '999' is not a valid code for this document.",),
        warnings=(),
    )
    assert contact.xsi_type == "Contact"
    assert contact.validation_errors == (
        "The contact name must be unique across all active contacts.",
    )
    assert "Invoice 1: Account code '999'" in error.message
    assert "Contact 2: The contact name must be unique" in error.message
    assert "ValidationException, 10" in error.message
    assert error.descriptions[0] == "Account code '999' is not a valid code for this document."
    assert error.exception_types[0] == "ValidationException"


def test_nested_entity_messages_and_warnings_are_gathered() -> None:
    body = (
        b'<ApiException xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><ErrorNumber>10</ErrorNumber>'
        b"<Type>ValidationException</Type><Message>A validation exception occurred</Message><Elements>"
        b'<DataContractBase xsi:type="Invoice"><ValidationErrors /><Warnings><Warning><Message>Rounded</Message>'
        b"</Warning></Warnings><LineItems><LineItem><ValidationErrors><ValidationError><Message>Line one is bad"
        b"</Message></ValidationError></ValidationErrors></LineItem><LineItem><ValidationErrors><ValidationError>"
        b"<Message>Line two is bad</Message></ValidationError></ValidationErrors></LineItem></LineItems>"
        b"</DataContractBase></Elements></ApiException>"
    )
    error = call(httpx.Response(400, headers=XML, content=body))
    assert isinstance(error, ValidationError)
    (element,) = error.elements
    assert element.validation_errors == ("Line one is bad", "Line two is bad")
    assert element.warnings == ("Rounded",)


def test_post_data_invalid_without_elements() -> None:
    error = call(api_exception("post_data_invalid.xml"))
    assert isinstance(error, ValidationError)
    assert error.error_number == 14
    assert error.type == "PostDataInvalidException"
    assert error.elements == ()
    assert "HasAccount" in error.message
    assert error.descriptions == (
        "The element 'HasAccount' was not recognised. Ensure the element name has the correct case",
    )


def test_utf16_declared_utf8_body_is_read() -> None:
    error = call(api_exception("utf16_declared.xml"))
    assert isinstance(error, ValidationError)
    (element,) = error.elements
    assert element.xsi_type == "Payment"
    assert element.validation_errors[0].endswith("Māori macron kept")


def test_utf16_declared_success_body_is_read() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-16"?><Response><Id>x</Id><Status>OK</Status>'
        "<Contacts><Contact><Name>Tāmaki</Name></Contact></Contacts></Response>"
    ).encode()
    xero = Xero(api=[httpx.Response(200, headers=XML, content=body)])
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        assert client.contacts().parsed == "Response"


def test_a_real_utf16_body_is_still_read_as_utf16() -> None:
    body = '<?xml version="1.0" encoding="utf-16"?><Response><Status>OK</Status></Response>'
    xero = Xero(api=[httpx.Response(200, headers=XML, content=body.encode("utf-16"))])
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        assert client.contacts().parsed == "Response"


def test_utf16_declared_body_keeps_the_hardening() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY e "boom">]>'
        b"<ApiException><Message>&e;</Message></ApiException>"
    )
    xero = Xero(api=[httpx.Response(400, headers=XML, content=body)])
    client = sync_client(xero, access_token=ACCESS_TOKEN)
    with client, pytest.raises(XeroResponseError, match="DOCTYPE"):
        client.contacts()


@pytest.mark.parametrize(
    ("fixture", "cls", "detail"),
    [
        (
            "401_token_expired.json",
            AuthenticationError,
            "TokenExpired: token expired at 07/01/2026 04:00:00",
        ),
        ("401_lower_case_keys.json", AuthenticationError, "AuthenticationUnsuccessful"),
        ("403_forbidden.json", PermissionDeniedError, "AuthenticationUnsuccessful"),
    ],
)
def test_json_problem_bodies(fixture: str, cls: type[XeroAPIError], detail: str) -> None:
    error = call(answer(fixture))
    assert type(error) is cls
    assert error.detail == detail  # type: ignore[attr-defined]
    assert detail in error.message


def test_401_without_a_body_reads_www_authenticate() -> None:
    response = httpx.Response(
        401,
        headers={
            "www-authenticate": 'Bearer error="invalid_token", error_description="The access token expired"'
        },
    )
    error = call(response)
    assert isinstance(error, AuthenticationError)
    assert error.detail == "The access token expired"


def test_404_text_is_not_found() -> None:
    error = call(answer("404_text.json"))
    assert type(error) is NotFoundError
    assert error.status_code == 404
    assert "cannot be found" in error.message


def test_404_html_page_is_a_wrong_base_url_not_a_missing_record() -> None:
    # issue 21: a host root answering an HTML 404 (a wrong base_url) must not read like
    # "invoice not found": Xero's own 404 is a plain sentence (sent as text/html)
    page = b"<!DOCTYPE html><html><head><title>Not Found</title></head><body>x</body></html>"
    for headers in ({"content-type": "text/html"}, {}):
        xero = Xero(api=[httpx.Response(404, headers=headers, content=page)])
        client = sync_client(xero, access_token=ACCESS_TOKEN, max_retries=0)
        with client, pytest.raises(XeroResponseError) as info:
            client.contacts()
        assert "was an HTML page ('Not Found'), not Xero's API: check base_url" in str(info.value)
        assert not isinstance(info.value, NotFoundError)
    plain = b"The resource you're looking for cannot be found"
    error = call(httpx.Response(404, headers={"content-type": "text/html"}, content=plain))
    assert type(error) is NotFoundError


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_plain_text_5xx_is_server_error(status: int) -> None:
    error = call(httpx.Response(status, headers={"content-type": "text/plain"}, content=b"busy"))
    assert type(error) is ServerError
    assert error.status_code == status


def test_503_offline_fixture_is_server_error() -> None:
    error = call(answer("503_offline.json"))
    assert type(error) is ServerError
    assert "offline for maintenance" in error.message


def test_501_api_exception_is_server_error() -> None:
    body = (
        b"<ApiException><ErrorNumber>20</ErrorNumber><Type>ApiMethodNotImplementedException</Type>"
        b"<Message>The Api Method called is not implemented</Message></ApiException>"
    )
    error = call(httpx.Response(501, headers=XML, content=body))
    assert type(error) is ServerError
    assert "ApiMethodNotImplementedException" in error.message


@pytest.mark.parametrize("status", [302, 412])
def test_other_statuses_are_api_errors(status: int) -> None:
    error = call(httpx.Response(status, headers={"content-type": "text/plain"}, content=b"no"))
    assert type(error) is XeroAPIError
    assert error.status_code == status


def test_429_minute_carries_problem_retry_after_and_limits() -> None:
    error = call(answer("429_minute.json"))
    assert isinstance(error, RateLimitError)
    assert error.problem == "minute"
    assert error.retry_after == 2.0
    assert error.rate_limit == RateLimit(
        day_remaining=4211, minute_remaining=0, app_minute_remaining=9870
    )
    assert "minute limit" in error.message


def test_errors_carry_the_rate_limit_headers() -> None:
    response = api_exception("post_data_invalid.xml", **LIMITS)
    error = call(response)
    assert error.rate_limit == RateLimit(
        day_remaining=4990, minute_remaining=58, app_minute_remaining=9990
    )


@pytest.mark.asyncio
async def test_async_mapping_is_the_same() -> None:
    xero = Xero(api=[answer("403_forbidden.json")])
    async with async_client(xero, access_token=ACCESS_TOKEN) as client:
        with pytest.raises(PermissionDeniedError):
            await client.contacts()


def test_new_classes_are_public_and_in_the_tree() -> None:
    assert issubclass(AuthenticationError, XeroAPIError)
    assert issubclass(PermissionDeniedError, XeroAPIError)
    assert xero_customer_api.AuthenticationError is AuthenticationError


def test_new_attributes_are_constructor_keywords() -> None:
    # a generic pickling (stored constructor keywords) carries them: each is a keyword
    error = ValidationError(
        "m",
        status_code=400,
        error_number=10,
        type="ValidationException",
        elements=[ApiExceptionElement("Invoice", ("bad",), ())],
        rate_limit=RateLimit(1, 2, 3),
    )
    assert error.elements[0].validation_errors == ("bad",)
    assert RateLimitError("m", problem="day").problem == "day"
    assert AuthenticationError("m", detail="TokenExpired").detail == "TokenExpired"
    assert PermissionDeniedError("m", detail="x").status_code == 403
    assert pickle.loads(pickle.dumps(RateLimit(1, None, 3))) == RateLimit(1, None, 3)


def test_unreadable_5xx_still_carries_the_rate_limit() -> None:
    response = httpx.Response(502, headers={**XML, **LIMITS}, content=b"<html")
    error = call(response)
    assert type(error) is ServerError
    assert error.rate_limit.minute_remaining == 58

"""Error mapping: every answer and failure becomes one class of the SDK's error tree."""

from __future__ import annotations

import datetime
import email.utils
import time

import httpx
import pytest
from xero_customer_api import (
    ErrorDetail,
    InvalidCustomerKeyError,
    InvalidPartnerKeyError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    ValidationError,
    XeroAPIError,
    XeroConnectionError,
    XeroError,
    XeroResponseError,
    XeroTimeoutError,
)
from xero_customer_api._runtime._base_client import _parse_retry_after

from .helpers import HTML, XML, Recorder, error_envelope, exception_chain, leaks, sync_client

CASES: list[tuple[str, httpx.Response | Exception, type[XeroError]]] = [
    (
        "not found",
        httpx.Response(
            500,
            content=error_envelope("ObjectDoesNotExistException", "No such contact"),
            headers=XML,
        ),
        NotFoundError,
    ),
    (
        "bad customer key",
        httpx.Response(
            500,
            content=error_envelope("AuthKeyNotValidForProviderException", "Key not valid"),
            headers=XML,
        ),
        InvalidCustomerKeyError,
    ),
    (
        "validation",
        httpx.Response(
            400, content=error_envelope("ValidationException", "Totals wrong"), headers=XML
        ),
        ValidationError,
    ),
    (
        "format",
        httpx.Response(500, content=error_envelope("FormatException", "Bad GUID"), headers=XML),
        ValidationError,
    ),
    (
        "other Xero error",
        httpx.Response(500, content=error_envelope("SomethingNewException", "Odd"), headers=XML),
        XeroAPIError,
    ),
    (
        "429",
        httpx.Response(429, content=b"slow down", headers={"retry-after": "5"}),
        RateLimitError,
    ),
    (
        "500 html",
        httpx.Response(500, content=b"<html><body>oops</body></html>", headers=HTML),
        ServerError,
    ),
    (
        "502 text",
        httpx.Response(502, content=b"Bad gateway", headers={"content-type": "text/plain"}),
        ServerError,
    ),
    ("503 empty", httpx.Response(503), ServerError),
    (
        "404 html page",
        httpx.Response(404, content=b"<html><body>404</body></html>", headers=HTML),
        InvalidPartnerKeyError,
    ),
    (
        "302 to login",
        httpx.Response(302, headers={"location": "https://login.xero.com/"}),
        InvalidPartnerKeyError,
    ),
    (
        "200 html",
        httpx.Response(200, content=b"<html><body>login</body></html>", headers=HTML),
        InvalidPartnerKeyError,
    ),
    ("200 not xml", httpx.Response(200, content=b"hello", headers=XML), XeroResponseError),
    ("200 empty", httpx.Response(200, content=b"", headers=XML), XeroResponseError),
    (
        "200 truncated",
        httpx.Response(200, content=b"<Response><ID>ab", headers=XML),
        XeroResponseError,
    ),
    ("200 wrong root", httpx.Response(200, content=b"<Other/>", headers=XML), XeroResponseError),
    (
        "200 doctype",
        httpx.Response(
            200, content=b'<!DOCTYPE Response [<!ENTITY a "b">]><Response/>', headers=XML
        ),
        XeroResponseError,
    ),
    (
        "400 no envelope",
        httpx.Response(400, content=b"<Error>bad</Error>", headers=XML),
        XeroAPIError,
    ),
    ("connect error", httpx.ConnectError("[Errno 111] Connection refused"), XeroConnectionError),
    ("read timeout", httpx.ReadTimeout("timed out"), XeroTimeoutError),
    ("connect timeout", httpx.ConnectTimeout("timed out"), XeroTimeoutError),
    ("reset", httpx.ReadError("[Errno 104] Connection reset by peer"), XeroConnectionError),
    ("dropped mid-body", httpx.RemoteProtocolError("incomplete body"), XeroConnectionError),
    ("bad gzip", httpx.DecodingError("Error -3 while decompressing"), XeroResponseError),
]


@pytest.mark.parametrize(
    ("answer", "expected"), [(a, e) for _, a, e in CASES], ids=[n for n, _, _ in CASES]
)
def test_error_mapping(answer: httpx.Response | Exception, expected: type[XeroError]) -> None:
    with sync_client(Recorder(answer), max_retries=0) as client, pytest.raises(XeroError) as info:
        client.contacts.list()
    assert type(info.value) is expected
    assert not leaks(str(info.value))
    if isinstance(answer, Exception):
        # the cause is kept: same type and message, but detached from the request (and keys)
        cause = info.value.__cause__
        assert type(cause) is type(answer)
        assert str(cause) == str(answer)
        assert isinstance(cause, httpx.HTTPError)
        with pytest.raises(RuntimeError):
            cause.request  # noqa: B018


def test_api_error_carries_the_envelope() -> None:
    answer = httpx.Response(
        500, content=error_envelope("ObjectDoesNotExistException", "No such contact"), headers=XML
    )
    with sync_client(Recorder(answer)) as client, pytest.raises(NotFoundError) as info:
        client.contacts.get(contact_number="CUST-1")
    error = info.value
    assert error.status_code == 500
    assert error.status == "InternalServerError"
    assert error.response_id == "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
    assert error.errors == (
        ErrorDetail(
            description="No such contact",
            exception_type="Xero.API.Library.Exceptions.ObjectDoesNotExistException",
            message="No such contact",
        ),
    )
    assert error.exception_types == ("Xero.API.Library.Exceptions.ObjectDoesNotExistException",)


def test_response_errors_keep_their_cause() -> None:
    rec = Recorder(httpx.Response(200, content=b"<Response>", headers=XML))
    with sync_client(rec) as client, pytest.raises(XeroResponseError) as info:
        client.contacts.list()
    assert info.value.__cause__ is not None
    assert info.value.status_code == 200


def test_request_validation_error_is_a_value_error() -> None:
    assert issubclass(RequestValidationError, ValueError)
    assert issubclass(RequestValidationError, XeroError)
    assert issubclass(XeroTimeoutError, XeroConnectionError)
    for cls in (
        NotFoundError,
        InvalidCustomerKeyError,
        ValidationError,
        RateLimitError,
        ServerError,
    ):
        assert issubclass(cls, XeroAPIError)


def test_every_error_class_is_exported_and_documented() -> None:
    import xero_customer_api
    from xero_customer_api._runtime import _errors

    for name in _errors.__all__:
        assert getattr(xero_customer_api, name) is getattr(_errors, name)
        if name != "ErrorDetail":
            assert name in (_errors.__doc__ or "")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("5", 5.0),
        (" 2.5 ", 2.5),
        ("0", 0.0),
        ("-3", 0.0),
        ("soon", None),
        ("nan", 0.0),
    ],
)
def test_retry_after_parsing(header: str | None, expected: float | None) -> None:
    assert _parse_retry_after(header) == expected


def test_retry_after_http_date() -> None:
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=120)
    value = _parse_retry_after(email.utils.format_datetime(when, usegmt=True))
    assert value is not None
    assert 100 <= value <= 121
    past = email.utils.formatdate(time.time() - 3600, usegmt=True)
    assert _parse_retry_after(past) == 0.0


def test_every_raise_keeps_its_cause_chain_without_keys() -> None:
    answers = [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("dropped"),
    ]
    for answer in answers:
        with (
            sync_client(Recorder(answer), max_retries=1) as client,
            pytest.raises(XeroError) as info,
        ):
            client.contacts.list()
        for exc in exception_chain(info.value):
            assert not leaks(str(exc)) and not leaks(repr(exc))
            assert getattr(exc, "_request", None) is None

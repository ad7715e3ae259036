"""Error mapping: every answer and failure becomes one class of the SDK's error tree."""

from __future__ import annotations

import datetime
import email.utils
import time

import httpx
import pytest
from xero_customer_api import (
    ApiExceptionElement,
    ErrorDetail,
    InvalidCustomerKeyError,
    InvalidPartnerKeyError,
    NotFoundError,
    RateLimit,
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
from xero_customer_api._runtime._base_client import INITIAL_RETRY_DELAY, _parse_retry_after

from .helpers import (
    HTML,
    XML,
    Recorder,
    error_envelope,
    exception_chain,
    leaks,
    ok,
    sync_client,
)

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
        (" 7 ", 7.0),
        ("0", 0.0),
        ("120", 120.0),
        ("99999999999999999999999999", 1e12),  # absurdly long: more than any cap, no overflow
        # not delay-seconds (1*DIGIT) nor an HTTP-date: back off normally
        ("1_0", None),
        ("2.5", None),
        ("-3", None),
        ("+5", None),
        ("nan", None),
        ("inf", None),
        ("1e3", None),
        ("0x10", None),
        ("\u0661\u0660", None),  # Arabic-Indic digits pass str.isdigit()
        ("\u00b2", None),  # superscript two, too
        ("5 s", None),
        ("", None),
        ("soon", None),
        ("Sun, 06 Nov 1994 08:49:37", None),  # no GMT
        ("Sun, 06 Nov 1994 08:49:37 +0000", None),  # not an IMF-fixdate
        ("Sun, 31 Feb 1994 08:49:37 GMT", None),  # no such day
    ],
)
def test_retry_after_parsing(header: str | None, expected: float | None) -> None:
    assert _parse_retry_after(header) == expected


NOW = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC).timestamp()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Mon, 02 Mar 2026 09:02:00 GMT", 120.0),  # IMF-fixdate
        ("Monday, 02-Mar-26 09:00:30 GMT", 30.0),  # obsolete RFC 850 form
        ("Mon Mar  2 09:01:00 2026", 60.0),  # obsolete asctime form
        ("Mon Mar 12 09:00:00 2026", 10 * 86400.0),
        ("Mon, 02 Mar 2026 08:00:00 GMT", 0.0),  # in the past: retry now
    ],
)
def test_retry_after_http_dates(header: str, expected: float) -> None:
    assert _parse_retry_after(header, now=NOW) == expected


def test_retry_after_http_date() -> None:
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=120)
    value = _parse_retry_after(email.utils.format_datetime(when, usegmt=True))
    assert value is not None
    assert 100 <= value <= 121
    past = email.utils.formatdate(time.time() - 3600, usegmt=True)
    assert _parse_retry_after(past) == 0.0


@pytest.mark.parametrize("header", ["1_0", "-5", "nan", "2.5"])
def test_a_malformed_retry_after_backs_off_normally(header: str, sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(503, headers={"retry-after": header}), ok())
    with sync_client(rec) as client:
        client.contacts.list()
    assert rec.count == 2
    (delay,) = sleeps
    assert 0.75 * INITIAL_RETRY_DELAY <= delay <= INITIAL_RETRY_DELAY


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


# ---------------------------------------------------------------------------- picklable errors

SAMPLE_ARGUMENTS: dict[str, object] = {
    "message": "something went wrong",
    "problems": ["`contact_number` is too long", "`name` is required"],
    "status_code": 503,
    "status": "ServiceUnavailable",
    "response_id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    "errors": (ErrorDetail("No such contact", "X.ObjectDoesNotExistException", "No such contact"),),
    "retry_after": 7.0,
    "may_have_been_applied": True,
    "detail": {"field": "Name"},  # LaterError below (AuthenticationError's is a string)
    "rate_limit": RateLimit(day_remaining=4990, minute_remaining=58, app_minute_remaining=9990),
    "error_number": 10,
    "type": "ValidationException",
    "elements": (
        ApiExceptionElement("Invoice", validation_errors=("Account code '999' is not valid",)),
    ),
    "problem": "minute",
    "field": "events[0].eventDateUtc",  # WebhookPayloadError
    "missing": True,  # WebhookSignatureError
    "extra": "pandas",  # MissingExtraError
}
"""A value for every constructor parameter of every error class. A new class or parameter
fails test_every_error_class_round_trips_through_pickle until it has a sample here."""


class LaterError(XeroAPIError):
    """A subclass as another module might add one: an extra keyword-only attribute."""

    def __init__(self, message: str, *, status_code: int, detail: dict[str, str]) -> None:
        super().__init__(message, status_code=status_code)
        self.detail = detail


def error_classes() -> list[type[XeroError]]:
    # the package imports every error class but the webhooks module's: imported here so the
    # tree is the same whichever tests ran before
    import xero_customer_api.webhooks  # noqa: F401

    found: list[type[XeroError]] = []
    stack: list[type[XeroError]] = [XeroError]
    while stack:
        cls = stack.pop()
        if cls not in found:
            found.append(cls)
            stack.extend(cls.__subclasses__())
    return found


def sample(cls: type[XeroError]) -> XeroError:
    import inspect

    args: list[object] = []
    kwargs: dict[str, object] = {}
    for name, parameter in inspect.signature(cls).parameters.items():
        assert name in SAMPLE_ARGUMENTS, f"add a sample value of {cls.__name__}({name}=...)"
        if parameter.kind is parameter.KEYWORD_ONLY:
            kwargs[name] = SAMPLE_ARGUMENTS[name]
        else:
            args.append(SAMPLE_ARGUMENTS[name])
    return cls(*args, **kwargs)


def test_the_class_tree_is_enumerated() -> None:
    names = {cls.__name__ for cls in error_classes()}
    assert {"XeroError", "RateLimitError", "RequestValidationError", "LaterError"} <= names
    assert len(names) >= 13


@pytest.mark.parametrize("cls", error_classes(), ids=lambda c: c.__name__)
def test_every_error_class_round_trips_through_pickle(cls: type[XeroError]) -> None:
    import copy
    import pickle

    error = sample(cls)
    error.add_note("while importing row 7")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        clone = pickle.loads(pickle.dumps(error, protocol=protocol))
        assert type(clone) is cls
        assert str(clone) == str(error) and clone.message == error.message
        assert clone.args == error.args
        assert vars(clone) == vars(error)  # every attribute, and the note
    assert vars(copy.copy(error)) == vars(error)
    assert vars(copy.deepcopy(error)) == vars(error)


def test_pickled_errors_keep_their_attributes() -> None:
    import pickle

    problems = RequestValidationError(["`contact_number` is too long", "`name` is required"])
    clone = pickle.loads(pickle.dumps(problems))
    assert clone.problems == problems.problems
    assert str(clone) == "2 problems: `contact_number` is too long; `name` is required"
    limited = pickle.loads(pickle.dumps(RateLimitError("slow down", retry_after=3.0)))
    assert (limited.retry_after, limited.status_code) == (3.0, 429)
    later = pickle.loads(pickle.dumps(LaterError("x", status_code=400, detail={"a": "b"})))
    assert later.detail == {"a": "b"} and later.status_code == 400


def test_errors_cross_a_process_pool() -> None:
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        future = pool.submit(_raise_not_found)
        with pytest.raises(NotFoundError) as info:
            future.result()
    assert info.value.status_code == 500
    assert info.value.errors[0].description == "No such contact"


def _raise_not_found() -> None:
    raise NotFoundError(
        "not found: No such contact",
        status_code=500,
        errors=[ErrorDetail("No such contact", "X.ObjectDoesNotExistException")],
    )


# ---------------------------------------------------------------------------- tracebacks, messages


def test_public_classes_carry_the_public_module_name() -> None:
    import xero_customer_api
    from xero_customer_api._runtime import _errors

    for name in _errors.__all__:
        cls = getattr(_errors, name)
        assert cls.__module__ == "xero_customer_api", name
        assert getattr(xero_customer_api, cls.__qualname__) is cls
    assert LaterError.__module__ == __name__  # a class outside the runtime keeps its own
    error = ValidationError("validation failed: x", status_code=400)
    line = traceback_text(error).splitlines()[-1]
    assert line == "xero_customer_api.ValidationError: validation failed: x"


def traceback_text(error: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(error))


def sdk_frames(error: BaseException) -> list[str]:
    import traceback

    return [
        f"{frame.name}: {frame.line}"
        for frame in traceback.extract_tb(error.__traceback__)
        if "xero_customer_api" in frame.filename
    ]


SHALLOW_CASES: list[tuple[str, httpx.Response | Exception]] = [
    ("validation", httpx.Response(400, content=error_envelope("ValidationException", "Bad"))),
    ("not found", httpx.Response(500, content=error_envelope("ObjectDoesNotExistException", "No"))),
    ("unreadable", httpx.Response(200, content=b"<Response><ID>x")),
    ("429", httpx.Response(429, headers={"retry-after": "1"})),
    ("reset", httpx.ReadError("[Errno 104] Connection reset by peer")),
]


@pytest.mark.parametrize("answer", [a for _, a in SHALLOW_CASES], ids=[n for n, _ in SHALLOW_CASES])
def test_errors_are_raised_from_a_shallow_frame(answer: httpx.Response | Exception) -> None:
    with sync_client(Recorder(answer)) as client, pytest.raises(XeroError) as info:
        client.contacts.get(contact_number="CUST-1")
    frames = sdk_frames(info.value)
    runtime = [f for f in frames if not f.startswith("get:")]
    assert len(runtime) == 1, frames  # the generated method, then the request loop raises
    assert runtime[0].startswith("_request:")
    assert "sleep" not in traceback_text(info.value).split("direct cause")[-1]


def test_client_side_refusals_are_raised_from_a_shallow_frame() -> None:
    with sync_client(Recorder(ok())) as client, pytest.raises(RequestValidationError) as info:
        client.contacts.get(contact_number="A" * 70000)
    runtime = [f for f in sdk_frames(info.value) if not f.startswith("get:")]
    assert len(runtime) == 1 and runtime[0].startswith("_request:"), runtime


@pytest.mark.asyncio
async def test_async_errors_are_raised_from_a_shallow_frame() -> None:
    from .helpers import async_client

    answer = httpx.Response(400, content=error_envelope("ValidationException", "Bad"))
    async with async_client(Recorder(answer)) as client:
        with pytest.raises(ValidationError) as info:
            await client.contacts.get(contact_number="CUST-1")
    runtime = [f for f in sdk_frames(info.value) if not f.startswith("get:")]
    assert len(runtime) == 1 and runtime[0].startswith("_request:"), runtime


@pytest.mark.parametrize(
    ("exception_type", "cls", "lead"),
    [
        ("ObjectDoesNotExistException", NotFoundError, "not found: "),
        ("AuthKeyNotValidForProviderException", InvalidCustomerKeyError, "customer key refused: "),
        ("ValidationException", ValidationError, "validation failed: "),
        ("FormatException", ValidationError, "validation failed: "),
        ("SomethingNewException", XeroAPIError, "Xero reported an error: "),
    ],
)
def test_messages_lead_with_what_happened(
    exception_type: str, cls: type[XeroAPIError], lead: str
) -> None:
    answer = httpx.Response(500, content=error_envelope(exception_type, "No such contact"))
    with sync_client(Recorder(answer)) as client, pytest.raises(XeroAPIError) as info:
        client.contacts.get(contact_number="CUST-1")
    assert type(info.value) is cls
    assert str(info.value) == (
        f"{lead}No such contact (HTTP 500 InternalServerError; {exception_type})"
    )
    assert cls.headline == lead.removesuffix(": ")

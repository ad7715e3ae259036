"""Keys never appear: log records at the most verbose level, reprs, messages, tracebacks."""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Iterator

import httpx
import pytest
from xero_customer_api import XeroError
from xero_customer_api._runtime._secrets import redact
from xero_customer_api.v1_0 import XeroClient, models

from .helpers import (
    API_KEY,
    CONTACT_OK,
    CONTACTS_OK,
    CUSTOMER_KEY,
    INVOICE_OK,
    SECRETS,
    XML,
    error_envelope,
    exception_chain,
    leaks,
    valid_invoice,
)
from .loopback import Answer, loopback


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=1)
        self.stream = io.StringIO()
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.stream.write(self.format(record) + "\n")


@pytest.fixture
def verbose() -> Iterator[Capture]:
    """Root logger at level 1, httpx/httpcore/SDK at DEBUG or below, everything captured."""
    capture = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(1)
    named = [logging.getLogger(n) for n in ("httpx", "httpcore", "xero_customer_api")]
    old = [lg.level for lg in named]
    for lg in named:
        lg.setLevel(1)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
        for lg, level in zip(named, old, strict=True):
            lg.setLevel(level)


def route(method: str, path: str) -> Answer:
    tail = path.split("?", 1)[0].rsplit("/", 1)[-1]
    if tail == "contacts":
        return (200, XML, CONTACTS_OK)
    if tail == "contact" and method == "GET":
        return (500, XML, error_envelope("ObjectDoesNotExistException", "No such contact"))
    if tail == "contact":
        return (200, XML, CONTACT_OK)
    if tail == "invoice":
        return (200, XML, INVOICE_OK)
    if tail == "tracking":
        return "reset"
    return (503, {"content-type": "text/html", "retry-after": "0"}, b"<html>busy</html>")


def test_whole_flow_at_the_most_verbose_level_leaks_no_key(verbose: Capture) -> None:
    texts: list[str] = []
    with loopback() as server:
        server.answer = route
        client = XeroClient(
            api_key=API_KEY,
            customer_key=CUSTOMER_KEY,
            base_url=f"{server.url}/api.xro/1.0/",
            max_retries=1,
        )
        texts += [repr(client), str(client), repr(client._auth)]
        with client:
            raw = client.contacts.with_raw_response.list()
            texts += [repr(raw), str(raw.headers), raw.content.decode()]
            client.contacts.save(models.Contact(name="A"))
            client.invoices.create(valid_invoice())
            failures = [
                lambda: client.contacts.get(contact_number="X"),  # NotFoundError
                lambda: client.tracking.list(),  # reset mid-body (retried, then raised)
                lambda: client.accounts.list(),  # 503 (retried, then raised)
                lambda: client.invoices.create(
                    models.Invoice.__new__(models.Invoice)
                ),  # client-side
            ]
            for call in failures:
                with pytest.raises(XeroError) as info:
                    call()
                texts.append("".join(traceback.format_exception(info.value)))
                for exc in exception_chain(info.value):
                    texts += [str(exc), repr(exc), str(exc.args)]
                    request = getattr(exc, "_request", None)
                    assert request is None
        # a refused connection (nothing listens there any more after the server stops)
    refused = XeroClient(
        api_key=API_KEY, customer_key=CUSTOMER_KEY, base_url=f"{server.url}/api.xro/1.0/"
    )
    with refused, pytest.raises(XeroError) as info:
        refused.contacts.list(max_retries=0)
    texts.append("".join(traceback.format_exception(info.value)))
    texts += [str(e) for e in exception_chain(info.value)]

    log_text = verbose.stream.getvalue()
    names = {r.name for r in verbose.records}
    assert "httpx" in names and any(n.startswith("httpcore") for n in names)  # really verbose
    assert any(r.levelno < logging.DEBUG for r in verbose.records)  # bodies at TRACE
    assert "apiKey=***" in log_text
    assert [s for s in SECRETS if s in log_text] == []
    for text in texts:
        assert not leaks(text), text
    assert all(not leaks(r.getMessage()) for r in verbose.records)


def test_log_records_with_exc_info_are_rendered_redacted(verbose: Capture) -> None:
    from xero_customer_api._runtime._secrets import register_secret

    register_secret(API_KEY)
    request = httpx.Request("GET", f"https://xero.test/?apiKey={API_KEY}")
    try:
        raise httpx.ConnectError(f"failed for {request.url}", request=request)
    except httpx.ConnectError:
        logging.getLogger("httpcore.connection").debug("failed %s", request.url, exc_info=True)
    assert not leaks(verbose.stream.getvalue())
    assert "***" in verbose.stream.getvalue()


def test_redact_covers_url_encoded_forms() -> None:
    from xero_customer_api._runtime._secrets import register_secret

    odd = "KEY/with+odd=chars&more"
    register_secret(odd)
    encoded = str(httpx.QueryParams({"apiKey": odd}))
    assert odd not in redact(f"{odd} {encoded}")
    assert redact(encoded) == "apiKey=***"


def test_reprs_do_not_show_keys() -> None:
    client = XeroClient(
        api_key=API_KEY, customer_key=CUSTOMER_KEY, base_url="https://xero.test/api.xro/1.0/"
    )
    with client:
        for text in (repr(client), str(client), repr(client.__dict__.get("_auth"))):
            assert not leaks(text)


# ---------------------------------------------------------------------------- short keys, any secret


@pytest.mark.parametrize(
    ("api_key", "customer_key", "problem"),
    [
        ("q7Z", CUSTOMER_KEY, "`api_key` (the partner key) is too short to be a Xero key"),
        (API_KEY, "Zq9", "`customer_key` (the Xero customer key) is too short to be a Xero key"),
        ("Q" * 15, CUSTOMER_KEY, "(15 characters; Xero's keys are 30, at least 16 are required)"),
        (API_KEY[:20] + " " + API_KEY[20:], CUSTOMER_KEY, "only printable ASCII without spaces"),
        (API_KEY + "\u00e9", CUSTOMER_KEY, "only printable ASCII without spaces"),
        (API_KEY, CUSTOMER_KEY + "\x00", "only printable ASCII without spaces"),
        ("", CUSTOMER_KEY, "`api_key` (the partner key) must be a non-empty string"),
    ],
    ids=["short partner key", "short customer key", "15", "space", "non-ascii", "nul", "empty"],
)
def test_keys_that_cannot_be_xeros_are_refused(
    api_key: str, customer_key: str, problem: str, registry: None
) -> None:
    from xero_customer_api import RequestValidationError
    from xero_customer_api._runtime import _secrets

    before = _secrets._live()[0]
    with pytest.raises(RequestValidationError) as info:
        XeroClient(api_key=api_key, customer_key=customer_key, base_url="https://xero.test/")
    assert problem in info.value.message
    for key in (api_key, customer_key):
        assert key.strip() not in info.value.message or not key.strip()
    # refused before registering: a short "key" never masks ordinary text
    assert _secrets._live()[0] == before


@pytest.fixture
def registry() -> Iterator[None]:
    """The process-wide secret registry, restored afterwards (tests register odd secrets)."""
    from xero_customer_api._runtime import _secrets

    saved = list(_secrets._PROCESS._values)
    yield
    _secrets._PROCESS.clear()
    for value in saved:
        _secrets.register_secret(value)


def test_a_secret_too_short_to_be_real_is_never_registered(registry: None) -> None:
    # the log filter masks every live client's secrets: "x" would mask every x of every line
    # the credentials' checks refuse such values where they are given
    from xero_customer_api._runtime._secrets import MIN_SECRET_LENGTH, register_secret

    register_secret("Zq")
    register_secret("x")
    register_secret("Zq3" * 3)
    assert redact("apiKey=Zq&b=x") == "apiKey=Zq&b=x"
    assert redact("apiKey=" + "Zq3" * 3) == "apiKey=***"
    assert MIN_SECRET_LENGTH == 8


def test_the_longest_secret_is_hidden_whole(registry: None) -> None:
    from xero_customer_api._runtime._secrets import register_secret

    inner, outer = "MIDDLE7k3", "OUTER-MIDDLE7k3-TOKEN"
    register_secret(inner)
    register_secret(outer)
    assert redact(f"a {outer} b {inner} c") == "a *** b *** c"


def test_a_token_registered_by_another_scheme_is_redacted_in_logs(
    verbose: Capture, registry: None
) -> None:
    from xero_customer_api._runtime._secrets import register_secret

    token = "eyJhbGciOiJSUzI1NiJ9.payload/with+odd=chars"
    register_secret(token)
    logging.getLogger("httpx").info("Authorization: Bearer %s", token)
    logging.getLogger("httpx").info("query %s", httpx.QueryParams({"t": token}))
    text = verbose.stream.getvalue()
    assert token not in text and "eyJhbGci" not in text
    assert text.count("***") == 2

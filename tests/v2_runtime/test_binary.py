"""Binary endpoints on httpx's MockTransport (issue 18): PDFs and attachments, whole and
streamed, and uploads: caps, deadlines, HTML or XML where a file was expected, error statuses,
retries that read the upload again, atomic writes to a path, the async twins, the limits
checked before sending, and no secret in any message."""

from __future__ import annotations

import io
import os
import pathlib
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from xero_customer_api import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
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
from xero_customer_api.v2_0 import AsyncXeroClient, XeroClient

from tests.v2.fake_xero import BASE, TENANT, TOKEN, Handler, fake_async_client, fake_client

INVOICE = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
ATTACHMENT = "ea7f7b6a-0d22-4d5c-9317-54542a10215e"
PDF = b"%PDF-1.4\n" + b"0123456789" * 5000 + b"\n%%EOF\n"
XML = {"content-type": "text/xml; charset=utf-8"}


def attachments_xml(*names: str) -> bytes:
    items = "".join(
        f"<Attachment><AttachmentID>{uuid.uuid4()}</AttachmentID><FileName>{n}</FileName>"
        f"<MimeType>application/pdf</MimeType><ContentLength>12</ContentLength></Attachment>"
        for n in names
    )
    return (
        f"<Response><Id>{uuid.uuid4()}</Id><Status>OK</Status>"
        f"<Attachments>{items}</Attachments></Response>"
    ).encode()


API_EXCEPTION = (
    b"<ApiException><ErrorNumber>10</ErrorNumber><Type>ValidationException</Type>"
    b"<Message>A validation exception occurred</Message></ApiException>"
)


class Recorder:
    """A MockTransport handler answering from a list (the last answer repeats), keeping every
    request with the body it read."""

    def __init__(self, *answers: httpx.Response | Callable[[httpx.Request], httpx.Response]):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.read())
        self.requests.append(request)
        answer = self.answers[min(len(self.requests) - 1, len(self.answers) - 1)]
        return answer(request) if callable(answer) else answer


def sync_client(handler: Handler, **options: Any) -> XeroClient:
    return fake_client(handler, limiter=None, **options)


def async_client(handler: Handler, **options: Any) -> AsyncXeroClient:
    return fake_async_client(handler, limiter=None, **options)


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)

    async def nap(seconds: float) -> None:
        return None

    import xero_customer_api._runtime._base_client as base

    monkeypatch.setattr(base, "_async_sleep", nap)


def pdf_answer(body: bytes = PDF, **headers: str) -> httpx.Response:
    return httpx.Response(200, content=body, headers={"content-type": "application/pdf", **headers})


# ------------------------------------------------------------------------------ PDFs


def test_pdf_is_sent_with_accept_pdf_and_returns_the_bytes() -> None:
    recorder = Recorder(pdf_answer())
    with sync_client(recorder) as client:
        assert client.invoices.pdf(invoice_id=INVOICE) == PDF
    request = recorder.requests[0]
    assert request.method == "GET"
    assert request.url.path == f"/api.xro/2.0/Invoices/{INVOICE}/pdf"
    assert request.headers["accept"] == "application/pdf"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["xero-tenant-id"] == TENANT


def test_raw_pdf_keeps_status_and_headers() -> None:
    with sync_client(Recorder(pdf_answer())) as client:
        raw = client.quotes.with_raw_response.pdf(quote_id=INVOICE)
    assert raw.status_code == 200 and raw.parsed == PDF == raw.content
    assert raw.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize(
    ("content_type", "body", "needle"),
    [
        ("text/html; charset=utf-8", b"<html><title>Sign in</title></html>", "text/html"),
        ("text/xml", API_EXCEPTION, "text/xml"),
        ("application/json", b'{"Title": "oops"}', "%PDF-"),
        ("application/pdf", b"not a pdf at all", "%PDF-"),
        ("application/pdf", b"", "%PDF-"),
    ],
)
def test_a_2xx_that_is_not_a_pdf_is_a_typed_error(
    content_type: str, body: bytes, needle: str
) -> None:
    answer = httpx.Response(200, content=body, headers={"content-type": content_type})
    with sync_client(Recorder(answer)) as client, pytest.raises(XeroResponseError) as caught:
        client.invoices.pdf(invoice_id=INVOICE)
    assert needle in str(caught.value)
    assert "PDF" in str(caught.value)


def test_html_title_is_named() -> None:
    page = httpx.Response(
        200,
        content=b"<html><head><title>Maintenance</title></head></html>",
        headers={"content-type": "text/html"},
    )
    with (
        sync_client(Recorder(page)) as client,
        pytest.raises(XeroResponseError, match="Maintenance"),
    ):
        client.credit_notes.pdf(credit_note_id=INVOICE)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(400, content=API_EXCEPTION, headers=XML), ValidationError),
        (
            httpx.Response(
                401, json={"Title": "Unauthorized", "Detail": "AuthenticationUnsuccessful"}
            ),
            AuthenticationError,
        ),
        (
            httpx.Response(
                403, json={"Title": "Forbidden", "Detail": "AuthenticationUnsuccessful"}
            ),
            PermissionDeniedError,
        ),
        (
            httpx.Response(404, content=b"The resource you're looking for cannot be found"),
            NotFoundError,
        ),
        (
            httpx.Response(429, headers={"retry-after": "100000", "x-rate-limit-problem": "day"}),
            RateLimitError,
        ),
        (httpx.Response(500, content=b"boom"), ServerError),
        (
            httpx.Response(
                413,
                json={"Title": "RequestEntityTooLarge", "Status": 413, "Detail": "PayloadTooLarge"},
            ),
            XeroAPIError,
        ),
    ],
)
def test_error_statuses_map_as_for_xml_calls(
    answer: httpx.Response, error: type[Exception]
) -> None:
    with sync_client(Recorder(answer), max_retries=0) as client:
        with pytest.raises(error) as caught:
            client.invoices.pdf(invoice_id=INVOICE)
        with pytest.raises(error):
            client.invoices.pdf_to(invoice_id=INVOICE, destination=io.BytesIO())
    assert TOKEN not in str(caught.value)


def test_not_found_names_the_invoice() -> None:
    with (
        sync_client(Recorder(httpx.Response(404, content=b"not found"))) as client,
        pytest.raises(NotFoundError, match=INVOICE),
    ):
        client.invoices.pdf(invoice_id=INVOICE)


def test_5xx_and_429_are_retried_then_succeed() -> None:
    recorder = Recorder(
        httpx.Response(503, content=b"busy"),
        httpx.Response(429, headers={"retry-after": "1"}),
        pdf_answer(),
    )
    with sync_client(recorder) as client:
        assert client.invoices.pdf(invoice_id=INVOICE) == PDF
    assert len(recorder.requests) == 3


def test_size_cap_applies_to_whole_and_streamed_answers(tmp_path: pathlib.Path) -> None:
    with sync_client(Recorder(pdf_answer()), max_response_bytes=1000) as client:
        with pytest.raises(XeroResponseError, match="max_response_bytes"):
            client.invoices.pdf(invoice_id=INVOICE)
        target = tmp_path / "big.pdf"
        with pytest.raises(XeroResponseError, match="max_response_bytes"):
            client.invoices.pdf_to(invoice_id=INVOICE, destination=target)
    assert list(tmp_path.iterdir()) == []  # nothing left behind


def test_streamed_cap_without_content_length(tmp_path: pathlib.Path) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"%PDF-1.4\n"
        for _ in range(100):
            yield b"x" * 1000

    answer = httpx.Response(200, content=chunks(), headers={"content-type": "application/pdf"})
    with (
        sync_client(Recorder(answer), max_response_bytes=20_000) as client,
        pytest.raises(XeroResponseError, match="max_response_bytes"),
    ):
        client.invoices.pdf_to(invoice_id=INVOICE, destination=tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_total_deadline_stops_a_trickling_download(tmp_path: pathlib.Path) -> None:
    def slow() -> Iterator[bytes]:
        yield b"%PDF-1.4\n"
        for _ in range(50):
            time_sleep(0.02)
            yield b"x" * 100

    answer = httpx.Response(200, content=slow(), headers={"content-type": "application/pdf"})
    with (
        sync_client(Recorder(answer), timeout=0.2, max_retries=0) as client,
        pytest.raises(XeroTimeoutError),
    ):
        client.invoices.pdf_to(invoice_id=INVOICE, destination=tmp_path / "slow.pdf")
    assert list(tmp_path.iterdir()) == []


_real_sleep = time.sleep


def time_sleep(seconds: float) -> None:
    _real_sleep(seconds)


# ------------------------------------------------------------------------------ streaming


def test_pdf_to_path_is_atomic_and_returns_the_count(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "invoice.pdf"
    target.write_bytes(b"old content")
    with sync_client(Recorder(pdf_answer())) as client:
        assert client.invoices.pdf_to(invoice_id=INVOICE, destination=target) == len(PDF)
        assert client.invoices.pdf_to(invoice_id=INVOICE, destination=str(target)) == len(PDF)
    assert target.read_bytes() == PDF
    assert sorted(p.name for p in tmp_path.iterdir()) == ["invoice.pdf"]


def test_a_failed_download_leaves_the_old_file_and_no_temporary(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "invoice.pdf"
    target.write_bytes(b"old content")
    page = httpx.Response(
        200, content=b"<html><title>x</title></html>", headers={"content-type": "text/html"}
    )
    with sync_client(Recorder(page)) as client, pytest.raises(XeroResponseError):
        client.invoices.pdf_to(invoice_id=INVOICE, destination=target)
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["invoice.pdf"]


class BrokenOnce:
    """Answers the PDF; the first answer's body breaks after 3000 bytes (a reset)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls == 1:

            def broken() -> Iterator[bytes]:
                yield PDF[:3000]
                raise httpx.ReadError("connection reset")

            return httpx.Response(
                200, content=broken(), headers={"content-type": "application/pdf"}
            )
        return pdf_answer()


def test_a_broken_connection_mid_body_is_retried_into_a_path(tmp_path: pathlib.Path) -> None:
    answer = BrokenOnce()
    target = tmp_path / "retried.pdf"
    with sync_client(answer) as client:
        assert client.invoices.pdf_to(invoice_id=INVOICE, destination=target) == len(PDF)
    assert target.read_bytes() == PDF
    assert answer.calls == 2


def test_a_seekable_file_is_rewound_for_a_retry_and_a_pipe_is_not() -> None:
    out = io.BytesIO(b"keep:")
    out.seek(5)
    with sync_client(BrokenOnce()) as client:
        client.invoices.pdf_to(invoice_id=INVOICE, destination=out)
    assert out.getvalue() == b"keep:" + PDF

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            self.data += bytes(b)
            return len(b)

    pipe = Pipe()
    with sync_client(BrokenOnce()) as client, pytest.raises(XeroConnectionError):
        client.invoices.pdf_to(invoice_id=INVOICE, destination=pipe)
    assert bytes(pipe.data) == PDF[:3000]  # written once, never twice


def test_download_to_file_object_in_chunks_with_constant_memory() -> None:
    sizes: list[int] = []

    class Sink(io.BytesIO):
        def write(self, b: Any) -> int:
            sizes.append(len(b))
            return super().write(b)

    body = b"Z" * (3 * 1024 * 1024)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    answer = httpx.Response(200, content=chunks(), headers={"content-type": "image/png"})
    sink = Sink()
    with sync_client(Recorder(answer)) as client:
        written = client.invoices.attachments.download_to(
            invoice_id=INVOICE, file_name="scan.png", destination=sink
        )
    assert written == len(body) and sink.getvalue() == body
    assert max(sizes) <= 128 * 1024  # chunk by chunk, never the whole body at once


@pytest.mark.parametrize(
    ("destination", "needle"),
    [
        ("", "empty"),
        ("/no/such/folder/x.pdf", "folder does not exist"),
        (io.StringIO(), "text mode"),
        (42, "binary file object"),
    ],
)
def test_bad_destinations_are_refused_before_sending(destination: Any, needle: str) -> None:
    recorder = Recorder(pdf_answer())
    with sync_client(recorder) as client, pytest.raises(RequestValidationError, match=needle):
        client.invoices.pdf_to(invoice_id=INVOICE, destination=destination)
    assert recorder.requests == []


def test_a_folder_as_destination_is_refused(tmp_path: pathlib.Path) -> None:
    with (
        sync_client(Recorder(pdf_answer())) as client,
        pytest.raises(RequestValidationError, match="folder"),
    ):
        client.invoices.pdf_to(invoice_id=INVOICE, destination=tmp_path)


# ------------------------------------------------------------------------------ attachments: download


def test_download_by_name_sends_the_content_type_header_and_encodes_the_name() -> None:
    recorder = Recorder(
        httpx.Response(200, content=b"PNGDATA", headers={"content-type": "image/png"})
    )
    with sync_client(recorder) as client:
        assert (
            client.invoices.attachments.download(invoice_id=INVOICE, file_name="scan 1 [a].png")
            == b"PNGDATA"
        )
        client.receipts.attachments.download(
            receipt_id=INVOICE, attachment_id=uuid.UUID(ATTACHMENT)
        )
        client.contacts.attachments.download(
            contact_id=INVOICE, file_name="x.bin", content_type="application/x-custom"
        )
    first, second, third = recorder.requests
    assert (
        first.url.raw_path.decode()
        == f"/api.xro/2.0/Invoices/{INVOICE}/Attachments/scan%201%20%5Ba%5D.png"
    )
    assert first.headers["contentType"] == "image/png"
    assert first.headers["accept"] == "*/*"
    assert second.url.path == f"/api.xro/2.0/Receipts/{INVOICE}/Attachments/{ATTACHMENT}"
    assert second.headers["contentType"] == "application/octet-stream"
    assert third.headers["contentType"] == "application/x-custom"


def test_download_needs_exactly_one_of_name_and_id() -> None:
    recorder = Recorder(pdf_answer())
    with sync_client(recorder) as client:
        with pytest.raises(RequestValidationError, match="file_name"):
            client.invoices.attachments.download(invoice_id=INVOICE)
        with pytest.raises(RequestValidationError):
            client.invoices.attachments.download(
                invoice_id=INVOICE, file_name="a.pdf", attachment_id=ATTACHMENT
            )
    assert recorder.requests == []


def test_an_xml_attachment_is_returned_when_asked_for_but_html_for_a_png_is_refused() -> None:
    xml_file = httpx.Response(200, content=b"<data/>", headers={"content-type": "application/xml"})
    with sync_client(Recorder(xml_file)) as client:
        assert (
            client.invoices.attachments.download(invoice_id=INVOICE, file_name="data.xml")
            == b"<data/>"
        )
    page = httpx.Response(
        200, content=b"<html><title>Login</title></html>", headers={"content-type": "text/html"}
    )
    with sync_client(Recorder(page)) as client, pytest.raises(XeroResponseError, match="text/html"):
        client.invoices.attachments.download(invoice_id=INVOICE, file_name="scan.png")


# ------------------------------------------------------------------------------ uploads


def test_upload_lists_first_then_streams_with_length_and_type(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(PDF)
    recorder = Recorder(
        httpx.Response(200, content=attachments_xml("other.png"), headers=XML),
        httpx.Response(200, content=attachments_xml("receipt.pdf"), headers=XML),
    )
    with sync_client(recorder) as client:
        saved = client.invoices.attachments.upload(
            invoice_id=INVOICE, file_name="receipt.pdf", content=path, include_online=True
        )
    assert saved.file_name == "receipt.pdf"
    listing, put = recorder.requests
    assert (
        listing.method == "GET"
        and listing.url.path == f"/api.xro/2.0/Invoices/{INVOICE}/Attachments"
    )
    assert put.method == "PUT"
    assert put.url.path == f"/api.xro/2.0/Invoices/{INVOICE}/Attachments/receipt.pdf"
    assert put.url.params["IncludeOnline"] == "true"
    assert put.headers["content-type"] == "application/pdf"
    assert put.headers["content-length"] == str(len(PDF))
    assert "transfer-encoding" not in put.headers
    assert "Idempotency-Key" in put.headers
    assert recorder.bodies[1] == PDF


@pytest.mark.parametrize(
    "content",
    [PDF, bytearray(PDF), memoryview(PDF), "file-object", "path"],
)
def test_every_kind_of_content_sends_the_same_bytes(content: Any, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "c.bin"
    path.write_bytes(b"ignored prefix" + PDF)
    if content == "path":
        path.write_bytes(PDF)
        content = path
    elif content == "file-object":
        handle = open(path, "rb")  # noqa: SIM115
        handle.seek(len(b"ignored prefix"))  # from its current position
        content = handle
    recorder = Recorder(httpx.Response(200, content=attachments_xml("c.bin"), headers=XML))
    with sync_client(recorder) as client:
        client.accounts.attachments.replace(account_id=INVOICE, file_name="c.bin", content=content)
    put = recorder.requests[-1]
    assert put.method == "POST"
    assert put.headers["content-type"] == "application/octet-stream"
    assert put.headers["content-length"] == str(len(PDF))
    assert recorder.bodies[-1] == PDF
    if hasattr(content, "close"):
        assert not content.closed  # the caller's file stays open
        content.close()


def test_a_non_seekable_file_is_spooled_and_sent_with_its_length() -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"piped bytes")
    os.close(write_fd)
    with open(read_fd, "rb") as pipe:
        recorder = Recorder(httpx.Response(200, content=attachments_xml("p.txt"), headers=XML))
        with sync_client(recorder) as client:
            client.quotes.attachments.replace(quote_id=INVOICE, file_name="p.txt", content=pipe)
    assert recorder.requests[-1].headers["content-length"] == "11"
    assert recorder.requests[-1].headers["content-type"] == "text/plain"
    assert recorder.bodies[-1] == b"piped bytes"


@pytest.mark.parametrize("kind", ["bytes", "path", "file"])
def test_a_retried_upload_reads_the_content_again_from_the_start(
    kind: str, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(PDF)
    content: Any = {"bytes": PDF, "path": path, "file": None}[kind]
    if kind == "file":
        content = open(path, "rb")  # noqa: SIM115
    recorder = Recorder(
        httpx.Response(200, content=attachments_xml(), headers=XML),
        httpx.Response(503, content=b"busy"),
        httpx.Response(502, content=b"bad gateway"),
        httpx.Response(200, content=attachments_xml("scan.png"), headers=XML),
    )
    with sync_client(recorder) as client:
        client.invoices.attachments.upload(
            invoice_id=INVOICE, file_name="scan.png", content=content
        )
    assert [r.method for r in recorder.requests] == ["GET", "PUT", "PUT", "PUT"]
    assert recorder.bodies[1:] == [PDF, PDF, PDF]
    keys = {r.headers["Idempotency-Key"] for r in recorder.requests[1:]}
    assert len(keys) == 1  # the same logical write
    if kind == "file":
        content.close()


def test_an_11th_new_file_is_refused_before_sending_but_a_replacement_is_allowed() -> None:
    full = attachments_xml(*(f"f{n}.pdf" for n in range(10)))
    recorder = Recorder(httpx.Response(200, content=full, headers=XML))
    with sync_client(recorder) as client:
        with pytest.raises(RequestValidationError, match="10") as caught:
            client.invoices.attachments.upload(
                invoice_id=INVOICE, file_name="new.pdf", content=b"x"
            )
        assert "files per document" in str(caught.value)
        assert [r.method for r in recorder.requests] == ["GET"]
        recorder.answers = [
            httpx.Response(200, content=full, headers=XML),
            httpx.Response(200, content=attachments_xml("f3.pdf"), headers=XML),
        ]
        client.invoices.attachments.upload(invoice_id=INVOICE, file_name="f3.pdf", content=b"x")
    assert [r.method for r in recorder.requests] == ["GET", "GET", "PUT"]


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"file_name": "", "content": b"x"}, "must not be empty"),
        ({"file_name": "a" * 256, "content": b"x"}, "at most 255"),
        ({"file_name": "dir/a.pdf", "content": b"x"}, "`/`"),
        ({"file_name": "dir\\a.pdf", "content": b"x"}, "`/` or `\\`"),
        ({"file_name": "a\nb.pdf", "content": b"x"}, "control characters"),
        ({"file_name": "a.txt", "content": "some text"}, "got a str"),
        ({"file_name": "a.txt", "content": io.StringIO("text")}, "text mode"),
        ({"file_name": "a.txt", "content": 12}, "binary file object"),
        ({"file_name": "a.txt", "content": pathlib.Path("/no/such/file")}, "cannot be read"),
        ({"file_name": "a.txt", "content": b"x" * 2001}, "max_attachment_bytes"),
        ({"file_name": "a.txt", "content": b"x", "content_type": "not a type"}, "media type"),
    ],
)
def test_limits_are_checked_before_anything_is_sent(kwargs: dict[str, Any], needle: str) -> None:
    recorder = Recorder(httpx.Response(200, content=attachments_xml(), headers=XML))
    with (
        sync_client(recorder, max_attachment_bytes=2000) as client,
        pytest.raises(RequestValidationError) as caught,
    ):
        client.invoices.attachments.upload(invoice_id=INVOICE, **kwargs)
    assert needle in str(caught.value)
    assert recorder.requests == []


def test_the_size_limit_names_the_option_and_counts_a_file_without_reading_it(
    tmp_path: pathlib.Path,
) -> None:
    big = tmp_path / "big.bin"
    with open(big, "wb") as f:
        f.truncate(11 * 1024 * 1024)  # sparse: never read
    recorder = Recorder(httpx.Response(200, content=attachments_xml(), headers=XML))
    with sync_client(recorder) as client:
        with pytest.raises(RequestValidationError, match="max_attachment_bytes") as caught:
            client.bank_transactions.attachments.upload(
                bank_transaction_id=INVOICE, file_name="big.bin", content=big
            )
        with (
            open(big, "rb") as handle,
            pytest.raises(RequestValidationError, match="max_attachment_bytes"),
        ):
            client.bank_transactions.attachments.upload(
                bank_transaction_id=INVOICE, file_name="big.bin", content=handle
            )
    assert "11,534,336" in str(caught.value) and "10,485,760" in str(caught.value)
    assert recorder.requests == []


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_max_attachment_bytes_is_validated(bad: Any) -> None:
    with pytest.raises(RequestValidationError, match="max_attachment_bytes"):
        sync_client(Recorder(pdf_answer()), max_attachment_bytes=bad)


def test_a_validation_error_of_xero_on_upload_is_typed_and_not_retried() -> None:
    recorder = Recorder(
        httpx.Response(200, content=attachments_xml(), headers=XML),
        httpx.Response(400, content=API_EXCEPTION, headers=XML),
    )
    with sync_client(recorder) as client, pytest.raises(ValidationError):
        client.invoices.attachments.upload(invoice_id=INVOICE, file_name="a.pdf", content=b"x")
    assert [r.method for r in recorder.requests] == ["GET", "PUT"]


def test_413_from_xero_is_an_api_error_naming_the_limit() -> None:
    recorder = Recorder(
        httpx.Response(200, content=attachments_xml(), headers=XML),
        httpx.Response(
            413, json={"Title": "RequestEntityTooLarge", "Status": 413, "Detail": "PayloadTooLarge"}
        ),
    )
    with sync_client(recorder) as client, pytest.raises(XeroAPIError) as caught:
        client.invoices.attachments.upload(invoice_id=INVOICE, file_name="a.pdf", content=b"x")
    assert caught.value.status_code == 413
    assert "PayloadTooLarge" in str(caught.value)


def test_no_secret_in_errors_or_trace_logs(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(5, logger="xero_customer_api")
    recorder = Recorder(
        httpx.Response(200, content=attachments_xml(), headers=XML),
        httpx.Response(500, content=TOKEN.encode()),
    )
    with sync_client(recorder, max_retries=0) as client, pytest.raises(XeroError) as caught:
        client.invoices.attachments.upload(
            invoice_id=INVOICE, file_name="a.pdf", content=b"secret-file-bytes"
        )
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value)
    assert TOKEN not in caplog.text
    assert "secret-file-bytes" not in caplog.text  # a file's bytes are never logged
    assert "17 bytes of application/pdf" in caplog.text
    assert logging.getLogger("xero_customer_api")


def test_trace_logs_a_file_answer_by_its_size_and_an_error_page_as_text(
    caplog: pytest.LogCaptureFixture, tmp_path: pathlib.Path
) -> None:
    caplog.set_level(5, logger="xero_customer_api")
    recorder = Recorder(
        pdf_answer(),
        pdf_answer(),
        httpx.Response(
            404,
            content=b"<html><title>Not here</title></html>",
            headers={"content-type": "text/html"},
        ),
    )
    with sync_client(recorder, max_retries=0) as client:
        client.invoices.pdf(invoice_id=INVOICE)
        client.invoices.pdf_to(invoice_id=INVOICE, destination=tmp_path / "a.pdf")
        with pytest.raises(XeroError):
            client.invoices.pdf(invoice_id=INVOICE)
    assert "%PDF" not in caplog.text  # a file's bytes are never logged
    assert f"response body: {len(PDF)} bytes of application/pdf" in caplog.text
    assert f"response body: {len(PDF)} bytes written to the destination" in caplog.text
    assert "response body: <html><title>Not here</title></html>" in caplog.text


# ------------------------------------------------------------------------------ async


@pytest.mark.asyncio
async def test_async_pdf_download_and_upload(tmp_path: pathlib.Path) -> None:
    recorder = Recorder(
        pdf_answer(),
        pdf_answer(),
        httpx.Response(200, content=b"FILE", headers={"content-type": "image/jpeg"}),
        httpx.Response(200, content=attachments_xml(), headers=XML),
        httpx.Response(503, content=b"busy"),
        httpx.Response(200, content=attachments_xml("x.jpg"), headers=XML),
    )
    path = tmp_path / "x.jpg"
    path.write_bytes(b"JPEGDATA")
    async with async_client(recorder) as client:
        assert await client.purchase_orders.pdf(purchase_order_id=INVOICE) == PDF
        assert await client.purchase_orders.pdf_to(
            purchase_order_id=INVOICE, destination=tmp_path / "po.pdf"
        ) == len(PDF)
        out = io.BytesIO()
        assert (
            await client.invoices.attachments.download_to(
                invoice_id=INVOICE, file_name="x.jpg", destination=out
            )
            == 4
        )
        saved = await client.invoices.attachments.upload(
            invoice_id=INVOICE, file_name="x.jpg", content=path
        )
    assert (tmp_path / "po.pdf").read_bytes() == PDF
    assert out.getvalue() == b"FILE"
    assert saved.file_name == "x.jpg"
    assert recorder.bodies[-2:] == [b"JPEGDATA", b"JPEGDATA"]
    assert recorder.requests[-1].headers["content-type"] == "image/jpeg"


@pytest.mark.asyncio
async def test_async_errors_and_atomic_failure(tmp_path: pathlib.Path) -> None:
    page = httpx.Response(
        200, content=b"<html><title>x</title></html>", headers={"content-type": "text/html"}
    )
    async with async_client(Recorder(page)) as client:
        with pytest.raises(XeroResponseError):
            await client.invoices.pdf(invoice_id=INVOICE)
        with pytest.raises(XeroResponseError):
            await client.invoices.pdf_to(invoice_id=INVOICE, destination=tmp_path / "x.pdf")
        with pytest.raises(RequestValidationError, match="got a str"):
            await client.invoices.attachments.upload(
                invoice_id=INVOICE, file_name="a", content="text"
            )
    assert list(tmp_path.iterdir()) == []


def test_token_expired_is_renewed_once_for_a_streamed_download(tmp_path: pathlib.Path) -> None:
    expired = httpx.Response(
        401,
        json={"Title": "Unauthorized", "Detail": "TokenExpired: token expired at 01/01/2026"},
    )
    recorder = Recorder(expired, pdf_answer())
    renewed: list[bool] = []
    with sync_client(recorder) as client:
        client._auth.renew = lambda request: renewed.append(True) or True  # type: ignore[method-assign]
        assert client.invoices.pdf_to(invoice_id=INVOICE, destination=tmp_path / "r.pdf") == len(
            PDF
        )
    assert renewed == [True] and len(recorder.requests) == 2


def test_a_20_mb_download_to_a_path_holds_little_memory(tmp_path: pathlib.Path) -> None:
    import tracemalloc

    piece = b"%PDF-1.4\n" + b"z" * (64 * 1024 - 9)

    def chunks() -> Iterator[bytes]:
        for _ in range(320):  # 20 MiB
            yield piece

    answer = httpx.Response(200, content=chunks(), headers={"content-type": "application/pdf"})
    target = tmp_path / "big.pdf"
    with sync_client(Recorder(pdf_answer(), answer)) as client:
        client.invoices.pdf_to(invoice_id=INVOICE, destination=target)  # imports, connection
        tracemalloc.start()
        try:
            written = client.invoices.pdf_to(invoice_id=INVOICE, destination=target)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert written == 320 * len(piece) == target.stat().st_size
    assert peak < 2 * 1024 * 1024, peak  # a few chunks, never the file


def test_a_20_mb_upload_from_a_path_is_read_in_chunks(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.bin"
    with open(path, "wb") as f:
        for _ in range(320):
            f.write(b"u" * 65536)
    seen: list[int] = []

    class Streaming(httpx.BaseTransport):
        """Reads the request body as a server would: chunk by chunk, never whole."""

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "GET":
                return httpx.Response(200, content=attachments_xml(), headers=XML)
            assert isinstance(request.stream, httpx.SyncByteStream)
            for chunk in request.stream:
                seen.append(len(chunk))
            assert sum(seen) == 320 * 65536 == int(request.headers["content-length"])
            return httpx.Response(200, content=attachments_xml("big.bin"), headers=XML)

    with XeroClient(
        access_token=TOKEN,
        tenant_id=TENANT,
        base_url=BASE,
        http_client=httpx.Client(transport=Streaming()),
        limiter=None,
        max_attachment_bytes=32 * 1024 * 1024,
    ) as client:
        client.invoices.attachments.upload(invoice_id=INVOICE, file_name="big.bin", content=path)
    assert len(seen) == 320 and max(seen) == 65536  # streamed, 64 KiB at a time

"""The `xero` commands of files (issue 18): `xero invoices pdf ID -o FILE`, `xero invoices
attachments upload ID FILE`, `... download ID NAME -o FILE`, `... list ID`, with progress on
standard error for large transfers, standard input and output, and refusals."""

from __future__ import annotations

import io
import json
import pathlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from xero_customer_api._runtime import _cli_support as cs

from . import test_cli
from .test_cli import GUID

xero = test_cli.xero  # the fixture: a CliRunner on httpx's MockTransport

PDF = b"%PDF-1.4\n" + b"x" * 5000 + b"\n%%EOF\n"
BIG = b"%PDF-1.4\n" + b"y" * (3 * 1024 * 1024)


def attachments(*names: str) -> bytes:
    items = "".join(
        f"<Attachment><AttachmentID>ea7f7b6a-0d22-4d5c-9317-54542a10215e</AttachmentID>"
        f"<FileName>{n}</FileName><MimeType>text/plain</MimeType>"
        f"<ContentLength>11</ContentLength></Attachment>"
        for n in names
    )
    return f"<Response><Status>OK</Status><Attachments>{items}</Attachments></Response>".encode()


def routes(body: bytes = PDF) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/pdf"):
            return httpx.Response(200, content=body, headers={"content-type": "application/pdf"})
        if path.endswith("/Attachments"):
            return httpx.Response(
                200, content=attachments("old.txt"), headers={"content-type": "text/xml"}
            )
        if request.method in ("PUT", "POST"):
            name = path.rsplit("/", 1)[1]
            return httpx.Response(
                200, content=attachments(name), headers={"content-type": "text/xml"}
            )
        return httpx.Response(200, content=body, headers={"content-type": "text/plain"})

    return answer


def test_pdf_to_a_file(xero: Any, tmp_path: pathlib.Path) -> None:
    run, seen = xero(routes())
    target = tmp_path / "invoice.pdf"
    result = run("invoices", "pdf", GUID, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == PDF
    assert seen[0].headers["accept"] == "application/pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["invoice.pdf"]


def test_pdf_to_standard_output_when_piped(xero: Any) -> None:
    run, _ = xero(routes())
    result = run("credit-notes", "pdf", GUID, "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == PDF


def test_binary_is_never_written_to_a_terminal(xero: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    run, _ = xero(routes())
    monkeypatch.setattr(cs.sys.stdout, "isatty", lambda: True, raising=False)
    real = cs.binary_output

    def on_terminal(output: str, label: str, progress: bool | None) -> Any:
        monkeypatch.setattr(cs.sys.stdout, "isatty", lambda: True, raising=False)
        return real(output, label, progress)

    monkeypatch.setattr(cs, "binary_output", on_terminal)
    result = run("invoices", "pdf", GUID)
    assert result.exit_code == 2
    assert "terminal" in result.output


def test_a_failed_pdf_leaves_nothing(xero: Any, tmp_path: pathlib.Path) -> None:
    run, _ = xero(
        lambda r: httpx.Response(
            200, content=b"<html><title>Down</title></html>", headers={"content-type": "text/html"}
        )
    )
    target = tmp_path / "invoice.pdf"
    result = run("invoices", "pdf", GUID, "-o", str(target))
    assert result.exit_code != 0
    assert "not" in result.output and "PDF" in result.output
    assert list(tmp_path.iterdir()) == []


def test_upload_a_file_by_position(xero: Any, tmp_path: pathlib.Path) -> None:
    run, seen = xero(routes())
    source = tmp_path / "delivery note.txt"
    source.write_bytes(b"hello world")
    result = run(
        "invoices",
        "attachments",
        "upload",
        GUID,
        str(source),
        "--include-online",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["file_name"] == "delivery note.txt"
    listing, put = seen
    assert listing.method == "GET"
    assert put.method == "PUT" and put.url.params["IncludeOnline"] == "true"
    assert put.url.raw_path.decode().split("?")[0].endswith("/Attachments/delivery%20note.txt")
    assert put.headers["content-type"] == "text/plain"
    assert put.content == b"hello world"


def test_upload_from_standard_input_needs_a_name(xero: Any) -> None:
    run, seen = xero(routes())
    refused = run("receipts", "attachments", "upload", GUID, "-", input=b"piped")
    assert refused.exit_code == 2 and "--name" in refused.output
    result = run(
        "receipts",
        "attachments",
        "replace",
        GUID,
        "-",
        "--name",
        "p.bin",
        "--content-type",
        "application/x-thing",
        "--format",
        "json",
        input=b"piped",
    )
    assert result.exit_code == 0, result.output
    assert seen[-1].method == "POST" and seen[-1].content == b"piped"
    assert seen[-1].headers["content-type"] == "application/x-thing"


def test_upload_refusals_exit_before_sending(xero: Any, tmp_path: pathlib.Path) -> None:
    run, seen = xero(routes())
    missing = run("invoices", "attachments", "upload", GUID, str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "cannot be read" in missing.output
    source = tmp_path / "a.txt"
    source.write_bytes(b"x")
    bad = run("invoices", "attachments", "upload", GUID, str(source), "--name", "a/b.txt")
    assert bad.exit_code != 0 and "`/`" in bad.output
    assert seen == []


def test_download_by_name_or_id(xero: Any, tmp_path: pathlib.Path) -> None:
    run, seen = xero(routes(b"file content"))
    target = tmp_path / "copy.txt"
    result = run("invoices", "attachments", "download", GUID, "notes.txt", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == b"file content"
    assert seen[0].headers["contentType"] == "text/plain"
    by_id = run(
        "contacts",
        "attachments",
        "download",
        GUID,
        "--attachment-id",
        "ea7f7b6a-0d22-4d5c-9317-54542a10215e",
        "-o",
        str(target),
    )
    assert by_id.exit_code == 0, by_id.output
    assert seen[-1].url.path.endswith("/Attachments/ea7f7b6a-0d22-4d5c-9317-54542a10215e")
    neither = run("contacts", "attachments", "download", GUID, "-o", str(target))
    assert neither.exit_code == 2


def test_list_attachments(xero: Any) -> None:
    run, _ = xero(routes())
    result = run("invoices", "attachments", "list", GUID, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [a["file_name"] for a in json.loads(result.stdout)] == ["old.txt"]


def test_progress_on_large_transfers_only(xero: Any, tmp_path: pathlib.Path) -> None:
    run, _ = xero(routes(BIG))
    small = run("invoices", "pdf", GUID, "-o", str(tmp_path / "s.pdf"))
    assert small.exit_code == 0 and "Downloading" not in small.stderr
    big = run("invoices", "pdf", GUID, "-o", str(tmp_path / "b.pdf"), "--progress")
    assert big.exit_code == 0, big.output
    assert "Downloading the PDF" in big.stderr and "MB" in big.stderr
    source = tmp_path / "big.bin"
    source.write_bytes(BIG)
    up = run(
        "invoices", "attachments", "upload", GUID, str(source), "--progress", "--format", "json"
    )
    assert up.exit_code == 0, up.output
    assert "Uploading big.bin" in up.stderr and "100%" in up.stderr
    quiet = run(
        "invoices", "attachments", "upload", GUID, str(source), "--no-progress", "--format", "json"
    )
    assert "Uploading" not in quiet.stderr


def test_byte_progress_draws_after_the_threshold_only() -> None:
    out = io.StringIO()
    ticks = iter(range(100))
    progress = cs.ByteProgress(
        "Moving", total=4_000_000, enabled=True, stream=out, clock=lambda: next(ticks)
    )
    progress.set(500_000)
    assert out.getvalue() == ""
    progress.set(2_000_000)
    progress.close()
    assert "Moving: 1.9 MB/3.8 MB (50%" in out.getvalue()

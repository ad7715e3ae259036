"""A hostile-XML corpus: each document is refused with XeroResponseError, quickly, nothing is
fetched (a loopback listener counts hits) and no file content shows up anywhere."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree
from xero_customer_api import XeroResponseError
from xero_customer_api._runtime._xml import (
    HARDENED_PARSER_OPTIONS,
    UnsafeXMLError,
    parse_document,
    refuse_doctype,
    refuse_doctype_bytes,
)

from .helpers import XML, Recorder, exception_chain, sync_client
from .loopback import Loopback, loopback

SECRET_TEXT = "TOP-SECRET-FILE-CONTENT-4f1c"
NAME = "<Contacts><Contact><Name>{}</Name></Contact></Contacts>"
ENVELOPE = (
    "<Response><ID>1</ID><Status>OK</Status><ProviderName>P</ProviderName>"
    "<DateTimeUTC>2024-01-01T00:00:00Z</DateTimeUTC>" + NAME + "</Response>"
)


def billion_laughs() -> str:
    lines = ['<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        lines.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    return f"<!DOCTYPE Response [{''.join(lines)}]>" + ENVELOPE.format("&lol9;")


def quadratic_blowup() -> str:
    big = "A" * 50_000
    return f'<!DOCTYPE Response [<!ENTITY a "{big}">]>' + ENVELOPE.format("&a;" * 20_000)


def corpus(secret: Path, url: str) -> dict[str, str]:
    return {
        "billion_laughs": billion_laughs(),
        "quadratic_blowup": quadratic_blowup(),
        "xxe_local_file": f'<!DOCTYPE Response [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        + ENVELOPE.format("&xxe;"),
        "xxe_loopback_url": f'<!DOCTYPE Response [<!ENTITY xxe SYSTEM "{url}/xxe">]>'
        + ENVELOPE.format("&xxe;"),
        "external_dtd": f'<!DOCTYPE Response SYSTEM "{url}/evil.dtd">' + ENVELOPE.format("x"),
        "parameter_entities": f'<!DOCTYPE Response [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>'
        + ENVELOPE.format("&exfil;"),
        "public_dtd": f'<!DOCTYPE Response PUBLIC "-//X//EN" "{url}/pub.dtd">'
        + ENVELOPE.format("x"),
        "utf16_doctype": (
            '<?xml version="1.0" encoding="UTF-16"?>'
            f'<!DOCTYPE Response [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
            + ENVELOPE.format("&xxe;")
        ),
        "xinclude": (
            '<Response xmlns:xi="http://www.w3.org/2001/XInclude"><ID>1</ID><Status>OK</Status>'
            "<ProviderName>P</ProviderName><DateTimeUTC>2024-01-01T00:00:00Z</DateTimeUTC>"
            f'<Contacts><Contact><Name><xi:include href="{secret.as_uri()}" parse="text"/></Name>'
            "</Contact></Contacts></Response>"
        ),
    }


NAMES = [
    "billion_laughs",
    "quadratic_blowup",
    "xxe_local_file",
    "xxe_loopback_url",
    "external_dtd",
    "parameter_entities",
    "public_dtd",
    "utf16_doctype",
    "xinclude",
]


@pytest.fixture(scope="module")
def listener() -> Iterator[Loopback]:
    with loopback() as server:
        server.answer = lambda method, path: (
            200,
            {"content-type": "text/plain"},
            SECRET_TEXT.encode(),
        )
        yield server


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "secret.txt"
    path.write_text(SECRET_TEXT)
    return path


def encode(name: str, text: str) -> bytes:
    return text.encode("utf-16") if name == "utf16_doctype" else text.encode()


@pytest.mark.parametrize("name", NAMES)
def test_hostile_document_is_refused(name: str, listener: Loopback, secret: Path) -> None:
    body = encode(name, corpus(secret, listener.url)[name])
    rec = Recorder(httpx.Response(200, content=body, headers=XML))
    outcome: object
    with sync_client(rec) as client:
        try:
            outcome = client.contacts.list()
        except XeroResponseError as exc:
            outcome = exc
    assert listener.hits == []
    assert rec.count == 1  # refused, not retried
    if name == "xinclude":
        # no DOCTYPE: XInclude is simply not processed; the element is not a Name text
        assert not isinstance(outcome, BaseException) or isinstance(outcome, XeroResponseError)
        assert SECRET_TEXT not in repr(outcome)
        return
    assert isinstance(outcome, XeroResponseError), f"{name}: {outcome!r}"
    # "Quickly" by construction rather than by a clock: the document is refused for its DOCTYPE,
    # before libxml2 processes any declaration, so no entity is ever expanded.
    assert "DOCTYPE" in str(outcome), f"{name}: {outcome}"
    everything = "".join(traceback.format_exception(outcome))
    everything += "".join(repr(e) + str(e) for e in exception_chain(outcome))
    assert SECRET_TEXT not in everything


@pytest.mark.parametrize("name", NAMES[:-1])
def test_parse_document_refuses_doctypes(name: str, listener: Loopback, secret: Path) -> None:
    with pytest.raises((UnsafeXMLError, ValueError)):
        parse_document(encode(name, corpus(secret, listener.url)[name]))
    assert listener.hits == []


def test_a_plain_document_still_parses(listener: Loopback) -> None:
    root = parse_document(ENVELOPE.format("Ada &amp; Co &#169;").encode())
    assert root.findtext("Contacts/Contact/Name") == "Ada & Co \u00a9"
    assert listener.hits == []


def test_truncated_document_is_never_a_partial_object() -> None:
    full = ENVELOPE.format("Wellington Books").encode()
    for cut in range(1, len(full) - 1, 7):
        rec = Recorder(httpx.Response(200, content=full[:cut], headers=XML))
        with sync_client(rec) as client, pytest.raises(XeroResponseError):
            client.contacts.list()


class _Chunked(httpx.SyncByteStream):
    """The body in small chunks, so a stream sees it arrive in pieces."""

    def __init__(self, data: bytes, size: int = 5) -> None:
        self.data, self.size = data, size

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), self.size):
            yield self.data[start : start + self.size]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_document_is_refused_by_iter(name: str, listener: Loopback, secret: Path) -> None:
    """iter() applies exactly the hardening of list(), whatever the encoding."""
    body = encode(name, corpus(secret, listener.url)[name])
    rec = Recorder(lambda request: httpx.Response(200, stream=_Chunked(body), headers=XML))
    yielded: list[object] = []
    outcome: object = None
    with sync_client(rec) as client:
        try:
            for contact in client.contacts.iter():
                yielded.append(contact)
        except XeroResponseError as exc:
            outcome = exc
    assert listener.hits == []
    assert rec.count == 1
    if name == "xinclude":
        assert SECRET_TEXT not in repr(yielded) + repr(outcome)
        return
    assert yielded == [], f"{name}: handed out {yielded!r}"
    assert isinstance(outcome, XeroResponseError), f"{name}: {outcome!r}"
    assert "DOCTYPE" in str(outcome), f"{name}: {outcome}"
    everything = "".join(traceback.format_exception(outcome))
    everything += "".join(repr(e) + str(e) for e in exception_chain(outcome))
    assert SECRET_TEXT not in everything


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-7"]
)
def test_the_after_parse_doctype_check_holds_in_every_encoding(encoding: str) -> None:
    declared = {"utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}.get(encoding, encoding.upper())
    text = f'<?xml version="1.0" encoding="{declared}"?><!DOCTYPE Response>' + ENVELOPE.format("x")
    data = text.encode(encoding)
    if encoding in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
        with pytest.raises(UnsafeXMLError):  # the cheap early refusal sees these
            refuse_doctype_bytes(data)
    # whatever the encoding, the check on the tree (parsed with the same options) holds alone
    root = etree.fromstring(data, parser=etree.XMLParser(**HARDENED_PARSER_OPTIONS))
    with pytest.raises(UnsafeXMLError):
        refuse_doctype(root)
    with pytest.raises(UnsafeXMLError):
        parse_document(data)

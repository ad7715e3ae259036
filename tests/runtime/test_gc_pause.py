"""Whole-document decodes pause automatic garbage collection and always restore it."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from lxml import etree
from xero_customer_api._runtime import _gc
from xero_customer_api._runtime._errors import XeroResponseError
from xero_customer_api._runtime._xml import bind, parse_document
from xero_customer_api.v1_0 import models
from xero_customer_api.v1_0._codec import DECODERS, decode_contact

GOOD = b"<Contact><Name>A</Name></Contact>"
BAD = b"<Contact><Name>A</Name><UpdatedDateUTC>yesterday</UpdatedDateUTC></Contact>"


@pytest.fixture(autouse=True)
def gc_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    assert _gc._depth == 0
    if not was:
        gc.disable()


def test_paused_while_decoding_and_restored() -> None:
    seen: list[bool] = []

    def decode(el: etree._Element, strict: bool) -> models.Contact:
        seen.append(gc.isenabled())
        return decode_contact(el, strict)

    assert _gc.paused(decode)(parse_document(GOOD), False).name == "A"
    assert seen == [False] and gc.isenabled()


@pytest.mark.parametrize("doc", [GOOD, BAD], ids=["ok", "error"])
def test_decoders_and_bind_restore_collection(doc: bytes) -> None:
    for run in (
        lambda: DECODERS[models.Contact](parse_document(doc), False),
        lambda: bind(parse_document(doc), models.Contact),
    ):
        try:
            run()
        except XeroResponseError:
            assert doc is BAD
        assert gc.isenabled()


def test_an_application_that_disabled_collection_is_left_alone() -> None:
    gc.disable()
    DECODERS[models.Contact](parse_document(GOOD), False)
    assert not gc.isenabled()
    gc.enable()


def test_nested_and_concurrent_pauses() -> None:
    _gc.pause()
    _gc.pause()
    _gc.resume()
    assert not gc.isenabled()
    _gc.resume()
    assert gc.isenabled()

    barrier = threading.Barrier(4)
    states: list[bool] = []

    def worker() -> None:
        for _ in range(200):
            _gc.pause()
            try:
                states.append(gc.isenabled())
            finally:
                _gc.resume()
        barrier.wait()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    barrier.wait()
    for t in threads:
        t.join()
    assert not any(states) and gc.isenabled()

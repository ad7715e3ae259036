"""iter() over many pages keeps memory flat: each page is parsed as it streams in and dropped
before the next one is asked for (measured with tracemalloc, never with a clock)."""

from __future__ import annotations

import gc
import tracemalloc

import httpx
from lxml import etree
from xero_customer_api.v2_0 import XeroClient

from .conftest import FIXTURES

TENANT = "b1f7a1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b"


def _page_of(size: int) -> bytes:
    doc = etree.fromstring((FIXTURES / "responses/contacts_response/one_detailed.xml").read_bytes())
    wrapper = doc.find("Contacts")
    assert wrapper is not None
    contact = wrapper[0]
    for n in range(size - 1):
        copy = etree.fromstring(etree.tostring(contact))
        copy.find("Name").text = f"Contact {n}"  # type: ignore[union-attr]
        wrapper.append(copy)
    return etree.tostring(doc)


PAGE = _page_of(20)
_REVERSED = etree.fromstring(PAGE)
_REVERSED.find("Contacts")[:] = list(reversed(_REVERSED.find("Contacts")))  # type: ignore[index,arg-type]
PAGE_B = etree.tostring(_REVERSED)
"""Every other page: the same contacts in the other order (a page that starts as the one
before it means the server ignores ``page``, which iter() refuses)."""


def _peak(pages: int) -> tuple[int, int]:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        body = (PAGE if page % 2 else PAGE_B) if page <= pages else _page_of(1)
        return httpx.Response(200, content=body, headers={"content-type": "text/xml"})

    client = XeroClient(
        access_token="token-for-memory-test",
        tenant_id=TENANT,
        base_url="https://xero.invalid/api.xro/2.0/",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with client:
        gc.collect()
        tracemalloc.start()
        try:
            count = sum(1 for _ in client.contacts.iter(page_size=20))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return count, peak


def test_memory_does_not_grow_with_the_number_of_pages() -> None:
    few, few_peak = _peak(2)
    many, many_peak = _peak(20)
    assert (few, many) == (41, 401)
    assert many_peak < 2 * few_peak, (few_peak, many_peak)

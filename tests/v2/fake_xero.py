"""Helpers for fake transports that answer the way Xero does.

:func:`fake_client` and :func:`fake_async_client` are 2.0 clients (a static access token and
tenant) whose every request goes to a handler, httpx's ``MockTransport``: what the SDK puts
on the wire is what the handler sees.

Xero answers a batch write (``PUT/POST <Things>`` with ``<Things><Thing/>...</Things>``) with
one element per element sent, in order; the SDK refuses an answer that does not (issue 20,
item 13). A fake answering from a fixed document therefore has to match the request's size:
:func:`as_many_as_sent` repeats (or cuts) the answer's elements to the number sent.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Protocol

import httpx
from lxml import etree
from xero_customer_api.v2_0 import AsyncXeroClient, XeroClient

TOKEN = "eyJhbGciOiJSUzI1NiJ9.ACCESS-TOKEN-FOR-TESTS"
TENANT = "b1f7a1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b"
BASE = "https://xero.invalid/api.xro/2.0/"

Handler = Callable[[httpx.Request], httpx.Response]


def fake_client(handler: Handler, **options: Any) -> XeroClient:
    """A 2.0 client (``TOKEN``, ``TENANT``, ``BASE``) whose requests go to ``handler``;
    ``options`` are more client options (``max_retries=0`` ...)."""
    return XeroClient(
        access_token=TOKEN,
        tenant_id=TENANT,
        base_url=BASE,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        **options,
    )


class Recording(Protocol):
    """A handler that keeps the requests it answered."""

    requests: list[httpx.Request]

    def __call__(self, request: httpx.Request, /) -> httpx.Response: ...


def sent_body(recorder: Recording, call: Callable[[XeroClient], object]) -> etree._Element:
    """The XML body of the first request ``call`` sends through a fake client to ``recorder``."""
    with fake_client(recorder) as client:
        call(client)
    return etree.fromstring(recorder.requests[0].content)


def fake_async_client(handler: Handler, **options: Any) -> AsyncXeroClient:
    """The async twin of :func:`fake_client`."""
    return AsyncXeroClient(
        access_token=TOKEN,
        tenant_id=TENANT,
        base_url=BASE,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        **options,
    )


def as_many_as_sent(request_body: bytes, answer: bytes) -> bytes:
    """``answer`` with its payload list holding one element per element of ``request_body``.

    Only a batch body changes anything: a root whose children are all one element (the
    ``<Things><Thing/>...</Things>`` of ``create_many``/``save_many``) whose list the answer
    carries under its ``<Response>``. The answer's own elements are reused in turn (so a fixture
    with an ``OK`` and an ``ERROR`` element keeps both when two are sent).
    """
    if not request_body:
        return answer
    try:
        sent = etree.fromstring(request_body)
    except etree.XMLSyntaxError:
        return answer
    tags = {child.tag for child in sent}
    if len(tags) != 1 or len(sent) == 0:
        return answer
    (tag,) = tags
    root = etree.fromstring(answer)
    payload = root.find(sent.tag)
    if payload is None:
        return answer
    own = [child for child in payload if child.tag == tag]
    if not own or len(own) == len(sent):
        return answer
    for child in own:
        payload.remove(child)
    for n in range(len(sent)):
        payload.append(copy.deepcopy(own[n % len(own)]))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")

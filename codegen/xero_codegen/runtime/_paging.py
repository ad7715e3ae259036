"""Walking a paged list one streamed page at a time: by page number (API 2.0's ``page``, with
``pageSize`` where Xero has it) or by offset (Journals: the next call's ``offset`` is a field
of the last item received).

Xero's XML answers carry no page count, so a page shorter than the size asked for (or than
Xero's default size) is the last one. A page that starts with the item the previous page
started with means the server ignores ``page``: that raises rather than loop forever (and
:data:`MAX_PAGES` bounds any list). Each page goes through :func:`._stream.iter_items`, so
it is parsed while it streams in and memory stays flat however many pages there are.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from lxml import etree

from ._errors import XeroResponseError
from ._stream import aiter_items, iter_items
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = ["aiter_offsets", "aiter_pages", "iter_offsets", "iter_pages"]

T = TypeVar("T")


def _page_params(
    params: Sequence[tuple[str, str | None]], page_param: str, page: int
) -> list[tuple[str, str | None]]:
    """``params`` with the page number filled in (in the parameter's own position)."""
    filled = [(name, str(page) if name == page_param else value) for name, value in params]
    if all(name != page_param for name, _ in params):
        filled.append((page_param, str(page)))
    return filled


_NOTHING = object()
MAX_PAGES = 100_000
"""The most pages one ``iter()`` follows (5,000 calls are a tenant's whole day on 2.0)."""


def _check_new_page(first: object, previous: object, page: int, first_page: int | None) -> object:
    """Raise unless the page that starts with ``first`` is a new one: a server that ignores
    ``page`` answers the same page again (same first item), and would be followed forever.
    Returns ``first`` (the next page's ``previous``)."""
    if previous is not _NOTHING and first == previous:
        raise XeroResponseError(
            f"page {page} starts with the same item as page {page - 1}: the server ignores"
            " `page` (stopped rather than read the same page forever)"
        )
    if page - (first_page or 1) >= MAX_PAGES:
        raise XeroResponseError(f"stopped after {MAX_PAGES:,} pages: the list does not end")
    return first


def _pages(first_page: int | None, page_size: int | None, default_size: int) -> tuple[int, int]:
    return (1 if first_page is None else first_page), (page_size or default_size)


def iter_pages(
    client: SyncAPIClient,
    *,
    path: str,
    params: Sequence[tuple[str, str | None]],
    page_param: str,
    first_page: int | None,
    page_size: int | None,
    default_size: int,
    wrapper: str,
    item: str,
    decode: Callable[[etree._Element, bool], T],
    headers: Sequence[tuple[str, str | None]] = (),
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    envelope: Callable[[etree._Element, bool], object] | None = None,
) -> Iterator[T]:
    """Every item of every page from ``first_page`` on, one at a time.

    ``params`` are the list's query parameters, already checked and encoded, including the
    page size; the page number (``page_param``) is set per page. Stops after the first
    page holding fewer than ``page_size`` (or ``default_size``) items.
    """
    page, size = _pages(first_page, page_size, default_size)
    previous: object = _NOTHING
    while True:
        count = 0
        for obj in iter_items(
            client,
            path=path,
            params=_page_params(params, page_param, page),
            wrapper=wrapper,
            item=item,
            decode=decode,
            timeout=timeout,
            envelope=envelope,
            headers=headers,
            tenant_id=tenant_id,
        ):
            if count == 0:
                previous = _check_new_page(obj, previous, page, first_page)
            count += 1
            yield obj
        if count < size:
            return
        page += 1


async def aiter_pages(
    client: AsyncAPIClient,
    *,
    path: str,
    params: Sequence[tuple[str, str | None]],
    page_param: str,
    first_page: int | None,
    page_size: int | None,
    default_size: int,
    wrapper: str,
    item: str,
    decode: Callable[[etree._Element, bool], T],
    headers: Sequence[tuple[str, str | None]] = (),
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    envelope: Callable[[etree._Element, bool], object] | None = None,
) -> AsyncIterator[T]:
    """:func:`iter_pages` as an async generator."""
    page, size = _pages(first_page, page_size, default_size)
    previous: object = _NOTHING
    while True:
        count = 0
        async for obj in aiter_items(
            client,
            path=path,
            params=_page_params(params, page_param, page),
            wrapper=wrapper,
            item=item,
            decode=decode,
            timeout=timeout,
            envelope=envelope,
            headers=headers,
            tenant_id=tenant_id,
        ):
            if count == 0:
                previous = _check_new_page(obj, previous, page, first_page)
            count += 1
            yield obj
        if count < size:
            return
        page += 1


def iter_offsets(
    client: SyncAPIClient,
    *,
    path: str,
    params: Sequence[tuple[str, str | None]],
    offset_param: str,
    first_offset: int | None,
    page_size: int,
    next_of: Callable[[T], int | None],
    wrapper: str,
    item: str,
    decode: Callable[[etree._Element, bool], T],
    headers: Sequence[tuple[str, str | None]] = (),
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    envelope: Callable[[etree._Element, bool], object] | None = None,
) -> Iterator[T]:
    """Every item from ``first_offset`` on (0 by default), one at a time.

    Each call asks for the items after ``offset``; the next offset is ``next_of`` of the
    last item received (Journals: its JournalNumber). Stops after a page holding fewer than
    ``page_size`` items, or when the last item gives no offset beyond the current one.
    """
    offset = first_offset or 0
    while True:
        count = 0
        last: T | None = None
        for obj in iter_items(
            client,
            path=path,
            params=_page_params(params, offset_param, offset),
            wrapper=wrapper,
            item=item,
            decode=decode,
            timeout=timeout,
            envelope=envelope,
            headers=headers,
            tenant_id=tenant_id,
        ):
            count += 1
            last = obj
            yield obj
        if count < page_size or last is None:
            return
        following = next_of(last)
        if following is None or following <= offset:
            return  # no number, or one that would not move on: stop rather than loop
        offset = following


async def aiter_offsets(
    client: AsyncAPIClient,
    *,
    path: str,
    params: Sequence[tuple[str, str | None]],
    offset_param: str,
    first_offset: int | None,
    page_size: int,
    next_of: Callable[[T], int | None],
    wrapper: str,
    item: str,
    decode: Callable[[etree._Element, bool], T],
    headers: Sequence[tuple[str, str | None]] = (),
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    envelope: Callable[[etree._Element, bool], object] | None = None,
) -> AsyncIterator[T]:
    """:func:`iter_offsets` as an async generator."""
    offset = first_offset or 0
    while True:
        count = 0
        last: T | None = None
        async for obj in aiter_items(
            client,
            path=path,
            params=_page_params(params, offset_param, offset),
            wrapper=wrapper,
            item=item,
            decode=decode,
            timeout=timeout,
            envelope=envelope,
            headers=headers,
            tenant_id=tenant_id,
        ):
            count += 1
            last = obj
            yield obj
        if count < page_size or last is None:
            return
        following = next_of(last)
        if following is None or following <= offset:
            return
        offset = following

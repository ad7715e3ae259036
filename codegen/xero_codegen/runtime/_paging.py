"""Walking a paged list one streamed page at a time: by page number (API 2.0's ``page``, with
``pageSize`` where Xero has it) or by offset (Journals: the next call's ``offset`` is a field
of the last item received).

Xero's XML answers carry no page count, so a page shorter than the size asked for (or than
Xero's default size) is the last one. Each page goes through :func:`._stream.iter_items`, so
it is parsed while it streams in and memory stays flat however many pages there are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from lxml import etree

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
    tenant_id: str | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    envelope: Callable[[etree._Element, bool], object] | None = None,
) -> Iterator[T]:
    """Every item of every page from ``first_page`` on, one at a time.

    ``params`` are the list's query parameters, already checked and encoded, including the
    page size; the page number (``page_param``) is set per page. Stops after the first
    page holding fewer than ``page_size`` (or ``default_size``) items.
    """
    page, size = _pages(first_page, page_size, default_size)
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
    tenant_id: str | NotGiven = NOT_GIVEN,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    envelope: Callable[[etree._Element, bool], object] | None = None,
) -> AsyncIterator[T]:
    """:func:`iter_pages` as an async generator."""
    page, size = _pages(first_page, page_size, default_size)
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
    tenant_id: str | NotGiven = NOT_GIVEN,
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
    tenant_id: str | NotGiven = NOT_GIVEN,
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

"""Run in a subprocess: read every contact from URL; print count and peak RSS growth (bytes).

``python -m bench.stream_child URL MODE [PAGE_SIZE]``. Modes: ``iter`` / ``list`` with the 1.0
client (one answer holding everything); ``iter2`` / ``pages2`` with a 2.0 client (static
access token and tenant id): ``contacts.iter(page_size=...)`` across the pages, or every page
read with ``contacts.list(page=..., page_size=...)`` and kept, for contrast.

RSS is sampled by a thread every 2 ms (``bench.rss``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from xero_customer_api import v1_0, v2_0

from .rss import PeakRss
from .server import BENCH_TENANT, BENCH_TOKEN


def _v1(base_url: str, mode: str) -> tuple[v1_0.XeroClient, Callable[[], int]]:
    client = v1_0.XeroClient(
        api_key="bench-partner-key",
        customer_key="bench-customer-key",
        base_url=base_url,
        timeout=120,
        max_response_bytes=1 << 30,
    )
    if mode == "iter":
        return client, lambda: sum(1 for _ in client.contacts.iter())
    return client, lambda: len(client.contacts.list())


def _v2(base_url: str, mode: str, page_size: int) -> tuple[v2_0.XeroClient, Callable[[], int]]:
    client = v2_0.XeroClient(
        access_token=BENCH_TOKEN, tenant_id=BENCH_TENANT, base_url=base_url, timeout=120
    )
    if mode == "iter2":
        return client, lambda: sum(1 for _ in client.contacts.iter(page_size=page_size))

    def every_page() -> int:
        kept: list[v2_0.models.Contact] = []
        page = 1
        while True:
            got = client.contacts.list(page=page, page_size=page_size)
            kept.extend(got)
            if len(got) < page_size:
                return len(kept)
            page += 1

    return client, every_page


def main() -> None:
    base_url, mode = sys.argv[1], sys.argv[2]
    client, run = (
        _v1(base_url, mode) if mode in ("iter", "list") else _v2(base_url, mode, int(sys.argv[3]))
    )
    with client, PeakRss() as rss:
        count = run()
    print(count, rss.growth)


if __name__ == "__main__":
    main()

"""``BENCH_ONLY=limits python -m bench``: syncing many organisations against the 2.0 sandbox
with its rate limits on and its clock ``BENCH_TIME_SCALE`` times faster.

Figures (one run, written as a section of bench/RESULTS.md, the rest of the file kept):

- the rate-limited sync (every page of every tenant asked for at once, ``asyncio.gather``):
  wall time over the ideal time Xero's limits allow for the same calls, and the 429s
  (goal <= 1.10x, 0); beside it the same sync with the limiter off, to show the 429s it
  earns (``max_retries=0``: each 429 is a failed call).

The ideal time: a tenant makes at most 60 calls a minute window and the app 10,000, so the
last of a tenant's ``n`` calls cannot start before ``ceil(n / 60) - 1`` windows have passed
(likewise for the app); the ideal is the largest of these, plus the time one call takes.

Size: ``BENCH_TENANTS`` x ``BENCH_INVOICES`` (the issue's 50 x 2,000 by default),
``BENCH_PAGE_SIZE`` invoices a page.
"""

from __future__ import annotations

import asyncio
import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import httpx
from xero_customer_api import AsyncXeroClient, RateLimitError, RateLimits
from xero_sandbox.process import start_sandbox

from tests.limits.orgs import Org, make_orgs

HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- limits bench: begin -->", "<!-- limits bench: end -->"


async def _sync(
    base: dict[str, str], orgs: list[Org], pages: int, page_size: int, limiter: object
) -> tuple[float, int, int, float]:
    """(wall seconds, 429s answered, calls failed, median call seconds)."""
    too_many = 0
    problems: dict[str, int] = {}
    durations: list[float] = []

    async def count(response: httpx.Response) -> None:
        nonlocal too_many
        if response.status_code == 429:
            too_many += 1
            problem = response.headers.get("x-rate-limit-problem", "?")
            problems[problem] = problems.get(problem, 0) + 1

    async with httpx.AsyncClient(
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=200),
        event_hooks={"response": [count]},
        timeout=600,
    ) as http:
        clients = [
            AsyncXeroClient(
                client_id=base["client_id"],
                client_secret=base["client_secret"],
                token=org.token,
                tenant_id=org.tenant_id,
                token_url=base["token_url"],
                base_url=base["base_url"],
                http_client=http,
                limiter=limiter,  # type: ignore[arg-type]
                max_retries=0,
                timeout=600,
            )
            for org in orgs
        ]

        async def page(client: AsyncXeroClient, p: int) -> int:
            start = time.perf_counter()
            got = await client.invoices.list(page=p, page_size=page_size)
            durations.append(time.perf_counter() - start)
            return len(got)

        started = time.perf_counter()
        results = await asyncio.gather(
            *(page(c, p) for c in clients for p in range(1, pages + 1)), return_exceptions=True
        )
        wall = time.perf_counter() - started
    failed = sum(1 for r in results if isinstance(r, BaseException))
    other = [
        r for r in results if isinstance(r, BaseException) and not isinstance(r, RateLimitError)
    ]
    if other:
        print(f"{len(other)} calls failed otherwise, e.g. {other[0]!r}", file=sys.stderr)
        if limiter is not None:
            raise other[0]  # with the limiter every call must succeed
    if problems:
        print(f"429s by problem: {problems}", file=sys.stderr)
    durations.sort()
    return wall, too_many, failed, durations[len(durations) // 2] if durations else 0.0


async def _one_call(base: dict[str, str], org: Org, page_size: int) -> float:
    """Median seconds of one page asked for alone (no waiting, no contention)."""
    async with AsyncXeroClient(
        client_id=base["client_id"],
        client_secret=base["client_secret"],
        token=org.token,
        tenant_id=org.tenant_id,
        token_url=base["token_url"],
        base_url=base["base_url"],
        limiter=None,
    ) as client:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            await client.invoices.list(page=1, page_size=page_size)
            times.append(time.perf_counter() - start)
    return sorted(times)[2]


async def _throughput(
    base: dict[str, str], orgs: list[Org], page_size: int, runs: int
) -> tuple[float, float]:
    """Median seconds of one page from every tenant at once: AsyncXeroClient (limits off)
    and raw httpx.AsyncClient sending the same requests and parsing the same bytes."""
    from lxml import etree

    pool = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(limits=pool, timeout=600) as http:
        clients = [
            AsyncXeroClient(
                client_id=base["client_id"],
                client_secret=base["client_secret"],
                token=org.token,
                tenant_id=org.tenant_id,
                token_url=base["token_url"],
                base_url=base["base_url"],
                http_client=http,
                limiter=None,
                timeout=600,
            )
            for org in orgs
        ]
        url = httpx.URL(base["base_url"]).join("Invoices")
        params = {"page": "1", "pageSize": str(page_size)}

        async def raw(org: Org) -> int:
            headers = {
                "Authorization": f"Bearer {org.token['access_token']}",
                "xero-tenant-id": org.tenant_id,
                "Accept": "application/xml",
            }
            answer = await http.get(url, params=params, headers=headers)
            return len(etree.fromstring(answer.content)[-1])

        async def sdk(client: AsyncXeroClient) -> int:
            return len(await client.invoices.list(page=1, page_size=page_size))

        sdk_times, raw_times = [], []
        for _ in range(runs):
            for fn, sink in (("sdk", sdk_times), ("raw", raw_times)):
                start = time.perf_counter()
                if fn == "sdk":
                    got = await asyncio.gather(*(sdk(c) for c in clients))
                else:
                    got = await asyncio.gather(*(raw(o) for o in orgs))
                sink.append(time.perf_counter() - start)
                assert all(n == page_size for n in got), got
    return sorted(sdk_times)[runs // 2], sorted(raw_times)[runs // 2]


def main() -> None:
    tenants = int(os.environ.get("BENCH_TENANTS", "50"))
    invoices = int(os.environ.get("BENCH_INVOICES", "2000"))
    page_size = int(os.environ.get("BENCH_PAGE_SIZE", "100"))
    scale = float(os.environ.get("BENCH_TIME_SCALE", "60"))
    pages = math.ceil(invoices / page_size)
    limits = RateLimits().scaled(scale)
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "bench.db"
        with start_sandbox(["--http", "--db", str(db), "--time-scale", str(scale)]) as sb:
            started = time.perf_counter()
            orgs = make_orgs(sb, db, tenants, invoices, prefix="Bench")
            made = time.perf_counter() - started
            base = {
                "client_id": sb.client_id,
                "client_secret": sb.client_secret,
                "token_url": sb.token_url,
                "base_url": sb.v2_base_url,
            }
            call = asyncio.run(_one_call(base, orgs[0], page_size))
            time.sleep(limits.minute * 1.5)  # its window has passed
            wall, too_many, failed, _ = asyncio.run(_sync(base, orgs, pages, page_size, limits))
            time.sleep(limits.minute * 1.5)  # the windows of the first run have passed
            off_wall, off_429, off_failed, _ = asyncio.run(
                _sync(base, orgs, pages, page_size, None)
            )
    many = int(os.environ.get("BENCH_THROUGHPUT_TENANTS", "100"))
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "bench.db"
        with start_sandbox(["--http", "--db", str(db), "--no-limits"]) as sb:
            orgs = make_orgs(sb, db, many, page_size, prefix="Wide")
            base = {
                "client_id": sb.client_id,
                "client_secret": sb.client_secret,
                "token_url": sb.token_url,
                "base_url": sb.v2_base_url,
            }
            t_sdk, t_raw = asyncio.run(_throughput(base, orgs, page_size, 5))
    rows_throughput = (
        f"| {many} tenants at once, limits off: AsyncXeroClient throughput / raw "
        f"httpx.AsyncClient (same requests, lxml parse of the same bytes) | {t_raw / t_sdk:.2f}x "
        f"| >= 0.8x | {'met' if t_raw / t_sdk >= 0.8 else 'not met'} | one page of {page_size} "
        f"invoices per tenant: SDK {t_sdk:.2f} s, raw {t_raw:.2f} s (medians of 5) |"
    )
    windows = max(
        math.ceil(pages / limits.per_minute) - 1,
        math.ceil(pages * tenants / limits.app_per_minute) - 1,
    )
    ideal = windows * limits.minute + call
    ratio = wall / ideal
    rows.append(
        f"| rate-limited sync, {tenants} tenants x {invoices} invoices ({pages} pages of "
        f"{page_size} each, all asked for at once), sandbox --time-scale {scale:g}: wall / ideal "
        f"| {ratio:.2f}x, {too_many} x 429 | <= 1.10x, 0 x 429 | "
        f"{'met' if ratio <= 1.10 and too_many == 0 else 'not met'} | wall {wall:.2f} s, ideal "
        f"{ideal:.2f} s ({windows} minute windows of {limits.minute:.2f} s + one call alone, "
        f"{call * 1e3:.0f} ms); {pages * tenants} calls, {failed} failed |"
    )
    rows.append(
        f"| the same with the limiter off (plain asyncio.gather, max_retries=0) | {off_429} x 429 "
        f"| (shows what the limiter saves) | n/a | {off_failed} of {pages * tenants} calls failed "
        f"(429s, and connections the overloaded sandbox dropped); wall {off_wall:.2f} s |"
    )
    rows.append(rows_throughput)
    rows.append(
        "| 4 worker processes sharing Redis / one process, same sync: throughput | not measured "
        "| >= 3x | not run | not built in this run (see tests/limits/test_shared_sync.py for the "
        "4-worker run's correctness) |"
    )
    section = "\n".join(
        [
            BEGIN,
            "",
            "## Many organisations (issue 13): `BENCH_ONLY=limits make bench`",
            "",
            f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical cores, "
            f"Python {platform.python_version()}. Organisations made and connected in {made:.0f} s.",
            "",
            "| figure | measured | goal | verdict | detail |",
            "|---|---:|---|---|---|",
            *rows,
            "",
            END,
        ]
    )
    results = HERE / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    if BEGIN in text and END in text:
        text = text.split(BEGIN, 1)[0] + section + text.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    results.write_text(text, encoding="utf-8")
    print(section)

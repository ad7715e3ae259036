"""``python -m bench``: one table of ratios measured in this run (medians), written to bench/RESULTS.md.

``BENCH_ONLY=name,...`` runs only the named figures (see ``FIGURES``) and leaves RESULTS.md
alone; ``BENCH_RUNS=N`` sets the number of timed runs.
"""

from __future__ import annotations

import compileall
import contextlib
import dataclasses
import functools
import gc
import importlib.metadata as md
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import xmltodict
from lxml import etree
from xero_customer_api._runtime._xml import bind, parse_document, serialize
from xero_customer_api.v1_0 import XeroClient, _codec
from xero_customer_api.v1_0 import models as m
from xero_customer_api.v2_0 import _codec as codec2
from xero_customer_api.v2_0 import models as m2

from . import data, data_v2, handbuilt, official, reports
from .machine import cpu_model
from .server import BytesServer

HERE = Path(__file__).resolve().parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
MiB = 1024 * 1024


def median_time(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(
    a: Callable[[], object],
    b: Callable[[], object],
    runs: int = RUNS,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[float, float]:
    """Median seconds of a and of b, runs interleaved so that drift hits both (``clock``:
    wall time, or ``time.process_time`` for this process's CPU time)."""
    ta: list[float] = []
    tb: list[float] = []
    for _ in range(runs):
        for fn, sink in ((a, ta), (b, tb)):
            gc.collect()
            start = clock()
            fn()
            sink.append(clock() - start)
    return statistics.median(ta), statistics.median(tb)


@contextlib.contextmanager
def sandbox_with_contacts(n: int) -> Iterator[tuple[str, str, str, str]]:
    """(base_url, api_key, customer_key, source) of a local sandbox holding ``n`` contacts."""
    from xero_sandbox.process import launch

    with tempfile.TemporaryDirectory() as scratch:
        running = launch(["--http", "--db", str(Path(scratch) / "bench.db")])
        try:
            with XeroClient(
                api_key=running.api_key,
                customer_key=running.customer_key,
                base_url=running.base_url,
                timeout=120,
            ) as client:
                batch = 500
                for start in range(0, n, batch):
                    client.contacts.save_many(
                        [
                            dataclasses.replace(
                                data.contact(i), contact_id=None, updated_date_utc=None
                            )
                            for i in range(start, min(n, start + batch))
                        ]
                    )
            yield (
                running.base_url,
                running.api_key,
                running.customer_key,
                "local sandbox (xero-sandbox serve --http)",
            )
        finally:
            running.stop()


def row(
    figure: str, value: float, goal: str, ok: bool | None, unit: str = "x", note: str = ""
) -> dict[str, str]:
    shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.1f} {unit}"
    verdict = "n/a" if ok is None else ("met" if ok else "**MISSED**")
    return {"figure": figure, "measured": shown, "goal": goal, "verdict": verdict, "note": note}


class Run:
    """What the figures of one run share: the rows, notes, documents and the loopback server."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []
        self.notes: list[str] = []
        self._server: BytesServer | None = None

    @property
    def server(self) -> BytesServer:
        if self._server is None:
            self._server = BytesServer()
        return self._server

    def close(self) -> None:
        if self._server is not None:
            self._server.close()

    @functools.cached_property
    def v1_contacts(self) -> m.ContactsResponse:
        return data.contacts_response(10_000)

    @functools.cached_property
    def v1_contacts_xml(self) -> bytes:
        return _codec.encode_contacts_response(self.v1_contacts)

    @functools.cached_property
    def v2_invoices_xml(self) -> bytes:
        xml = data_v2.invoices_xml(10_000)
        print(f"10k 2.0 invoices x3 lines: {len(xml) / 1e6:.1f} MB of XML", file=sys.stderr)
        return xml


def fig_v1_codec(run: Run) -> None:
    """1.0 decode (xsdata, xmltodict) and encode (hand-built lxml) of contacts and invoices."""
    contacts = run.v1_contacts
    invoices = data.invoices_response(10_000)
    contacts_xml = run.v1_contacts_xml
    invoices_xml = _codec.encode_invoices_response(invoices)
    print(
        f"10k contacts: {len(contacts_xml) / 1e6:.1f} MB; 10k invoices x3 lines: {len(invoices_xml) / 1e6:.1f} MB",
        file=sys.stderr,
    )
    for label, xml, cls, items, request_cls, field_name, hand in (
        (
            "10,000 contacts",
            contacts_xml,
            m.ContactsResponse,
            contacts.contacts,
            m.Contacts,
            "contact",
            handbuilt.contacts,
        ),
        (
            "10,000 invoices (3 lines)",
            invoices_xml,
            m.InvoicesResponse,
            invoices.invoices,
            m.Invoices,
            "invoice",
            handbuilt.invoices,
        ),
    ):
        decoder = _codec.DECODERS[cls]
        assert decoder(parse_document(xml), False) == bind(parse_document(xml), cls)
        t_xsdata, t_sdk = paired(
            lambda: bind(parse_document(xml), cls),  # noqa: B023
            lambda: decoder(parse_document(xml), False),  # noqa: B023
            runs=max(3, RUNS - 2),
        )
        t_xmltodict = median_time(lambda: xmltodict.parse(xml), runs=max(3, RUNS - 2))  # noqa: B023
        t_lxml = median_time(lambda: etree.fromstring(xml), runs=RUNS)  # noqa: B023
        run.rows.append(
            row(
                f"decode {label}: xsdata parser / SDK decoder",
                t_xsdata / t_sdk,
                ">= 8x",
                t_xsdata / t_sdk >= 8,
                note=f"xsdata {t_xsdata:.3f} s, SDK {t_sdk:.3f} s, lxml parse only {t_lxml:.3f} s",
            )
        )
        run.rows.append(
            row(
                f"decode {label}: xmltodict.parse / SDK decoder (comparison)",
                t_xmltodict / t_sdk,
                "-",
                None,
                note=f"xmltodict {t_xmltodict:.3f} s (dicts of strings, untyped)",
            )
        )
        request = request_cls(**{field_name: items})
        encoder = _codec.ENCODERS[request_cls]
        assert encoder(request) == serialize(request)
        t_enc, t_hand = paired(lambda: encoder(request), lambda: hand(items))  # noqa: B023
        t_xs_enc = median_time(lambda: serialize(request), runs=max(3, RUNS - 2))  # noqa: B023
        run.rows.append(
            row(
                f"encode {label}: SDK encoder / hand-built lxml tree + tostring",
                t_enc / t_hand,
                "<= 1.5x",
                t_enc / t_hand <= 1.5,
                note=f"SDK {t_enc:.3f} s, hand-built {t_hand:.3f} s, xsdata {t_xs_enc:.3f} s",
            )
        )


V2_DECODED: tuple[tuple[str, str], ...] = (
    ("invoices", "2.0 invoices"),
    ("bank_transactions", "bank transactions"),
    ("credit_notes", "credit notes"),
    ("manual_journals", "manual journals"),
)
"""(data_v2.RESPONSES key, label) of the documents of the 2.0 decode figure, 10,000 records x 3 lines."""


def fig_v2_decode(run: Run) -> None:
    """2.0 invoices, bank transactions, credit notes, manual journals: xsdata / SDK, SDK / lxml."""
    for resource, label in V2_DECODED:
        if resource == "invoices":
            xml = run.v2_invoices_xml
        else:
            xml = data_v2.response_xml(resource, 10_000)
        expected = data_v2.RESPONSES[resource](10_000)
        cls = type(expected)
        decoder = codec2.DECODERS[cls]
        assert decoder(parse_document(xml), False) == expected
        assert bind(parse_document(xml), cls) == expected
        t_xsdata, t_sdk = paired(
            lambda: bind(parse_document(xml), cls),  # noqa: B023
            lambda: decoder(parse_document(xml), False),  # noqa: B023
            runs=max(3, RUNS - 2),
            clock=time.process_time,
        )
        # The floor: lxml's parse alone, interleaved with the SDK (parse + decode) again.
        t_lxml, t_sdk2 = paired(
            lambda: etree.fromstring(xml),  # noqa: B023
            lambda: decoder(parse_document(xml), False),  # noqa: B023
            runs=RUNS * 2,
            clock=time.process_time,
        )
        size = f"{len(xml) / 1e6:.1f} MB"
        run.rows.append(
            row(
                f"decode 10,000 {label} (3 lines): xsdata parser / SDK decoder",
                t_xsdata / t_sdk,
                ">= 8x",
                t_xsdata / t_sdk >= 8,
                note=f"xsdata {t_xsdata:.3f} s, SDK {t_sdk:.3f} s CPU ({size})",
            )
        )
        run.rows.append(
            row(
                f"decode 10,000 {label} (3 lines): SDK (parse + decode) / lxml parse alone",
                t_sdk2 / t_lxml,
                "<= 2.5x",
                t_sdk2 / t_lxml <= 2.5,
                note=f"SDK {t_sdk2:.3f} s, lxml.etree.fromstring {t_lxml:.3f} s CPU ({size})",
            )
        )


def fig_reports(run: Run) -> None:
    """A 100-period Profit and Loss (40 accounts, every cell tagged): SDK decode / lxml parse."""
    xml = reports.profit_and_loss_xml(periods=100, accounts=40)
    decoder = codec2.DECODERS[m2.ReportsResponse]
    assert decoder(parse_document(xml), False) == reports.profit_and_loss(100, 40)
    # CPU time of this process (as the v2-decode figures), each SDK decode beside one parse;
    # the ratio of every pair gives the spread, the medians the figure. Each timed call comes
    # right after an untimed call of the same work: the time of a parse depends on what ran
    # before it (3.6 to 4.8 ms for this one, after a decode or after a parse: the pages of the
    # memory freed before are reused or faulted in again), so each is measured in the state
    # it leaves itself in, the steady state of a program that reads reports one after another.
    clock = time.process_time
    tree = parse_document(xml)
    t_lxml: list[float] = []
    t_sdk: list[float] = []
    t_decode: list[float] = []
    for _ in range(RUNS * 6):
        for fn, sink in (
            (lambda: etree.fromstring(xml), t_lxml),
            (lambda: decoder(parse_document(xml), False), t_sdk),
            (lambda: decoder(tree, False), t_decode),
        ):
            fn()
            gc.collect()
            start = clock()
            fn()
            sink.append(clock() - start)
    ratios = sorted(s / p for s, p in zip(t_sdk, t_lxml, strict=True))
    quartiles = statistics.quantiles(ratios, n=4)
    lxml_s, sdk_s, decode_s = (statistics.median(t) for t in (t_lxml, t_sdk, t_decode))
    report = decoder(tree, False).reports[0]
    t_table = median_time(report.to_table, runs=RUNS * 3)
    run.rows.append(
        row(
            "decode a 100-period Profit and Loss: SDK (parse + decode into Report) / lxml parse only",
            sdk_s / lxml_s,
            "< 2x",
            sdk_s / lxml_s < 2,
            note=(
                f"SDK {sdk_s * 1e3:.1f} ms, lxml parse {lxml_s * 1e3:.1f} ms CPU "
                f"({len(xml) / 1e6:.2f} MB, 4,545 cells, 25,969 elements); ratio of each of "
                f"{len(ratios)} interleaved pairs {ratios[0]:.2f}x to {ratios[-1]:.2f}x "
                f"(quartiles {quartiles[0]:.2f}x, {quartiles[2]:.2f}x); decode alone (after the "
                f"parse) {decode_s * 1e3:.1f} ms = {decode_s / lxml_s:.2f}x the parse; "
                f"report.to_table() {t_table * 1e3:.1f} ms more"
            ),
        )
    )


def _instructions(what: str, runs: int = 5) -> float:
    """Instructions of one run of ``bench.reports_child WHAT`` (callgrind; see that module)."""
    counts = []
    for n in (0, runs):
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--callgrind-out-file=/dev/null",
                sys.executable,
                "-m",
                "bench.reports_child",
                what,
                str(n),
            ],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=True,
        )
        collected = [line for line in done.stderr.splitlines() if "Collected :" in line]
        counts.append(int(collected[-1].rsplit(":", 1)[1].replace(",", "").strip()))
    return (counts[1] - counts[0]) / runs


def fig_reports_instructions(run: Run) -> None:
    """The reports figure in instructions (valgrind's callgrind): repeatable whatever the load."""
    if shutil.which("valgrind") is None:  # a system tool, not a Python package: noted, not fatal
        run.notes.append(
            "The reports figure in instructions was left out: valgrind is not installed "
            "(`apt-get install valgrind`)."
        )
        return
    lxml_ir, sdk_ir, decode_ir = (_instructions(w) for w in ("lxml", "sdk", "decode"))
    run.rows.append(
        row(
            "decode a 100-period Profit and Loss, in instructions (callgrind): SDK (parse + decode) / lxml parse only",
            sdk_ir / lxml_ir,
            "(< 2x in time)",
            None,
            note=(
                f"SDK {sdk_ir / 1e6:.1f} M, lxml parse {lxml_ir / 1e6:.1f} M instructions a run; "
                f"decode alone {decode_ir / 1e6:.1f} M = {decode_ir / lxml_ir:.2f}x the parse; "
                "instructions leave out what memory and caches cost, which the time figure "
                "above has"
            ),
        )
    )


def fig_v2_official(run: Run) -> None:
    """xero-python's ApiClient.deserialize of the same invoices as JSON / the SDK decoding XML."""
    if not official.available():
        raise SystemExit(
            "xero-python is not installed: `make bench` installs the bench extra "
            "(pip install -e '.[bench]'), or leave this figure out with BENCH_ONLY"
        )
    decoder = codec2.DECODERS[m2.InvoicesResponse]
    theirs = official.InvoicesDeserializer()
    version = md.version("xero-python")
    for lean in (False, True):
        xml = data_v2.invoices_xml(10_000, lean=True) if lean else run.v2_invoices_xml
        body = data_v2.invoices_json(10_000, lean=lean)
        mismatches = official.differences(
            decoder(parse_document(xml), False), theirs.deserialize(body)
        )
        assert not mismatches, mismatches[:5]
        t_official, t_sdk = paired(
            lambda: theirs.deserialize(body),  # noqa: B023
            lambda: decoder(parse_document(xml), False),  # noqa: B023
            runs=max(3, RUNS - 2),
        )
        t_json = median_time(lambda: json.loads(body, parse_float=Decimal), runs=max(3, RUNS - 2))  # noqa: B023
        detail = (
            f"xero-python {t_official:.3f} s ({len(body) / 1e6:.1f} MB JSON; json.loads alone "
            f"{t_json:.3f} s), SDK {t_sdk:.3f} s ({len(xml) / 1e6:.1f} MB XML); same values"
        )
        if not lean:
            run.rows.append(
                row(
                    f"decode 10,000 2.0 invoices (3 lines): xero-python {version} "
                    "ApiClient.deserialize of the JSON / SDK decoder of the XML",
                    t_official / t_sdk,
                    ">= 3x",
                    t_official / t_sdk >= 3,
                    note=detail
                    + "; both carry empty ValidationErrors and Warnings on every entity, as Xero's echoes do",
                )
            )
        else:
            run.rows.append(
                row(
                    "the same without the empty ValidationErrors/Warnings (comparison)",
                    t_official / t_sdk,
                    "-",
                    None,
                    note=detail
                    + "; whether Xero's GET answers carry them on every entity is unverified",
                )
            )


def fig_v1_list(run: Run) -> None:
    """1.0 contacts.list() of 10,000 through HTTP / a raw httpx GET + lxml parse."""
    server = run.server
    try:
        source_cm: Any = sandbox_with_contacts(10_000)
        base_url, api_key, customer_key, source = source_cm.__enter__()
    except Exception as exc:  # the sandbox is another engineer's work in progress
        source_cm = None
        server.routes["contacts"] = run.v1_contacts_xml
        base_url, api_key, customer_key = (
            server.base_url,
            "bench-partner-key",
            "bench-customer-key",
        )
        source = f"tiny loopback server in the bench (sandbox unusable: {type(exc).__name__}: {str(exc)[:80]})"
        run.notes.append(f"List rows served by a {source}.")
    try:
        with (
            XeroClient(
                api_key=api_key,
                customer_key=customer_key,
                base_url=base_url,
                timeout=120,
                max_response_bytes=1 << 30,
            ) as client,
            httpx.Client(timeout=120) as raw,
        ):
            url = httpx.URL(base_url).join("contacts")
            params = {"apiKey": api_key, "xeroKey": customer_key}
            got = client.contacts.list()
            assert len(got) >= 10_000, len(got)
            size = len(raw.get(url, params=params).content)
            t_sdk, t_raw = paired(
                lambda: client.contacts.list(),
                lambda: etree.fromstring(raw.get(url, params=params).content),
            )
            run.rows.append(
                row(
                    "list 10,000 contacts: SDK / raw httpx GET + lxml.etree.fromstring",
                    t_sdk / t_raw,
                    "<= 3x",
                    t_sdk / t_raw <= 3,
                    note=f"SDK {t_sdk:.3f} s, raw {t_raw:.3f} s, {size / 1e6:.1f} MB from {source}",
                )
            )
    finally:
        if source_cm is not None:
            source_cm.__exit__(None, None, None)


def fig_v1_small(run: Run) -> None:
    """One small 1.0 GET on loopback: the SDK's per-call overhead."""
    server = run.server
    server.routes["small"] = _codec.encode_contacts_response(data.contacts_response(1))
    with (
        XeroClient(
            api_key="bench-partner-key",
            customer_key="bench-customer-key",
            base_url=server.base_url,
        ) as client,
        httpx.Client() as raw,
    ):
        url = httpx.URL(server.base_url).join("small")
        params = {"apiKey": "bench-partner-key", "xeroKey": "bench-customer-key"}

        def sdk_small() -> None:
            for _ in range(50):
                client._request(
                    method="GET",
                    path="small",
                    response_type=m.ContactsResponse,
                    decode=_codec.decode_contacts_response,
                )

        def raw_small() -> None:
            for _ in range(50):
                etree.fromstring(raw.get(url, params=params).content)

        t_sdk, t_raw = paired(sdk_small, raw_small, runs=RUNS * 2)
        run.rows.append(
            row(
                "one small GET (1 contact): SDK / raw httpx GET + fromstring, loopback",
                t_sdk / t_raw,
                "<= 1.15x",
                t_sdk / t_raw <= 1.15,
                note=f"SDK {t_sdk / 50 * 1e3:.2f} ms, raw {t_raw / 50 * 1e3:.2f} ms per call (bench server)",
            )
        )


def fig_v2_small(run: Run) -> None:
    """One small 2.0 GET on loopback (contacts.list() of one contact): the per-call overhead."""
    from xero_customer_api import RateLimits, v2_0

    from .server import BENCH_TENANT, BENCH_TOKEN

    server = run.server
    one = data_v2.without_empty_elements(data_v2.contacts_page(1, 1, 1))
    server.pages["Contacts"] = lambda page, page_size: one
    headers = {"Authorization": f"Bearer {BENCH_TOKEN}", "xero-tenant-id": BENCH_TENANT}
    with (
        # The limiter stays on (its bookkeeping is part of every call) with limits too high to
        # wait: at Xero's 60 calls a minute this figure would measure the limiter's sleeps.
        v2_0.XeroClient(
            access_token=BENCH_TOKEN,
            tenant_id=BENCH_TENANT,
            base_url=server.base_url_v2,
            limiter=RateLimits(per_minute=10**9, per_day=10**9, app_per_minute=10**9),
        ) as client,
        httpx.Client(headers=headers) as raw,
    ):
        url = httpx.URL(server.base_url_v2).join("Contacts")
        assert len(client.contacts.list(page=1)) == 1
        assert len(etree.fromstring(raw.get(url, params={"page": 1}).content)[-1]) == 1

        def sdk_small() -> None:
            for _ in range(50):
                client.contacts.list(page=1)

        def raw_small() -> None:
            for _ in range(50):
                etree.fromstring(raw.get(url, params={"page": 1}).content)

        t_sdk, t_raw = paired(sdk_small, raw_small, runs=RUNS * 3)
    del server.pages["Contacts"]
    run.rows.append(
        row(
            "one small 2.0 GET (contacts.list(page=1), 1 contact): SDK / raw httpx GET + fromstring, loopback",
            t_sdk / t_raw,
            "<= 1.15x",
            t_sdk / t_raw <= 1.15,
            note=(
                f"SDK {t_sdk / 50 * 1e3:.2f} ms, raw {t_raw / 50 * 1e3:.2f} ms per call (bench "
                "server; same bearer token and tenant headers, same page query)"
            ),
        )
    )


FIVE_RESOURCES = "21e2ead"
"""The last commit whose generated 2.0 client had five resources (the first-call baseline)."""


def compiled_copy(site: Path, commit: str | None = None) -> Path:
    """A copy of the ``xero_customer_api`` package under ``site``, compiled as pip does when
    it installs a wheel (``compileall``): today's tree, or the one generated at ``commit``.

    The bench's environment sets PYTHONDONTWRITEBYTECODE=1, so the editable dev tree has no
    bytecode and every fresh interpreter would compile every module it imports again."""
    import xero_customer_api

    if commit is None:
        shutil.copytree(Path(xero_customer_api.__file__).parent, site / "xero_customer_api")
    else:
        archive = subprocess.run(
            ["git", "archive", commit, "generated/xero_customer_api"],
            capture_output=True,
            check=True,
            cwd=HERE.parent,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(site)], input=archive, check=True)
        shutil.move(str(site / "generated" / "xero_customer_api"), site / "xero_customer_api")
        shutil.rmtree(site / "generated")
    compileall.compile_dir(site / "xero_customer_api", quiet=1)
    where = subprocess.run(
        [sys.executable, "-c", "import xero_customer_api; print(xero_customer_api.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(site)},
    ).stdout.strip()
    assert where.startswith(str(site)), where
    return site


def fig_first_call_server(run: Run) -> None:
    """XeroClient(...) + a first items.list() / the same with contacts.list() at five resources."""
    server = run.server
    server.pages["Items"] = lambda page, page_size: items
    server.pages["Contacts"] = lambda page, page_size: contacts
    items = data_v2.without_empty_elements(codec2.encode_items_response(data_v2.items_response(10)))
    contacts = data_v2.without_empty_elements(data_v2.contacts_page(1, 10, 10))

    def first_call(site: Path, resource: str) -> tuple[float, float]:
        out = subprocess.run(
            [sys.executable, "-m", "bench.first_call_child", server.base_url_v2, resource],
            capture_output=True,
            text=True,
            check=True,
            cwd=HERE.parent,
            env={**os.environ, "PYTHONPATH": str(site)},
            timeout=120,
        ).stdout.split()
        assert out[2] == "10", out
        return float(out[0]), float(out[1])

    with tempfile.TemporaryDirectory() as today, tempfile.TemporaryDirectory() as before:
        # BENCH_TREE=<commit> measures that commit's generated tree instead of this one's.
        now_site = compiled_copy(Path(today), os.environ.get("BENCH_TREE") or None)
        old_site = compiled_copy(Path(before), FIVE_RESOURCES)
        cases = {
            "items": (now_site, "items"),
            "contacts": (now_site, "contacts"),
            "contacts5": (old_site, "contacts"),
        }
        cpu: dict[str, list[float]] = {name: [] for name in cases}
        wall: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(RUNS * 3):
            for name, (site, resource) in cases.items():
                c, w = first_call(site, resource)
                cpu[name].append(c)
                wall[name].append(w)
    del server.pages["Items"], server.pages["Contacts"]
    med = {name: statistics.median(times) for name, times in cpu.items()}
    wmed = {name: statistics.median(times) for name, times in wall.items()}
    ratio = med["items"] / med["contacts5"]
    run.rows.append(
        row(
            "XeroClient(...) + first items.list() (30 resources) / XeroClient(...) + first "
            f"contacts.list() at five resources (commit {FIVE_RESOURCES}), CPU time, fresh processes",
            ratio,
            "<= 1.2x",
            ratio <= 1.2,
            note=(
                f"items.list() {med['items'] * 1e3:.0f} ms CPU ({wmed['items'] * 1e3:.0f} ms wall); "
                f"contacts.list() today {med['contacts'] * 1e3:.0f} ms CPU "
                f"({wmed['contacts'] * 1e3:.0f} ms wall) = {med['contacts'] / med['contacts5']:.2f}x; "
                f"at five resources {med['contacts5'] * 1e3:.0f} ms CPU "
                f"({wmed['contacts5'] * 1e3:.0f} ms wall); after `import xero_customer_api`, "
                "10 records from the bench server, compiled copies of both trees"
            ),
        )
    )


def stream_child(*args: str) -> tuple[int, int]:
    """(items read, peak RSS growth in bytes) of ``python -m bench.stream_child ARGS``."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.stream_child", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parent,
        timeout=600,
    )
    count, grown = (int(x) for x in out.stdout.split())
    return count, grown


def fig_v1_stream(run: Run) -> None:
    """1.0 contacts.iter() over one 100,000-contact answer: peak RSS growth."""
    server = run.server
    big = _codec.encode_contacts_response(data.contacts_response(100_000))
    server.routes["contacts"] = big
    growth: dict[str, int] = {}
    for mode in ("iter", "list"):
        count, growth[mode] = stream_child(server.base_url, mode)
        assert count == 100_000, count
    del server.routes["contacts"]
    run.rows.append(
        row(
            f"stream 100,000 contacts ({len(big) / 1e6:.0f} MB): peak RSS growth of contacts.iter()",
            growth["iter"] / MiB,
            "<= 30 MiB",
            growth["iter"] <= 30 * MiB,
            unit="MiB",
            note=f"contacts.list() of the same: +{growth['list'] / MiB:.0f} MiB (bench server)",
        )
    )


def fig_v2_stream(run: Run) -> None:
    """2.0 contacts.iter() across the pages of 100,000 contacts: peak RSS growth."""
    total, size = 100_000, 1_000
    server = run.server
    server.pages["Contacts"] = lambda page, page_size: data_v2.contacts_page(page, page_size, total)
    page_bytes = len(data_v2.contacts_page(1, size, total))
    pages = total // size + 1  # the last full page is followed by an empty one
    growth: dict[str, int] = {}
    for mode in ("iter2", "pages2"):
        before = server.requests
        count, growth[mode] = stream_child(server.base_url_v2, mode, str(size))
        assert count == total, count
        assert server.requests - before == pages, server.requests - before
    del server.pages["Contacts"]
    run.rows.append(
        row(
            f"stream 100,000 2.0 contacts ({pages} pages of {size:,}, {page_bytes * total // size / 1e6:.0f} MB): "
            "peak RSS growth of contacts.iter(page_size=1000)",
            growth["iter2"] / MiB,
            "<= 30 MiB",
            growth["iter2"] <= 30 * MiB,
            unit="MiB",
            note=(
                f"every page read with contacts.list(page=...) and kept: +{growth['pages2'] / MiB:.0f} MiB "
                "(bench server, bearer token + xero-tenant-id checked)"
            ),
        )
    )


def fig_import(run: Run) -> None:
    """import xero_customer_api (as installed) / import lxml.etree, httpx."""

    def import_once(stmt: str, pythonpath: str | None = None) -> float:
        code = f"import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
        env = dict(os.environ)
        if pythonpath is not None:
            env["PYTHONPATH"] = pythonpath
        return float(
            subprocess.run(
                [sys.executable, "-X", "frozen_modules=on", "-c", code],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            ).stdout
        )

    # A user's install (pip, from a wheel) has the package's bytecode compiled at install time;
    # this editable dev tree has none when PYTHONDONTWRITEBYTECODE is set, so every import
    # would recompile every module. Measure the installed form (a compiled copy on PYTHONPATH,
    # checked to be the one imported; lxml's and httpx's own bytecode was compiled by pip) and
    # report the dev-tree figure beside it. The three are interleaved, one process each.
    sdk, base, dev = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        site = str(compiled_copy(Path(scratch)))
        for _ in range(RUNS * 3):
            sdk.append(import_once("import xero_customer_api", pythonpath=site))
            base.append(import_once("import lxml.etree, httpx"))
            dev.append(import_once("import xero_customer_api"))
    t_sdk_imp, t_base_imp, t_dev_imp = (statistics.median(x) for x in (sdk, base, dev))
    bytecode_note = (
        "no bytecode written (PYTHONDONTWRITEBYTECODE)"
        if os.environ.get("PYTHONDONTWRITEBYTECODE")
        else "bytecode cached"
    )
    run.rows.append(
        row(
            "import xero_customer_api (installed, bytecode compiled as pip does) / import lxml.etree, httpx (fresh processes)",
            t_sdk_imp / t_base_imp,
            "<= 1.3x",
            t_sdk_imp / t_base_imp <= 1.3,
            note=(
                f"{t_sdk_imp * 1e3:.0f} ms vs {t_base_imp * 1e3:.0f} ms (medians of {len(sdk)}; "
                f"ratio of each pair from {min(a / b for a, b in zip(sdk, base, strict=True)):.2f}x "
                f"to {max(a / b for a, b in zip(sdk, base, strict=True)):.2f}x); from the editable dev tree "
                f"({bytecode_note}): {t_dev_imp * 1e3:.0f} ms = {t_dev_imp / t_base_imp:.2f}x"
            ),
        )
    )


def fig_first_call(run: Run) -> None:
    """XeroClient(...) plus a first items.list() / the same with contacts.list() (fresh processes)."""
    from .first_call import first_call_ms

    items, contacts = first_call_ms("items"), first_call_ms("contacts")
    run.rows.append(
        row(
            "XeroClient(...) + first items.list() / + first contacts.list() (fake transport, fresh processes, CPU)",
            items / contacts,
            "<= 1.2x",
            items / contacts <= 1.2,
            note=(
                f"{items:.0f} ms vs {contacts:.0f} ms (contacts.list() cost 53 ms with five "
                "resources; each type of types.xsd is its own module, loaded on first use)"
            ),
        )
    )


def fig_attachments(run: Run) -> None:
    """A 20 MB attachment uploaded and downloaded (streamed and as bytes): peak RSS growth."""
    import datetime

    from xero_customer_api.v2_0 import XeroClient as Client2
    from xero_customer_api.v2_0 import models as models2
    from xero_sandbox.process import launch

    size = 20 * 1000 * 1000
    growth: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        file = folder / "scan-20mb.bin"
        with file.open("wb") as out:  # 20 MB that no codec can shrink
            for _ in range(size // MiB):
                out.write(os.urandom(MiB))
            out.write(os.urandom(size % MiB))
        limit = str(64 * MiB)
        running = launch(
            ["--http", "--db", str(folder / "bench.db")],
            env={"XERO_SANDBOX_ATTACHMENT_MAX_BYTES": limit},
        )
        try:
            with Client2(
                client_id=running.client_id,
                client_secret=running.client_secret,
                tenant_id=running.tenant_id,
                token_url=running.token_url,
                base_url=running.v2_base_url,
            ) as client:
                contact = client.contacts.create(models2.Contact(name="Bench Scans Ltd"))
                invoice = client.invoices.create(
                    models2.Invoice(
                        type=models2.InvoiceType.ACCPAY,
                        contact=models2.Contact(contact_id=contact.contact_id),
                        date=datetime.date(2026, 11, 2),
                        due_date=datetime.date(2026, 11, 30),
                        line_items=[
                            models2.LineItem(
                                description="Scanning",
                                quantity=Decimal(1),
                                unit_amount=Decimal("10.00"),
                                account_code="429",
                            )
                        ],
                    )
                )
            env = {
                **os.environ,
                "XERO_BASE_URL": running.v2_base_url,
                "XERO_TOKEN_URL": running.token_url,
                "XERO_CLIENT_ID": running.client_id,
                "XERO_CLIENT_SECRET": running.client_secret,
                "XERO_TENANT_ID": running.tenant_id,
            }
            for mode in ("upload-path", "upload-bytes", "download-to", "download-bytes"):
                out = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "bench.attachments_child",
                        mode,
                        str(invoice.invoice_id),
                        str(file),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=HERE.parent,
                    env=env,
                    timeout=600,
                )
                moved, grown = (int(x) for x in out.stdout.split())
                assert moved == size, (mode, moved)
                growth[mode] = grown
            assert (folder / "scan-20mb.copy").read_bytes() == file.read_bytes()
        finally:
            running.stop()
    for streamed, whole, what in (
        ("upload-path", "upload-bytes", "attachments.upload(content=Path)"),
        ("download-to", "download-bytes", "attachments.download_to(destination=Path)"),
    ):
        run.rows.append(
            row(
                f"20 MB attachment, {what}: peak RSS growth",
                growth[streamed] / MiB,
                "<= 5 MB",
                growth[streamed] <= 5 * 1000 * 1000,
                unit="MiB",
                note=(
                    f"the bytes form of the same: +{growth[whole] / MiB:.0f} MiB (local sandbox over"
                    " HTTP, its attachment limit raised to 64 MiB; RSS sampled every 2 ms in a child)"
                ),
            )
        )


# In table order. `BENCH_ONLY=v2-decode,v2-official` runs just those (RESULTS.md is then left alone).
FIGURES: dict[str, Callable[[Run], None]] = {
    "v1-codec": fig_v1_codec,
    "v2-decode": fig_v2_decode,
    "reports": fig_reports,
    "reports-instructions": fig_reports_instructions,
    "v2-official": fig_v2_official,
    "v1-list": fig_v1_list,
    "v1-small": fig_v1_small,
    "v2-small": fig_v2_small,
    "first-call-server": fig_first_call_server,
    "v1-stream": fig_v1_stream,
    "v2-stream": fig_v2_stream,
    "attachments": fig_attachments,
    "import": fig_import,
    "first-call": fig_first_call,
}


def selected(only: str | None) -> list[str]:
    """The figures to run, in table order: all of them, or the comma-separated names in ``only``."""
    if only is None or not only.strip():
        return list(FIGURES)
    names = {name.strip() for name in only.split(",") if name.strip()}
    unknown = sorted(names - FIGURES.keys())
    if unknown:
        raise SystemExit(
            f"BENCH_ONLY: no figure named {', '.join(unknown)}; the figures are {', '.join(FIGURES)}"
        )
    return [name for name in FIGURES if name in names]


def main() -> None:
    started = time.perf_counter()
    names = selected(os.environ.get("BENCH_ONLY"))
    load_before = os.getloadavg()[0]
    run = Run()
    try:
        for name in names:
            print(f"==> {name}: {(FIGURES[name].__doc__ or '').strip()}", file=sys.stderr)
            FIGURES[name](run)
    finally:
        run.close()
    load_after = os.getloadavg()[0]

    # ------------------------------------------------------------------ table
    packages = ["lxml", "xsdata", "httpx", "xmltodict"]
    if official.available():
        packages.append("xero-python")
    versions = ", ".join(f"{p} {md.version(p)}" for p in packages)
    machine = (
        f"{cpu_model()}, {os.cpu_count()} logical cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); {versions}"
    )
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine}.  ",
        f"Every figure is a ratio of two timings (or a memory figure) measured in the same run; medians of "
        f"{RUNS} runs (decode: {max(3, RUNS - 2)}), interleaved. Total bench time {time.perf_counter() - started:.0f} s. "
        "Regenerate with `make bench` (`python -m bench`).  ",
        f"The machine is shared: 1-minute load average {load_before:.1f} at the start and "
        f"{load_after:.1f} at the end on {os.cpu_count()} cores, so timings are noisy and a ratio "
        "can move by tens of percent between runs (memory figures are steady).",
        "",
        "| figure | measured | goal | verdict | detail |",
        "|---|---:|---|---|---|",
        *(
            f"| {r['figure']} | {r['measured']} | {r['goal']} | {r['verdict']} | {r['note']} |"
            for r in run.rows
        ),
        "",
        *run.notes,
    ]
    table = "\n".join(lines).rstrip() + "\n"
    if names == list(FIGURES):
        (HERE / "RESULTS.md").write_text(table, encoding="utf-8")
    else:
        print(f"BENCH_ONLY={','.join(names)}: bench/RESULTS.md left unchanged", file=sys.stderr)
    print(table)


if __name__ == "__main__":
    # `limits` (bench/limits.py, its own section of RESULTS.md) is named like a figure
    asked = [n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()]
    others = [n for n in asked if n != "limits"]
    if not asked or others:
        os.environ["BENCH_ONLY"] = ",".join(others)
        main()
    if not asked or "limits" in asked:
        from . import limits

        limits.main()

"""Fixtures of the end-to-end suite: a real ``xero-sandbox serve`` subprocess over HTTPS.

The session sandbox keeps its data in a SQLite file so that ``xero-sandbox keys`` can add
organisations and partners to it while it runs. Tests share it, so they use unique names.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from lxml import etree
from xero_customer_api._runtime._xml import serialize
from xero_customer_api.v1_0 import AsyncXeroClient, XeroClient, models
from xero_sandbox.process import RunningSandbox, launch, parse_ready_line, sandbox_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of chromium, installed by scripts/ensure-chromium.sh when missing."""
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )
    if found is None:
        result = subprocess.run(
            ["bash", str(ROOT / "scripts" / "ensure-chromium.sh")], capture_output=True, text=True
        )
        found = shutil.which("chromium")
        if found is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"chromium could not be installed under CI: {result.stderr[-2000:]}")
            pytest.skip("chromium is not installed and could not be installed (not under CI)")
    return found


@pytest.fixture(scope="session")
def sandbox_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite file of the session sandbox."""
    return tmp_path_factory.mktemp("sandbox") / "e2e.db"


@pytest.fixture(scope="session")
def sandbox(sandbox_db: Path) -> Iterator[RunningSandbox]:
    """``xero-sandbox serve --port 0 --db FILE --time-scale 60`` for the whole session (HTTPS;
    2.0's rate-limit minute lasts a second, its day 24 minutes)."""
    running = launch(["--db", str(sandbox_db), "--time-scale", "60"])
    try:
        yield running
    finally:
        status = running.stop()
        # after a graceful shutdown and its clean-up the server ends by the SIGTERM it got.
        assert status in (0, -15), running.stderr


def run_cli(*args: str) -> str:
    """Run ``xero-sandbox ARGS`` and return its standard output, stripped."""
    done = subprocess.run(
        [*sandbox_command(), *args], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


@pytest.fixture(scope="session")
def cli() -> Callable[..., str]:
    """``cli("keys", "add-org", ...)`` runs the sandbox's command line."""
    return run_cli


def exports(text: str) -> dict[str, str]:
    """The ``export NAME=value`` lines of a command's output, as a dict."""
    found = (parse_ready_line(line) for line in text.splitlines())
    return dict(pair for pair in found if pair is not None)


@pytest.fixture(scope="session")
def add_org(sandbox_db: Path) -> Callable[[str], tuple[str, str]]:
    """``add_org(name)`` runs ``xero-sandbox keys add-org`` on the session sandbox's file and
    returns the new organisation's customer key and tenant id."""

    def add(name: str) -> tuple[str, str]:
        values = exports(run_cli("keys", "add-org", "--db", str(sandbox_db), "--name", name))
        return values["XERO_CUSTOMER_KEY"], values["XERO_TENANT_ID"]

    return add


@pytest.fixture
def unique() -> str:
    """A short unique suffix for names in the shared sandbox."""
    return uuid.uuid4().hex[:8]


ClientFactory = Callable[..., XeroClient]


@pytest.fixture
def make_client(sandbox: RunningSandbox) -> Iterator[ClientFactory]:
    """Build sync SDK clients against the session sandbox (closed after the test)."""
    transports: list[httpx.Client] = []

    def factory(sb: RunningSandbox | None = None, **overrides: Any) -> XeroClient:
        target = sb or sandbox
        http = httpx.Client(verify=target.verify())
        transports.append(http)
        options: dict[str, Any] = {
            "api_key": target.api_key,
            "customer_key": target.customer_key,
            "base_url": target.base_url,
            "http_client": http,
            **overrides,
        }
        return XeroClient(**options)

    yield factory
    for http in transports:
        http.close()


@pytest.fixture
def client(make_client: ClientFactory) -> XeroClient:
    """A sync SDK client of the Demo Company."""
    return make_client()


@pytest_asyncio.fixture
async def aclient(sandbox: RunningSandbox) -> AsyncIterator[AsyncXeroClient]:
    """An async SDK client of the Demo Company."""
    async with httpx.AsyncClient(verify=sandbox.verify()) as http:
        yield AsyncXeroClient(
            api_key=sandbox.api_key,
            customer_key=sandbox.customer_key,
            base_url=sandbox.base_url,
            http_client=http,
        )


@pytest.fixture
def raw(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """A plain httpx client trusting the sandbox CA, for hooks and wire-level checks."""
    with httpx.Client(verify=sandbox.verify(), base_url=sandbox.root_url) as http:
        yield http


@pytest.fixture
def stats(raw: httpx.Client) -> Callable[[], dict[str, int]]:
    """Current per-endpoint request counts of the sandbox."""

    def read() -> dict[str, int]:
        response = raw.get("/_sandbox/stats")
        response.raise_for_status()
        counts: dict[str, int] = response.json()["requests"]
        return counts

    return read


InvoiceFactory = Callable[..., models.Invoice]


def build_invoice(
    number: str,
    contact: models.Contact | str,
    *,
    invoice_type: models.InvoiceType = models.InvoiceType.ACCREC,
    lines: list[tuple[str, str, str, str | None]] | None = None,
    tracking: list[tuple[str, str]] | None = None,
    with_totals: bool = True,
) -> models.Invoice:
    """An invoice whose lines are (quantity, unit amount, tax amount, account code); totals add up."""
    specs = lines or [("2", "10.00", "2.50", "200"), ("1", "5.50", "0.69", "260")]
    line_items = []
    for quantity, unit, tax, account in specs:
        line_items.append(
            models.LineItem(
                description=f"Item {len(line_items) + 1}",
                quantity=Decimal(quantity),
                unit_amount=Decimal(unit),
                tax_amount=Decimal(tax),
                line_amount=(Decimal(quantity) * Decimal(unit)).quantize(Decimal("0.01")),
                account_code=account,
                tracking=[models.LineItemTracking(name=n, option=o) for n, o in (tracking or [])],
            )
        )
    sub_total = sum((li.line_amount for li in line_items), Decimal(0))
    total_tax = sum((li.tax_amount or Decimal(0) for li in line_items), Decimal(0))
    return models.Invoice(
        invoice_type=invoice_type,
        contact=contact if isinstance(contact, models.Contact) else models.Contact(name=contact),
        invoice_date=datetime.date(2024, 3, 15),
        due_date=datetime.date(2024, 4, 20),
        invoice_number=number,
        reference="e2e",
        includes_tax=True,
        sub_total=sub_total if with_totals else None,
        total_tax=total_tax if with_totals else None,
        total=sub_total + total_tax if with_totals else None,
        line_items=line_items,
    )


@pytest.fixture(scope="session")
def new_invoice() -> InvoiceFactory:
    """``new_invoice("INV-1", "Contact name", ...)`` builds a valid invoice model."""
    return build_invoice


RawSender = Callable[[str, str, object], httpx.Response]


def to_xml(body: object) -> bytes:
    """A request model written as XML by xsdata (the runtime's reference serialiser, which
    registers the Xero date formats first), bypassing the SDK's own checks."""
    return serialize(body)


@pytest.fixture
def send_raw(sandbox: RunningSandbox, raw: httpx.Client) -> RawSender:
    """``send_raw("PUT", "invoice", model)``: send a body the SDK would refuse to send."""

    def send(method: str, endpoint: str, body: object) -> httpx.Response:
        params = {"apiKey": sandbox.api_key, "xeroKey": sandbox.customer_key}
        return raw.request(method, f"/api.xro/1.0/{endpoint}", params=params, content=to_xml(body))

    return send


def envelope_errors(response: httpx.Response) -> list[tuple[str, str]]:
    """(ExceptionType, Description) of each error of a 1.0 error envelope."""
    root = etree.fromstring(
        response.content, etree.XMLParser(resolve_entities=False, no_network=True)
    )
    return [
        (e.findtext("Exception/ExceptionType") or "", e.findtext("Description") or "")
        for e in root.findall("Errors/Error")
    ]


@pytest.fixture(scope="session")
def errors_of() -> Callable[[httpx.Response], list[tuple[str, str]]]:
    """Read the errors of an error envelope."""
    return envelope_errors
